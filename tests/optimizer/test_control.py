"""A running solve can be cancelled from another thread and reports its progress.

Cancels are triggered by the solve's own progress (a stage starting, HiGHS reporting from its
thread), never by sleeping and hoping the solve is somewhere interesting by then.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import math
import random
import threading
import time
from collections.abc import Callable

import pytest

from bench.instances import Variant, instance
from optimizer import (
    Backend,
    ObjectiveKind,
    PlanProblem,
    PlanResult,
    PlanStatus,
    Progress,
    SolveControl,
    SolveStage,
    StopReason,
    optimize,
)
from optimizer.arrays import build_arrays
from optimizer.constraints import ConstraintKind, ConstraintRef
from optimizer.explain import describe
from optimizer.highs_run import RunListener, listening, run_highs
from optimizer.prepare import prepare
from optimizer.relax import tighten
from tests.optimizer.bruteforce import assert_sound_plan, creator, random_problem

STAGE_ORDER = list(SolveStage)
# How long after a cancel the answer may take, HiGHS's interrupt and the answer's figures included.
CANCEL_LATENCY_S = 1.0


def with_limits(problem: PlanProblem, time_limit_s: float, mip_gap: float = 1e-4) -> PlanProblem:
    options = dataclasses.replace(problem.options, time_limit_s=time_limit_s, mip_gap=mip_gap)
    return dataclasses.replace(problem, options=options)


def on_backend(problem: PlanProblem, backend: Backend) -> PlanProblem:
    options = dataclasses.replace(problem.options, backend=backend)
    return dataclasses.replace(problem, options=options)


@pytest.fixture(scope="module")
def slow_10k() -> PlanProblem:
    # capacity-bound, at most 500 creators: still not proven after 20 s
    variant = Variant(decay=0.85, binding="capacity", max_influencers=500)
    return instance(10_000, seed=2, variant=variant, time_limit_s=60.0)


@pytest.fixture(scope="module")
def quick_10k() -> PlanProblem:
    # the same shape, proven optimal in about 3 s
    variant = Variant(decay=1.0, binding="capacity", max_influencers=500)
    return instance(10_000, seed=1, variant=variant, time_limit_s=60.0)


def same_answer(a: PlanResult, b: PlanResult) -> None:
    assert a.status is b.status
    assert a.solver.stopped_by is b.solver.stopped_by
    if a.solver.objective is None:
        assert b.solver.objective is None
    else:
        assert b.solver.objective == pytest.approx(a.solver.objective, rel=1e-9, abs=1e-9)
    assert a.diagnostics.relaxation == b.diagnostics.relaxation


def then_progress_is_orderly(events: list[Progress], result: PlanResult, minimize: bool) -> None:
    """Stages in pipeline order, time never going back, plans and bounds never getting worse,
    and the last report carrying the answer's figures."""
    assert events, "no progress was reported"
    assert events[0].stage is SolveStage.PREPARE
    assert events[-1].stage is SolveStage.DONE
    positions = [STAGE_ORDER.index(e.stage) for e in events]
    assert positions == sorted(positions)
    elapsed = [e.elapsed_s for e in events]
    assert elapsed == sorted(elapsed)
    sign = -1.0 if minimize else 1.0
    objectives = [sign * e.objective for e in events if e.objective is not None]
    for earlier, later in itertools.pairwise(objectives):
        assert later >= earlier - 1e-9 * max(1.0, abs(earlier))
    bounds = [sign * e.bound for e in events[:-1] if e.bound is not None]
    for earlier, later in itertools.pairwise(bounds):
        assert later <= earlier + 1e-9 * max(1.0, abs(earlier))
    last = events[-1]
    assert (last.objective, last.bound, last.gap) == (
        result.solver.objective,
        result.solver.bound,
        result.solver.gap,
    )


# --- a control that is never cancelled -----------------------------------------------------


@pytest.mark.parametrize("seed", range(12))
def test_unused_control_gives_the_same_answer_on_small_problems(seed: int) -> None:
    # given a small random problem (some infeasible, some with must_include removed)
    problem = random_problem(random.Random(seed))
    # when solved with and without a control that listens but never cancels
    events: list[Progress] = []
    plain = optimize(problem)
    controlled = optimize(problem, control=SolveControl(on_progress=events.append))
    # then the answers agree, and the progress told along the way is orderly
    same_answer(plain, controlled)
    minimize = problem.objective.kind is ObjectiveKind.MIN_COST
    then_progress_is_orderly(events, controlled, minimize)


@pytest.mark.parametrize(
    ("n", "seed", "variant"),
    [
        (500, 1, Variant(decay=1.0)),
        (1_000, 2, Variant(decay=0.85, binding="capacity")),
        (1_000, 1, Variant(decay=1.0, max_influencers=500)),
    ],
)
def test_unused_control_gives_the_same_answer_on_bench_instances(
    n: int, seed: int, variant: Variant
) -> None:
    # given a seeded catalog
    problem = instance(n, seed=seed, variant=variant, time_limit_s=60.0)
    # when
    plain = optimize(problem)
    controlled = optimize(problem, control=SolveControl(on_progress=lambda _: None))
    # then
    assert plain.status is PlanStatus.OPTIMAL
    same_answer(plain, controlled)


def test_progress_follows_the_pipeline_and_ends_with_the_answer(quick_10k: PlanProblem) -> None:
    # given a 10k catalog that takes a few seconds to prove
    events: list[Progress] = []
    # when
    result = optimize(quick_10k, control=SolveControl(on_progress=events.append))
    # then every stage of the HiGHS pipeline is reported, in order
    assert result.status is PlanStatus.OPTIMAL
    assert result.solver.stopped_by is None
    then_progress_is_orderly(events, result, minimize=False)
    stages = {e.stage for e in events}
    assert {SolveStage.FIRST_PLAN, SolveStage.LP, SolveStage.EXPLAIN} <= stages
    assert any(e.objective is not None and e.stage is SolveStage.FIRST_PLAN for e in events)
    assert any(e.bound is not None and e.stage is SolveStage.LP for e in events)


def test_raising_on_progress_does_not_break_the_solve(
    quick_10k: PlanProblem, caplog: pytest.LogCaptureFixture
) -> None:
    # given a callback that always raises
    calls: list[Progress] = []

    def broken(progress: Progress) -> None:
        calls.append(progress)
        raise RuntimeError("progress sink is down")

    problem = instance(500, seed=1, variant=Variant(decay=1.0))
    # when
    with caplog.at_level(logging.ERROR, logger="optimizer.control"):
        result = optimize(problem, control=SolveControl(on_progress=broken))
    # then the answer is the one without a callback; the callback was dropped after its first
    # failure, which is logged with its traceback
    same_answer(optimize(problem), result)
    assert len(calls) == 1
    (record,) = caplog.records
    assert record.exc_info is not None


# --- cancelling ----------------------------------------------------------------------------


def test_cancel_during_the_mip_returns_the_best_plan_at_once(slow_10k: PlanProblem) -> None:
    # given a solve far from proven after 20 s, cancelled from another thread as soon as
    # HiGHS reports progress from inside the MIP
    inside_mip = threading.Event()

    def on_progress(progress: Progress) -> None:
        if progress.stage is SolveStage.MIP and threading.current_thread() is not (
            threading.main_thread()
        ):
            inside_mip.set()

    control = SolveControl(on_progress=on_progress)
    cancelled_at: list[float] = []

    def cancel_when_inside_the_mip() -> None:
        if inside_mip.wait(60.0):
            cancelled_at.append(time.perf_counter())
            control.cancel()

    canceller = threading.Thread(target=cancel_when_inside_the_mip, daemon=True)
    canceller.start()
    # when
    result = optimize(slow_10k, control=control)
    answered_at = time.perf_counter()
    # then a sound plan comes back within a second of the cancel, cut short by it
    assert cancelled_at, "HiGHS reported no progress from inside the MIP"
    assert answered_at - cancelled_at[0] < CANCEL_LATENCY_S
    assert result.status is PlanStatus.FEASIBLE
    assert result.solver.stopped_by is StopReason.CANCELLED
    assert_sound_plan(slow_10k, result)
    assert result.solver.gap is not None
    assert result.solver.gap >= 0
    assert result.solver.bound is not None
    assert result.solver.objective is not None
    assert result.solver.bound >= result.solver.objective
    assert any(n.startswith("cancelled after") for n in result.diagnostics.notes)


def stopped_as_the_lp_starts(
    stop: Callable[[SolveControl], None], events: list[Progress]
) -> SolveControl:
    """A control that hears progress into ``events`` and is stopped by ``stop`` as the LP
    starts, when only the greedy plan exists."""
    control = SolveControl()

    def on_progress(progress: Progress) -> None:
        events.append(progress)
        if progress.stage is SolveStage.LP:
            stop(control)

    control.on_progress = on_progress
    return control


def test_cancel_between_steps_keeps_the_first_plan() -> None:
    # given a solve cancelled as the LP starts, when only the greedy plan exists
    problem = instance(2_000, seed=1, variant=Variant(decay=0.85))
    events: list[Progress] = []
    control = stopped_as_the_lp_starts(SolveControl.cancel, events)
    # when
    result = optimize(problem, control=control)
    # then the greedy plan is the answer, and nothing ran past the LP
    assert result.status is PlanStatus.FEASIBLE
    assert result.solver.stopped_by is StopReason.CANCELLED
    assert_sound_plan(problem, result)
    assert {e.stage for e in events} == {
        SolveStage.PREPARE,
        SolveStage.FIRST_PLAN,
        SolveStage.LP,
        SolveStage.EXPLAIN,
        SolveStage.DONE,
    }
    then_progress_is_orderly(events, result, minimize=False)


def test_expire_stops_as_the_time_limit_would() -> None:
    # given a solve expired (not cancelled) as the LP starts
    problem = instance(2_000, seed=1, variant=Variant(decay=0.85))
    control = stopped_as_the_lp_starts(SolveControl.expire, [])
    # when
    result = optimize(problem, control=control)
    # then the greedy plan is the answer, cut by the time limit, with no word of a cancel
    assert result.status is PlanStatus.FEASIBLE
    assert result.solver.stopped_by is StopReason.TIME_LIMIT
    assert control.cancelled
    assert control.cancelled_at is None
    assert_sound_plan(problem, result)
    assert not any("cancel" in n for n in result.diagnostics.notes)


@pytest.mark.parametrize("backend", [Backend.HIGHS, Backend.CBC])
def test_cancel_before_the_call_answers_at_once_without_a_plan(
    slow_10k: PlanProblem, backend: Backend
) -> None:
    # given a control cancelled before the solve starts
    control = SolveControl()
    control.cancel()
    control.cancel()  # a second cancel changes nothing
    # when: CPU time, not wall time, so a busy machine does not make it look slow
    started = time.process_time()
    result = optimize(on_backend(slow_10k, backend), control=control)
    worked = time.process_time() - started
    # then
    assert worked < CANCEL_LATENCY_S
    assert result.status is PlanStatus.FAILED
    assert result.solver.stopped_by is StopReason.CANCELLED
    assert result.allocations == ()
    (note,) = (n for n in result.diagnostics.notes if "cancelled" in n)
    assert note == "cancelled before the solve started, before any plan was found"


def test_cancel_while_explaining_an_infeasible_request_keeps_it_infeasible() -> None:
    # given three equal creators under the default 25% cap (infeasible), cancelled as the
    # explanation starts
    problem = PlanProblem(
        budget=1000,
        candidates=tuple(creator(c, 10_000, 0.05, 100) for c in "abc"),
    )
    control = SolveControl()
    control.on_progress = lambda p: control.cancel() if p.stage is SolveStage.EXPLAIN else None
    # when
    result = optimize(problem, control=control)
    # then
    assert result.status is PlanStatus.INFEASIBLE
    assert result.solver.stopped_by is StopReason.CANCELLED
    assert result.diagnostics.relaxation == ()
    assert any("before a relaxation was found" in n for n in result.diagnostics.notes)


def test_tightening_stopped_early_answers_the_relaxation_found() -> None:
    # given a share cap that must rise to 100/310, and an elastic plan that asked for 100%
    problem = PlanProblem(
        budget=1000,
        candidates=(
            creator("a", 10_000, 0.05, 100),
            creator("b", 10_000, 0.05, 100),
            creator("c", 10_000, 0.05, 100),
            creator("d", 10_000, 0.05, 10),
        ),
    )
    found = (describe(ConstraintRef(ConstraintKind.MAX_SHARE_PER_INFLUENCER), 0.25, 1.0),)
    deadline = time.perf_counter() + 30.0
    # when tightening is stopped after its second look, or not at all
    looks = itertools.count()
    stopped = tighten(problem, found, deadline, stop=lambda: next(looks) >= 2)
    full = tighten(problem, found, deadline)
    # then the stopped one answers what was found, which is sound though not the least
    assert stopped == found
    (entry,) = full
    assert entry.required == pytest.approx(100 / 310)


def test_run_highs_wakes_up_on_cancel_even_in_presolve() -> None:
    # given a model whose presolve runs for seconds without looking at any clock or callback,
    # a deadline a minute away, and a cancel wherever the run happens to be after 0.3 s
    model = build_arrays(prepare(instance(30_000, seed=1, variant=Variant(decay=0.85))))
    control = SolveControl()
    timer = threading.Timer(0.3, control.cancel)
    # when
    with listening(RunListener(control)):
        timer.start()
        run = run_highs(model, time.perf_counter() + 60.0, 1e-4)
    answered_at = time.perf_counter()
    timer.join()
    # then it answers within moments of the cancel, not at the deadline
    cancelled_at = control.cancelled_at
    assert cancelled_at is not None
    assert answered_at - cancelled_at < 0.5
    assert run.status is None or run.stopped_early


# --- why a solve stopped -------------------------------------------------------------------


def test_time_limit_cut_off_says_so(slow_10k: PlanProblem) -> None:
    # given a one-second limit on a solve that takes far longer
    result = optimize(with_limits(slow_10k, 1.0), control=SolveControl())
    # then
    assert result.status in (PlanStatus.FEASIBLE, PlanStatus.FAILED)
    assert result.solver.stopped_by is StopReason.TIME_LIMIT
    assert not any("cancelled" in n for n in result.diagnostics.notes)


def test_time_limit_before_any_plan_says_so() -> None:
    # given a limit too short for anything but preparing 30,000 creators
    problem = with_limits(instance(30_000, seed=1, variant=Variant(decay=0.85)), 1e-6)
    # when
    result = optimize(problem)
    # then
    if result.status is PlanStatus.FAILED:
        assert result.solver.stopped_by is StopReason.TIME_LIMIT
        assert "the time limit ran out before any plan was found" in result.diagnostics.notes
    else:
        assert result.status is PlanStatus.FEASIBLE
        assert result.solver.stopped_by is StopReason.TIME_LIMIT


def test_full_solve_says_nothing_stopped_it() -> None:
    # given
    problem = instance(500, seed=1, variant=Variant(decay=1.0))
    # when
    result = optimize(problem)
    # then
    assert result.status is PlanStatus.OPTIMAL
    assert result.solver.stopped_by is None
    assert math.isfinite(result.solver.wall_time_s)
