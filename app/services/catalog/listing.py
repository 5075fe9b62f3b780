"""The catalog's listing: filters, text search and keyset pages by handle, then platform."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, cast, exists, func, or_, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from app.errors import InvalidRequestError, field_problem
from app.schemas.influencers import InfluencerPage, handle_key, normalize_tags
from app.services import pagination
from app.services.catalog.entries import to_public
from app.services.scope import WorkspaceScope
from models import Influencer
from optimizer.problem import DEFAULT_TIERS, Platform, Tier

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class CatalogQuery:
    """Filters shared by the listing and by plans drawn from the catalog."""

    platforms: Sequence[Platform] = ()
    tiers: Sequence[str] = ()
    tags: Sequence[str] = ()
    min_followers: int | None = None
    max_followers: int | None = None
    text: str | None = None


def list_influencers(
    session: Session,
    scope: WorkspaceScope,
    query: CatalogQuery,
    *,
    limit: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> InfluencerPage:
    """Entries by handle, then platform, ``limit`` at a time; tiers are the default ones."""
    where = conditions(session, scope, query, DEFAULT_TIERS, ("query", "tier"))
    if cursor is not None:
        after_handle, after_platform = pagination.decode_cursor(cursor, _cursor_key)
        where.append(
            pagination.after(Influencer.handle, after_handle, Influencer.platform, after_platform)
        )
    statement = (
        scope.select(Influencer).where(*where).order_by(Influencer.handle, Influencer.platform)
    )
    page, next_cursor = pagination.keyset_page(
        session, statement, limit, lambda row: (row.handle, row.platform.value)
    )
    return InfluencerPage(items=[to_public(row) for row in page], next_cursor=next_cursor)


def conditions(
    session: Session,
    scope: WorkspaceScope,
    query: CatalogQuery,
    tiers: tuple[Tier, ...],
    tier_loc: tuple[str | int, ...],
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [scope.owns(Influencer)]
    if query.platforms:
        conditions.append(Influencer.platform.in_(list(query.platforms)))
    if query.tiers:
        conditions.append(or_(*_tier_ranges(query.tiers, tiers, tier_loc)))
    if query.min_followers is not None:
        conditions.append(Influencer.followers >= query.min_followers)
    if query.max_followers is not None:
        conditions.append(Influencer.followers <= query.max_followers)
    tags = normalize_tags(list(query.tags))
    if tags:
        conditions.append(_has_any_tag(session, tags))
    text = (query.text or "").strip()
    if text:
        conditions.append(
            or_(
                Influencer.handle.contains(handle_key(text), autoescape=True),
                pagination.contains(Influencer.display_name, text),
            )
        )
    return conditions


def _tier_ranges(
    names: Sequence[str], tiers: tuple[Tier, ...], loc: tuple[str | int, ...]
) -> Iterator[ColumnElement[bool]]:
    """Follower ranges of the named tiers: a tier runs up to the next one's lower bound."""
    ordered = sorted(tiers, key=lambda t: t.min_followers)
    bounds = {
        tier.name: (tier.min_followers, nxt.min_followers if nxt else None)
        for tier, nxt in zip(ordered, [*ordered[1:], None], strict=True)
    }
    unknown = [(i, name) for i, name in enumerate(names) if name not in bounds]
    if unknown:
        allowed = ", ".join(bounds)
        raise InvalidRequestError(
            [
                field_problem((*loc, i), f"unknown tier {name!r}; the tiers are {allowed}")
                for i, name in unknown
            ]
        )
    for name in dict.fromkeys(names):
        low, high = bounds[name]
        if high is None:
            yield Influencer.followers >= low
        else:
            yield and_(Influencer.followers >= low, Influencer.followers < high)


def _has_any_tag(session: Session, tags: list[str]) -> ColumnElement[bool]:
    """Entries carrying any of ``tags`` (stored lowercase), on the backend in use."""
    if session.get_bind().dialect.name == "postgresql":
        # JSONB's ?| operator: does the array hold any of these strings.
        overlaps: ColumnElement[bool] = cast(Influencer.tags, postgresql.JSONB).has_any(
            postgresql.array(tags)
        )
        return overlaps
    elements = func.json_each(Influencer.tags).table_valued("value")
    return exists(select(1).select_from(elements).where(elements.c.value.in_(tags)))


def _cursor_key(key: Any) -> tuple[str, Platform]:
    handle, platform = key
    if not isinstance(handle, str):
        raise TypeError(handle)
    return handle, Platform(platform)
