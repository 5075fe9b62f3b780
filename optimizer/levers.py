"""Levers: what a planner-sized loosening of each limiting constraint would gain.

A constraint can limit a plan without being tight at it: a 25% share cap keeps every creator
out whose one post would cost more than a quarter of the plan, though no chosen creator sits
at the cap. Only a re-solve tells, so each lever is the request with one constraint family
loosened by one step a planner would take (ten points of a share, ten percent of an amount,
one creator, one post), starting from the plan, which still meets the loosened request: a
re-solve is never worse than the plan.

``lever_steps`` lists the loosened requests; the caller re-solves them (in solver processes,
within a time box of its choosing) and ``lever_entry`` reads each answer; ``ranked`` keeps the
levers that gain or bind and sorts them by gain.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from optimizer.constraints import ConstraintKind, ConstraintRef
from optimizer.problem import ObjectiveKind, PlanProblem, ShareBounds
from optimizer.result import Binding, Lever, LeverStatus, PlanResult, PlanStatus
from optimizer.sense import Sense

# A share moves by ten points, an amount by ten percent, a count by one.
SHARE_STEP = 0.10
AMOUNT_STEP = 0.10
# A lever's re-solve need prove its plan only to this gap (or the request's, if looser): a
# planner weighs levers that differ by percents, and a looser gap is proven sooner.
LEVER_GAP = 1e-3

K = ConstraintKind
# Objectives closer than this (relative) are the same plan's, up to float sums.
_ROUNDING = 1e-9


@dataclass(frozen=True, slots=True)
class LeverStep:
    """One loosening: the constraint, its value before and after (the request's units), the
    request with it loosened (starting from the plan), and the step in a planner's words."""

    ref: ConstraintRef
    current: float | None
    loosened: float | None
    problem: PlanProblem
    label: str


def lever_steps(problem: PlanProblem, plan: PlanResult) -> tuple[LeverStep, ...]:
    """The loosened requests of every constraint family the request sets (none for a request
    without a plan)."""
    if plan.status not in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE) or not plan.allocations:
        return ()
    start = MappingProxyType({a.id: a.posts for a in plan.allocations})
    gap = max(problem.options.mip_gap, LEVER_GAP)
    base = replace(problem, options=replace(problem.options, start=start, mip_gap=gap))
    return (*_plan_wide(base), *_mix(base), *_per_creator(base), *_gates(base))


def _con(problem: PlanProblem, **changes: Any) -> PlanProblem:
    return replace(problem, constraints=replace(problem.constraints, **changes))


def _money(x: float) -> str:
    return f"{x:,.2f}".removesuffix(".00")


def _pct(x: float) -> str:
    return f"{x * 100:.4g}%"


def _up(share: float) -> float:
    return min(1.0, round(share + SHARE_STEP, 10))


def _down(share: float) -> float:
    return max(0.0, round(share - SHARE_STEP, 10))


def _plan_wide(p: PlanProblem) -> Iterator[LeverStep]:
    con, cur = p.constraints, p.currency
    budget = p.budget * (1 + AMOUNT_STEP)
    label = f"Budget {_money(p.budget)} → {_money(budget)} {cur}"
    yield LeverStep(ConstraintRef(K.BUDGET), p.budget, budget, replace(p, budget=budget), label)
    if con.min_budget_use > 0:
        low = _down(con.min_budget_use)
        label = f"Minimum budget use {_pct(con.min_budget_use)} → {_pct(low)}"
        step = _con(p, min_budget_use=low)
        yield LeverStep(ConstraintRef(K.MIN_BUDGET_USE), con.min_budget_use, low, step, label)
    if con.min_influencers > 1:
        n = con.min_influencers
        label = f"Minimum creators {n} → {n - 1}"
        step = _con(p, min_influencers=n - 1)
        yield LeverStep(ConstraintRef(K.MIN_INFLUENCERS), n, n - 1, step, label)
    if con.max_influencers is not None and con.max_influencers < len(p.candidates):
        n = con.max_influencers
        label = f"Maximum creators {n} → {n + 1}"
        step = _con(p, max_influencers=n + 1)
        yield LeverStep(ConstraintRef(K.MAX_INFLUENCERS), n, n + 1, step, label)
    floor = con.min_cvar_engagement
    if floor is not None and floor > 0:
        low_floor = floor * (1 - AMOUNT_STEP)
        label = f"Engagement floor of the worst scenarios {floor:,.0f} → {low_floor:,.0f}"
        step = _con(p, min_cvar_engagement=low_floor)
        yield LeverStep(ConstraintRef(K.MIN_CVAR_ENGAGEMENT), floor, low_floor, step, label)
    cap = con.max_overlap_share
    if cap is not None and cap < 0.5:
        high = _up(cap)
        label = f"Overlapping audience cap {_pct(cap)} → {_pct(high)} of reach"
        step = _con(p, max_overlap_share=high)
        yield LeverStep(ConstraintRef(K.MAX_OVERLAP_SHARE), cap, high, step, label)
    target = p.objective.target_engagement
    if p.objective.kind is ObjectiveKind.MIN_COST and target is not None and target > 0:
        low_target = target * (1 - AMOUNT_STEP)
        label = f"Engagement target {target:,.0f} → {low_target:,.0f}"
        step = replace(p, objective=replace(p.objective, target_engagement=low_target))
        yield LeverStep(ConstraintRef(K.TARGET_ENGAGEMENT), target, low_target, step, label)


def _mix(p: PlanProblem) -> Iterator[LeverStep]:
    con = p.constraints
    for group, shares in (("tier", con.tier_share), ("platform", con.platform_share)):
        for name, bounds in shares.items():
            shown = f"{group.capitalize()} {name}"
            if bounds.min is not None and bounds.min > 0:
                low = _down(bounds.min)
                label = f"{shown} minimum share {_pct(bounds.min)} → {_pct(low)}"
                step = _con(p, **{f"{group}_share": _bound(shares, name, min=low)})
                ref = ConstraintRef(K.mix(group, "min"), name)
                yield LeverStep(ref, bounds.min, low, step, label)
            if bounds.max is not None and bounds.max < 1:
                high = _up(bounds.max)
                label = f"{shown} maximum share {_pct(bounds.max)} → {_pct(high)}"
                step = _con(p, **{f"{group}_share": _bound(shares, name, max=high)})
                ref = ConstraintRef(K.mix(group, "max"), name)
                yield LeverStep(ref, bounds.max, high, step, label)


def _bound(
    shares: Mapping[str, ShareBounds], name: str, **side: float
) -> Mapping[str, ShareBounds]:
    changed = dict(shares)
    changed[name] = replace(changed[name], **side)
    return MappingProxyType(changed)


def _per_creator(p: PlanProblem) -> Iterator[LeverStep]:
    con = p.constraints
    cap = con.max_share_per_influencer
    if cap is not None and cap < 1:
        label = f"Share cap per creator {_pct(cap)} → {_pct(_up(cap))}"
        step = _con(p, max_share_per_influencer=_up(cap))
        yield LeverStep(ConstraintRef(K.MAX_SHARE_PER_INFLUENCER), cap, _up(cap), step, label)
    limit = con.max_spend_per_influencer
    if limit is not None:
        high = limit * (1 + AMOUNT_STEP)
        label = f"Spend limit per creator {_money(limit)} → {_money(high)} {p.currency}"
        step = _con(p, max_spend_per_influencer=high)
        yield LeverStep(ConstraintRef(K.MAX_SPEND_PER_INFLUENCER), limit, high, step, label)
    beta = con.max_engagement_share_per_influencer
    if beta is not None and beta < 1:
        label = f"Engagement share cap per creator {_pct(beta)} → {_pct(_up(beta))}"
        step = _con(p, max_engagement_share_per_influencer=_up(beta))
        ref = ConstraintRef(K.MAX_ENGAGEMENT_SHARE_PER_INFLUENCER)
        yield LeverStep(ref, beta, _up(beta), step, label)
    more = tuple(replace(c, max_posts=c.max_posts + 1) for c in p.candidates)
    label = "One more post offered by every creator"
    yield LeverStep(ConstraintRef(K.MAX_POSTS), None, None, replace(p, candidates=more), label)


def _gates(p: PlanProblem) -> Iterator[LeverStep]:
    con = p.constraints
    if con.min_audience_quality is not None and con.min_audience_quality > 0:
        low = _down(con.min_audience_quality)
        label = f"Minimum audience quality {con.min_audience_quality:g} → {low:g}"
        step = _con(p, min_audience_quality=low)
        ref = ConstraintRef(K.MIN_AUDIENCE_QUALITY)
        yield LeverStep(ref, con.min_audience_quality, low, step, label)
    if con.min_engagement_rate is not None and con.min_engagement_rate > 0:
        rate = con.min_engagement_rate * (1 - AMOUNT_STEP)
        label = f"Minimum engagement rate {_pct(con.min_engagement_rate)} → {_pct(rate)}"
        step = _con(p, min_engagement_rate=rate)
        ref = ConstraintRef(K.MIN_ENGAGEMENT_RATE)
        yield LeverStep(ref, con.min_engagement_rate, rate, step, label)
    if con.min_followers is not None and con.min_followers > 0:
        fewest = math.floor(con.min_followers * (1 - AMOUNT_STEP))
        label = f"Minimum followers {con.min_followers:,} → {fewest:,}"
        step = _con(p, min_followers=fewest)
        yield LeverStep(ConstraintRef(K.MIN_FOLLOWERS), con.min_followers, fewest, step, label)
    if con.max_followers is not None:
        most = math.ceil(con.max_followers * (1 + AMOUNT_STEP))
        label = f"Maximum followers {con.max_followers:,} → {most:,}"
        step = _con(p, max_followers=most)
        yield LeverStep(ConstraintRef(K.MAX_FOLLOWERS), con.max_followers, most, step, label)


_UNITS = {
    ObjectiveKind.ENGAGEMENT: "engagement",
    ObjectiveKind.REACH: "reach",
    ObjectiveKind.MIN_COST: "cost",
    ObjectiveKind.CVAR_ENGAGEMENT: "risk-adjusted engagement",
    ObjectiveKind.UNIQUE_REACH: "unique reach",
}


def lever_entry(
    step: LeverStep, plan: PlanResult, answer: PlanResult | None, note: str | None = None
) -> Lever:
    """The lever of ``step`` from its re-solve's ``answer``: solved when that answer is proven,
    else skipped, saying why (``note``, for a re-solve that did not run or finish)."""
    base = plan.solver.objective
    objective = None if answer is None else answer.solver.objective
    if base is None or objective is None or answer is None:
        return skipped(step, note or "its re-solve found no plan within the time box")
    kind = step.problem.objective.kind
    # the re-solve starts from the plan: a loss is rounding, and so is a gain this small
    gain = Sense.of(kind).sign * (objective - base)
    gain = 0.0 if gain <= _ROUNDING * max(abs(base), 1.0) else gain
    if answer.status is not PlanStatus.OPTIMAL:
        found = _gain_words(kind, base, gain)
        return skipped(step, f"its re-solve was not proven within the time box; {found} so far")
    message = f"{step.label}: {_gain_words(kind, base, gain)}"
    return _lever(step, LeverStatus.SOLVED, objective, gain, message)


def skipped(step: LeverStep, note: str) -> Lever:
    """A lever whose re-solve did not finish (``note`` says why)."""
    return _lever(step, LeverStatus.SKIPPED, None, None, f"{step.label}: not known ({note})")


def _lever(
    step: LeverStep,
    status: LeverStatus,
    objective: float | None,
    gain: float | None,
    message: str,
) -> Lever:
    return Lever(step.ref, step.current, step.loosened, status, objective, gain, message)


def _gain_words(kind: ObjectiveKind, base: float, gain: float) -> str:
    unit = _UNITS[kind]
    if gain == 0:
        return f"no gain in {unit}"
    share = f" ({gain / abs(base):+.1%})" if base else ""
    if kind is ObjectiveKind.MIN_COST:
        return f"cost falls by {_money(gain)}{share.replace('+', '-')}"
    return f"{gain:+,.0f} {unit}{share}"


def ranked(levers: tuple[Lever, ...], binding: tuple[Binding, ...]) -> tuple[Lever, ...]:
    """The levers that gain, or whose constraint binds at the plan (a zero gain says
    loosening it would not pay), best first; those not known after them."""
    bound = {b.kind for b in binding}
    solved = [
        lever
        for lever in levers
        if lever.status is LeverStatus.SOLVED and (lever.gain or lever.kind in bound)
    ]
    solved.sort(key=lambda lever: -(lever.gain or 0.0))
    return (*solved, *(lever for lever in levers if lever.status is LeverStatus.SKIPPED))
