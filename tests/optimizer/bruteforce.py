"""Exhaustive reference planner for small problems, written from the model of docs/model.md alone.

It shares nothing with the optimizer but the problem and result types, so the two can only
agree by both being right. ``solve`` enumerates every posts vector; ``violations`` and
``figure_mismatches`` re-check a plan the optimizer returned.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pytest
from numpy.typing import NDArray

from optimizer import optimize
from optimizer.problem import (
    DEFAULT_ENGAGEMENT_PRIORS,
    DEFAULT_TIERS,
    Backend,
    Candidate,
    Constraints,
    Objective,
    ObjectiveKind,
    Overlap,
    PlanProblem,
    RiskOptions,
    ShareBounds,
    SolveOptions,
    Tier,
)
from optimizer.result import PlanResult, PlanStatus, RateSource

# Enumeration accepts a plan up to this relative slack, so exact ties on a bound stay feasible.
SEARCH_TOL = 1e-9
# A returned plan may exceed a bound by this much (solver feasibility tolerances, float sums).
CHECK_TOL = 1e-7
# Reported figures must match a recomputation from posts this closely (PRODUCT section 5).
FIGURE_TOL = 1e-9
MAX_PLANS = 500_000

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class BruteForceResult:
    status: PlanStatus  # OPTIMAL or INFEASIBLE
    objective: float | None
    posts: Mapping[str, int]  # used creators only


# --- the model, one fact per function ------------------------------------------------------


def tier_of(problem: PlanProblem, followers: int) -> str:
    """Highest tier whose lower bound (inclusive) is at or below ``followers``."""
    name: str | None = None
    for tier in sorted(problem.options.tiers, key=lambda t: t.min_followers):
        if tier.min_followers <= followers:
            name = tier.name
    if name is None:
        raise ValueError(f"{followers} followers is below every tier")
    return name


def priors(problem: PlanProblem) -> dict[str, float]:
    merged = dict(DEFAULT_ENGAGEMENT_PRIORS)
    merged.update(problem.options.engagement_priors)
    return merged


def rate_used(problem: PlanProblem, candidate: Candidate) -> tuple[float, RateSource]:
    if candidate.engagement_rate is not None:
        return candidate.engagement_rate, RateSource.GIVEN
    return priors(problem)[tier_of(problem, candidate.followers)], RateSource.TIER_PRIOR


def group_labels(problem: PlanProblem, kind: str) -> dict[str, str]:
    """Candidate id -> its tier name (``kind="tier"``) or platform."""
    if kind == "tier":
        return {c.id: tier_of(problem, c.followers) for c in problem.candidates}
    return {c.id: str(c.platform) for c in problem.candidates}


def removal_reason(problem: PlanProblem, candidate: Candidate) -> str | None:
    """Why ``exclude`` or a quality gate removes the candidate; a value on the threshold passes."""
    cons = problem.constraints
    if candidate.id in cons.exclude:
        return "exclude"
    if cons.min_audience_quality is not None and (
        candidate.audience_quality < cons.min_audience_quality
    ):
        return "min_audience_quality"
    if cons.min_engagement_rate is not None and (
        rate_used(problem, candidate)[0] < cons.min_engagement_rate
    ):
        return "min_engagement_rate"
    if cons.min_followers is not None and candidate.followers < cons.min_followers:
        return "min_followers"
    if cons.max_followers is not None and candidate.followers > cons.max_followers:
        return "max_followers"
    return None


def eligible(problem: PlanProblem) -> list[Candidate]:
    return [c for c in problem.candidates if removal_reason(problem, c) is None]


def spend(candidate: Candidate, posts: int) -> float:
    if posts == 0:
        return 0.0
    return candidate.price_per_post * posts + candidate.fixed_fee


def engagement(problem: PlanProblem, candidate: Candidate, posts: int) -> float:
    """f·e·q·Σ_{k<n} d^k: the k-th post is worth d^(k-1) of the first."""
    per_post = candidate.followers * rate_used(problem, candidate)[0] * candidate.audience_quality
    decay = problem.options.repeat_post_decay
    return per_post * math.fsum(decay**k for k in range(posts))


def reach(candidate: Candidate, posts: int) -> float:
    return candidate.followers * candidate.audience_quality if posts > 0 else 0.0


def alpha(problem: PlanProblem) -> float:
    return problem.options.risk.alpha if problem.options.risk is not None else 0.05


def multipliers(problem: PlanProblem, pool: list[Candidate]) -> FloatArray | None:
    """Explicit scenario multipliers of ``pool`` (candidates x scenarios); 1 where a candidate
    has none. Only explicit scenarios are enumerated here."""
    sizes = {len(c.engagement_scenarios) for c in problem.candidates if c.engagement_scenarios}
    if not sizes:
        return None
    (count,) = sizes
    rows = [c.engagement_scenarios or (1.0,) * count for c in pool]
    return np.array(rows, dtype=np.float64).reshape(len(pool), count)


def tail_mean(totals: FloatArray, share: float) -> FloatArray:
    """CVaR row by row: the mean of the worst ``share`` of scenarios, the boundary scenario
    counted by the fraction of it that falls inside the tail."""
    x = np.sort(np.atleast_2d(totals), axis=1)
    count = x.shape[1]
    weights = np.clip(share * count - np.arange(count), 0.0, 1.0)
    out: FloatArray = (x * weights).sum(axis=1) / (share * count)
    return out


def plan_cvar(problem: PlanProblem, posts: Mapping[str, int]) -> float | None:
    by_id = {c.id: c for c in problem.candidates}
    pool = [by_id[cid] for cid in posts]
    m = multipliers(problem, pool)
    if m is None:
        return None
    e = np.array([engagement(problem, c, posts[c.id]) for c in pool], dtype=np.float64)
    return float(tail_mean(e @ m if len(pool) else np.zeros(m.shape[1]), alpha(problem))[0])


def shared_audience(problem: PlanProblem, a: Candidate, b: Candidate, share: float) -> float:
    """Section 7: the share of the smaller of the two reaches that follows both."""
    return share * min(reach(a, 1), reach(b, 1))


def overlapping_audience(problem: PlanProblem, used: set[str]) -> float:
    """Sum over the given pairs with both creators used of their shared audience."""
    by_id = {c.id: c for c in problem.candidates}
    return math.fsum(
        shared_audience(problem, by_id[o.a], by_id[o.b], o.share)
        for o in problem.overlaps
        if o.a in used and o.b in used
    )


def overlap_table(
    problem: PlanProblem, pool: list[Candidate], used: NDArray[np.bool_]
) -> FloatArray:
    """overlapping_audience for every enumerated plan (rows of ``used``, columns ``pool``)."""
    column = {c.id: i for i, c in enumerate(pool)}
    out = np.zeros(used.shape[0])
    by_id = {c.id: c for c in problem.candidates}
    for o in problem.overlaps:
        if o.a in column and o.b in column:
            both = used[:, column[o.a]] & used[:, column[o.b]]
            out += both * shared_audience(problem, by_id[o.a], by_id[o.b], o.share)
    return out


def post_options(candidate: Candidate, forced: bool) -> list[int]:
    used = list(range(candidate.min_posts, candidate.max_posts + 1))
    return used if forced else [0, *used]


# --- exhaustive search ---------------------------------------------------------------------


def solve(problem: PlanProblem) -> BruteForceResult:
    cons = problem.constraints
    pool = eligible(problem)
    pool_ids = {c.id for c in pool}
    infeasible = BruteForceResult(PlanStatus.INFEASIBLE, None, {})
    if any(m not in pool_ids for m in cons.must_include):
        return infeasible

    options = [post_options(c, c.id in cons.must_include) for c in pool]
    count = math.prod(len(o) for o in options)
    if count > MAX_PLANS:
        raise ValueError(f"{count} plans is too many to enumerate")
    width = len(pool)
    choice = np.array(
        list(itertools.product(*(range(len(o)) for o in options))), dtype=np.intp
    ).reshape(count, width)

    def column(values: list[float], i: int) -> FloatArray:
        return np.asarray(values, dtype=np.float64)[choice[:, i]]

    def table(per_candidate: list[list[float]]) -> FloatArray:
        if width == 0:
            return np.zeros((count, 0))
        return np.stack([column(v, i) for i, v in enumerate(per_candidate)], axis=1)

    posts = table([[float(n) for n in opts] for opts in options])
    s = table([[spend(c, n) for n in opts] for c, opts in zip(pool, options, strict=True)])
    e = table(
        [[engagement(problem, c, n) for n in opts] for c, opts in zip(pool, options, strict=True)]
    )
    r = table([[reach(c, n) for n in opts] for c, opts in zip(pool, options, strict=True)])
    total_s = s.sum(axis=1)
    total_e = e.sum(axis=1)
    used = (posts > 0).sum(axis=1)

    spend_tol = SEARCH_TOL * max(problem.budget, float(total_s.max(initial=0.0)), 1.0)
    eng_tol = SEARCH_TOL * max(
        float(total_e.max(initial=0.0)), problem.objective.target_engagement or 0.0, 1.0
    )
    ok = total_s <= problem.budget + spend_tol
    ok &= total_s >= cons.min_budget_use * problem.budget - spend_tol
    if cons.max_share_per_influencer is not None:
        ok &= (s <= cons.max_share_per_influencer * total_s[:, None] + spend_tol).all(axis=1)
    if cons.max_spend_per_influencer is not None:
        ok &= (s <= cons.max_spend_per_influencer + spend_tol).all(axis=1)
    if cons.max_engagement_share_per_influencer is not None:
        beta = cons.max_engagement_share_per_influencer
        ok &= (e <= beta * total_e[:, None] + eng_tol).all(axis=1)
    groups = [
        ([tier_of(problem, c.followers) for c in pool], cons.tier_share),
        ([c.platform for c in pool], cons.platform_share),
    ]
    for keys, shares in groups:
        for name, bounds in shares.items():
            member = np.array([k == name for k in keys], dtype=bool)
            group_s = s[:, member].sum(axis=1)
            if bounds.min is not None:
                ok &= group_s >= bounds.min * total_s - spend_tol
            if bounds.max is not None:
                ok &= group_s <= bounds.max * total_s + spend_tol
    ok &= used >= cons.min_influencers
    if cons.max_influencers is not None:
        ok &= used <= cons.max_influencers
    overlapping = overlap_table(problem, pool, posts > 0)
    if cons.max_overlap_share is not None:
        r_tol = SEARCH_TOL * max(float(r.sum(axis=1).max(initial=0.0)), 1.0)
        ok &= overlapping <= cons.max_overlap_share * r.sum(axis=1) + r_tol
    m = multipliers(problem, pool)
    tail = None if m is None else tail_mean(e @ m, alpha(problem))
    if cons.min_cvar_engagement is not None:
        if tail is None:
            raise ValueError("min_cvar_engagement needs explicit scenarios here")
        ok &= tail >= cons.min_cvar_engagement - eng_tol

    kind = problem.objective.kind
    if kind is ObjectiveKind.MIN_COST:
        target = problem.objective.target_engagement
        if target is None:
            raise ValueError("min_cost needs target_engagement")
        ok &= total_e >= target - eng_tol
        value = total_s
    elif kind is ObjectiveKind.REACH:
        value = r.sum(axis=1)
    elif kind is ObjectiveKind.UNIQUE_REACH:
        value = r.sum(axis=1) - overlapping
    elif kind is ObjectiveKind.CVAR_ENGAGEMENT:
        if tail is None:
            raise ValueError("cvar_engagement needs explicit scenarios here")
        aversion = problem.objective.risk_aversion
        value = (1 - aversion) * total_e + aversion * tail
    else:
        value = total_e

    if not ok.any():
        return infeasible
    feasible_rows = np.flatnonzero(ok)
    pick = np.argmin if kind is ObjectiveKind.MIN_COST else np.argmax
    best = int(feasible_rows[int(pick(value[feasible_rows]))])
    best_posts = {c.id: int(posts[best, i]) for i, c in enumerate(pool) if posts[best, i] > 0}
    return BruteForceResult(PlanStatus.OPTIMAL, float(value[best]), best_posts)


def objective_value(problem: PlanProblem, posts: Mapping[str, int]) -> float:
    by_id = {c.id: c for c in problem.candidates}
    kind = problem.objective.kind
    if kind is ObjectiveKind.MIN_COST:
        return math.fsum(spend(by_id[i], n) for i, n in posts.items())
    if kind is ObjectiveKind.REACH:
        return math.fsum(reach(by_id[i], n) for i, n in posts.items())
    if kind is ObjectiveKind.UNIQUE_REACH:
        used = {i for i, n in posts.items() if n > 0}
        total = math.fsum(reach(by_id[i], n) for i, n in posts.items())
        return total - overlapping_audience(problem, used)
    expected = math.fsum(engagement(problem, by_id[i], n) for i, n in posts.items())
    if kind is ObjectiveKind.CVAR_ENGAGEMENT:
        tail = plan_cvar(problem, posts)
        assert tail is not None
        aversion = problem.objective.risk_aversion
        return (1 - aversion) * expected + aversion * tail
    return expected


# --- checking a returned plan --------------------------------------------------------------


def violations(problem: PlanProblem, posts: Mapping[str, int]) -> list[str]:
    """Every constraint of docs/model.md the plan breaks, named like binding constraints."""
    cons = problem.constraints
    by_id = {c.id: c for c in problem.candidates}
    broken: list[str] = []
    for cid, n in posts.items():
        if cid not in by_id:
            broken.append(f"unknown:{cid}")
        elif n != 0 and removal_reason(problem, by_id[cid]) is not None:
            broken.append(f"removed:{cid}")
        elif n != 0 and not by_id[cid].min_posts <= n <= by_id[cid].max_posts:
            broken.append(f"posts:{cid}")
    if broken:
        return broken
    plan = {by_id[cid]: n for cid, n in posts.items() if n > 0}
    s = {c.id: spend(c, n) for c, n in plan.items()}
    e = {c.id: engagement(problem, c, n) for c, n in plan.items()}
    total_s = math.fsum(s.values())
    total_e = math.fsum(e.values())
    target = problem.objective.target_engagement or 0.0
    s_tol = CHECK_TOL * max(problem.budget, total_s, 1.0)
    e_tol = CHECK_TOL * max(total_e, target, 1.0)

    if total_s > problem.budget + s_tol:
        broken.append("budget")
    if total_s < cons.min_budget_use * problem.budget - s_tol:
        broken.append("min_budget_use")
    for cid in s:
        if cons.max_share_per_influencer is not None and (
            s[cid] > cons.max_share_per_influencer * total_s + s_tol
        ):
            broken.append(f"max_share:{cid}")
        if cons.max_spend_per_influencer is not None and (
            s[cid] > cons.max_spend_per_influencer + s_tol
        ):
            broken.append(f"max_spend:{cid}")
        if cons.max_engagement_share_per_influencer is not None and (
            e[cid] > cons.max_engagement_share_per_influencer * total_e + e_tol
        ):
            broken.append(f"max_engagement_share:{cid}")
    for prefix, shares, label in (
        ("tier", cons.tier_share, group_labels(problem, "tier")),
        ("platform", cons.platform_share, group_labels(problem, "platform")),
    ):
        for name, bounds in shares.items():
            group = math.fsum(s[c.id] for c in plan if label[c.id] == name)
            if bounds.min is not None and group < bounds.min * total_s - s_tol:
                broken.append(f"{prefix}_min:{name}")
            if bounds.max is not None and group > bounds.max * total_s + s_tol:
                broken.append(f"{prefix}_max:{name}")
    if len(plan) < cons.min_influencers:
        broken.append("min_influencers")
    if cons.max_influencers is not None and len(plan) > cons.max_influencers:
        broken.append("max_influencers")
    broken.extend(f"must_include:{m}" for m in cons.must_include if m not in s)
    if problem.objective.kind is ObjectiveKind.MIN_COST and total_e < target - e_tol:
        broken.append("target_engagement")
    floor = cons.min_cvar_engagement
    if floor is not None:
        tail = plan_cvar(problem, {c.id: n for c, n in plan.items()})
        if tail is not None and tail < floor - CHECK_TOL * max(floor, 1.0):
            broken.append("min_cvar_engagement")
    cap = cons.max_overlap_share
    if cap is not None:
        total_r = math.fsum(reach(c, n) for c, n in plan.items())
        shared = overlapping_audience(problem, {c.id for c in plan})
        if shared > cap * total_r + CHECK_TOL * max(total_r, 1.0):
            broken.append("max_overlap_share")
    return broken


def _close(reported: float | None, expected: float | None, scale: float = 0.0) -> bool:
    if reported is None or expected is None:
        return reported is expected
    return abs(reported - expected) <= FIGURE_TOL * max(abs(reported), abs(expected), scale)


def figure_mismatches(problem: PlanProblem, result: PlanResult) -> list[str]:
    """Reported figures that disagree with a recomputation from the returned posts."""
    by_id = {c.id: c for c in problem.candidates}
    bad: list[str] = []
    allocs = [a for a in result.allocations if a.id in by_id]
    bad.extend(f"allocation:{a.id}:unknown" for a in result.allocations if a.id not in by_id)
    bad.extend(f"allocation:{a.id}:no posts" for a in allocs if a.posts <= 0)
    if len({a.id for a in allocs}) != len(allocs):
        bad.append("allocations:duplicate id")
    s = {a.id: spend(by_id[a.id], a.posts) for a in allocs}
    e = {a.id: engagement(problem, by_id[a.id], a.posts) for a in allocs}
    total_s = math.fsum(s.values())
    total_e = math.fsum(e.values())
    total_r = math.fsum(reach(by_id[a.id], a.posts) for a in allocs)

    for a in allocs:
        c = by_id[a.id]
        rate, source = rate_used(problem, c)
        expected: dict[str, object] = {
            "handle": c.handle,
            "platform": c.platform,
            "tier": tier_of(problem, c.followers),
            "engagement_rate_source": source,
        }
        actual: dict[str, object] = {
            "handle": a.handle,
            "platform": a.platform,
            "tier": a.tier,
            "engagement_rate_source": a.engagement_rate_source,
        }
        bad.extend(f"allocation:{a.id}:{k}" for k in expected if str(expected[k]) != str(actual[k]))
        numbers = {
            "spend": (a.spend, s[a.id]),
            "expected_engagement": (a.expected_engagement, e[a.id]),
            "share_of_spend": (a.share_of_spend, s[a.id] / total_s if total_s else None),
            "engagement_rate_used": (a.engagement_rate_used, rate),
            "cost_per_engagement": (a.cost_per_engagement, s[a.id] / e[a.id] if e[a.id] else None),
            "reach": (a.reach, reach(c, a.posts)),
        }
        if total_e > 0:
            numbers["share_of_engagement"] = (a.share_of_engagement, e[a.id] / total_e)
        bad.extend(
            f"allocation:{a.id}:{k}" for k, (got, want) in numbers.items() if not _close(got, want)
        )

    if result.totals is None:
        bad.append("totals:missing")
    else:
        t = result.totals
        totals = {
            "spend": (t.spend, total_s, 0.0),
            "budget_left": (t.budget_left, problem.budget - total_s, problem.budget),
            "expected_engagement": (t.expected_engagement, total_e, 0.0),
            "reach": (t.reach, total_r, 0.0),
            "cost_per_engagement": (
                t.cost_per_engagement,
                total_s / total_e if total_e else None,
                0.0,
            ),
        }
        if problem.overlaps:
            shared = overlapping_audience(problem, {a.id for a in allocs})
            totals["overlapping_audience"] = (t.overlapping_audience, shared, total_r)
            totals["unique_reach"] = (t.unique_reach, total_r - shared, total_r)
        bad.extend(
            f"totals:{k}" for k, (got, want, sc) in totals.items() if not _close(got, want, sc)
        )
        if t.influencers != len(allocs):
            bad.append("totals:influencers")

    for label, summary, group_of in (
        ("by_tier", result.by_tier, group_labels(problem, "tier")),
        ("by_platform", result.by_platform, group_labels(problem, "platform")),
    ):
        if summary is None:
            bad.append(f"{label}:missing")
            continue
        names = {group_of[a.id] for a in allocs} | set(summary)
        for name in sorted(names):
            members = [a for a in allocs if group_of[a.id] == name]
            group_s = math.fsum(s[a.id] for a in members)
            group_e = math.fsum(e[a.id] for a in members)
            got = summary.get(name)
            if got is None:
                bad.append(f"{label}:{name}:missing")
                continue
            checks = {
                "spend": _close(got.spend, group_s, total_s),
                "engagement": _close(got.engagement, group_e, total_e),
                "influencers": got.influencers == len(members),
            }
            if total_s > 0:
                checks["share"] = _close(got.share, group_s / total_s, 1.0)
            bad.extend(f"{label}:{name}:{k}" for k, fine in checks.items() if not fine)

    if allocs and total_s > 0:
        if result.risk is None:
            bad.append("risk:missing")
        else:
            shares = [s[a.id] / total_s for a in allocs]
            hhi = math.fsum(x * x for x in shares)
            risk = {
                "max_share": (result.risk.max_share, max(shares)),
                "hhi": (result.risk.hhi, hhi),
                "effective_influencers": (result.risk.effective_influencers, 1.0 / hhi),
            }
            bad.extend(f"risk:{k}" for k, (got, want) in risk.items() if not _close(got, want))
    return bad


def pair_mismatches(problem: PlanProblem, result: PlanResult) -> list[str]:
    """The answer's overlapping pairs against those of the plan: every pair of used creators
    with a share above 0, largest shared audience first, at most 50."""
    if not problem.overlaps:
        return [] if not result.diagnostics.overlapping_pairs else ["overlapping_pairs:unasked"]
    by_id = {c.id: c for c in problem.candidates}
    used = {a.id for a in result.allocations}
    expected = sorted(
        (
            (-shared_audience(problem, by_id[o.a], by_id[o.b], o.share), o.a, o.b)
            for o in problem.overlaps
            if o.a in used and o.b in used and o.share > 0
        ),
    )[:50]
    got = [(-p.shared_audience, p.a, p.b) for p in result.diagnostics.overlapping_pairs]
    if [(a, b) for _, a, b in got] != [(a, b) for _, a, b in expected]:
        return ["overlapping_pairs:pairs"]
    if not all(_close(g[0], w[0]) for g, w in zip(got, expected, strict=True)):
        return ["overlapping_pairs:shared_audience"]
    return []


def plan_posts(result: PlanResult) -> dict[str, int]:
    return {a.id: a.posts for a in result.allocations}


def assert_sound_plan(problem: PlanProblem, result: PlanResult) -> None:
    """A returned plan meets every constraint and reports figures that recompute exactly."""
    assert result.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE), result.status
    posts = plan_posts(result)
    assert violations(problem, posts) == [], posts
    assert figure_mismatches(problem, result) == [], posts
    assert pair_mismatches(problem, result) == [], posts
    if result.solver.objective is not None:
        assert math.isclose(
            result.solver.objective, objective_value(problem, posts), rel_tol=1e-6, abs_tol=1e-6
        ), (result.solver.objective, posts)


def assert_infeasible_answer(result: PlanResult) -> None:
    """PRODUCT section 5: no allocations, null figures, and a relaxation to act on."""
    assert result.status is PlanStatus.INFEASIBLE
    assert result.allocations == ()
    assert result.totals is None
    assert result.risk is None
    assert result.by_tier is None
    assert result.by_platform is None
    assert result.diagnostics.relaxation, "an infeasible answer must say what to relax"


# --- building small problems by hand -------------------------------------------------------


def creator(
    cid: str,
    followers: int,
    rate: float | None,
    price: float,
    *,
    platform: str = "instagram",
    fixed_fee: float = 0.0,
    min_posts: int = 1,
    max_posts: int = 1,
    quality: float = 1.0,
) -> Candidate:
    return Candidate(
        id=cid,
        handle=f"@{cid}",
        platform=platform,
        followers=followers,
        price_per_post=price,
        engagement_rate=rate,
        fixed_fee=fixed_fee,
        min_posts=min_posts,
        max_posts=max_posts,
        audience_quality=quality,
    )


# --- random small problems -----------------------------------------------------------------

RANDOM_PLATFORMS = ("instagram", "tiktok", "youtube")
FOLLOWER_BANDS = ((1_000, 9_999), (10_000, 99_999), (100_000, 999_999), (1_000_000, 3_000_000))
CUSTOM_TIERS = (Tier("large", 50_000), Tier("small", 0))
CUSTOM_PRIORS: Mapping[str, float] = {"small": 0.07, "large": 0.02}


def _random_shares(rng: random.Random, names: list[str]) -> dict[str, ShareBounds]:
    shares: dict[str, ShareBounds] = {}
    room = 1.0  # minimum shares may not sum above 1
    for name in rng.sample(names, k=min(len(names), rng.choice((1, 1, 2)))):
        low = rng.choice((None, None, 0.1, 0.2, 0.3))
        high = rng.choice((None, 0.3, 0.4, 0.6, 0.8))
        if low is not None and (low > room or (high is not None and low > high)):
            low = None
        if low is None and high is None:
            high = 0.5
        room -= low or 0.0
        shares[name] = ShareBounds(min=low, max=high)
    return shares


def random_problem(
    rng: random.Random, *, max_candidates: int = 7, backend: Backend = Backend.HIGHS
) -> PlanProblem:
    """A small, valid problem; about a third of them turn out infeasible.

    Prices and fees are whole multiples of 25 and shares have two decimals, so a plan is either
    on a spend bound exactly or clearly away from it: no answer hinges on solver tolerances.
    """
    custom_tiers = rng.random() < 0.15
    tiers = CUSTOM_TIERS if custom_tiers else DEFAULT_TIERS
    decay = rng.choice((1.0, 1.0, 0.8, 0.5))
    candidates: list[Candidate] = []
    for i in range(rng.randint(2, max_candidates)):
        low, high = rng.choice(FOLLOWER_BANDS)
        min_posts = 1 if rng.random() < 0.75 else 2
        candidates.append(
            creator(
                f"c{i}",
                rng.randint(low, high),
                None if rng.random() < 0.3 else round(rng.uniform(0.0, 0.09), 3),
                rng.randint(1, 20) * 50,
                platform=rng.choice(RANDOM_PLATFORMS),
                fixed_fee=0.0 if rng.random() < 0.6 else rng.randint(1, 10) * 25,
                min_posts=min_posts,
                max_posts=min_posts + rng.choice((0, 0, 1, 2)),
                quality=rng.choice((1.0, 1.0, 0.9, 0.75, 0.5)),
            )
        )
    options = SolveOptions(
        repeat_post_decay=decay,
        mip_gap=1e-9,
        tiers=tiers,
        engagement_priors=CUSTOM_PRIORS if custom_tiers else {},
        backend=backend,
    )
    shell = PlanProblem(budget=1.0, candidates=tuple(candidates), options=options)
    ids = [c.id for c in candidates]
    full_spend = math.fsum(spend(c, c.max_posts) for c in candidates)
    full_engagement = math.fsum(engagement(shell, c, c.max_posts) for c in candidates)
    budget = float(max(50, round(full_spend * rng.uniform(0.5, 1.6))))

    min_influencers = rng.choice((0, 1, 1, 1, 1, 2, 3))
    max_influencers = None if rng.random() < 0.7 else rng.randint(max(1, min_influencers), 4)
    one_of = rng.choice
    min_followers = one_of(candidates).followers if rng.random() < 0.1 else None
    max_followers = one_of(candidates).followers if rng.random() < 0.1 else None
    if min_followers is not None and max_followers is not None and min_followers > max_followers:
        min_followers, max_followers = max_followers, min_followers
    constraints = Constraints(
        min_budget_use=rng.choice((0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.8)),
        max_share_per_influencer=rng.choice((0.25, None, None, None, 0.34, 0.5, 0.6)),
        max_spend_per_influencer=(
            None if rng.random() < 0.7 else float(round(budget * rng.uniform(0.2, 0.6)))
        ),
        max_engagement_share_per_influencer=(
            None if rng.random() < 0.8 else rng.choice((0.4, 0.5, 0.7))
        ),
        tier_share=(_random_shares(rng, [t.name for t in tiers]) if rng.random() < 0.25 else {}),
        platform_share=(_random_shares(rng, list(RANDOM_PLATFORMS)) if rng.random() < 0.25 else {}),
        min_influencers=min_influencers,
        max_influencers=max_influencers,
        must_include=(one_of(ids),) if rng.random() < 0.15 else (),
        exclude=(one_of([*ids, "ghost"]),) if rng.random() < 0.15 else (),
        min_audience_quality=one_of(candidates).audience_quality if rng.random() < 0.1 else None,
        min_engagement_rate=(
            rate_used(shell, one_of(candidates))[0] if rng.random() < 0.1 else None
        ),
        min_followers=min_followers,
        max_followers=max_followers,
    )
    kind = rng.choice(
        (
            ObjectiveKind.ENGAGEMENT,
            ObjectiveKind.ENGAGEMENT,
            ObjectiveKind.REACH,
            ObjectiveKind.MIN_COST,
        )
    )
    target = (
        round(full_engagement * rng.uniform(0.1, 0.8), 2)
        if kind is ObjectiveKind.MIN_COST
        else None
    )
    return dataclasses.replace(
        shell,
        budget=budget,
        constraints=constraints,
        objective=Objective(kind, target_engagement=target),
    )


def random_overlap_problem(rng: random.Random, *, backend: Backend = Backend.HIGHS) -> PlanProblem:
    """A random small problem with overlaps between some of its creators, the unique-reach
    objective more often than not, and sometimes an overlap cap. Shares are cut (to two
    decimals) where a creator would overlap more audience than it reaches. Followers come from
    one band, so that the creators compete on reach and the overlaps decide between them."""
    base = random_problem(rng, max_candidates=6, backend=backend)
    low, high = rng.choice(FOLLOWER_BANDS[1:3])
    base = dataclasses.replace(
        base,
        candidates=tuple(
            dataclasses.replace(c, followers=rng.randint(low, high)) for c in base.candidates
        ),
    )
    room = {c.id: reach(c, 1) for c in base.candidates}
    overlaps = []
    for k, a in enumerate(base.candidates):
        for b in base.candidates[k + 1 :]:
            if rng.random() < 0.5:
                continue
            smaller = min(reach(a, 1), reach(b, 1))
            share = rng.choice((0.0, 0.1, 0.3, 0.5, 0.8))
            left = math.floor(100 * min(room[a.id], room[b.id]) / smaller) / 100
            share = max(0.0, min(share, left))
            room[a.id] -= share * smaller
            room[b.id] -= share * smaller
            overlaps.append(Overlap(a.id, b.id, share))
    objective = base.objective
    if rng.random() < 0.6:
        objective = Objective(ObjectiveKind.UNIQUE_REACH)
    cap = rng.choice((None, None, 0.02, 0.05, 0.1, 0.2))
    # a budget that leaves some creators out, so that there is a choice for overlaps to make
    full_spend = math.fsum(spend(c, c.max_posts) for c in base.candidates)
    return dataclasses.replace(
        base,
        budget=float(max(50, round(full_spend * rng.uniform(0.3, 0.9)))),
        overlaps=tuple(overlaps),
        objective=objective,
        constraints=dataclasses.replace(
            base.constraints if rng.random() < 0.3 else _without_mix(base.constraints),
            max_overlap_share=cap,
            max_share_per_influencer=rng.choice((None, None, 0.34, 0.5)),
        ),
    )


def _without_mix(constraints: Constraints) -> Constraints:
    """The constraints without tier and platform shares, a spend floor or an engagement cap."""
    return dataclasses.replace(
        constraints,
        tier_share={},
        platform_share={},
        min_budget_use=0.0,
        max_engagement_share_per_influencer=None,
    )


def random_risk_problem(rng: random.Random, *, backend: Backend = Backend.HIGHS) -> PlanProblem:
    """A random small problem with explicit scenarios and a CVaR floor, the CVaR objective, or
    both. Multipliers have two decimals; alpha S is often not whole."""
    base = random_problem(rng, max_candidates=6, backend=backend)
    count = rng.randint(2, 9)
    candidates = tuple(
        dataclasses.replace(
            c,
            engagement_scenarios=tuple(round(rng.uniform(0.1, 2.0), 2) for _ in range(count)),
        )
        if rng.random() < 0.8
        else c
        for c in base.candidates
    )
    if all(c.engagement_scenarios is None for c in candidates):
        candidates = (
            dataclasses.replace(candidates[0], engagement_scenarios=(0.5,) * count),
            *candidates[1:],
        )
    shell = dataclasses.replace(base, candidates=candidates)
    full_engagement = math.fsum(engagement(shell, c, c.max_posts) for c in candidates)
    form = rng.choice(("floor", "objective", "both", "min_cost"))
    floor = (
        round(full_engagement * rng.uniform(0.05, 0.6), 2)
        if form in ("floor", "both", "min_cost")
        else None
    )
    objective = base.objective
    if form in ("objective", "both"):
        objective = Objective(
            ObjectiveKind.CVAR_ENGAGEMENT, risk_aversion=rng.choice((0.0, 0.3, 0.5, 1.0))
        )
    elif form == "min_cost" and objective.kind is not ObjectiveKind.MIN_COST:
        objective = Objective(
            ObjectiveKind.MIN_COST, target_engagement=round(full_engagement * 0.2, 2)
        )
    risk = RiskOptions(alpha=rng.choice((0.05, 0.2, 0.25, 1 / 3, 0.5, 1.0)))
    return dataclasses.replace(
        shell,
        constraints=dataclasses.replace(base.constraints, min_cvar_engagement=floor),
        objective=objective,
        options=dataclasses.replace(base.options, risk=risk),
    )


def optimized_against_bruteforce(problem: PlanProblem) -> tuple[BruteForceResult, PlanResult]:
    """``optimize(problem)`` checked against enumeration: the same status; when feasible, a
    sound plan whose objective is the optimum's."""
    expected = solve(problem)
    result = optimize(problem)
    assert result.status is expected.status, (result.status, expected)
    if expected.status is PlanStatus.INFEASIBLE:
        assert_infeasible_answer(result)
    else:
        assert_sound_plan(problem, result)
        assert result.solver.objective == pytest.approx(expected.objective, rel=1e-6, abs=1e-6)
        bound, optimum = result.solver.bound, expected.objective
        if bound is not None and optimum is not None:
            # a bound on the optimum, from the right side
            slack = 1e-6 * max(1.0, abs(optimum))
            if problem.objective.kind is ObjectiveKind.MIN_COST:
                assert bound <= optimum + slack, (bound, optimum)
            else:
                assert bound >= optimum - slack, (bound, optimum)
    return expected, result
