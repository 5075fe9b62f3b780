"""The points of a frontier, budgets or risk aversions at one budget, from the plans solved at
each point (no database here).

Shared by the service, which reads the plans of a stored frontier, and the command line, which
solves them on the spot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from app.schemas.frontiers import FrontierPointOut, FrontierStatus
from app.schemas.plans import GroupSummaryOut, PlanAnswer
from models.states import PlanState

PENDING_STATUSES = frozenset({"queued", "running"})
CANCELLED_STATUS = "cancelled"


class PointOutcome(NamedTuple):
    """Where the plan of one budget point stands: its id, status and answer (null until the
    plan is solved)."""

    plan_id: str | None
    status: str
    answer: PlanAnswer | None


def frontier_points(
    budgets: Sequence[float],
    outcomes: Sequence[tuple[str | None, str, PlanAnswer | None]],
    risk_aversions: Sequence[float] | None = None,
) -> list[FrontierPointOut]:
    """One point per budget, ascending, with the marginal engagement per extra unit of budget;
    or, given ``risk_aversions`` (a risk sweep at one budget), one point per risk aversion,
    ascending, without marginals.

    ``outcomes[i]`` is the plan of ``budgets[i]`` (and ``risk_aversions[i]``), a
    ``PointOutcome`` or a plain tuple. A point has figures when its answer has totals; the
    marginal of a point compares it with the previous point that has figures, so a gap (a plan
    still running, or infeasible) does not break the curve into unrelated halves.
    """
    if len(budgets) != len(outcomes):
        raise ValueError(f"{len(budgets)} budgets but {len(outcomes)} outcomes")
    aversions: Sequence[float | None] = (
        [None] * len(budgets) if risk_aversions is None else risk_aversions
    )
    if len(aversions) != len(budgets):
        raise ValueError(f"{len(budgets)} budgets but {len(aversions)} risk aversions")
    points: list[FrontierPointOut] = []
    previous: tuple[float, float] | None = None  # budget and engagement of the last figures
    for budget, aversion, (plan_id, status, answer) in sorted(
        zip(budgets, aversions, outcomes, strict=True), key=lambda row: (row[0], row[1] or 0.0)
    ):
        totals = answer.totals if answer is not None else None
        if answer is None or totals is None:
            points.append(_point_without_figures(budget, aversion, plan_id, status))
            continue
        marginal = None
        if previous is not None and budget > previous[0]:
            marginal = (totals.expected_engagement - previous[1]) / (budget - previous[0])
        previous = (budget, totals.expected_engagement)
        risk = answer.risk
        points.append(
            FrontierPointOut(
                budget=budget,
                risk_aversion=aversion,
                plan_id=plan_id,
                status=PlanState(status),
                expected_engagement=totals.expected_engagement,
                spend=totals.spend,
                influencers=totals.influencers,
                gap=answer.solver.gap,
                tier_mix=_mix(answer.by_tier),
                platform_mix=_mix(answer.by_platform),
                engagement_cvar=None if risk is None else risk.engagement_cvar,
                marginal_engagement_per_unit=marginal,
                marginal_engagement_per_1000=None if marginal is None else marginal * 1000,
            )
        )
    return points


def _mix(groups: Mapping[str, GroupSummaryOut] | None) -> dict[str, float]:
    return {name: group.share for name, group in (groups or {}).items()}


def frontier_status(statuses: Iterable[str]) -> FrontierStatus:
    """The frontier's status from its plans' statuses (plan statuses or job states)."""
    seen = [str(s) for s in statuses]
    if seen and all(s == "queued" for s in seen):
        return FrontierStatus.QUEUED
    if any(s in PENDING_STATUSES for s in seen):
        return FrontierStatus.RUNNING
    if CANCELLED_STATUS in seen:
        return FrontierStatus.CANCELLED
    return FrontierStatus.DONE


def _point_without_figures(
    budget: float, risk_aversion: float | None, plan_id: str | None, status: str
) -> FrontierPointOut:
    return FrontierPointOut(
        budget=budget,
        risk_aversion=risk_aversion,
        plan_id=plan_id,
        status=PlanState(status),
        expected_engagement=None,
        spend=None,
        influencers=None,
        gap=None,
        tier_mix={},
        platform_mix={},
        engagement_cvar=None,
        marginal_engagement_per_unit=None,
        marginal_engagement_per_1000=None,
    )
