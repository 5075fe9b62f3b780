"""Wire shapes of budget frontiers: one plan request solved at several budgets.

A frontier answers "what does each extra thousand buy me?": every budget point is solved as its
own plan, and each point reports the engagement gained per extra currency unit of budget since
the previous point that has figures.
"""

from __future__ import annotations

import math
import sys
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.schemas.examples import EXAMPLE_PLAN_REQUEST
from app.schemas.plans import MAX_BUDGET, ObjectiveIn, PlanCreate, RequestModel, Share, Text
from app.schemas.wire import Number, one_of_two, with_examples
from models.states import PlanState
from optimizer.problem import ObjectiveKind

MAX_FRONTIER_POINTS = 25
# A range whose stop sits within this fraction of a step from the last point still includes
# stop: 0.1 * 3 is 0.30000000000000004, and a planner typing 0.1:0.3:0.1 means three points.
RANGE_TOLERANCE = 1e-9

Budget = Annotated[Number, Field(gt=0, le=MAX_BUDGET)]

_EXAMPLE_FRONTIER_REQUEST: dict[str, Any] = {
    "name": "Spring skincare launch: budget sweep",
    "request": {k: v for k, v in EXAMPLE_PLAN_REQUEST.items() if k != "budget"},
    "budget_range": {"start": 2000, "stop": 12000, "step": 2000},
}


class FrontierStatus(StrEnum):
    QUEUED = "queued"  # no point has started
    RUNNING = "running"  # some point is queued or running
    DONE = "done"  # every point has its answer
    CANCELLED = "cancelled"  # nothing is pending and some point was cancelled


def _stop_not_below_start(value: float, info: ValidationInfo) -> float:
    start = info.data.get("start")
    if isinstance(start, int | float) and value < start:
        raise PydanticCustomError(
            "stop_below_start",
            "stop ({stop}) must be at least start ({start})",
            {"stop": value, "start": start},
        )
    return value


class BudgetRange(RequestModel):
    """Budgets from ``start`` to ``stop`` every ``step``; ``stop`` is included when it falls on
    a step (up to float rounding)."""

    start: Budget = Field(examples=[10_000])
    stop: Budget = Field(examples=[100_000])
    step: Budget = Field(examples=[10_000])

    _stop_not_below_start = field_validator("stop")(_stop_not_below_start)

    @field_validator("step")
    @classmethod
    def _not_too_many_points(cls, value: float, info: ValidationInfo) -> float:
        return _not_too_many(value, info, "budgets", "{:,.2f}")

    def budgets(self) -> list[float]:
        """The budgets of the range, ascending."""
        return _range_values(self.start, self.stop, self.step)


class RiskAversionRange(RequestModel):
    """Risk aversions from ``start`` to ``stop`` every ``step``, all at the request's budget:
    0 weighs expected engagement alone, 1 the CVaR (the worst alpha share of scenarios) alone.
    ``stop`` is included when it falls on a step."""

    start: Share = Field(default=0.0, examples=[0])
    stop: Share = Field(default=1.0, examples=[1])
    step: Number = Field(default=0.2, gt=0, le=1, examples=[0.2])

    _stop_not_below_start = field_validator("stop")(_stop_not_below_start)

    @field_validator("step")
    @classmethod
    def _not_too_many_points(cls, value: float, info: ValidationInfo) -> float:
        return _not_too_many(value, info, "risk aversions", "{:.4f}")

    def values(self) -> list[float]:
        """The risk aversions of the range, ascending."""
        return _range_values(self.start, self.stop, self.step)


def _not_too_many(step: float, info: ValidationInfo, what: str, step_format: str) -> float:
    """A range's step, refused when the range would hold more than MAX_FRONTIER_POINTS."""
    start, stop = info.data.get("start"), info.data.get("stop")
    if not (isinstance(start, int | float) and isinstance(stop, int | float)):
        return step  # start or stop is invalid and reported on its own
    count = _range_count(start, stop, step)
    if count > MAX_FRONTIER_POINTS:
        smallest_step = (stop - start) / (MAX_FRONTIER_POINTS - 1)
        raise PydanticCustomError(
            "too_many_points",
            "the range gives {count} {what}, at most {limit} are allowed: "
            "use a step of at least {smallest_step}",
            {
                "count": f"{count:,}" if count < 1_000_000 else "over a million",
                "what": what,
                "limit": MAX_FRONTIER_POINTS,
                "smallest_step": step_format.format(smallest_step),
            },
        )
    return step


def _range_values(start: float, stop: float, step: float) -> list[float]:
    count = _range_count(start, stop, step)
    # Rounded well below the step, so 0.1 * 3 reads 0.3 and 10,000 + 2 * 0.1 reads 10,000.2.
    decimals = max(0, -math.floor(math.log10(step))) + 6
    values = [round(start + k * step, decimals) for k in range(count)]
    # A range ending on a step ends exactly on stop, never a rounding error past it.
    if values[-1] >= stop or math.isclose(values[-1], stop, rel_tol=RANGE_TOLERANCE):
        values[-1] = stop
    return values


def _range_count(start: float, stop: float, step: float) -> int:
    steps = (stop - start) / step
    if not math.isfinite(steps):  # a subnormal step over a wide range
        return sys.maxsize
    return math.floor(steps + RANGE_TOLERANCE * max(1.0, steps)) + 1


class FrontierCreate(RequestModel):
    """A plan request to solve at several budgets (give ``budgets`` or ``budget_range``), or
    at its own budget for several risk aversions (give ``risk_aversion_range``)."""

    model_config = with_examples(_EXAMPLE_FRONTIER_REQUEST)

    name: Text | None = None
    request: PlanCreate = Field(
        description=(
            "The plan request solved at every budget point. Its budget is replaced by each "
            "point's budget, so it may be left out here; everything else (candidates or "
            "catalog, constraints, objective, options) is the same at every point."
        )
    )
    # Declared before budgets: fields are validated in order, and the check that exactly one
    # sweep is given runs with budgets.
    risk_aversion_range: RiskAversionRange | None = Field(
        default=None,
        description=(
            "Instead of budgets: solve the request at its own budget for each risk aversion "
            "from start to stop (objective cvar_engagement), giving expected engagement "
            "against CVaR, the plan's efficient frontier. The request's objective must be "
            "engagement or cvar_engagement."
        ),
        examples=[{"start": 0, "stop": 1, "step": 0.2}],
    )
    budget_range: BudgetRange | None = Field(
        default=None,
        description=f"Budgets every step from start to stop, at most {MAX_FRONTIER_POINTS}.",
    )
    budgets: list[Budget] | None = Field(
        default=None,
        min_length=2,
        max_length=MAX_FRONTIER_POINTS,
        validate_default=True,
        description="Distinct budgets, in any order: the points are sorted ascending.",
        examples=[[20_000, 40_000, 80_000]],
    )

    @model_validator(mode="before")
    @classmethod
    def _request_budget_may_be_left_out(cls, data: Any) -> Any:
        """Fill the request's budget, which every point replaces, when the client left it out.

        The smallest budget point is used, so the stored request reads like the first point.
        """
        if not isinstance(data, dict):
            return data
        request = data.get("request")
        if not isinstance(request, dict) or "budget" in request:
            return data
        if data.get("risk_aversion_range") is not None:
            return data  # one budget for every point: the request's own, required
        first = _first_budget(data.get("budgets"), data.get("budget_range"))
        # Without a valid budget point the frontier fails on its budgets alone: any stand-in
        # keeps a misleading "request.budget: field required" out of the errors.
        return {**data, "request": {**request, "budget": 1.0 if first is None else first}}

    @field_validator("budgets")
    @classmethod
    def _budgets_or_range(
        cls, value: list[float] | None, info: ValidationInfo
    ) -> list[float] | None:
        if "risk_aversion_range" not in info.data:
            return value  # an invalid risk sweep is reported on its own
        if info.data["risk_aversion_range"] is not None:
            if value is not None or info.data.get("budget_range") is not None:
                raise PydanticCustomError(
                    "budgets_and_risk_aversions",
                    "give budgets (or budget_range) or risk_aversion_range, not both",
                )
            return value
        one_of_two(
            value,
            info,
            "budget_range",
            missing="give budgets, or budget_range to sweep",
            conflict="budgets_and_range",
        )
        if value is not None and len(set(value)) != len(value):
            repeated = sorted({b for b in value if value.count(b) > 1})
            raise PydanticCustomError(
                "budgets_not_distinct",
                "budgets must be distinct; repeated: {repeated}",
                {"repeated": ", ".join(f"{b:,g}" for b in repeated)},
            )
        return value

    @field_validator("risk_aversion_range")
    @classmethod
    def _risk_sweep_objective(
        cls, value: RiskAversionRange | None, info: ValidationInfo
    ) -> RiskAversionRange | None:
        request = info.data.get("request")
        if value is not None and isinstance(request, PlanCreate):
            kind = request.objective.kind
            if kind not in (ObjectiveKind.ENGAGEMENT, ObjectiveKind.CVAR_ENGAGEMENT):
                raise PydanticCustomError(
                    "risk_sweep_objective",
                    "a risk aversion sweep weighs expected engagement against its CVaR: "
                    "request.objective.kind must be engagement or cvar_engagement, not {kind}",
                    {"kind": kind.value},
                )
        return value

    def budget_points(self) -> list[float]:
        """The budgets to solve, distinct and ascending (one for a risk aversion sweep)."""
        if self.risk_aversion_range is not None:
            return [self.request.budget]
        if self.budgets is not None:
            return sorted(set(self.budgets))
        assert self.budget_range is not None  # the validator requires one of the two
        return self.budget_range.budgets()

    def risk_aversions(self) -> list[float] | None:
        """The risk aversions of a risk sweep, ascending; None for a budget sweep."""
        return None if self.risk_aversion_range is None else self.risk_aversion_range.values()

    def point_requests(self) -> list[PlanCreate]:
        """One plan request per point, in the points' order: a copy with its own budget, or
        with objective cvar_engagement at its own risk aversion."""
        aversions = self.risk_aversions()
        if aversions is not None:
            return [
                self.request.model_copy(
                    update={
                        "objective": ObjectiveIn(
                            kind=ObjectiveKind.CVAR_ENGAGEMENT, risk_aversion=aversion
                        )
                    },
                    deep=True,
                )
                for aversion in aversions
            ]
        return [
            self.request.model_copy(update={"budget": budget}, deep=True)
            for budget in self.budget_points()
        ]


def _first_budget(budgets: Any, budget_range: Any) -> float | None:
    def number(value: Any) -> float | None:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if ok and math.isfinite(value) and 0 < value <= MAX_BUDGET else None

    if isinstance(budgets, list):
        valid = [n for n in map(number, budgets) if n is not None]
        return min(valid) if valid else None
    if isinstance(budget_range, dict):
        return number(budget_range.get("start"))
    return None


# --- answer --------------------------------------------------------------------------------


class FrontierSweep(StrEnum):
    BUDGET = "budget"  # one request at several budgets
    RISK_AVERSION = "risk_aversion"  # one request at its budget, several risk aversions


class FrontierPointOut(BaseModel):
    """One point of the frontier: its plan's figures, null until the plan has an answer with
    totals (queued, running, cancelled, infeasible and failed plans have none)."""

    budget: float
    risk_aversion: float | None = Field(
        description="The point's risk aversion in a risk sweep; null otherwise."
    )
    plan_id: str | None = Field(description="The plan solved at this budget (GET /v1/plans/{id}).")
    status: PlanState = Field(
        description=(
            "The plan's status: optimal, feasible, infeasible or failed once solved; "
            "queued, running or cancelled before that."
        ),
        examples=["optimal"],
    )
    expected_engagement: float | None
    spend: float | None
    influencers: int | None = Field(description="Creators funded.")
    gap: float | None = Field(description="Relative MIP gap; above 0 when the time limit hit.")
    tier_mix: dict[str, float] = Field(
        description="Share of spend per tier (fractions summing to 1); empty without figures.",
        examples=[{"nano": 0.0, "micro": 0.43, "macro": 0.42, "mega": 0.15}],
    )
    platform_mix: dict[str, float] = Field(
        description="Share of spend per platform (fractions summing to 1); empty without figures.",
        examples=[{"instagram": 0.55, "tiktok": 0.3, "youtube": 0.15}],
    )
    engagement_cvar: float | None = Field(
        description=(
            "Mean engagement of the plan's worst alpha share of scenarios (risk.engagement_cvar);"
            " null when the plan has no scenarios."
        ),
    )
    marginal_engagement_per_unit: float | None = Field(
        description=(
            "Engagement gained per extra currency unit of budget (not of spend) since the "
            "previous point with figures; null for the first such point, for points "
            "without figures and in a risk aversion sweep."
        )
    )
    marginal_engagement_per_1000: float | None = Field(
        description="marginal_engagement_per_unit times 1,000: what each extra thousand buys."
    )


class FrontierPublic(BaseModel):
    """A stored frontier and its points, ascending by budget."""

    id: str
    name: str | None
    created_at: datetime
    currency: str
    status: FrontierStatus
    sweep: FrontierSweep = Field(
        description=(
            "budget: the points are budgets, ascending; risk_aversion: the points share one "
            "budget and are risk aversions, ascending."
        ),
    )
    points: list[FrontierPointOut]
    chart_url: str | None = Field(
        description="The frontier as an SVG chart (GET /v1/frontiers/{id}/chart.svg)."
    )
