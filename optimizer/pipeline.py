"""The HiGHS solve of a prepared problem: a bound and a plan first, then reductions, then a MIP.

0. When the share cap and the creator limit force near-equal spends (a cap of 1/k with at most
   k creators asks for k equal ones), only creators in a band of close spends can be in a plan
   (``reduce.share_band``): no band answers infeasible at once, and a band of a few creators is
   the whole problem, solved by the MIP over them.
1. The Lagrangian bound over the rows that couple creators (``lagrange``) gives a valid bound
   within a fraction of a second, even over 100,000 creators; its creators' choices, repaired by
   the greedy fill (``first_plan``), are the first plan. On small problems the greedy fill's own
   orders are tried too, and they stand in whenever the guided fill finds nothing. When those
   choices hold hundreds of creators or more, they are also repaired exactly: their margin
   re-solved with the others held (``neighbourhood.repair``), which loses far less than the
   fill where several share rows leave little room.
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
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from optimizer.arrays import (
    ArrayModel,
    BoolArray,
    CandidateData,
    FloatArray,
    IntArray,
    build_arrays,
)
from optimizer.control import SolveMonitor, SolveStage
from optimizer.first_plan import (
    CHECK_TOL,
    FirstPlan,
    Guide,
    check_plan,
    first_plan,
    lp_guide,
    plan_objective,
    promising,
)
from optimizer.highs_run import RunListener, listening
from optimizer.lagrange import LagrangeBound, guide_of, lagrange_bound
from optimizer.model import overlap_rows, risk_rows
from optimizer.neighbourhood import improve, margin_order, repair
from optimizer.prepare import Prepared
from optimizer.problem import Backend
from optimizer.reduce import LpRelaxation, crude_bound, fixed_out, relax_lp, share_band
from optimizer.sense import Sense, gap
from optimizer.solve import RawSolution, SolveOutcome, raw_solution, solve_arrays
from optimizer.tail_cuts import solve_by_cuts

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
# When the share cap and the creator limit leave room for at most this many creators, the MIP
# over them is solved at once.
_BAND_MIP_MAX = 2_000
# Up to this many creators the greedy fill's own orders are tried too (it costs a pass over the
# creators per order and round, in Python).
_GREEDY_MAX = 5_000
# Up to this many creators, a problem that brings a plan to start from goes to the MIP at once.
_STARTED_MIP_MAX = 300
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


class _Solve:
    """One solve_highs call: the steps of the module's docstring, each of which may answer."""

    def __init__(
        self,
        prepared: Prepared,
        deadline: float,
        mip_gap: float,
        threads: int | None,
        trace: SolveTrace,
        monitor: SolveMonitor,
        started: float,
    ) -> None:
        self.prepared = prepared
        self.deadline = deadline
        self.mip_gap = mip_gap
        self.threads = threads
        self.trace = trace
        self.monitor = monitor
        self.started = started
        self.sense = Sense.of(prepared.problem.objective.kind)
        self.data = CandidateData.of(prepared)
        self.span = deadline - started
        # Bounds found so far, each with the multipliers that prove it.
        self.bounds: list[LpRelaxation] = []
        self.planned = len(self.data)
        self.best: FirstPlan | None = None
        self.lp_bound: float | None = None
        self.relaxation: LpRelaxation | None = None
        self.keep: IntArray = np.arange(len(self.data), dtype=np.int64)
        # the creators the share cap and the creator limit leave room for (None: every one)
        self.band: BoolArray | None = None
        self.full: ArrayModel  # the model of every creator, built in the first step
        # Windows and the exact repair hold creators fixed outside their MIP, which enter it
        # through the plan-wide rows only; a pair with one creator held would enter it through
        # a pair row. With pair rows both steps are left out: the kernel MIP and the MIP over
        # the creators left, which hold the others at zero (their pairs then cost nothing),
        # stay exact.
        self.paired = overlap_rows(prepared)
        trace.candidates = len(self.data)

    def proven(self, value: float, bound: float | None) -> bool:
        return bound is not None and gap(value, bound) <= self.mip_gap

    def optimal(self) -> RawSolution | None:
        """The best plan, proven, when the bound so far proves it."""
        if self.best is not None and self.proven(self.best.objective, self.lp_bound):
            return _answer(SolveOutcome.OPTIMAL, self.best.posts, self.lp_bound, self.started)
        return None

    def guided(self, guide: Guide | None) -> None:
        self.best = _guided(
            self.prepared, self.data, guide, self.best, self.monitor, self.trace, self.started
        )

    def first_plans(self) -> RawSolution | None:
        """Step 1: the Lagrangian bound and the first plans."""
        monitor, trace, data = self.monitor, self.trace, self.data
        monitor.enter(SolveStage.FIRST_PLAN)
        if monitor.cancelled:
            return _answer(SolveOutcome.NO_SOLUTION, None, None, self.started)
        self.band = band = share_band(self.prepared, data)
        if band is not None and not band.any():
            return _answer(SolveOutcome.INFEASIBLE, None, None, self.started)
        if band is not None and np.count_nonzero(band) <= min(_BAND_MIP_MAX, len(data) - 1):
            # every plan is among these few creators: the MIP over them is the whole problem
            self.keep = np.flatnonzero(band)
            return self.final_mip()
        mark = time.perf_counter()
        self.full = full = build_arrays(self.prepared, data=data)
        trace.build_s = time.perf_counter() - mark
        if len(data):
            # The Lagrangian's plan, repaired by the greedy fill, is the first plan; the greedy
            # fill alone only where it is cheap, or when that failed.
            until = min(self.deadline, time.perf_counter() + _LAGRANGE_SHARE * self.span)
            found = lagrange_bound(full, until)
            trace.lagrange_rounds = found.rounds
            trace.lagrange_s = time.perf_counter() - self.started
            self.bounds.append(_as_relaxation(full, found))
            monitor.bound(found.bound)
            self.planned = int(np.sum(found.x[full.used_col] > 0.5))
            self.guided(guide_of(full, found))
            proven = self.best is not None and self.proven(self.best.objective, found.bound)
            if self.planned > _WINDOW_PLAN_MIN and not proven and not self.paired:
                self.repaired(found)
        self.from_start()
        if self.best is None or len(data) <= _GREEDY_MAX:
            self.guided(None)
        if monitor.cancelled:
            return _cut_short(self.best, _tightest(self.sense, self.bounds), self.started)
        return None

    def start_only(self) -> RawSolution | None:
        """Step 1 when the MIP goes straight after the request's start: the model, that plan."""
        self.monitor.enter(SolveStage.FIRST_PLAN)
        self.full = build_arrays(self.prepared, data=self.data)
        self.from_start()
        return None

    def from_start(self) -> None:
        """The plan the request starts from, when it is better than the first plans."""
        posts = given_start(self.prepared, self.data)
        if posts is None:
            return
        kind = self.prepared.problem.objective.kind
        objective = float(np.sum(self.data.objective(posts, kind, self.prepared.decay)))
        if self.best is None or self.sense.better(objective, self.best.objective):
            self.best = FirstPlan(posts, objective)
            self.monitor.plan(objective, posts)

    def repaired(self, found: LagrangeBound) -> None:
        """The Lagrangian's choices with their margin re-solved, the others held: on plans of
        thousands they may miss a share row by a few percent of the spend, which the greedy
        fill repairs at a loss of percents where the rows leave little room."""
        full = self.full
        used = found.x[full.used_col] > 0.5
        posts = np.zeros(len(self.data), dtype=np.int64)
        posts[full.keep[used]] = found.pricing.posts_used[used]
        listener = RunListener(self.monitor.control)
        order = margin_order(full, found.pricing)
        plan = repair(
            self.prepared, self.data, full, order, posts, self.deadline, self.threads, listener
        )
        if plan is not None and (
            self.best is None or self.sense.better(plan.objective, self.best.objective)
        ):
            self.best = plan
            self.monitor.plan(plan.objective, plan.posts)

    def bound_by_lp(self) -> RawSolution | None:
        """Step 2: the LP relaxation, when the plan is small enough for it to converge."""
        monitor, data, full, best = self.monitor, self.data, self.full, self.best
        monitor.enter(SolveStage.LP)
        magnitude = 1.0 if best is None else abs(best.objective) / full.objective_scale()
        self.lp_bound = _tightest(self.sense, self.bounds)
        monitor.bound(self.lp_bound)
        if (answer := self.optimal()) is not None:
            self.trace.lp_s = time.perf_counter() - self.started
            return answer
        if len(data) and self.planned <= _LP_PLAN_MAX and not monitor.cancelled:
            lp_deadline = min(self.deadline, self.started + _LP_SHARE * self.span)
            seed = promising(self.prepared, data, _CORE_SEED)
            if best is not None:
                seed = np.union1d(seed, np.flatnonzero(best.posts))
            if self.bounds:
                seed = np.union1d(seed, full.keep[self.bounds[0].x[full.used_col] > 0.5])
            self.relaxation = relax_lp(self.prepared, data, full, seed, lp_deadline)
        if self.relaxation is not None:
            self.polish(magnitude)
        self.trace.lp_s = time.perf_counter() - self.started
        self.lp_bound = _tightest(self.sense, self.bounds)
        if self.lp_bound is None and len(data):
            # no bound in time: a weak bound that needs no solve still gives a true gap
            self.lp_bound = crude_bound(full)
        monitor.bound(self.lp_bound)
        if (answer := self.optimal()) is not None:
            return answer
        if monitor.cancelled:
            return _cut_short(self.best, self.lp_bound, self.started)
        return None

    def polish(self, magnitude: float) -> None:
        """The LP's multipliers of the coupling rows may still improve; its plan guides a fill."""
        relaxation = self.relaxation
        assert relaxation is not None
        polish = min(self.deadline, time.perf_counter() + _POLISH_SHARE * self.span)
        polished = lagrange_bound(self.full, polish, relaxation.pi, magnitude)
        if self.sense.tighter(polished.bound, relaxation.bound) == polished.bound:
            relaxation = replace(
                relaxation, pricing=polished.pricing, bound=polished.bound, pi=polished.pi
            )
            self.relaxation = relaxation
        self.bounds.append(relaxation)
        self.guided(lp_guide(self.prepared, self.data, relaxation.model, relaxation.x))

    def windows(self) -> RawSolution | None:
        """Step 3 for a plan of thousands of creators, with a bound the MIP over them would not
        move in its time: the rest goes to improving the plan's margin, window by window."""
        best, monitor, trace = self.best, self.monitor, self.trace
        if best is None or self.planned <= _WINDOW_PLAN_MIN or not self.bounds or self.paired:
            return None
        monitor.enter(SolveStage.KERNEL)
        reserve = _ANSWER_S_PER_CREATOR * int(np.sum(best.posts > 0))
        assert self.lp_bound is not None
        done = self.sense.within_gap(self.lp_bound, self.mip_gap)
        tightest = min(self.bounds, key=lambda proof: self.sense.sign * proof.bound)
        order = margin_order(self.full, tightest.pricing)
        improved, trace.windows = improve(
            self.prepared,
            self.data,
            self.full,
            order,
            best,
            self.deadline - reserve,
            self.threads,
            RunListener(monitor.control),
            done,
        )
        if improved is not best:
            self.best = improved
            monitor.plan(improved.objective, improved.posts)
        trace.kernel_s = time.perf_counter() - self.started
        if (answer := self.optimal()) is not None:
            return answer
        if monitor.cancelled or self.deadline - time.perf_counter() <= reserve:
            return _cut_short(self.best, self.lp_bound, self.started)
        return None

    def kernel(self) -> RawSolution | None:
        """Step 3 for a smaller plan: a kernel MIP over the LP's creators and those priced next."""
        best, relaxation = self.best, self.relaxation
        if best is None or relaxation is None or self.trace.windows is not None:
            return None
        self.monitor.enter(SolveStage.KERNEL)
        self.best = _kernel_plan(
            self.prepared,
            self.data,
            relaxation,
            best,
            self.deadline,
            self.mip_gap,
            self.threads,
            self.monitor,
        )
        self.trace.kernel_s = time.perf_counter() - self.started
        assert self.lp_bound is not None
        if (answer := self.optimal()) is not None:
            return answer
        if self.monitor.cancelled:
            return _cut_short(self.best, self.lp_bound, self.started)
        return None

    def reduce(self) -> RawSolution | None:
        """Step 4, first half: each bound drops whom it proves cannot be in a better plan."""
        best = self.best
        out = np.zeros(len(self.data), dtype=np.bool_) if self.band is None else ~self.band
        if best is not None:
            for proof in self.bounds:
                out |= fixed_out(proof, best.objective)
            out &= best.posts == 0
        self.keep = np.flatnonzero(~out)
        if best is None:
            return None
        if self.trace.windows is not None and len(self.keep) > _FINAL_MIP_MAX:
            # the MIP over that many would not move in its time; the windows did what could be
            return _cut_short(best, self.lp_bound, self.started)
        return None

    def final_mip(self) -> RawSolution:
        """Step 4: HiGHS on the creators left, from the best plan, until the deadline."""
        prepared, data, best, keep = self.prepared, self.data, self.best, self.keep
        self.monitor.enter(SolveStage.MIP)
        self.trace.kept = len(keep)
        model = (
            self.full if len(keep) == len(data) else build_arrays(prepared, keep=keep, data=data)
        )
        floor = None if best is None else best.objective
        listener = _listener(
            prepared,
            data,
            model,
            self.monitor,
            _SANITY_TOL,
            final=True,
            floor=floor,
            lp_bound=self.lp_bound,
        )
        mark = time.perf_counter()
        with listening(listener):
            start = None if best is None else best.posts[keep]
            raw = solve_arrays(model, self.deadline, self.mip_gap, self.threads, start=start)
        self.trace.mip_s = time.perf_counter() - mark
        return self.final_answer(raw)

    def final_answer(self, raw: RawSolution) -> RawSolution:
        best, sense, started = self.best, self.sense, self.started
        if raw.outcome is SolveOutcome.INFEASIBLE and best is None:
            return raw
        posts = None if raw.posts is None else np.asarray(raw.posts, dtype=np.int64)
        # a sanity check of the solver's plan, as loose as the explainer's
        mip_plan = posts is not None and check_plan(
            self.prepared, self.data, posts, tol=_SANITY_TOL
        )
        if best is None:
            return _answer(raw.outcome, posts, sense.tighter(raw.bound, self.lp_bound), started)
        # Every plan better than ``best`` is among the creators kept, so the full problem's
        # bound is the best plan's objective or the MIP's bound, whichever is weaker.
        mip_bound = None if raw.bound is None else sense.best(raw.bound, best.objective)
        bound = sense.tighter(mip_bound, self.lp_bound)
        if raw.outcome is SolveOutcome.OPTIMAL and mip_plan:
            assert posts is not None
            return _answer(SolveOutcome.OPTIMAL, posts, bound, started)
        chosen, value = best.posts, best.objective
        if mip_plan and posts is not None:
            mip_value = plan_objective(self.prepared, self.data, posts)
            if sense.better(mip_value, best.objective):
                chosen, value = posts, mip_value
        # the bound may have come from elsewhere than the MIP: the plan is proven all the same
        outcome = SolveOutcome.OPTIMAL if self.proven(value, bound) else SolveOutcome.FEASIBLE
        return _answer(outcome, chosen, bound, started)


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
    if monitor is None:
        monitor = SolveMonitor(None, started, Sense.of(prepared.problem.objective.kind))
    trace = trace if trace is not None else SolveTrace()
    if risk_rows(prepared):
        return solve_by_cuts(prepared, deadline, mip_gap, threads, monitor, started, solve_highs)
    solve = _Solve(prepared, deadline, mip_gap, threads, trace, monitor, started)
    steps: tuple[Callable[[], RawSolution | None], ...] = (
        solve.first_plans,
        solve.bound_by_lp,
        solve.windows,
        solve.kernel,
        solve.reduce,
    )
    if prepared.problem.options.start and len(solve.data) <= _STARTED_MIP_MAX:
        # a small problem with a plan to start from (a lever's): HiGHS from that plan proves
        # it in about half the time the steps take
        steps = (solve.start_only,)
    for step in steps:
        answer = step()
        if answer is not None:
            return answer
    return solve.final_mip()


def given_start(prepared: Prepared, data: CandidateData) -> IntArray | None:
    """The request's own start (``SolveOptions.start``) per eligible candidate, when it meets
    every constraint (a problem without CVaR rows: those are solved by cuts)."""
    start = prepared.problem.options.start
    if not start:
        return None
    posts = np.array([start.get(e.candidate.id, 0) for e in prepared.eligible], dtype=np.int64)
    if not np.any(posts) or not check_plan(prepared, data, posts, tol=_SANITY_TOL):
        return None
    return posts


def _tightest(sense: Sense, bounds: list[LpRelaxation]) -> float | None:
    out: float | None = None
    for proof in bounds:
        out = sense.tighter(out, proof.bound)
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
    sense = Sense.of(prepared.problem.objective.kind)
    guided = first_plan(prepared, data, guide)
    if guided is None or (best is not None and not sense.better(guided.objective, best.objective)):
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
    value = plan_objective(prepared, data, posts)
    better = Sense.of(kind).better(value, best.objective)
    return FirstPlan(posts, value) if better else best


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
    sense = Sense.of(kind)
    scale = model.objective_scale()

    def on_plan(x: FloatArray) -> None:
        posts = model.full_posts(model.posts_of(x))
        if check_plan(prepared, data, posts, tol=tol):
            monitor.plan(plan_objective(prepared, data, posts), posts)

    def on_bound(scaled: float) -> None:
        bound = scaled * scale
        if floor is not None:
            bound = sense.best(bound, floor)
        monitor.bound(sense.tighter(bound, lp_bound))

    return RunListener(monitor.control, on_plan, on_bound if final else None)


def _cut_short(best: FirstPlan | None, bound: float | None, started: float) -> RawSolution:
    """The answer when a cancel stops the solve between steps: the best plan so far."""
    if best is None:
        return _answer(SolveOutcome.NO_SOLUTION, None, None, started)
    return _answer(SolveOutcome.FEASIBLE, best.posts, bound, started)


def _answer(
    outcome: SolveOutcome, posts: IntArray | None, bound: float | None, started: float
) -> RawSolution:
    return raw_solution(outcome, posts, bound, Backend.HIGHS, started)
