"""The answer of a solve: plan, figures, solver report and diagnostics (docs/model.md names
its constraints). Figures are never rounded here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from optimizer.constraints import ConstraintKind, ConstraintRef


class PlanStatus(StrEnum):
    OPTIMAL = "optimal"  # proven within mip_gap
    FEASIBLE = "feasible"  # time limit hit: best plan so far, with its gap
    INFEASIBLE = "infeasible"  # no plan meets the constraints; see diagnostics.relaxation
    FAILED = "failed"  # the solver gave no usable answer


class StopReason(StrEnum):
    """What cut a solve short; the answer holds the best found by then."""

    TIME_LIMIT = "time_limit"
    CANCELLED = "cancelled"


class RateSource(StrEnum):
    GIVEN = "given"
    TIER_PRIOR = "tier_prior"


@dataclass(frozen=True, slots=True)
class Allocation:
    id: str
    handle: str
    platform: str
    tier: str
    posts: int
    spend: float
    expected_engagement: float
    share_of_spend: float
    share_of_engagement: float
    engagement_rate_used: float
    engagement_rate_source: RateSource
    cost_per_engagement: float | None
    reach: float


@dataclass(frozen=True, slots=True)
class Totals:
    spend: float
    budget_left: float
    expected_engagement: float
    reach: float
    influencers: int
    cost_per_engagement: float | None
    # whenever the request has overlaps: reach less the audience counted twice, and that audience
    unique_reach: float | None = None
    overlapping_audience: float | None = None


@dataclass(frozen=True, slots=True)
class GroupSummary:
    spend: float
    share: float
    engagement: float
    influencers: int


@dataclass(frozen=True, slots=True)
class EngagementQuantiles:
    """Plan engagement over the scenarios: 5th, 50th and 95th percentile."""

    p05: float
    p50: float
    p95: float


@dataclass(frozen=True, slots=True)
class EngagementHistogram:
    """Plan engagement over the scenarios in equal bins: ``counts[k]`` scenarios fall in
    [edges[k], edges[k + 1]) (the last bin includes its upper edge)."""

    edges: tuple[float, ...]
    counts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ScenarioFigures:
    """The plan's figures on scenarios it was not fitted to (drawn with ``seed``)."""

    seed: int
    scenarios: int
    engagement_cvar: float
    engagement_quantiles: EngagementQuantiles


@dataclass(frozen=True, slots=True)
class Risk:
    max_share: float
    hhi: float
    effective_influencers: float
    # present whenever the request has scenarios
    alpha: float | None = None
    scenarios: int | None = None
    engagement_cvar: float | None = None
    engagement_quantiles: EngagementQuantiles | None = None
    engagement_histogram: EngagementHistogram | None = None
    # generated scenarios only
    out_of_sample: ScenarioFigures | None = None


@dataclass(frozen=True, slots=True)
class SolverReport:
    backend: str
    wall_time_s: float
    objective: float | None
    bound: float | None
    gap: float | None
    # None when the solve ran to its end
    stopped_by: StopReason | None = None


class _Named:
    """The constraint of an entry, by name (as on the wire), kind and subject."""

    __slots__ = ()
    ref: ConstraintRef

    @property
    def constraint(self) -> str:
        return self.ref.id

    @property
    def kind(self) -> ConstraintKind:
        return self.ref.kind

    @property
    def subject(self) -> str | None:
        return self.ref.subject


class RelaxationRole(StrEnum):
    """How a relaxation combines with the others listed."""

    TOGETHER = "together"  # needed with every other "together" entry; alone it is not enough
    ALTERNATIVE = "alternative"  # enough on its own: any one alternative admits a plan


@dataclass(frozen=True, slots=True)
class Relaxation(_Named):
    ref: ConstraintRef
    current: float | None
    required: float | None
    message: str
    # None when not tested (the explanation was cut short)
    role: RelaxationRole | None = None
    # what in the request makes the constraint impossible to meet, when that is evident
    cause: str | None = None


@dataclass(frozen=True, slots=True)
class Binding(_Named):
    """A constraint active at the plan, with what it means in a planner's words."""

    ref: ConstraintRef
    message: str


class LeverStatus(StrEnum):
    SOLVED = "solved"  # re-solved and proven (within optimizer.levers.LEVER_GAP at most)
    SKIPPED = "skipped"  # not finished within its time box (``message`` says why)


@dataclass(frozen=True, slots=True)
class Lever(_Named):
    """What one planner-sized loosening of a constraint would gain: the constraint moved from
    ``current`` to ``loosened`` (the request's units; None where the step is not one number, as
    one more post for every creator), the plan re-solved, its objective and the gain over the
    plan's (positive when better, whichever way the objective goes)."""

    ref: ConstraintRef
    current: float | None
    loosened: float | None
    status: LeverStatus
    objective: float | None
    gain: float | None
    message: str


@dataclass(frozen=True, slots=True)
class ExcludedCandidate:
    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class OverlappingPair:
    """Two creators of the plan whose audiences overlap: ``shared_audience`` is ``share`` of the
    smaller of their two reaches."""

    a: str
    b: str
    share: float
    shared_audience: float


@dataclass(frozen=True, slots=True)
class Diagnostics:
    binding: tuple[Binding, ...] = ()
    relaxation: tuple[Relaxation, ...] = ()
    excluded: tuple[ExcludedCandidate, ...] = ()
    ignored_exclude_ids: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    # the plan's pairs of overlapping creators, largest shared audience first (at most 50)
    overlapping_pairs: tuple[OverlappingPair, ...] = ()
    # what loosening each limiting constraint would gain, best first (added by the caller that
    # re-solves them: optimizer.levers says what to re-solve and reads the answers)
    levers: tuple[Lever, ...] = ()

    @property
    def binding_constraints(self) -> tuple[str, ...]:
        """The binding constraints by name, as the answer has always listed them."""
        return tuple(b.constraint for b in self.binding)


@dataclass(frozen=True, slots=True)
class PlanResult:
    status: PlanStatus
    allocations: tuple[Allocation, ...]
    totals: Totals | None
    by_tier: Mapping[str, GroupSummary] | None
    by_platform: Mapping[str, GroupSummary] | None
    risk: Risk | None
    solver: SolverReport
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
