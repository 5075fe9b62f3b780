"""The frozen description of a planning problem (docs/model.md).

Absent-versus-null is resolved before this layer: here ``None`` always means "no limit".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class Platform(StrEnum):
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    X = "x"
    TWITCH = "twitch"
    FACEBOOK = "facebook"
    LINKEDIN = "linkedin"
    OTHER = "other"


class ObjectiveKind(StrEnum):
    ENGAGEMENT = "engagement"
    REACH = "reach"
    MIN_COST = "min_cost"
    # (1 - risk_aversion) x expected engagement + risk_aversion x CVaR (docs/model.md)
    CVAR_ENGAGEMENT = "cvar_engagement"
    # reach less the audience counted twice over the overlaps (PRODUCT.md section 7)
    UNIQUE_REACH = "unique_reach"


class Backend(StrEnum):
    HIGHS = "highs"
    CBC = "cbc"


@dataclass(frozen=True, slots=True)
class Tier:
    name: str
    min_followers: int


DEFAULT_TIERS: tuple[Tier, ...] = (
    Tier("nano", 0),
    Tier("micro", 10_000),
    Tier("macro", 100_000),
    Tier("mega", 1_000_000),
)
DEFAULT_ENGAGEMENT_PRIORS: Mapping[str, float] = MappingProxyType(
    {"nano": 0.06, "micro": 0.05, "macro": 0.02, "mega": 0.015}
)


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    handle: str
    platform: str
    followers: int
    price_per_post: float
    engagement_rate: float | None = None
    fixed_fee: float = 0.0
    min_posts: int = 1
    max_posts: int = 1
    audience_quality: float = 1.0
    tags: tuple[str, ...] = ()
    # engagement multipliers, one per scenario (section 6 of the contract); None: 1 in every one
    engagement_scenarios: tuple[float, ...] | None = None
    # standard deviation of the rate, for generated scenarios; None: the tier's relative spread
    engagement_rate_sd: float | None = None


@dataclass(frozen=True, slots=True)
class ShareBounds:
    """Bounds on a group's share of plan spend, as fractions in [0, 1]."""

    min: float | None = None
    max: float | None = None


def _frozen_mapping() -> Mapping[str, ShareBounds]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Constraints:
    min_budget_use: float = 0.0
    max_share_per_influencer: float | None = 0.25
    max_spend_per_influencer: float | None = None
    max_engagement_share_per_influencer: float | None = None
    tier_share: Mapping[str, ShareBounds] = field(default_factory=_frozen_mapping)
    platform_share: Mapping[str, ShareBounds] = field(default_factory=_frozen_mapping)
    min_influencers: int = 1
    max_influencers: int | None = None
    must_include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    min_audience_quality: float | None = None
    min_engagement_rate: float | None = None
    min_followers: int | None = None
    max_followers: int | None = None
    # CVaR_alpha of plan engagement >= this
    min_cvar_engagement: float | None = None
    # overlapping audience <= this share of the plan's reach
    max_overlap_share: float | None = None


@dataclass(frozen=True, slots=True)
class Objective:
    kind: ObjectiveKind = ObjectiveKind.ENGAGEMENT
    target_engagement: float | None = None
    # lambda of the cvar_engagement objective: 0 the expectation alone, 1 the tail alone
    risk_aversion: float = 1.0


DEFAULT_TIER_RELATIVE_SD = 0.5


@dataclass(frozen=True, slots=True)
class RiskOptions:
    """How scenarios are generated when no candidate brings its own, and the CVaR's alpha."""

    scenarios: int = 500
    seed: int = 0
    alpha: float = 0.05
    platform_shock_sd: float = 0.15
    # relative sd of the rate per tier (sd / rate), for candidates without engagement_rate_sd;
    # a tier not named takes DEFAULT_TIER_RELATIVE_SD
    tier_relative_sd: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class SolveOptions:
    repeat_post_decay: float = 1.0
    time_limit_s: float = 10.0
    mip_gap: float = 1e-4
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    # Overrides of DEFAULT_ENGAGEMENT_PRIORS, name by name.
    engagement_priors: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    backend: Backend = Backend.HIGHS
    threads: int | None = None
    # None: generated scenarios only when a CVaR row or objective asks for them (with defaults)
    risk: RiskOptions | None = None
    # A plan to start from, posts per candidate id (the plan of a tighter request, when a lever
    # re-solves it loosened); HiGHS starts from it when it meets every constraint.
    start: Mapping[str, int] | None = None


@dataclass(frozen=True, slots=True)
class Overlap:
    """Creators ``a`` and ``b`` share ``share`` of the smaller of their two audiences."""

    a: str
    b: str
    share: float


@dataclass(frozen=True, slots=True)
class PlanProblem:
    budget: float
    candidates: tuple[Candidate, ...]
    constraints: Constraints = field(default_factory=Constraints)
    objective: Objective = field(default_factory=Objective)
    options: SolveOptions = field(default_factory=SolveOptions)
    currency: str = "USD"
    name: str | None = None
    # audience overlaps between candidates (PRODUCT.md section 7)
    overlaps: tuple[Overlap, ...] = ()
