"""Engagement scenarios and the figures of a plan over them (section 6 of the contract).

In scenario s, creator i's engagement is m_is E_i. The multipliers are the candidates' own
(``engagement_scenarios``) when any candidate has them, else drawn: a per-creator lognormal
spread times a shared per-platform shock, both of mean 1, from a generator seeded by
``options.risk.seed``. Draws are made for every candidate of the request in its order (and every
platform in ``Platform`` order), so excluding a creator changes nobody else's scenarios.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from optimizer.problem import (
    DEFAULT_TIER_RELATIVE_SD,
    Candidate,
    ObjectiveKind,
    PlanProblem,
    Platform,
    RiskOptions,
)

FloatArray = NDArray[np.float64]

DEFAULT_RISK = RiskOptions()
_PLATFORM_ROW = {p.value: k for k, p in enumerate(Platform)}
QUANTILES = (0.05, 0.5, 0.95)
# Bins of the engagement histogram of an answer (at most 30, whatever the scenarios).
HISTOGRAM_BINS = 24
# Scenarios per request, and multipliers in all (candidates x scenarios, 80 MB at the most):
# HiGHS's model holds tail cuts, not these, but each cut is sorted out of all of them, and the
# PuLP model (CBC) and the model that explains an infeasible request hold them all.
MAX_SCENARIOS = 2_000
MAX_SCENARIO_ENTRIES = 10_000_000


@dataclass(frozen=True, slots=True)
class Scenarios:
    """Multipliers per eligible candidate (rows) and scenario (columns)."""

    multipliers: FloatArray
    alpha: float
    generated: bool
    seed: int | None  # of generated scenarios

    @property
    def count(self) -> int:
        return int(self.multipliers.shape[1])


def risk_options(problem: PlanProblem) -> RiskOptions:
    return problem.options.risk or DEFAULT_RISK


def asks_for_cvar(problem: PlanProblem) -> bool:
    """Whether the model has CVaR rows: a CVaR floor or the CVaR objective."""
    return (
        problem.constraints.min_cvar_engagement is not None
        or problem.objective.kind is ObjectiveKind.CVAR_ENGAGEMENT
    )


def has_explicit(problem: PlanProblem) -> bool:
    return any(c.engagement_scenarios is not None for c in problem.candidates)


def wants_scenarios(problem: PlanProblem) -> bool:
    return has_explicit(problem) or problem.options.risk is not None or asks_for_cvar(problem)


def scenario_count(problem: PlanProblem) -> int:
    for c in problem.candidates:
        if c.engagement_scenarios is not None:
            return len(c.engagement_scenarios)
    return risk_options(problem).scenarios


def _spread(c: Candidate, rate: float, tier: str, risk: RiskOptions) -> float:
    """sigma_i = sqrt(ln(1 + (sd_i / e_i)^2)); a creator with no engagement needs none."""
    if c.engagement_rate_sd is not None:
        if rate <= 0:
            return 0.0
        relative = c.engagement_rate_sd / rate
    else:
        relative = risk.tier_relative_sd.get(tier, DEFAULT_TIER_RELATIVE_SD)
    return math.sqrt(math.log1p(relative * relative))


def generated_multipliers(
    candidates: tuple[Candidate, ...],
    rates: list[float],
    tiers: list[str],
    risk: RiskOptions,
    seed: int,
) -> FloatArray:
    """m_is = exp(sigma_i z_is - sigma_i^2 / 2) exp(tau w_ps - tau^2 / 2) for every candidate."""
    count = risk.scenarios
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((len(_PLATFORM_ROW), count))
    z = rng.standard_normal((len(candidates), count))
    sigma = np.fromiter(
        (_spread(c, r, t, risk) for c, r, t in zip(candidates, rates, tiers, strict=True)),
        dtype=np.float64,
        count=len(candidates),
    )[:, None]
    tau = risk.platform_shock_sd
    rows = np.fromiter((_PLATFORM_ROW[c.platform] for c in candidates), dtype=np.int64)
    shock = np.exp(tau * w[rows] - tau * tau / 2.0)
    out: FloatArray = np.exp(sigma * z - sigma * sigma / 2.0) * shock
    return out


def explicit_multipliers(candidates: tuple[Candidate, ...], count: int) -> FloatArray:
    out = np.ones((len(candidates), count))
    for i, c in enumerate(candidates):
        if c.engagement_scenarios is not None:
            out[i] = c.engagement_scenarios
    return out


def scenario_engagement(multipliers: FloatArray, engagement: FloatArray) -> FloatArray:
    """Plan engagement in each scenario: sum_i m_is E_i."""
    out: FloatArray = engagement @ multipliers
    return out


def cvar(values: FloatArray, alpha: float) -> float:
    """The Rockafellar-Uryasev value max_t t - sum_s max(0, t - x_s) / (alpha S): the mean of
    the worst alpha share of scenarios, exact also when alpha S is not whole. The maximum is
    reached at one of the x_s, so each is tried (with sorted values, in one pass)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    count = len(x)
    if count == 0:
        return 0.0
    below = np.arange(1, count + 1) * x - np.cumsum(x)  # sum_s max(0, x_k - x_s)
    return float(np.max(x - below / (alpha * count)))


def value_at_risk(values: FloatArray, alpha: float) -> float:
    """The t at which the Rockafellar-Uryasev maximum is reached (a start for the solver)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    if len(x) == 0:
        return 0.0
    k = max(math.ceil(alpha * len(x) - 1e-12), 1)
    return float(x[k - 1])


def quantiles(values: FloatArray) -> tuple[float, float, float]:
    """p05, p50, p95 with numpy.quantile's default (linear) interpolation."""
    q = np.quantile(np.asarray(values, dtype=np.float64), QUANTILES)
    return float(q[0]), float(q[1]), float(q[2])


def histogram(values: FloatArray) -> tuple[tuple[float, ...], tuple[int, ...]]:
    """Bin edges and counts of the plan's engagement over the scenarios: equal bins from the
    lowest to the highest value, HISTOGRAM_BINS of them (fewer with fewer scenarios), so the
    answer stays small whatever the number of scenarios."""
    x = np.asarray(values, dtype=np.float64)
    counts, edges = np.histogram(x, bins=max(1, min(HISTOGRAM_BINS, len(x))))
    return tuple(float(e) for e in edges), tuple(int(c) for c in counts)
