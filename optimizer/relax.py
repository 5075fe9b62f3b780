"""Applying a relaxation to a problem, and tightening a relaxation to the smallest amount that
still admits a plan.

The elastic model picks *which* constraints to relax, but its slacks are in money units, so the
value it implies for a share cap is that of whatever plan it happened to pick (often a tiny one).
Each numeric relaxation is therefore tightened by bisection on feasibility, with the others held
at their values, so the answer says how far a constraint must move, not how far one plan moved it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

from optimizer.constraints import ConstraintKind, ConstraintRef
from optimizer.explain import describe, relaxations
from optimizer.prepare import Prepared, prepare
from optimizer.problem import Constraints, PlanProblem, ShareBounds
from optimizer.result import Relaxation, RelaxationRole
from optimizer.solve import solve_prepared

# Resolution of the bisection; each feasible probe also snaps the bracket to what its plan
# actually needs, so the answer is usually exact well before these are reached.
_SHARE_STEP = 1e-7
_MONEY_STEP = 1e-7  # relative
_MAX_STEPS = 30


def _never() -> bool:
    return False


def apply_relaxation(problem: PlanProblem, relaxation: Relaxation) -> PlanProblem:
    """The problem with one relaxation entry applied (``required`` becomes the new value)."""
    con = problem.constraints
    kind, key = relaxation.kind, relaxation.subject
    value = relaxation.required
    if kind is ConstraintKind.MUST_INCLUDE:
        kept = tuple(c for c in con.must_include if c != key)
        return replace(problem, constraints=replace(con, must_include=kept))
    if value is None:
        raise ValueError(f"relaxation {relaxation.constraint} carries no value")
    if kind is ConstraintKind.BUDGET:
        return replace(problem, budget=value)
    if kind is ConstraintKind.TARGET_ENGAGEMENT:
        return replace(problem, objective=replace(problem.objective, target_engagement=value))
    if kind.is_mix:
        assert key is not None
        return replace(problem, constraints=_relaxed_mix(con, kind, key, value))
    return replace(problem, constraints=_relaxed_constraints(con, kind, value))


def _relaxed_mix(con: Constraints, kind: ConstraintKind, key: str, value: float) -> Constraints:
    shares = dict(con.tier_share if kind.group == "tier" else con.platform_share)
    bounds = shares.get(key, ShareBounds())
    side = kind.side
    shares[key] = replace(bounds, min=value) if side == "min" else replace(bounds, max=value)
    if kind.group == "tier":
        return replace(con, tier_share=shares)
    return replace(con, platform_share=shares)


def _relaxed_constraints(con: Constraints, kind: ConstraintKind, value: float) -> Constraints:
    if kind is ConstraintKind.MIN_INFLUENCERS:
        return replace(con, min_influencers=round(value))
    if kind is ConstraintKind.MAX_INFLUENCERS:
        return replace(con, max_influencers=round(value))
    if kind is ConstraintKind.MIN_BUDGET_USE:
        return replace(con, min_budget_use=value)
    if kind is ConstraintKind.MAX_SHARE_PER_INFLUENCER:
        return replace(con, max_share_per_influencer=value)
    if kind is ConstraintKind.MAX_SPEND_PER_INFLUENCER:
        return replace(con, max_spend_per_influencer=value)
    if kind is ConstraintKind.MAX_ENGAGEMENT_SHARE_PER_INFLUENCER:
        return replace(con, max_engagement_share_per_influencer=value)
    if kind is ConstraintKind.MIN_CVAR_ENGAGEMENT:
        return replace(con, min_cvar_engagement=value)
    if kind is ConstraintKind.MAX_OVERLAP_SHARE:
        return replace(con, max_overlap_share=value)
    raise ValueError(f"unknown relaxation {kind.value!r}")


def apply_relaxations(problem: PlanProblem, relaxations: tuple[Relaxation, ...]) -> PlanProblem:
    for relaxation in relaxations:
        problem = apply_relaxation(problem, relaxation)
    return problem


def _plan(problem: PlanProblem, deadline: float) -> tuple[int, ...] | None:
    """Any plan of the problem found before the deadline, or None."""
    remaining = deadline - time.perf_counter()
    if remaining <= 0:
        return None
    prepared = prepare(problem)
    if prepared.unavailable_must_include:
        return None
    opts = problem.options
    # Any plan will do: a gap of 100% stops at the first one.
    raw = solve_prepared(prepared, opts.backend, remaining, 1.0, opts.threads)
    return raw.posts


def _bisect(
    lo: float,
    hi: float,
    needed_at: Callable[[float], float | None],
    step: float,
    stop: Callable[[], bool] = _never,
) -> float:
    """The value nearest ``lo`` (current, infeasible) that admits a plan, ``hi`` admitting one.

    ``needed_at(v)`` is None when no plan exists at v, else the value the plan found needs
    (between lo and v), which becomes the new ``hi``. ``hi`` admits a plan at every step, so
    stopping early still answers a value that does."""
    for _ in range(_MAX_STEPS):
        if abs(hi - lo) <= step or stop():
            break
        mid = (lo + hi) / 2
        if step >= 1:
            mid = math.floor(mid) if hi < lo else math.ceil(mid)
            if mid in (lo, hi):
                break
        needed = needed_at(mid)
        if needed is None or not min(lo, mid) <= needed <= max(lo, mid):
            # No plan, or one the solver accepted only within its tolerance: either way mid is
            # not shown to admit a plan exactly, so the answer stays on the safe side.
            lo = mid
        else:
            hi = needed
    return hi


def _loosest(problem: PlanProblem, item: Relaxation) -> float | None:
    """The value of ``item``'s constraint that constrains nothing (or as little as can be)."""
    required = item.required
    if required is None:
        return None
    roster = [c.price_per_post * c.max_posts + c.fixed_fee for c in problem.candidates]
    k = ConstraintKind
    loosest: dict[ConstraintKind, float] = {
        k.BUDGET: max(required, sum(roster)),
        k.MIN_BUDGET_USE: 0.0,
        k.MAX_SHARE_PER_INFLUENCER: 1.0,
        k.MAX_SPEND_PER_INFLUENCER: max(required, max(roster, default=0.0)),
        k.MAX_ENGAGEMENT_SHARE_PER_INFLUENCER: 1.0,
        k.TIER_MIN: 0.0,
        k.PLATFORM_MIN: 0.0,
        k.TIER_MAX: 1.0,
        k.PLATFORM_MAX: 1.0,
        k.MIN_INFLUENCERS: min(required, 1.0),
        k.MAX_INFLUENCERS: max(required, float(len(problem.candidates))),
        k.TARGET_ENGAGEMENT: 0.0,
        k.MIN_CVAR_ENGAGEMENT: 0.0,
        k.MAX_OVERLAP_SHARE: 1.0,
    }
    return loosest.get(item.kind, required)


def _essential(
    problem: PlanProblem, found: tuple[Relaxation, ...], deadline: float, stop: Callable[[], bool]
) -> list[Relaxation] | None:
    """Drop every relaxation the request can do without while the others are as loose as they
    can be, and open the kept ones fully, ready to be tightened. None if stopped."""
    opened = [
        item if (value := _loosest(problem, item)) is None else replace(item, required=value)
        for item in found
    ]
    kept = list(range(len(found)))
    for k in range(len(found)):
        others = tuple(opened[j] for j in kept if j != k)
        if _plan(apply_relaxations(problem, others), deadline) is not None:
            kept.remove(k)
        if stop():
            return None
    return [opened[j] for j in kept]


def _step(kind: ConstraintKind, current: float, required: float) -> float:
    """How close the bisection of a constraint of ``kind`` need come."""
    if kind in (ConstraintKind.MIN_INFLUENCERS, ConstraintKind.MAX_INFLUENCERS):
        return 1.0
    money = (
        ConstraintKind.BUDGET,
        ConstraintKind.MAX_SPEND_PER_INFLUENCER,
        ConstraintKind.TARGET_ENGAGEMENT,
        ConstraintKind.MIN_CVAR_ENGAGEMENT,
    )
    if kind in money:
        return _MONEY_STEP * max(abs(current), abs(required), 1.0)
    return _SHARE_STEP


def tighten(
    problem: PlanProblem,
    found: tuple[Relaxation, ...],
    deadline: float,
    stop: Callable[[], bool] = _never,
) -> tuple[Relaxation, ...]:
    """Keep only the relaxations that are needed, then move each back toward its current value
    as far as feasibility allows (earlier ones first, the others held where they are).

    When ``stop()`` turns true (a cancel), the answer is ``found`` as it came: the amounts one
    plan needed, enough together though maybe not the least. A half-tightened list would hold
    the untouched entries at their loosest (a share cap of 100%), which says less."""
    essential = _essential(problem, found, deadline, stop)
    if essential is None:
        return found
    result: list[Relaxation | None] = list(essential)
    for k, item in enumerate(essential):
        if stop():
            return found
        others = tuple(r for j, r in enumerate(result) if j != k and r is not None)
        base = apply_relaxations(problem, others)
        if _plan(base, deadline) is not None:
            result[k] = None  # the others already make room: this one is not needed
            continue
        if item.current is None or item.required is None:
            continue
        current = float(item.current)
        prepared_base = prepare(base)

        def needed_at(
            value: float,
            item: Relaxation = item,
            base: PlanProblem = base,
            pb: Prepared = prepared_base,
        ) -> float | None:
            posts = _plan(apply_relaxation(base, replace(item, required=value)), deadline)
            if posts is None:
                return None
            needed = {r.ref: r.required for r in relaxations(pb, posts)}
            return needed.get(item.ref, value)

        step = _step(item.kind, current, float(item.required))
        value = _bisect(current, float(item.required), needed_at, step, stop)
        result[k] = describe(item.ref, item.current, value)
    if stop():
        return found
    return tuple(r for r in result if r is not None)


def with_roles(
    problem: PlanProblem,
    relaxation: tuple[Relaxation, ...],
    found: tuple[Relaxation, ...],
    deadline: float,
    stop: Callable[[], bool] = _never,
) -> tuple[Relaxation, ...]:
    """Each relaxation marked as enough on its own (an alternative) or needed with the others
    (together), by a re-solve with it alone; then, as alternatives, the constraints the elastic
    plan broke (``found``), and the budget, that were left out but alone, tightened, admit a
    plan too. When
    stopped, the entries not yet tested carry no role."""
    out: list[Relaxation] = []
    for item in relaxation:
        if stop():
            return (*out, *relaxation[len(out) :])
        alone = len(relaxation) == 1 or _plan(apply_relaxation(problem, item), deadline)
        role = RelaxationRole.ALTERNATIVE if alone is not None else RelaxationRole.TOGETHER
        out.append(replace(item, role=role))
    listed = {r.ref for r in relaxation}
    # more budget is the alternative a planner thinks of first, broken by the elastic plan or not
    budget = describe(ConstraintRef(ConstraintKind.BUDGET), problem.budget, problem.budget)
    for item in (*found, budget):
        if item.ref in listed or stop() or item.current is None:
            continue
        opened = replace(item, required=_loosest(problem, item))
        if _plan(apply_relaxation(problem, opened), deadline) is None:
            continue
        tightened = tighten(problem, (item,), deadline, stop)
        if len(tightened) == 1 and tightened[0].ref == item.ref and not stop():
            out.append(replace(tightened[0], role=RelaxationRole.ALTERNATIVE))
    return tuple(out)
