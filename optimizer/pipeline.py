"""The HiGHS solve of a prepared problem: a bound and a plan first, then reductions, then a MIP.

1. The Lagrangian bound over the rows that couple creators (``lagrange``) gives a valid bound
   within a fraction of a second, even over 100,000 creators; its creators' choices, repaired by
   the greedy fill (``first_plan``), are the first plan. On small problems the greedy fill's own
   orders are tried too, and they stand in whenever the guided fill finds nothing.
2. When that plan holds at most a couple of thousand creators, the LP relaxation (over all
   creators, or a priced core) gives a bound that also prices the per-creator rows, and a better
   plan by rounding; its multipliers of the coupling rows are polished as in step 1.
3. A plan of more than a few hundred creators is improved window by window
   (``neighbourhood``): the MIP over the creators at its margin, the others held. A smaller one
   by a kernel MIP over the LP's creators and those priced next.
4. Creators who cannot appear in any plan better than the best are dropped by every bound
   found (``reduce``; this keeps the optimum), and HiGHS solves the MIP over the creators left,
   from the best plan, until the deadline; unless they are too many for it to move in its time.

The answer's bound is valid for the full problem: the tightest of the bounds found and
max(best plan, the MIP's bound over the creators left), since every better plan is among them.

A cancel (``SolveMonitor.cancelled``) is checked between the steps and stops HiGHS inside them;
the answer is then the best plan so far, as when the deadline arrives.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from optimizer.arrays import ArrayModel, CandidateData, FloatArray, IntArray, build_arrays
from optimizer.control import SolveMonitor, SolveStage
from optimizer.first_plan import (
    CHECK_TOL,
    FirstPlan,
    Guide,
    check_plan,
    first_plan,
    lp_guide,
    promising,
)
from optimizer.highs_run import RunListener, listening
from optimizer.lagrange import LagrangeBound, guide_of, lagrange_bound
from optimizer.neighbourhood import improve, margin_order
from optimizer.prepare import Prepared
from optimizer.problem import Backend, ObjectiveKind
from optimizer.reduce import LpRelaxation, crude_bound, fixed_out, relax_lp
from optimizer.solve import RawSolution, SolveOutcome, solve_arrays

# The LP and its rounding may use this share of the time limit; the MIP gets the rest.
_LP_SHARE = 0.5
_SANITY_TOL = 1e-7
# The small MIP that improves the best plan before the reductions: the LP's and the best plan's
# creators, with those the LP ranks next up to this many in all, but never fewer than
# _KERNEL_OUTSIDE of those (a plan of hundreds of creators needs some to swap in), and its share
# of the remaining time.
_KERNEL_SIZE = 300
_KERNEL_OUTSIDE = 75
_KERNEL_SHARE = 0.15
_KERNEL_MAX_S = 1.5
# It only has to come close: the reductions and the final MIP do the rest.
_KERNEL_GAP = 1e-3
# Creators seeding the LP core on large problems.
_CORE_SEED = 3_000
# The Lagrangian bound over the coupling rows may use this share of the time limit; polishing
# an LP's multipliers the same way, this share.
_LAGRANGE_SHARE = 0.2
_POLISH_SHARE = 0.05
# The LP runs only when the Lagrangian's plan has at most this many creators: a priced core
# does not converge within its time on larger plans, and the Lagrangian bound is then as good.
_LP_PLAN_MAX = 2_000
# Plans of more creators than this are improved window by window rather than by a kernel MIP.
_WINDOW_PLAN_MIN = 300
# After the windows, the MIP over the creators left runs only when they are at most this many.
_FINAL_MIP_MAX = 12_000
# Up to this many creators the greedy fill's own orders are tried too (it costs a pass over the
# creators per order and round, in Python).
_GREEDY_MAX = 5_000
# Time kept back, per creator of the plan, for the answer's figures (computed per allocation).
_ANSWER_S_PER_CREATOR = 5e-5


@dataclass(slots=True)
class SolveTrace:
    """Where the time of one solve went, for benchmarks: ``prepare_s`` since ``optimize`` was
    called, the other times since the solve proper started (after prepare)."""

    prepare_s: float | None = None
    first_plan_s: float | None = None
    first_plan_objective: float | None = None
    build_s: float | None = None  # the array model of every creator
    lagrange_s: float | None = None
    lagrange_rounds: int | None = None
    lp_s: float | None = None  # the end of the bound step (Lagrangian, then the LP)
    windows: int | None = None  # windows re-solved to improve a plan of thousands
    kernel_s: float | None = None
    candidates: int = 0
    kept: int | None = None  # creators left for the MIP
    mip_s: float | None = None


def _better(kind: ObjectiveKind, a: float, b: float) -> bool:
    return a < b if kind is ObjectiveKind.MIN_COST else a > b


def _gap(objective: float, bound: float) -> float:
    diff = abs(bound - objective)
    if diff <= 1e-12 * max(1.0, abs(objective)):
        return 0.0
    return diff / max(abs(objective), 1e-12)


def _tighter(kind: ObjectiveKind, a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b) if kind is ObjectiveKind.MIN_COST else min(a, b)


def solve_highs(
    prepared: Prepared,
    deadline: float,
    mip_gap: float,
    threads: int | None = None,
    trace: SolveTrace | None = None,
    monitor: SolveMonitor | None = None,
) -> RawSolution:
    """Solve the prepared problem on HiGHS by the steps above, answering by ``deadline`` or
    soon after ``monitor``'s control is cancelled, and reporting progress to ``monitor``."""
    started = time.perf_counter()
    trace = trace if trace is not None else SolveTrace()
    kind = prepared.problem.objective.kind
    minimize = kind is ObjectiveKind.MIN_COST
    if monitor is None:
        monitor = SolveMonitor(None, started, minimize)
    data = CandidateData.of(prepared)
    trace.candidates = len(data)

    monitor.enter(SolveStage.FIRST_PLAN)
    if monitor.cancelled:
        return _answer(SolveOutcome.NO_SOLUTION, None, None, started)
    mark = time.perf_counter()
    full = build_arrays(prepared, data=data)
    trace.build_s = time.perf_counter() - mark

    # Bounds found so far, each with the multipliers that prove it.
    bounds: list[LpRelaxation] = []
    span = deadline - started
    planned = len(data)
    best: FirstPlan | None = None
    if len(data):
        # The Lagrangian's plan, repaired by the greedy fill, is the first plan; the greedy
        # fill alone only where it is cheap, or when that failed.
        until = min(deadline, time.perf_counter() + _LAGRANGE_SHARE * span)
        found = lagrange_bound(full, until)
        trace.lagrange_rounds = found.rounds
        trace.lagrange_s = time.perf_counter() - started
        bounds.append(_as_relaxation(full, found))
        monitor.bound(found.bound)
        planned = int(np.sum(found.x[full.used_col] > 0.5))
        best = _guided(prepared, data, guide_of(full, found), best, monitor, trace, started)
    if best is None or len(data) <= _GREEDY_MAX:
        best = _guided(prepared, data, None, best, monitor, trace, started)
    if monitor.cancelled:
        return _cut_short(best, _tightest(kind, bounds), started)
    monitor.enter(SolveStage.LP)
    magnitude = 1.0 if best is None else abs(best.objective) / full.objective_scale()
    lp_bound = _tightest(kind, bounds)
    monitor.bound(lp_bound)
    if best is not None and lp_bound is not None and _gap(best.objective, lp_bound) <= mip_gap:
        trace.lp_s = time.perf_counter() - started
        return _answer(SolveOutcome.OPTIMAL, best.posts, lp_bound, started)

    # The LP (over every creator, or a priced core) when its plan is small enough for it to
    # converge: it prices the per-creator rows too, and guides the kernel.
    relaxation: LpRelaxation | None = None
    if len(data) and planned <= _LP_PLAN_MAX and not monitor.cancelled:
        lp_deadline = min(deadline, started + _LP_SHARE * span)
        seed = promising(prepared, data, _CORE_SEED)
        if best is not None:
            seed = np.union1d(seed, np.flatnonzero(best.posts))
        if bounds:
            seed = np.union1d(seed, full.keep[bounds[0].x[full.used_col] > 0.5])
        relaxation = relax_lp(prepared, data, full, seed, lp_deadline)
    if relaxation is not None:
        # its multipliers of the coupling rows may still improve
        polish = min(deadline, time.perf_counter() + _POLISH_SHARE * span)
        polished = lagrange_bound(full, polish, relaxation.pi, magnitude)
        if _tighter(kind, polished.bound, relaxation.bound) == polished.bound:
            relaxation = replace(
                relaxation, pricing=polished.pricing, bound=polished.bound, pi=polished.pi
            )
        bounds.append(relaxation)
        guide = lp_guide(prepared, data, relaxation.model, relaxation.x)
        best = _guided(prepared, data, guide, best, monitor, trace, started)
    trace.lp_s = time.perf_counter() - started
    lp_bound = _tightest(kind, bounds)
    if lp_bound is None and len(data):
        # no bound in time: a weak bound that needs no solve still gives a true gap
        lp_bound = crude_bound(full)
    monitor.bound(lp_bound)

    if best is not None and lp_bound is not None and _gap(best.objective, lp_bound) <= mip_gap:
        return _answer(SolveOutcome.OPTIMAL, best.posts, lp_bound, started)
    if monitor.cancelled:
        return _cut_short(best, lp_bound, started)

    if best is not None and planned > _WINDOW_PLAN_MIN and bounds:
        # A plan of thousands of creators, with a bound the MIP over them would not move in
        # its time: the rest goes to improving the plan's margin, window by window.
        monitor.enter(SolveStage.KERNEL)
        reserve = _ANSWER_S_PER_CREATOR * int(np.sum(best.posts > 0))
        assert lp_bound is not None
        done = (
            lp_bound / (1 - mip_gap) if kind is ObjectiveKind.MIN_COST else lp_bound / (1 + mip_gap)
        )
        tightest = min(bounds, key=lambda proof: -proof.bound if minimize else proof.bound)
        order = margin_order(full, tightest.pricing)
        improved, trace.windows = improve(
            prepared,
            data,
            full,
            order,
            best,
            deadline - reserve,
            threads,
            RunListener(monitor.control),
            done,
        )
        if improved is not best:
            best = improved
            monitor.plan(best.objective, best.posts)
        trace.kernel_s = time.perf_counter() - started
        if _gap(best.objective, lp_bound) <= mip_gap:
            return _answer(SolveOutcome.OPTIMAL, best.posts, lp_bound, started)
        if monitor.cancelled or deadline - time.perf_counter() <= reserve:
            return _cut_short(best, lp_bound, started)

    keep: IntArray = np.arange(len(data), dtype=np.int64)
    if best is not None and relaxation is not None and trace.windows is None:
        monitor.enter(SolveStage.KERNEL)
        best = _kernel_plan(prepared, data, relaxation, best, deadline, mip_gap, threads, monitor)
        trace.kernel_s = time.perf_counter() - started
        assert lp_bound is not None
        if _gap(best.objective, lp_bound) <= mip_gap:
            return _answer(SolveOutcome.OPTIMAL, best.posts, lp_bound, started)
        if monitor.cancelled:
            return _cut_short(best, lp_bound, started)
    if best is not None and bounds:
        # each bound drops whom it proves cannot be in a better plan
        out = np.zeros(len(data), dtype=np.bool_)
        for proof in bounds:
            out |= fixed_out(proof, best.objective)
        keep = np.flatnonzero(~out | (best.posts > 0))
        if trace.windows is not None and len(keep) > _FINAL_MIP_MAX:
            # the MIP over that many would not move in its time; the windows did what could be
            return _cut_short(best, lp_bound, started)
    monitor.enter(SolveStage.MIP)
    trace.kept = len(keep)
    model = full if len(keep) == len(data) else build_arrays(prepared, keep=keep, data=data)
    start = None if best is None else best.posts[keep]
    floor = None if best is None else best.objective
    listener = _listener(
        prepared, data, model, monitor, _SANITY_TOL, final=True, floor=floor, lp_bound=lp_bound
    )
    mark = time.perf_counter()
    with listening(listener):
        raw = solve_arrays(model, deadline, mip_gap, threads, start=start)
    trace.mip_s = time.perf_counter() - mark

    if raw.outcome is SolveOutcome.INFEASIBLE and best is None:
        return raw
    posts = None if raw.posts is None else np.asarray(raw.posts, dtype=np.int64)
    # a sanity check of the solver's plan, as loose as the explainer's
    mip_plan = posts is not None and check_plan(prepared, data, posts, tol=_SANITY_TOL)
    if best is None:
        bound = _tighter(kind, raw.bound, lp_bound)
        return _answer(raw.outcome, posts, bound, started)
    # Every plan better than ``best`` is among the creators kept, so the full problem's bound
    # is the best plan's objective or the MIP's bound, whichever is weaker.
    mip_bound = raw.bound
    if mip_bound is not None:
        mip_bound = (
            min(mip_bound, best.objective)
            if kind is ObjectiveKind.MIN_COST
            else max(mip_bound, best.objective)
        )
    bound = _tighter(kind, mip_bound, lp_bound)
    if raw.outcome is SolveOutcome.OPTIMAL and mip_plan:
        assert posts is not None
        return _answer(SolveOutcome.OPTIMAL, posts, bound, started)
    chosen, value = best.posts, best.objective
    if mip_plan and posts is not None:
        mip_value = float(np.sum(data.objective(posts, kind, prepared.decay)))
        if _better(kind, mip_value, best.objective):
            chosen, value = posts, mip_value
    # the bound may have come from elsewhere than the MIP: the plan is then proven all the same
    proven = bound is not None and _gap(value, bound) <= mip_gap
    return _answer(
        SolveOutcome.OPTIMAL if proven else SolveOutcome.FEASIBLE, chosen, bound, started
    )


def _tightest(kind: ObjectiveKind, bounds: list[LpRelaxation]) -> float | None:
    out: float | None = None
    for proof in bounds:
        out = _tighter(kind, out, proof.bound)
    return out


def _as_relaxation(full: ArrayModel, found: LagrangeBound) -> LpRelaxation:
    """The Lagrangian bound in the shape of an LP's: its creators' best choices as the plan."""
    return LpRelaxation(full, found.x, found.pricing, found.bound, found.pi)


def _guided(
    prepared: Prepared,
    data: CandidateData,
    guide: Guide | None,
    best: FirstPlan | None,
    monitor: SolveMonitor,
    trace: SolveTrace,
    started: float,
) -> FirstPlan | None:
    """The better of ``best`` and the greedy fill (that follows ``guide``, if any)."""
    kind = prepared.problem.objective.kind
    guided = first_plan(prepared, data, guide)
    if guided is None or (best is not None and not _better(kind, guided.objective, best.objective)):
        return best
    monitor.plan(guided.objective, guided.posts)
    if trace.first_plan_s is None:
        trace.first_plan_s = time.perf_counter() - started
        trace.first_plan_objective = guided.objective
    return guided


def _kernel_plan(
    prepared: Prepared,
    data: CandidateData,
    relaxation: LpRelaxation,
    best: FirstPlan,
    deadline: float,
    mip_gap: float,
    threads: int | None,
    monitor: SolveMonitor,
) -> FirstPlan:
    """A better plan from a small MIP: the creators the LP uses, the best plan's, and those the
    LP's multipliers rank next. How much the reductions remove depends on how close the plan
    being beaten is to the optimum, and this is the cheap way to get close."""
    kind = prepared.problem.objective.kind
    used = np.zeros(len(data))
    used[relaxation.model.keep] = relaxation.x[relaxation.model.used_col]
    core = (used > 1e-6) | (best.posts > 0) | data.must
    outside = np.flatnonzero(~core)
    ranked = outside[np.argsort(-relaxation.pricing.bound_if_used()[outside], kind="stable")]
    extra = max(_KERNEL_SIZE - int(np.sum(core)), _KERNEL_OUTSIDE)
    kernel = np.union1d(np.flatnonzero(core), ranked[:extra])
    model = build_arrays(prepared, keep=kernel, data=data)
    remaining = deadline - time.perf_counter()
    stop = time.perf_counter() + min(_KERNEL_MAX_S, _KERNEL_SHARE * remaining)
    with listening(_listener(prepared, data, model, monitor, CHECK_TOL)):
        raw = solve_arrays(
            model, stop, max(mip_gap, _KERNEL_GAP), threads, start=best.posts[kernel]
        )
    if raw.posts is None:
        return best
    posts = np.asarray(raw.posts, dtype=np.int64)
    if not check_plan(prepared, data, posts):
        return best
    value = float(np.sum(data.objective(posts, kind, prepared.decay)))
    return FirstPlan(posts, value) if _better(kind, value, best.objective) else best


def _listener(
    prepared: Prepared,
    data: CandidateData,
    model: ArrayModel,
    monitor: SolveMonitor,
    tol: float,
    *,
    final: bool = False,
    floor: float | None = None,
    lp_bound: float | None = None,
) -> RunListener:
    """Passes the plans HiGHS finds on ``model`` to ``monitor``, if they meet the constraints up
    to ``tol``. For the ``final`` MIP, HiGHS's bound is passed on too, made valid for the full
    problem as the answer's is: ``floor`` is the objective of the plan the reductions kept up
    with (None when nothing was reduced)."""
    if not monitor.listening:
        return RunListener(monitor.control)
    kind = prepared.problem.objective.kind
    scale = model.objective_scale()

    def on_plan(x: FloatArray) -> None:
        posts = model.full_posts(model.posts_of(x))
        if check_plan(prepared, data, posts, tol=tol):
            monitor.plan(float(np.sum(data.objective(posts, kind, prepared.decay))), posts)

    def on_bound(scaled: float) -> None:
        bound = scaled * scale
        if floor is not None:
            bound = min(bound, floor) if kind is ObjectiveKind.MIN_COST else max(bound, floor)
        monitor.bound(_tighter(kind, bound, lp_bound))

    return RunListener(monitor.control, on_plan, on_bound if final else None)


def _cut_short(best: FirstPlan | None, bound: float | None, started: float) -> RawSolution:
    """The answer when a cancel stops the solve between steps: the best plan so far."""
    if best is None:
        return _answer(SolveOutcome.NO_SOLUTION, None, None, started)
    return _answer(SolveOutcome.FEASIBLE, best.posts, bound, started)


def _answer(
    outcome: SolveOutcome, posts: IntArray | None, bound: float | None, started: float
) -> RawSolution:
    return RawSolution(
        outcome=outcome,
        posts=None if posts is None else tuple(int(k) for k in posts),
        bound=bound,
        backend=Backend.HIGHS,
        wall_time_s=time.perf_counter() - started,
    )
