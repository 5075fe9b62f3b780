"""Plans side by side (PRODUCT.md section 8): their figures, mixes and creators, each other
plan's differences to the first, and the same as an XLSX workbook.

A creator is matched across plans by candidate id (the planner's key, or the catalog id for
plans drawn from the catalog), as ``must_include`` and ``exclude`` name them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.errors import InvalidRequestError
from app.schemas.comparisons import (
    MAX_COMPARED,
    MIN_COMPARED,
    ComparedCreatorOut,
    ComparedPlanOut,
    CreatorInPlanOut,
    PlanComparison,
    PlanDifferencesOut,
    PlanFiguresOut,
)
from app.schemas.influencers import handle_key
from app.schemas.plans import AllocationOut, GroupSummaryOut, PlanPublic
from app.services.exports import Kind, PlanExport, Row, Table, xlsx_workbook
from app.services.plans import get_plan
from app.services.scope import WorkspaceScope
from app.services.spreadsheets import MEDIA_TYPES, SpreadsheetFormat

IDS_PARAMETER = ("query", "ids")


@dataclass(frozen=True, slots=True)
class Figure:
    name: str  # the field of PlanFiguresOut
    label: str
    kind: Kind


FIGURES = (
    Figure("budget", "Budget", Kind.MONEY),
    Figure("spend", "Spend", Kind.MONEY),
    Figure("budget_left", "Budget left", Kind.MONEY),
    Figure("expected_engagement", "Expected engagement", Kind.COUNT),
    Figure("reach", "Reach", Kind.COUNT),
    Figure("influencers", "Creators", Kind.INTEGER),
    Figure("cost_per_engagement", "Cost per engagement", Kind.CPE),
    Figure("max_share", "Largest share of spend", Kind.SHARE),
    Figure("hhi", "HHI of spend shares", Kind.RATIO),
    Figure("effective_influencers", "Effective number of creators", Kind.RATIO),
    Figure("engagement_cvar", "Engagement CVaR", Kind.COUNT),
    Figure("engagement_p05", "Engagement, 5th percentile", Kind.COUNT),
    Figure("engagement_p50", "Engagement, median", Kind.COUNT),
    Figure("engagement_p95", "Engagement, 95th percentile", Kind.COUNT),
)
# Shown only when some plan has them (plans without scenarios have none).
_SCENARIO_FIGURES = frozenset(
    {"engagement_cvar", "engagement_p05", "engagement_p50", "engagement_p95"}
)


def parse_ids(raw: str) -> list[str]:
    """``A,B,C`` as a list of 2 to 5 distinct plan ids; a 422 naming ``ids`` otherwise."""
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    if not MIN_COMPARED <= len(ids) <= MAX_COMPARED:
        raise InvalidRequestError.at(
            IDS_PARAMETER,
            f"give {MIN_COMPARED} to {MAX_COMPARED} plan ids separated by commas (got {len(ids)})",
        )
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise InvalidRequestError.at(
            IDS_PARAMETER, f"each plan may be compared once; repeated: {', '.join(repeated)}"
        )
    return ids


def compare_plans(session: Session, scope: WorkspaceScope, ids: Sequence[str]) -> PlanComparison:
    """The plans ``ids`` of this workspace side by side; an unknown id (or one of another
    workspace) is a 404."""
    plans = [get_plan(session, scope, plan_id) for plan_id in ids]
    tiers = _group_names(p.by_tier for p in plans)
    platforms = _group_names(p.by_platform for p in plans)
    compared = [
        ComparedPlanOut(
            id=p.id,
            name=p.name,
            created_at=p.created_at,
            status=p.status,
            currency=p.currency,
            figures=_figures(p),
            by_tier=_groups(p.by_tier, tiers),
            by_platform=_groups(p.by_platform, platforms),
            differences=None,
        )
        for p in plans
    ]
    first = compared[0]
    for plan in compared[1:]:
        plan.differences = PlanDifferencesOut(
            figures=_subtract(plan.figures, first.figures),
            by_tier=_group_differences(plan.by_tier, first.by_tier),
            by_platform=_group_differences(plan.by_platform, first.by_platform),
        )
    return PlanComparison(plans=compared, creators=_creators(plans), notes=_notes(plans))


def _figures(plan: PlanPublic) -> PlanFiguresOut:
    totals, risk = plan.totals, plan.risk
    quantiles = None if risk is None else risk.engagement_quantiles
    return PlanFiguresOut(
        budget=plan.budget,
        spend=None if totals is None else totals.spend,
        budget_left=None if totals is None else totals.budget_left,
        expected_engagement=None if totals is None else totals.expected_engagement,
        reach=None if totals is None else totals.reach,
        influencers=None if totals is None else totals.influencers,
        cost_per_engagement=None if totals is None else totals.cost_per_engagement,
        max_share=None if risk is None else risk.max_share,
        hhi=None if risk is None else risk.hhi,
        effective_influencers=None if risk is None else risk.effective_influencers,
        engagement_cvar=None if risk is None else risk.engagement_cvar,
        engagement_p05=None if quantiles is None else quantiles.p05,
        engagement_p50=None if quantiles is None else quantiles.p50,
        engagement_p95=None if quantiles is None else quantiles.p95,
    )


def _subtract(plan: PlanFiguresOut, first: PlanFiguresOut) -> PlanFiguresOut:
    values = {}
    for figure in FIGURES:
        a, b = getattr(plan, figure.name), getattr(first, figure.name)
        values[figure.name] = None if a is None or b is None else a - b
    return PlanFiguresOut.model_validate(values)


_NOTHING = GroupSummaryOut(spend=0.0, share=0.0, engagement=0.0, influencers=0)


def _group_names(groups: Iterable[Mapping[str, GroupSummaryOut] | None]) -> list[str]:
    """Every group name, in the order the plans first list them."""
    return list(dict.fromkeys(name for g in groups if g for name in g))


def _groups(
    groups: Mapping[str, GroupSummaryOut] | None, names: Sequence[str]
) -> dict[str, GroupSummaryOut]:
    groups = groups or {}
    return {name: groups.get(name, _NOTHING) for name in names}


def _group_differences(
    plan: Mapping[str, GroupSummaryOut], first: Mapping[str, GroupSummaryOut]
) -> dict[str, GroupSummaryOut]:
    return {
        name: GroupSummaryOut(
            spend=g.spend - first[name].spend,
            share=g.share - first[name].share,
            engagement=g.engagement - first[name].engagement,
            influencers=g.influencers - first[name].influencers,
        )
        for name, g in plan.items()
    }


def _creator_key(a: AllocationOut) -> tuple[str, str]:
    # Plans typed in and plans drawn from the catalog give one creator different ids; the
    # platform and handle are what a planner recognizes.
    return a.platform.value, handle_key(a.handle)


def _creators(plans: Sequence[PlanPublic]) -> list[ComparedCreatorOut]:
    seen: dict[tuple[str, str], AllocationOut] = {}
    bought: dict[tuple[str, str], list[CreatorInPlanOut | None]] = {}
    for number, plan in enumerate(plans):
        for a in plan.allocations:
            key = _creator_key(a)
            seen.setdefault(key, a)
            row = bought.setdefault(key, [None] * len(plans))
            row[number] = CreatorInPlanOut(
                posts=a.posts, spend=a.spend, expected_engagement=a.expected_engagement
            )
    creators = []
    for key, row in bought.items():
        using = [plans[n].id for n, bought_here in enumerate(row) if bought_here is not None]
        a = seen[key]
        creators.append(
            ComparedCreatorOut(
                id=a.id,
                handle=a.handle,
                platform=a.platform,
                tier=a.tier,
                plans=row,
                only_in=using[0] if len(using) == 1 else None,
            )
        )

    def order(c: ComparedCreatorOut) -> tuple[int, float, str]:
        in_plans = [p for p in c.plans if p is not None]
        return (-len(in_plans), -sum(p.spend for p in in_plans), c.handle.casefold())

    return sorted(creators, key=order)


def _notes(plans: Sequence[PlanPublic]) -> list[str]:
    notes = []
    currencies = list(dict.fromkeys(p.currency for p in plans))
    if len(currencies) > 1:
        notes.append(
            f"The plans are in different currencies ({', '.join(currencies)}): money "
            "differences are not converted."
        )
    notes += [
        f"Plan {p.id} is {p.status.value}: it has no allocations or totals to compare."
        for p in plans
        if p.totals is None
    ]
    return notes


# --- XLSX ------------------------------------------------------------------------------------


def export_comparison(session: Session, scope: WorkspaceScope, ids: Sequence[str]) -> PlanExport:
    """The comparison as a workbook: sheet Compare (figures and mixes, one column per plan,
    then the differences to the first) and sheet Creators (posts and spend per plan)."""
    comparison = compare_plans(session, scope, ids)
    labels = [_label(number, p) for number, p in enumerate(comparison.plans)]
    content = xlsx_workbook(
        {
            "Compare": [_figure_table(comparison, labels), *_mix_tables(comparison, labels)],
            "Creators": [_creator_table(comparison, labels)],
        }
    )
    fmt = SpreadsheetFormat.XLSX
    return PlanExport(
        filename=f"compare-{'-'.join(p.id[:8] for p in comparison.plans)}.{fmt.value}",
        media_type=MEDIA_TYPES[fmt],
        content=content,
    )


def _label(number: int, plan: ComparedPlanOut) -> str:
    """``B: Spring launch``: the letter the difference columns use, then the plan's name."""
    return f"{_letter(number)}: {plan.name or plan.id}"


def _letter(number: int) -> str:
    return "ABCDE"[number]


def _difference_header(plans: int) -> Row:
    return [(f"{_letter(n)} - A", Kind.TEXT) for n in range(1, plans)]


def _figure_table(comparison: PlanComparison, labels: Sequence[str]) -> Table:
    plans = comparison.plans
    rows: list[Row] = [
        [("Plan id", Kind.TEXT), *[(p.id, Kind.TEXT) for p in plans]],
        [("Status", Kind.TEXT), *[(p.status.value, Kind.TEXT) for p in plans]],
        [("Currency", Kind.TEXT), *[(p.currency, Kind.TEXT) for p in plans]],
    ]
    for figure in FIGURES:
        values = [getattr(p.figures, figure.name) for p in plans]
        if figure.name in _SCENARIO_FIGURES and all(v is None for v in values):
            continue
        differences = [getattr(p.differences.figures, figure.name) for p in plans if p.differences]
        rows.append(
            [
                (figure.label, Kind.TEXT),
                *[(v, figure.kind) for v in values],
                *[(d, figure.kind) for d in differences],
            ]
        )
    return Table(
        title="Figures",
        header=[
            ("Figure", Kind.TEXT),
            *[(label, Kind.TEXT) for label in labels],
            *_difference_header(len(plans)),
        ],
        rows=rows,
        widths=(30, *[24] * (2 * len(plans) - 1)),
    )


Groups = Mapping[str, GroupSummaryOut]


def _mix_tables(comparison: PlanComparison, labels: Sequence[str]) -> list[Table]:
    plans = comparison.plans
    by_tier = [(p.by_tier, p.differences.by_tier if p.differences else None) for p in plans]
    by_platform = [
        (p.by_platform, p.differences.by_platform if p.differences else None) for p in plans
    ]
    return [_mix_table("Tier", by_tier, labels), _mix_table("Platform", by_platform, labels)]


def _mix_table(
    what: str, mixes: Sequence[tuple[Groups, Groups | None]], labels: Sequence[str]
) -> Table:
    """Two rows per group, its share of spend and its spend: per plan, then differences."""
    rows: list[Row] = []
    for name in mixes[0][0]:  # every plan lists every group of the comparison
        for field, words, kind in (
            ("share", "share of spend", Kind.SHARE),
            ("spend", "spend", Kind.MONEY),
        ):
            rows.append(
                [
                    (f"{name}, {words}", Kind.TEXT),
                    *[(getattr(groups[name], field), kind) for groups, _ in mixes],
                    *[(getattr(diff[name], field), kind) for _, diff in mixes if diff is not None],
                ]
            )
    return Table(
        title=f"{what} mix",
        header=[
            (what, Kind.TEXT),
            *[(label, Kind.TEXT) for label in labels],
            *_difference_header(len(mixes)),
        ],
        rows=rows,
    )


def _creator_table(comparison: PlanComparison, labels: Sequence[str]) -> Table:
    header: Row = [("Handle", Kind.TEXT), ("Platform", Kind.TEXT), ("Tier", Kind.TEXT)]
    for label in labels:
        header += [(f"{label}: posts", Kind.TEXT), (f"{label}: spend", Kind.TEXT)]
    header += [("Only in", Kind.TEXT), ("Id", Kind.TEXT)]
    letters = {p.id: _letter(n) for n, p in enumerate(comparison.plans)}
    rows: list[Row] = []
    for c in comparison.creators:
        row: Row = [(c.handle, Kind.TEXT), (c.platform.value, Kind.TEXT), (c.tier, Kind.TEXT)]
        for bought in c.plans:
            row += [
                (None if bought is None else bought.posts, Kind.INTEGER),
                (None if bought is None else bought.spend, Kind.MONEY),
            ]
        row += [(letters[c.only_in] if c.only_in else None, Kind.TEXT), (c.id, Kind.TEXT)]
        rows.append(row)
    return Table(
        title="Creators",
        header=header,
        rows=rows,
        widths=(24, 11, 8, *[16] * (2 * len(labels)), 8, 38),
    )
