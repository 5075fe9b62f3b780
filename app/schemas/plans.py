"""Wire shapes of plans (PRODUCT.md section 4).

Absent versus null (section 5): an absent field takes its default; an explicit ``null`` on a
limit means "no limit". Request models forbid unknown fields so that a typo is a 422 naming it
rather than a silently ignored constraint.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.schemas.examples import EXAMPLE_PLAN_ANSWER, EXAMPLE_PLAN_REQUEST
from app.schemas.wire import NO_NUL, Integer, Number, one_of_two, with_examples
from models.states import PlanState
from optimizer.constraints import ConstraintKind, ConstraintRef
from optimizer.control import SolveStage
from optimizer.problem import Backend, ObjectiveKind, Platform
from optimizer.result import LeverStatus, PlanStatus, RateSource, RelaxationRole, StopReason
from optimizer.scenarios import MAX_SCENARIOS

MAX_BUDGET = 1e12
MAX_PRICE = 1e9
MAX_FOLLOWERS = 10_000_000_000
MAX_POSTS = 1_000
MAX_TAGS = 32
MAX_TIERS = 32
MAX_ID_LIST = 100_000
# Checked while parsing, before any element is looked at (settings.max_candidates may lower it).
MAX_CANDIDATES = 100_000
MAX_OVERLAPS = 500_000
# a constraint's name holds a candidate id (at most 200 characters) after its kind
MAX_CONSTRAINT_NAME = 256

# Text and numbers as app.schemas.wire has them: no NUL, no booleans or strings as numbers.
CandidateId = Annotated[str, StringConstraints(min_length=1, max_length=128), NO_NUL]
Handle = Annotated[str, StringConstraints(min_length=1, max_length=128), NO_NUL]
Text = Annotated[str, StringConstraints(max_length=256), NO_NUL]
TierName = Annotated[str, StringConstraints(min_length=1, max_length=64), NO_NUL]
Share = Annotated[Number, Field(ge=0, le=1)]
Followers = Annotated[Integer, Field(ge=0, le=MAX_FOLLOWERS)]
# An engagement multiplier of one scenario: 1 is the forecast, 0.5 half of it.
Multiplier = Annotated[Number, Field(gt=0, le=1e6)]
# A standard deviation of the engagement rate, in the rate's unit (0.004 is 0.4 points).
RateSd = Annotated[Number, Field(ge=0, le=1)]
MAX_ENGAGEMENT = 1e15
MAX_HISTOGRAM_BINS = 30


def not_below(low_field: str) -> Callable[[Any, ValidationInfo], Any]:
    """A field validator refusing a value below that of ``low_field`` (validated before it):
    ``max_posts`` under ``min_posts``, a share bound's ``max`` under its ``min``."""

    def check(value: Any, info: ValidationInfo) -> Any:
        low = info.data.get(low_field)
        if value is not None and isinstance(low, int | float) and value < low:
            raise PydanticCustomError(
                "max_below_min",
                f"{info.field_name} ({{value}}) must be at least {low_field} ({{low}})",
                {"value": value, "low": low},
            )
        return value

    return check


max_posts_not_below_min = not_below("min_posts")


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


# --- request -------------------------------------------------------------------------------


class CandidateIn(RequestModel):
    """One creator the plan may fund."""

    id: CandidateId = Field(description="The planner's key, unique within the request.")
    handle: Handle = Field(examples=["@ana.glow"])
    platform: Platform
    followers: Followers
    engagement_rate: Share | None = Field(
        default=None,
        description="Engagements per follower per post; absent or null uses the tier's prior.",
    )
    price_per_post: Number = Field(gt=0, le=MAX_PRICE)
    fixed_fee: Number = Field(
        default=0.0, ge=0, le=MAX_PRICE, description="Paid once if the creator is used at all."
    )
    min_posts: Integer = Field(default=1, ge=1, le=MAX_POSTS)
    max_posts: Integer = Field(default=1, ge=1, le=MAX_POSTS, validate_default=True)
    audience_quality: Share = Field(
        default=1.0, description="Share of the audience that is real and relevant."
    )
    tags: list[Text] = Field(default_factory=list, max_length=MAX_TAGS)
    engagement_scenarios: list[Multiplier] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_SCENARIOS,
        description=(
            "Engagement multipliers, one per scenario (every candidate that has them has as "
            "many); a candidate without them has 1 in every scenario. They win over generated "
            "scenarios."
        ),
        examples=[[1.2, 0.7, 1.0, 0.4]],
    )
    engagement_rate_sd: RateSd | None = Field(
        default=None,
        description=(
            "Standard deviation of the engagement rate (same unit), for generated scenarios; "
            "absent uses the tier's relative spread (options.risk.tier_relative_sd)."
        ),
        examples=[0.02],
    )

    _max_posts_not_below_min = field_validator("max_posts")(max_posts_not_below_min)


class ShareBoundsIn(RequestModel):
    """Bounds on a group's share of plan spend, as fractions; null or absent = no bound."""

    min: Share | None = None
    max: Share | None = None

    _max_not_below_min = field_validator("max")(not_below("min"))


class ConstraintsIn(RequestModel):
    min_budget_use: Share | None = Field(
        default=0.0, description="Spend at least this fraction of the budget; null = 0."
    )
    max_share_per_influencer: Share | None = Field(
        default=0.25, description="Cap on one creator's share of plan spend; null removes it."
    )
    max_spend_per_influencer: Number | None = Field(default=None, ge=0, le=MAX_BUDGET)
    max_engagement_share_per_influencer: Share | None = None
    tier_share: dict[TierName, ShareBoundsIn] | None = Field(
        default=None, max_length=MAX_TIERS, examples=[{"micro": {"min": 0.4}, "mega": {"max": 0.2}}]
    )
    platform_share: dict[Platform, ShareBoundsIn] | None = Field(
        default=None, examples=[{"tiktok": {"min": 0.1, "max": 0.5}}]
    )
    min_influencers: Integer | None = Field(
        default=1, ge=0, description="0 (or null) makes the empty plan feasible."
    )
    max_influencers: Integer | None = Field(default=None, ge=0)
    must_include: list[CandidateId] | None = Field(default=None, max_length=MAX_ID_LIST)
    exclude: list[CandidateId] | None = Field(default=None, max_length=MAX_ID_LIST)
    min_audience_quality: Share | None = None
    min_engagement_rate: Share | None = None
    min_followers: Followers | None = None
    max_followers: Followers | None = None
    min_cvar_engagement: Number | None = Field(
        default=None,
        ge=0,
        le=MAX_ENGAGEMENT,
        description=(
            "The mean engagement of the plan's worst alpha share of scenarios (CVaR) must "
            "reach this; scenarios are generated from options.risk unless candidates bring "
            "their own."
        ),
        examples=[40000],
    )
    max_overlap_share: Share | None = Field(
        default=None,
        description=(
            "The audience the plan's creators share (sum over its overlapping pairs of share x "
            "the smaller reach) may be at most this fraction of its reach; null = no cap."
        ),
        examples=[0.1],
    )


class ObjectiveIn(RequestModel):
    kind: ObjectiveKind = ObjectiveKind.ENGAGEMENT
    target_engagement: Number | None = Field(
        default=None,
        ge=0,
        le=MAX_ENGAGEMENT,
        validate_default=True,
        description="Required by kind min_cost, ignored by the others.",
    )
    risk_aversion: Number = Field(
        default=1.0,
        ge=0,
        le=1,
        description=(
            "Kind cvar_engagement maximizes (1 - risk_aversion) x expected engagement + "
            "risk_aversion x CVaR; 1 (the default) weighs the worst-case tail alone. Ignored "
            "by the other kinds."
        ),
    )

    @field_validator("target_engagement")
    @classmethod
    def _target_for_min_cost(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is None and info.data.get("kind") == ObjectiveKind.MIN_COST:
            raise PydanticCustomError(
                "missing_target", "target_engagement is required when kind is min_cost"
            )
        return value


class TierIn(RequestModel):
    name: TierName
    min_followers: Followers


class RiskIn(RequestModel):
    """How engagement scenarios are generated (when no candidate brings its own)."""

    scenarios: Integer = Field(
        default=500,
        ge=1,
        le=MAX_SCENARIOS,
        description="Scenarios drawn; candidates x scenarios may reach 10,000,000.",
    )
    seed: Integer = Field(default=0, ge=0, le=2**63 - 1, description="Same seed, same scenarios.")
    alpha: Number = Field(
        default=0.05, gt=0, le=1, description="The CVaR's tail: the worst alpha share."
    )
    platform_shock_sd: Number = Field(
        default=0.15,
        ge=0,
        le=5,
        description="Spread of the shock shared by every creator of one platform (lognormal).",
    )
    tier_relative_sd: dict[TierName, Annotated[Number, Field(ge=0, le=100)]] | None = Field(
        default=None,
        max_length=MAX_TIERS,
        description=(
            "Per tier, the rate's standard deviation relative to the rate, for candidates "
            "without engagement_rate_sd; a tier not named takes 0.5."
        ),
        examples=[{"nano": 0.8, "mega": 0.3}],
    )


class OptionsIn(RequestModel):
    repeat_post_decay: Number = Field(
        default=1.0, gt=0, le=1, description="Engagement of the k-th post is scaled by d^(k-1)."
    )
    time_limit_s: Number | None = Field(
        default=10.0,
        gt=0,
        description="Solver time limit; capped by the server's limit (null = that limit).",
    )
    mip_gap: Number = Field(default=1e-4, ge=0, le=1)
    tiers: list[TierIn] | None = Field(
        default=None, min_length=1, max_length=MAX_TIERS, description="null = default tiers."
    )
    engagement_priors: dict[TierName, Share] | None = Field(
        default=None,
        max_length=MAX_TIERS,
        description="Override the default per-tier engagement priors, name by name.",
    )
    risk: RiskIn | None = Field(
        default=None,
        description=(
            "Generate engagement scenarios (also done, with these defaults, when a CVaR "
            "constraint or objective asks for them); the answer then carries the plan's CVaR "
            "and quantiles."
        ),
        examples=[{"scenarios": 500, "seed": 0, "alpha": 0.05, "platform_shock_sd": 0.15}],
    )
    levers: bool = Field(
        default=True,
        description=(
            "Re-solve the plan with each limiting constraint loosened by one step and say what "
            "each gains (diagnostics.levers), within the server's time box for levers and the "
            "request's time limit; false answers sooner without them."
        ),
    )


class OverlapIn(RequestModel):
    """Two candidates whose audiences overlap, as audience-overlap tools report it."""

    model_config = with_examples({"a": "ana-beauty", "b": "sol-micro", "share": 0.23})

    a: CandidateId = Field(description="A candidate id.")
    b: CandidateId = Field(description="Another candidate id (a pair is given once, either order).")
    share: Share = Field(
        description="The share of the smaller of the two audiences that follows both.",
        examples=[0.23],
    )


class CatalogFilters(RequestModel):
    """Which catalog entries to plan with; every given filter must match (an empty object
    selects the whole catalog)."""

    platforms: list[Platform] | None = Field(default=None, max_length=len(Platform))
    tiers: list[TierName] | None = Field(
        default=None,
        max_length=MAX_TIERS,
        description="Tier names of this request (options.tiers, or the default tiers).",
    )
    tags: list[Text] | None = Field(
        default=None,
        max_length=MAX_TAGS,
        description="Entries carrying any of these tags (compared without case).",
    )
    min_followers: Followers | None = None
    max_followers: Followers | None = None


class CandidateOverride(RequestModel):
    """Values of this plan only (a negotiated price, say); the catalog keeps its own.

    Only the fields sent apply; ``engagement_rate: null`` makes the plan use the tier prior.
    """

    engagement_rate: Share | None = None
    engagement_rate_sd: RateSd | None = None
    price_per_post: Number | None = Field(default=None, gt=0, le=MAX_PRICE)
    fixed_fee: Number | None = Field(default=None, ge=0, le=MAX_PRICE)
    min_posts: Integer | None = Field(default=None, ge=1, le=MAX_POSTS)
    max_posts: Integer | None = Field(default=None, ge=1, le=MAX_POSTS)
    audience_quality: Share | None = None


class CatalogSelection(RequestModel):
    """Candidates drawn from the stored catalog: those matching ``filters``, plus ``ids``.

    The candidate id of an entry is its catalog id, so ``must_include``, ``exclude`` and
    ``overrides`` use those ids.
    """

    filters: CatalogFilters | None = None
    ids: list[CandidateId] | None = Field(
        default=None, max_length=MAX_ID_LIST, description="Catalog ids to add to the filtered set."
    )
    overrides: dict[CandidateId, CandidateOverride] = Field(
        default_factory=dict,
        max_length=MAX_ID_LIST,
        description="Per catalog id, values that replace the catalog's for this plan.",
        examples=[{"019ab2c4-5e1f-7a3b-8c2d-4e5f6a7b8c9d": {"price_per_post": 300}}],
    )

    @model_validator(mode="after")
    def _selects_something(self) -> Self:
        if self.filters is None and not self.ids:
            raise PydanticCustomError(
                "catalog_selects_nothing",
                "give filters, ids or both (filters: {} selects the whole catalog)",
            )
        return self


class PlanCreate(RequestModel):
    """A plan request: a budget and the candidate creators, given inline (``candidates``) or
    drawn from the catalog (``catalog``); every other block is optional."""

    model_config = with_examples(EXAMPLE_PLAN_REQUEST)

    name: Text | None = None
    budget: Number = Field(gt=0, le=MAX_BUDGET)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$", description="ISO 4217 code.")
    # Declared before candidates: fields are validated in order, and the check that exactly
    # one of the two is given runs with candidates.
    catalog: CatalogSelection | None = Field(
        default=None,
        description=(
            "Draw the candidates from the catalog instead of sending them. The stored plan "
            "keeps the values it was solved with, so later catalog edits never change it."
        ),
        examples=[
            {
                "filters": {"platforms": ["instagram", "tiktok"], "tiers": ["micro"]},
                "overrides": {"019ab2c4-5e1f-7a3b-8c2d-4e5f6a7b8c9d": {"price_per_post": 300}},
            }
        ],
    )
    candidates: list[CandidateIn] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_CANDIDATES,
        validate_default=True,
        description="At most the server's limit (100,000 by default). Required unless catalog.",
    )
    overlaps: list[OverlapIn] | None = Field(
        default=None,
        max_length=MAX_OVERLAPS,
        description=(
            "Audience overlaps between candidates: with them the answer carries unique reach "
            "(reach less the audience counted twice) and the plan's overlapping pairs. An "
            "unknown id, a pair given twice or with itself, or a creator whose overlapped "
            "audience (sum of share x the smaller reach) exceeds its own reach is refused."
        ),
        examples=[[{"a": "ana-beauty", "b": "sol-micro", "share": 0.23}]],
    )
    constraints: ConstraintsIn = Field(default_factory=ConstraintsIn)
    objective: ObjectiveIn = Field(default_factory=ObjectiveIn)
    options: OptionsIn = Field(default_factory=OptionsIn)

    @field_validator("candidates")
    @classmethod
    def _candidates_or_catalog(
        cls, value: list[CandidateIn] | None, info: ValidationInfo
    ) -> list[CandidateIn] | None:
        one_of_two(
            value,
            info,
            "catalog",
            missing="give candidates, or catalog to draw them from it",
            conflict="candidates_and_catalog",
        )
        return value


# --- answer --------------------------------------------------------------------------------


def _always_sent(schema: dict[str, Any]) -> None:
    """Answers carry every field (null or empty when there is nothing), so the document marks
    them all required: generated clients then have no "unset" case to handle."""
    schema["required"] = list(schema.get("properties", {}))


ALWAYS_SENT = ConfigDict(json_schema_extra=_always_sent)


class AllocationOut(BaseModel):
    id: str
    handle: str
    platform: Platform
    tier: str
    posts: int
    spend: float
    expected_engagement: float
    share_of_spend: float
    share_of_engagement: float
    engagement_rate_used: float
    engagement_rate_source: RateSource
    cost_per_engagement: float | None = Field(description="null when no engagement is expected.")
    reach: float


class TotalsOut(BaseModel):
    spend: float
    budget_left: float
    expected_engagement: float
    reach: float
    influencers: int
    cost_per_engagement: float | None
    unique_reach: float | None = Field(
        default=None,
        description=(
            "Reach less the audience the plan's creators share (pairwise inclusion-exclusion "
            "over the request's overlaps); null without overlaps."
        ),
    )
    overlapping_audience: float | None = Field(
        default=None,
        description="The audience reached twice: sum over the plan's pairs of share x the "
        "smaller reach; null without overlaps.",
    )


class GroupSummaryOut(BaseModel):
    spend: float
    share: float
    engagement: float
    influencers: int


class EngagementQuantilesOut(BaseModel):
    """Plan engagement over the scenarios (numpy.quantile's linear interpolation)."""

    p05: float
    p50: float
    p95: float


class EngagementHistogramOut(BaseModel):
    """Plan engagement over the scenarios in equal bins, for a chart: ``counts[k]`` scenarios
    fall in [edges[k], edges[k + 1]) (the last bin includes its upper edge)."""

    edges: list[float] = Field(max_length=MAX_HISTOGRAM_BINS + 1)
    counts: list[int] = Field(max_length=MAX_HISTOGRAM_BINS)


class OutOfSampleOut(BaseModel):
    """The plan's figures on fresh scenarios it was not fitted to, drawn with ``seed``."""

    seed: int
    scenarios: int
    engagement_cvar: float
    engagement_quantiles: EngagementQuantilesOut


class RiskOut(BaseModel):
    max_share: float
    hhi: float = Field(description="Sum of squared spend shares.")
    effective_influencers: float = Field(description="1 / hhi.")
    alpha: float | None = Field(
        default=None, description="The CVaR's tail share; present whenever scenarios exist."
    )
    scenarios: int | None = Field(default=None, description="How many scenarios were used.")
    engagement_cvar: float | None = Field(
        default=None,
        description="Mean plan engagement over its worst alpha share of scenarios (CVaR).",
        examples=[41250.5],
    )
    engagement_quantiles: EngagementQuantilesOut | None = Field(
        default=None, examples=[{"p05": 45800.2, "p50": 61020.0, "p95": 80110.7}]
    )
    engagement_histogram: EngagementHistogramOut | None = Field(
        default=None,
        description=f"At most {MAX_HISTOGRAM_BINS} bins, whatever the number of scenarios.",
        examples=[{"edges": [40000.0, 50000.0, 60000.0, 70000.0], "counts": [30, 310, 160]}],
    )
    out_of_sample: OutOfSampleOut | None = Field(
        default=None,
        description="Generated scenarios only: the same figures on fresh scenarios (seed + 1).",
    )


class SolverOut(BaseModel):
    model_config = ALWAYS_SENT

    backend: Backend
    wall_time_s: float
    objective: float | None
    bound: float | None
    gap: float | None
    stopped_by: StopReason | None = Field(
        default=None,
        description=(
            "Why the solve stopped before proving its answer: `time_limit`, or `cancelled` "
            "(a job cancelled while running keeps its best plan); null when it ran to the end."
        ),
    )


class _ConstraintOut(BaseModel):
    constraint: str = Field(
        description="The constraint's name, as `binding_constraints` lists it.",
        max_length=MAX_CONSTRAINT_NAME,
    )
    kind: ConstraintKind = Field(description="What the constraint is (docs/model.md).")
    subject: str | None = Field(
        default=None,
        description="The tier, platform or candidate id it is about; null when plan-wide.",
        max_length=MAX_CONSTRAINT_NAME,
    )

    @model_validator(mode="before")
    @classmethod
    def _named(cls, data: Any) -> Any:
        """Answers stored before kind and subject were written get them from the name."""
        if (
            isinstance(data, dict)
            and "kind" not in data
            and isinstance(data.get("constraint"), str)
        ):
            ref = ConstraintRef.parse(data["constraint"])
            return {**data, "kind": ref.kind, "subject": ref.subject}
        return data


class RelaxationOut(_ConstraintOut):
    """A change to the request that admits a plan: on its own (an alternative) or with the
    other changes marked together."""

    model_config = with_examples(
        {
            "constraint": "tier_min:mega",
            "kind": "tier_min",
            "subject": "mega",
            "current": 0.5,
            "required": 0.0,
            "message": "tier mega min 50% must fall to 0%",
            "role": "alternative",
            "cause": "the cheapest mega creator costs 12,000, above the 5,000 budget",
        }
    )

    current: float | None
    required: float | None
    message: str = Field(description="The change in a planner's words.")
    role: RelaxationRole | None = Field(
        default=None,
        description="`alternative`: this change alone admits a plan (any one alternative "
        "will do); `together`: needed with every other `together` change. Null when the "
        "explanation was cut short before it was tested.",
    )
    cause: str | None = Field(
        default=None,
        description="What in the request or roster makes the constraint impossible as asked, "
        "when that is evident; null otherwise.",
    )


class BindingOut(_ConstraintOut):
    """A constraint that holds the plan where it is."""

    model_config = with_examples(
        {
            "constraint": "max_posts:ana-beauty",
            "kind": "max_posts",
            "subject": "ana-beauty",
            "message": "@ana.glow is booked for every post they offer (more would be bought).",
        }
    )

    message: str = Field(description="What it does to the plan, in a planner's words.")


class OverlappingPairOut(BaseModel):
    """Two creators of the plan whose audiences overlap."""

    a: str
    b: str
    share: float = Field(description="Share of the smaller audience that follows both.")
    shared_audience: float = Field(description="share x the smaller of the two reaches.")


class LeverOut(_ConstraintOut):
    """What loosening one constraint by a planner-sized step would gain, re-solved."""

    model_config = with_examples(
        {
            "constraint": "max_share_per_influencer",
            "kind": "max_share_per_influencer",
            "subject": None,
            "current": 0.25,
            "loosened": 0.35,
            "status": "solved",
            "objective": 26415.0,
            "gain": 18489.0,
            "message": "Share cap per creator 25% → 35%: +18,489 engagement (+233.3%)",
        }
    )

    current: float | None = Field(
        description="The constraint's value in the request (its units: a share as a fraction, "
        "money, a count); null when the step is not one number (one more post per creator)."
    )
    loosened: float | None = Field(description="The value it was loosened to, same units.")
    status: LeverStatus = Field(
        description="`solved`: re-solved and proven; `skipped`: not re-solved within the "
        "time box (the message says why)."
    )
    objective: float | None = Field(description="The re-solved plan's objective.")
    gain: float | None = Field(
        description="How much better than the plan's objective (positive, in its units; for "
        "min_cost, how much cheaper); 0 when loosening it would not pay."
    )
    message: str = Field(description="The step and its gain, in a planner's words.")


class ExcludedOut(BaseModel):
    id: str
    reason: str


class DiagnosticsOut(BaseModel):
    model_config = ALWAYS_SENT

    binding_constraints: list[str] = Field(default_factory=list)
    binding: list[BindingOut] = Field(
        default_factory=list,
        description="The binding constraints again, in the same order, each with its kind, "
        "subject and a sentence saying what it does to the plan.",
    )
    relaxation: list[RelaxationOut] = Field(default_factory=list)
    excluded: list[ExcludedOut] = Field(default_factory=list)
    ignored_exclude_ids: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    overlapping_pairs: list[OverlappingPairOut] = Field(
        default_factory=list,
        description="With overlaps: the plan's pairs of creators sharing audience, the largest "
        "shared audience first (at most 50).",
    )
    levers: list[LeverOut] = Field(
        default_factory=list,
        description="Each constraint that limits the plan (tight at it or keeping creators "
        "out), loosened by one step and re-solved, best gain first; empty without a plan or "
        "with options.levers false.",
    )

    @model_validator(mode="before")
    @classmethod
    def _binding(cls, data: Any) -> Any:
        """Answers stored before ``binding`` was written: each name stands as its own words."""
        if isinstance(data, dict) and "binding" not in data:
            names = data.get("binding_constraints") or []
            return {**data, "binding": [{"constraint": n, "message": n} for n in names]}
        return data


class PlanAnswer(BaseModel):
    """What a solve produced; figures are not rounded."""

    status: PlanStatus
    allocations: list[AllocationOut]
    totals: TotalsOut | None
    by_tier: dict[str, GroupSummaryOut] | None
    by_platform: dict[str, GroupSummaryOut] | None
    risk: RiskOut | None
    solver: SolverOut
    diagnostics: DiagnosticsOut


class PlanHeader(BaseModel):
    id: str
    name: str | None
    created_at: datetime
    currency: str
    budget: float


class JobProgressOut(BaseModel):
    """How far a running solve has got; figures in the units of ``solver``."""

    elapsed_s: float = Field(description="Seconds since the solve started.")
    stage: SolveStage = Field(description="The solver's current step.")
    objective: float | None = Field(description="Objective of the best plan found so far.")
    bound: float | None = Field(description="Best proven bound on the objective so far.")
    gap: float | None = Field(description="Relative gap between the two; null without both.")


class JobOut(BaseModel):
    model_config = ALWAYS_SENT

    """The background job of a plan posted with ``Prefer: respond-async``."""

    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    cancel_requested: bool = Field(description="A cancel was asked for.")
    attempts: int = Field(
        description="Workers that started it: more than 1 when a worker died mid-solve."
    )
    progress: JobProgressOut | None = Field(description="Last progress saved while running.")


def _public_schema(schema: dict[str, Any]) -> None:
    _always_sent(schema)
    schema["examples"] = [EXAMPLE_PLAN_ANSWER]


class PlanPublic(PlanHeader):
    """A stored plan. ``request`` is filled only by ``GET /v1/plans/{id}?include=request``.

    A plan still ``queued`` or ``running`` has no allocations yet and a null ``solver``;
    ``job`` tracks it (null for plans solved within their request).
    """

    model_config = ConfigDict(json_schema_extra=_public_schema)

    status: PlanState
    allocations: list[AllocationOut]
    totals: TotalsOut | None
    by_tier: dict[str, GroupSummaryOut] | None
    by_platform: dict[str, GroupSummaryOut] | None
    risk: RiskOut | None
    solver: SolverOut | None = Field(description="null until the plan is solved.")
    diagnostics: DiagnosticsOut
    job: JobOut | None = Field(default=None, description="null for a plan solved in its request.")
    request: PlanCreate | None = Field(
        default=None,
        description=(
            "The request, with defaults filled in (re-posting it gives the same problem); "
            "only with ?include=request, null otherwise."
        ),
    )


class PlanSummary(BaseModel):
    """One row of a plan listing."""

    id: str
    name: str | None
    created_at: datetime
    status: PlanState
    currency: str
    budget: float
    objective_kind: ObjectiveKind
    spend: float | None = Field(description="null for plans without allocations' totals.")
    expected_engagement: float | None
    influencers: int | None


class PlanPage(BaseModel):
    items: list[PlanSummary]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next (older) page; null on the last page."
    )
