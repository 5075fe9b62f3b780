"""Validation, tiers, engagement rates and quality gates: everything decided before a model exists.

The result, ``Prepared``, is what the model builder and the explainer read; it is the one place
that knows a candidate's tier, the rate used for it and whether a gate removed it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from optimizer.errors import FieldError, ProblemValidationError
from optimizer.overlap import Pairs, eligible_pairs, validate_overlaps, wants_overlap
from optimizer.problem import (
    DEFAULT_ENGAGEMENT_PRIORS,
    Candidate,
    ObjectiveKind,
    PlanProblem,
    Platform,
    ShareBounds,
    Tier,
)
from optimizer.result import ExcludedCandidate, RateSource
from optimizer.scenarios import (
    MAX_SCENARIO_ENTRIES,
    MAX_SCENARIOS,
    FloatArray,
    Scenarios,
    explicit_multipliers,
    generated_multipliers,
    has_explicit,
    risk_options,
    scenario_count,
    wants_scenarios,
)

_PLATFORMS = frozenset(p.value for p in Platform)


@dataclass(frozen=True, slots=True)
class Eligible:
    """A candidate that survived exclude and the gates, with everything the model needs."""

    candidate: Candidate
    tier: str
    rate: float
    rate_source: RateSource
    first_post_engagement: float  # f * e * q
    reach: float  # f * q

    def engagement(self, posts: int, decay: float) -> float:
        """Expected engagement of ``posts`` posts: v * (1 + d + ... + d^(posts-1))."""
        if posts <= 0:
            return 0.0
        if decay == 1.0:
            return self.first_post_engagement * posts
        return self.first_post_engagement * (1.0 - decay**posts) / (1.0 - decay)

    def spend(self, posts: int) -> float:
        if posts <= 0:
            return 0.0
        return self.candidate.price_per_post * posts + self.candidate.fixed_fee


@dataclass(frozen=True, slots=True)
class Prepared:
    problem: PlanProblem
    tiers: tuple[Tier, ...]  # sorted by min_followers
    eligible: tuple[Eligible, ...]
    excluded: tuple[ExcludedCandidate, ...]
    ignored_exclude_ids: tuple[str, ...]
    # must_include ids that exclude or a gate removed: the plan is infeasible as asked.
    unavailable_must_include: tuple[ExcludedCandidate, ...]
    # engagement multipliers of the eligible candidates, when the request has scenarios
    scenarios: Scenarios | None = None
    # the overlaps among eligible candidates, when the request has overlaps
    pairs: Pairs | None = None

    @property
    def decay(self) -> float:
        return self.problem.options.repeat_post_decay


def tier_of(followers: int, tiers: tuple[Tier, ...]) -> str:
    """The highest tier whose lower bound (inclusive) the follower count reaches."""
    name = tiers[0].name
    for tier in tiers:
        if followers >= tier.min_followers:
            name = tier.name
    return name


def effective_priors(problem: PlanProblem) -> dict[str, float]:
    return {**DEFAULT_ENGAGEMENT_PRIORS, **problem.options.engagement_priors}


def _in_unit(value: float) -> bool:
    return math.isfinite(value) and 0.0 <= value <= 1.0


def _check_shares(
    errors: list[FieldError], path: str, shares: Mapping[str, ShareBounds], known: set[str]
) -> None:
    total_min = 0.0
    for key, bounds in shares.items():
        here = f"{path}.{key}"
        if key not in known:
            errors.append(FieldError(here, f"unknown name {key!r}; known: {sorted(known)}"))
        for attr in ("min", "max"):
            value = getattr(bounds, attr)
            if value is not None and not _in_unit(value):
                errors.append(FieldError(f"{here}.{attr}", "must be a fraction in [0, 1]"))
        if bounds.min is not None and bounds.max is not None and bounds.min > bounds.max:
            errors.append(FieldError(f"{here}.min", f"min {bounds.min} is above max {bounds.max}"))
        total_min += bounds.min or 0.0
    if total_min > 1.0 + 1e-12:
        errors.append(FieldError(path, f"minimum shares sum to {total_min:g}, above 1"))


def _validate_options(problem: PlanProblem, errors: list[FieldError]) -> None:
    opts = problem.options
    if not (0.0 < opts.repeat_post_decay <= 1.0):
        errors.append(FieldError("options.repeat_post_decay", "must be in (0, 1]"))
    if not (opts.time_limit_s > 0 and math.isfinite(opts.time_limit_s)):
        errors.append(FieldError("options.time_limit_s", "must be a positive number of seconds"))
    if not (0.0 <= opts.mip_gap <= 1.0):
        errors.append(FieldError("options.mip_gap", "must be in [0, 1]"))
    if not opts.tiers:
        errors.append(FieldError("options.tiers", "at least one tier is required"))
    names = [t.name for t in opts.tiers]
    if len(set(names)) != len(names):
        errors.append(FieldError("options.tiers", "tier names must be unique"))
    bounds = [t.min_followers for t in opts.tiers]
    if len(set(bounds)) != len(bounds):
        errors.append(FieldError("options.tiers", "tier lower bounds must be distinct"))
    for i, tier in enumerate(opts.tiers):
        if tier.min_followers < 0:
            errors.append(FieldError(f"options.tiers.{i}.min_followers", "must be >= 0"))
    tier_names = set(names)
    for name, prior in opts.engagement_priors.items():
        if not _in_unit(prior):
            errors.append(FieldError(f"options.engagement_priors.{name}", "must be in [0, 1]"))
        if name not in tier_names:
            # A misspelt tier would otherwise leave the intended tier on its default prior.
            errors.append(
                FieldError(
                    f"options.engagement_priors.{name}",
                    f"unknown tier {name!r}; known: {sorted(tier_names)}",
                )
            )


def _validate_constraints(problem: PlanProblem, tiers: set[str], errors: list[FieldError]) -> None:
    con = problem.constraints
    for attr in (
        "min_budget_use",
        "max_share_per_influencer",
        "max_engagement_share_per_influencer",
        "min_audience_quality",
        "min_engagement_rate",
        "max_overlap_share",
    ):
        value = getattr(con, attr)
        if value is not None and not _in_unit(value):
            errors.append(FieldError(f"constraints.{attr}", "must be a fraction in [0, 1]"))
    if con.max_spend_per_influencer is not None and not con.max_spend_per_influencer >= 0:
        errors.append(FieldError("constraints.max_spend_per_influencer", "must be >= 0"))
    if con.min_influencers < 0:
        errors.append(FieldError("constraints.min_influencers", "must be >= 0"))
    if con.max_influencers is not None:
        if con.max_influencers < 0:
            errors.append(FieldError("constraints.max_influencers", "must be >= 0"))
        elif con.max_influencers < con.min_influencers:
            errors.append(
                FieldError(
                    "constraints.max_influencers",
                    f"max_influencers {con.max_influencers} is below "
                    f"min_influencers {con.min_influencers}",
                )
            )
    if (
        con.min_followers is not None
        and con.max_followers is not None
        and con.min_followers > con.max_followers
    ):
        errors.append(FieldError("constraints.min_followers", "min_followers is above max"))
    _check_shares(errors, "constraints.tier_share", con.tier_share, tiers)
    _check_shares(errors, "constraints.platform_share", con.platform_share, set(_PLATFORMS))
    ids = {c.id for c in problem.candidates}
    for k, cid in enumerate(con.must_include):
        if cid not in ids:
            errors.append(FieldError(f"constraints.must_include.{k}", f"unknown candidate {cid!r}"))


def _validate_candidates(
    problem: PlanProblem,
    tiers: tuple[Tier, ...],
    priors: Mapping[str, float],
    errors: list[FieldError],
) -> None:
    seen: set[str] = set()
    lowest = tiers[0].min_followers if tiers else 0
    for i, c in enumerate(problem.candidates):
        path = f"candidates.{i}"
        if not c.id:
            errors.append(FieldError(f"{path}.id", "must not be empty"))
        if c.id in seen:
            errors.append(FieldError(f"{path}.id", f"duplicate id {c.id!r}"))
        seen.add(c.id)
        if c.platform not in _PLATFORMS:
            errors.append(FieldError(f"{path}.platform", f"unknown platform {c.platform!r}"))
        if c.followers < 0:
            errors.append(FieldError(f"{path}.followers", "must be >= 0"))
        elif c.followers < lowest:
            errors.append(FieldError(f"{path}.followers", f"below the lowest tier bound {lowest}"))
        if not (c.price_per_post > 0 and math.isfinite(c.price_per_post)):
            errors.append(FieldError(f"{path}.price_per_post", "must be > 0"))
        if not (c.fixed_fee >= 0 and math.isfinite(c.fixed_fee)):
            errors.append(FieldError(f"{path}.fixed_fee", "must be >= 0"))
        if c.min_posts < 1:
            errors.append(FieldError(f"{path}.min_posts", "must be >= 1"))
        if c.max_posts < c.min_posts:
            errors.append(
                FieldError(f"{path}.max_posts", f"max_posts {c.max_posts} is below min_posts")
            )
        if not _in_unit(c.audience_quality):
            errors.append(FieldError(f"{path}.audience_quality", "must be in [0, 1]"))
        if c.engagement_rate is not None and not _in_unit(c.engagement_rate):
            errors.append(FieldError(f"{path}.engagement_rate", "must be in [0, 1]"))
        if c.engagement_rate is None and tiers and c.followers >= lowest:
            tier = tier_of(c.followers, tiers)
            if tier not in priors:
                errors.append(
                    FieldError(
                        f"{path}.engagement_rate",
                        f"required: tier {tier!r} has no engagement prior",
                    )
                )


def _finite_at_least(value: float, low: float) -> bool:
    return math.isfinite(value) and value >= low


def _validate_scenarios(problem: PlanProblem, tiers: set[str], errors: list[FieldError]) -> None:
    """The explicit scenarios, the risk options, the CVaR floor and lambda."""
    count: int | None = None
    for i, c in enumerate(problem.candidates):
        path = f"candidates.{i}"
        if c.engagement_rate_sd is not None and not _finite_at_least(c.engagement_rate_sd, 0):
            errors.append(FieldError(f"{path}.engagement_rate_sd", "must be >= 0"))
        values = c.engagement_scenarios
        if values is None:
            continue
        here = f"{path}.engagement_scenarios"
        if not 1 <= len(values) <= MAX_SCENARIOS:
            errors.append(FieldError(here, f"must hold 1 to {MAX_SCENARIOS} multipliers"))
        elif count is not None and len(values) != count:
            errors.append(
                FieldError(here, f"holds {len(values)} scenarios; other candidates hold {count}")
            )
        count = len(values) if count is None else count
        if not all(math.isfinite(v) and v > 0 for v in values):
            errors.append(FieldError(here, "every multiplier must be a finite number > 0"))
    risk = problem.options.risk
    if risk is not None:
        if not 1 <= risk.scenarios <= MAX_SCENARIOS:
            errors.append(FieldError("options.risk.scenarios", f"must be 1 to {MAX_SCENARIOS}"))
        if risk.seed < 0:
            errors.append(FieldError("options.risk.seed", "must be >= 0"))
        if not (math.isfinite(risk.alpha) and 0 < risk.alpha <= 1):
            errors.append(FieldError("options.risk.alpha", "must be in (0, 1]"))
        if not _finite_at_least(risk.platform_shock_sd, 0):
            errors.append(FieldError("options.risk.platform_shock_sd", "must be >= 0"))
        for name, sd in risk.tier_relative_sd.items():
            here = f"options.risk.tier_relative_sd.{name}"
            if name not in tiers:
                errors.append(FieldError(here, f"unknown tier {name!r}; known: {sorted(tiers)}"))
            if not _finite_at_least(sd, 0):
                errors.append(FieldError(here, "must be >= 0"))
    floor = problem.constraints.min_cvar_engagement
    if floor is not None and not _finite_at_least(floor, 0):
        errors.append(FieldError("constraints.min_cvar_engagement", "must be >= 0"))
    aversion = problem.objective.risk_aversion
    if not (math.isfinite(aversion) and 0 <= aversion <= 1):
        errors.append(FieldError("objective.risk_aversion", "must be in [0, 1]"))
    if wants_scenarios(problem):
        entries = len(problem.candidates) * scenario_count(problem)
        if entries > MAX_SCENARIO_ENTRIES:
            where = "candidates" if has_explicit(problem) else "options.risk.scenarios"
            errors.append(
                FieldError(
                    where,
                    f"candidates x scenarios is {entries:,}, above {MAX_SCENARIO_ENTRIES:,}: "
                    "ask for fewer scenarios or fewer candidates",
                )
            )


def validate(problem: PlanProblem) -> tuple[Tier, ...]:
    """Raise ProblemValidationError listing every bad field; return the tiers sorted."""
    errors: list[FieldError] = []
    if not (problem.budget > 0 and math.isfinite(problem.budget)):
        errors.append(FieldError("budget", "must be a positive number"))
    _validate_options(problem, errors)
    tiers = tuple(sorted(problem.options.tiers, key=lambda t: t.min_followers))
    priors = effective_priors(problem)
    _validate_constraints(problem, {t.name for t in tiers}, errors)
    _validate_candidates(problem, tiers, priors, errors)
    _validate_scenarios(problem, {t.name for t in tiers}, errors)
    validate_overlaps(problem, errors)
    objective = problem.objective
    if objective.kind is ObjectiveKind.MIN_COST:
        target = objective.target_engagement
        if target is None:
            errors.append(
                FieldError("objective.target_engagement", "required for the min_cost objective")
            )
        elif not (target >= 0 and math.isfinite(target)):
            errors.append(FieldError("objective.target_engagement", "must be >= 0"))
    if errors:
        raise ProblemValidationError(errors)
    return tiers


def _gate_reasons(c: Candidate, rate: float, problem: PlanProblem) -> list[str]:
    con = problem.constraints
    reasons = []
    if con.min_audience_quality is not None and c.audience_quality < con.min_audience_quality:
        reasons.append(
            f"audience_quality {c.audience_quality:g} below "
            f"min_audience_quality {con.min_audience_quality:g}"
        )
    if con.min_engagement_rate is not None and rate < con.min_engagement_rate:
        reasons.append(
            f"engagement rate {rate:g} below min_engagement_rate {con.min_engagement_rate:g}"
        )
    if con.min_followers is not None and c.followers < con.min_followers:
        reasons.append(f"followers {c.followers} below min_followers {con.min_followers}")
    if con.max_followers is not None and c.followers > con.max_followers:
        reasons.append(f"followers {c.followers} above max_followers {con.max_followers}")
    return reasons


def prepare(problem: PlanProblem) -> Prepared:
    """Validate, then sort candidates into eligible ones and ones removed with a reason."""
    tiers = validate(problem)
    priors = effective_priors(problem)
    exclude = set(problem.constraints.exclude)
    must = set(problem.constraints.must_include)
    ids = {c.id for c in problem.candidates}
    eligible: list[Eligible] = []
    excluded: list[ExcludedCandidate] = []
    rates: list[float] = []
    tier_names: list[str] = []
    rows: list[int] = []
    for row, c in enumerate(problem.candidates):
        tier = tier_of(c.followers, tiers)
        if c.engagement_rate is not None:
            rate, source = c.engagement_rate, RateSource.GIVEN
        else:
            rate, source = priors[tier], RateSource.TIER_PRIOR
        rates.append(rate)
        tier_names.append(tier)
        if c.id in exclude:
            excluded.append(ExcludedCandidate(c.id, "listed in exclude"))
            continue
        reasons = _gate_reasons(c, rate, problem)
        if reasons:
            excluded.append(ExcludedCandidate(c.id, "; ".join(reasons)))
            continue
        rows.append(row)
        eligible.append(
            Eligible(
                candidate=c,
                tier=tier,
                rate=rate,
                rate_source=source,
                first_post_engagement=c.followers * rate * c.audience_quality,
                reach=c.followers * c.audience_quality,
            )
        )
    return Prepared(
        problem=problem,
        tiers=tiers,
        eligible=tuple(eligible),
        excluded=tuple(excluded),
        ignored_exclude_ids=tuple(sorted(exclude - ids)),
        unavailable_must_include=tuple(e for e in excluded if e.id in must),
        scenarios=_scenarios(problem, rates, tier_names, rows),
        pairs=(
            eligible_pairs(problem, [e.candidate.id for e in eligible])
            if wants_overlap(problem)
            else None
        ),
    )


def _scenarios(
    problem: PlanProblem, rates: list[float], tiers: list[str], rows: list[int]
) -> Scenarios | None:
    """The eligible candidates' multipliers (explicit ones win over generated ones)."""
    if not wants_scenarios(problem):
        return None
    risk = risk_options(problem)
    if has_explicit(problem):
        full = explicit_multipliers(problem.candidates, scenario_count(problem))
        return Scenarios(full[rows], risk.alpha, generated=False, seed=None)
    full = generated_multipliers(problem.candidates, rates, tiers, risk, risk.seed)
    return Scenarios(full[rows], risk.alpha, generated=True, seed=risk.seed)


def fresh_multipliers(prepared: Prepared) -> FloatArray | None:
    """The eligible candidates' multipliers on fresh scenarios (seed + 1), for generated
    scenarios only: how the plan does on scenarios it was not fitted to."""
    scenarios = prepared.scenarios
    if scenarios is None or not scenarios.generated or scenarios.seed is None:
        return None
    problem = prepared.problem
    index = {c.id: row for row, c in enumerate(problem.candidates)}
    rows = [index[e.candidate.id] for e in prepared.eligible]
    rates = []
    tiers = []
    priors = effective_priors(problem)
    for c in problem.candidates:
        tier = tier_of(c.followers, prepared.tiers)
        tiers.append(tier)
        rates.append(c.engagement_rate if c.engagement_rate is not None else priors[tier])
    risk = risk_options(problem)
    full = generated_multipliers(problem.candidates, rates, tiers, risk, scenarios.seed + 1)
    out: FloatArray = full[rows]
    return out


def fewest_creators(problem: PlanProblem) -> int:
    """The fewest creators any allowed plan uses: min_influencers, raised to 1/cap when a
    non-empty plan is required (no creator may take more than ``cap`` of the spend). Stating it
    as a row lets the solver see at once what the share rows only imply."""
    con = problem.constraints
    fewest = con.min_influencers
    cap = con.max_share_per_influencer
    if fewest >= 1 and cap is not None and 0 < cap < 1:
        fewest = max(fewest, math.ceil(1.0 / cap - 1e-9))
    return fewest
