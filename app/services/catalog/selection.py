"""Plans drawn from the catalog: a request's ``catalog`` selection turned into candidates."""

from __future__ import annotations

from collections.abc import Collection

from pydantic import ValidationError
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.errors import InvalidRequestError, field_problem
from app.schemas.plans import (
    CandidateIn,
    CatalogFilters,
    CatalogSelection,
    OverlapIn,
    PlanCreate,
)
from app.schemas.problem import FieldProblem
from app.services.catalog.entries import CHUNK, candidate_values
from app.services.catalog.listing import CatalogQuery, conditions
from app.services.catalog.overlaps import overlaps_among
from app.services.scope import WorkspaceScope
from models import Influencer
from optimizer.problem import DEFAULT_TIERS, Tier

_CATALOG: tuple[str, ...] = ("body", "catalog")


def resolve_catalog(
    session: Session, scope: WorkspaceScope, req: PlanCreate, *, max_candidates: int
) -> PlanCreate:
    """The request with ``catalog`` replaced by the candidates it selects, as stored now,
    and with the stored overlaps among them.

    The result carries the values themselves, so the plan never depends on later edits.
    """
    selection = req.catalog
    if selection is None:
        return req
    tiers = (
        DEFAULT_TIERS
        if req.options.tiers is None
        else tuple(Tier(t.name, t.min_followers) for t in req.options.tiers)
    )
    rows: dict[str, Influencer] = {}
    if selection.filters is not None:
        statement = (
            select(Influencer)
            .where(*_filter_conditions(session, scope, selection.filters, tiers))
            .order_by(Influencer.handle, Influencer.platform)
        )
        rows.update((row.id, row) for row in session.scalars(statement))
    if selection.ids:
        rows.update(_rows_by_id(session, scope, selection.ids))
    if not rows:
        raise InvalidRequestError.at(
            _CATALOG, "no influencer in the catalog matches this selection", "catalog_empty"
        )
    if len(rows) > max_candidates:
        raise InvalidRequestError.at(
            _CATALOG,
            f"the selection matches {len(rows):,} influencers; a plan takes at most "
            f"{max_candidates:,}: narrow the filters",
            "too_long",
        )
    unknown = [
        field_problem(
            (*_CATALOG, "overrides", influencer_id),
            f"{influencer_id!r} is not among the selected influencers",
        )
        for influencer_id in selection.overrides
        if influencer_id not in rows
    ]
    if unknown:
        raise InvalidRequestError(unknown)
    candidates = _candidates(list(rows.values()), selection)
    update: dict[str, object] = {"candidates": candidates, "catalog": None}
    overlaps = _overlaps(session, scope, rows, req.overlaps or [])
    if overlaps:
        _check_overlapped_audiences(candidates, overlaps)
        update["overlaps"] = overlaps
    return req.model_copy(update=update)


def _overlaps(
    session: Session, scope: WorkspaceScope, rows: Collection[str], given: list[OverlapIn]
) -> list[OverlapIn]:
    """The request's own overlaps, then the stored ones among the selected creators that it
    does not give (a pair the request gives is its to set, as an override)."""
    named = {frozenset((o.a, o.b)) for o in given}
    stored = [
        OverlapIn(a=a, b=b, share=share)
        for a, b, share in overlaps_among(session, scope, rows)
        if frozenset((a, b)) not in named
    ]
    return [*given, *stored]


def _check_overlapped_audiences(candidates: list[CandidateIn], overlaps: list[OverlapIn]) -> None:
    """A creator's pairs may not share more audience than it reaches (PRODUCT.md section 7).

    The optimizer checks it too, but would name entries of ``overlaps`` the planner never
    wrote: here each such creator is named by handle, with where its pairs are kept.
    """
    reach = {c.id: c.followers * c.audience_quality for c in candidates}
    overlapped = dict.fromkeys(reach, 0.0)
    for o in overlaps:
        if o.a not in reach or o.b not in reach:
            continue  # an unknown id of the request's own: the optimizer names it
        shared = o.share * min(reach[o.a], reach[o.b])
        overlapped[o.a] += shared
        overlapped[o.b] += shared
    problems = [
        field_problem(
            _CATALOG,
            f"{c.handle} on {c.platform.value} shares {overlapped[c.id]:,.0f} people with the "
            f"other creators of this plan, more than it reaches ({reach[c.id]:,.0f}): lower "
            f"its overlaps (GET /v1/influencers/overlaps?influencer_id={c.id})",
            "overlap_above_reach",
        )
        for c in candidates
        if overlapped[c.id] > reach[c.id] * (1 + _AUDIENCE_TOLERANCE)
    ]
    if problems:
        raise InvalidRequestError(problems)


# As the optimizer's own check: float noise in a sum that equals the reach is no excess.
_AUDIENCE_TOLERANCE = 1e-9


def _filter_conditions(
    session: Session, scope: WorkspaceScope, filters: CatalogFilters, tiers: tuple[Tier, ...]
) -> list[ColumnElement[bool]]:
    query = CatalogQuery(
        platforms=filters.platforms or (),
        tiers=filters.tiers or (),
        tags=filters.tags or (),
        min_followers=filters.min_followers,
        max_followers=filters.max_followers,
    )
    return conditions(session, scope, query, tiers, (*_CATALOG, "filters", "tiers"))


def _rows_by_id(session: Session, scope: WorkspaceScope, ids: list[str]) -> dict[str, Influencer]:
    found: dict[str, Influencer] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        statement = scope.select(Influencer).where(Influencer.id.in_(chunk))
        found.update((row.id, row) for row in session.scalars(statement))
    missing = [
        field_problem((*_CATALOG, "ids", i), f"no influencer with id {influencer_id!r}")
        for i, influencer_id in enumerate(ids)
        if influencer_id not in found
    ]
    if missing:
        raise InvalidRequestError(missing)
    # In the order asked, after the filtered ones.
    return {influencer_id: found[influencer_id] for influencer_id in ids}


def _candidates(rows: list[Influencer], selection: CatalogSelection) -> list[CandidateIn]:
    candidates: list[CandidateIn] = []
    problems: list[FieldProblem] = []
    for row in rows:
        values = {"id": row.id, "handle": row.display_handle, **candidate_values(row)}
        override = selection.overrides.get(row.id)
        if override is not None:
            values.update(override.model_dump(exclude_unset=True))
        try:
            candidates.append(CandidateIn.model_validate(values))
        except ValidationError as exc:
            # Catalog rows are valid when stored: an override made this one invalid.
            problems += [
                field_problem((*_CATALOG, "overrides", row.id, *e["loc"]), e["msg"], e["type"])
                for e in exc.errors()
            ]
    if problems:
        raise InvalidRequestError(problems)
    return candidates
