"""The points of a budget frontier, from the plans solved at each budget (no database here).

Shared by the service, which reads the plans of a stored frontier, and the command line, which
solves them on the spot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from app.schemas.frontiers import FrontierPointOut, FrontierStatus
from app.schemas.plans import PlanAnswer
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
) -> list[FrontierPointOut]:
    """One point per budget, ascending, with the marginal engagement per extra unit of budget.

    ``outcomes[i]`` is the plan of ``budgets[i]`` (a ``PointOutcome`` or a plain tuple). A point
    has figures when its answer has totals; the marginal of a point compares it with the
    previous point that has figures, so a gap (a plan still running, or infeasible) does not
    break the curve into unrelated halves.
    """
    if len(budgets) != len(outcomes):
        raise ValueError(f"{len(budgets)} budgets but {len(outcomes)} outcomes")
    points: list[FrontierPointOut] = []
    previous: tuple[float, float] | None = None  # budget and engagement of the last figures
    for budget, (plan_id, status, answer) in sorted(
        zip(budgets, outcomes, strict=True), key=lambda pair: pair[0]
    ):
        totals = answer.totals if answer is not None else None
        if answer is None or totals is None:
            points.append(_point_without_figures(budget, plan_id, status))
            continue
        marginal = None
        if previous is not None and budget > previous[0]:
            marginal = (totals.expected_engagement - previous[1]) / (budget - previous[0])
        previous = (budget, totals.expected_engagement)
        points.append(
            FrontierPointOut(
                budget=budget,
                plan_id=plan_id,
                status=PlanState(status),
                expected_engagement=totals.expected_engagement,
                spend=totals.spend,
                influencers=totals.influencers,
                gap=answer.solver.gap,
                tier_mix={name: group.share for name, group in (answer.by_tier or {}).items()},
                marginal_engagement_per_unit=marginal,
                marginal_engagement_per_1000=None if marginal is None else marginal * 1000,
            )
        )
    return points


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


def _point_without_figures(budget: float, plan_id: str | None, status: str) -> FrontierPointOut:
    return FrontierPointOut(
        budget=budget,
        plan_id=plan_id,
        status=PlanState(status),
        expected_engagement=None,
        spend=None,
        influencers=None,
        gap=None,
        tier_mix={},
        marginal_engagement_per_unit=None,
        marginal_engagement_per_1000=None,
    )
