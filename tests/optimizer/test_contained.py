"""Solves in solver processes: answered by their deadline whatever the process does, and
nothing left running afterwards.

Real processes throughout; every wait is bounded and tied to an event the solve reports (a
stage, a plan), never to a sleep that hopes the solve is somewhere by then.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
import time
from collections.abc import Iterator

import psutil
import pytest

from bench.instances import Variant, instance
from optimizer import (
    Backend,
    NoFreeSolverError,
    PlanProblem,
    PlanResult,
    PlanStatus,
    ProblemValidationError,
    Progress,
    SolveControl,
    SolveStage,
    StopReason,
    optimize,
    solver_process,
)
from optimizer.contained import Message, SolverPool, pack_problem, unpack_problem
from optimizer.highs_run import HIGHS_THREAD
from tests.optimizer.bruteforce import assert_sound_plan, creator

# Generous bounds for a loaded machine: how long a process may take to start, and a solve that
# should take well under a second to answer.
START_S = 60.0
SLACK_S = 1.0


def with_limit(
    problem: PlanProblem, time_limit_s: float, backend: Backend = Backend.HIGHS
) -> PlanProblem:
    changed = dataclasses.replace(problem.options, time_limit_s=time_limit_s, backend=backend)
    return dataclasses.replace(problem, options=changed)


@pytest.fixture
def pool() -> Iterator[SolverPool]:
    solver_pool = SolverPool(1)
    solver_pool.start()
    assert solver_pool.wait_ready(START_S)
    yield solver_pool
    solver_pool.close()


@pytest.fixture(scope="module")
def roster_1k() -> PlanProblem:
    return instance(1_000, seed=1, variant=Variant(), time_limit_s=30.0)


@pytest.fixture(scope="module")
def slow_10k() -> PlanProblem:
    # capacity-bound, at most 500 creators: not proven for a long while
    variant = Variant(decay=0.85, binding="capacity", max_influencers=500)
    return instance(10_000, seed=2, variant=variant, time_limit_s=60.0)


def ours_left() -> list[psutil.Process]:
    return list(psutil.Process().children(recursive=True))


def gone(pid: int) -> bool:
    try:
        return bool(psutil.Process(pid).status() == psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return True


def wait_until_gone(pid: int, until: float) -> None:
    while not gone(pid):
        assert time.perf_counter() < until, f"process {pid} outlived its solve"
        time.sleep(0.01)


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


class StageWatch:
    """A control that sets an event once a stage is reported (and, optionally, a plan)."""

    def __init__(self, stage: SolveStage, *, with_plan: bool = False) -> None:
        self.stage, self.with_plan = stage, with_plan
        self.reached = threading.Event()
        self.control = SolveControl(on_progress=self.hear)

    def hear(self, progress: Progress) -> None:
        at_stage = list(SolveStage).index(progress.stage) >= list(SolveStage).index(self.stage)
        if at_stage and (progress.objective is not None or not self.with_plan):
            self.reached.set()


def solve_in_thread(
    pool: SolverPool, problem: PlanProblem, **kwargs: object
) -> tuple[threading.Thread, list[PlanResult]]:
    answers: list[PlanResult] = []

    def run() -> None:
        answers.append(pool.solve(problem, **kwargs))  # type: ignore[arg-type]

    thread = threading.Thread(target=run)
    thread.start()
    return thread, answers


def test_the_wire_keeps_the_problem_whole(roster_1k: PlanProblem) -> None:
    assert unpack_problem(pack_problem(roster_1k)) == roster_1k


def test_a_pooled_solve_answers_as_the_optimizer_does(
    pool: SolverPool, roster_1k: PlanProblem
) -> None:
    pooled = pool.solve(roster_1k)
    direct = optimize(roster_1k)
    assert pooled.status is direct.status is PlanStatus.OPTIMAL
    assert pooled.allocations == direct.allocations
    assert pooled.solver.objective == direct.solver.objective


def test_a_malformed_problem_raises_in_the_caller(pool: SolverPool) -> None:
    problem = PlanProblem(budget=1000.0, candidates=(creator("a", 20_000, 0.05, 100.0),))
    bad = dataclasses.replace(problem, budget=-1.0)
    (pid,) = pool.pids()
    with pytest.raises(ProblemValidationError) as caught:
        pool.solve(bad)
    assert any(e.field == "budget" for e in caught.value.errors)
    # and the same process serves the next solve
    assert pool.solve(problem).status in (PlanStatus.OPTIMAL, PlanStatus.INFEASIBLE)
    assert pool.pids() == [pid]


def test_a_deadline_already_past_is_answered_without_a_process(
    pool: SolverPool, roster_1k: PlanProblem
) -> None:
    (pid,) = pool.pids()
    answer = pool.solve(roster_1k, deadline=time.perf_counter() - 0.1)
    assert answer.status is PlanStatus.FAILED
    assert answer.solver.stopped_by is StopReason.TIME_LIMIT
    assert any("used up before the solve could start" in n for n in answer.diagnostics.notes)
    assert pool.pids() == [pid]


def test_a_solver_that_ignores_its_deadline_is_ended_at_limit_plus_grace(
    pool: SolverPool, roster_1k: PlanProblem
) -> None:
    # given a solve whose process stops listening after its first plan
    (stalled_pid,) = pool.pids()
    limit = 1.0
    started = time.perf_counter()
    # when it runs against a deadline
    answer = pool.solve(roster_1k, deadline=started + limit, stall_after_first_plan=True)
    elapsed = time.perf_counter() - started
    # then the answer comes at the deadline plus the grace, with the plan reported before
    assert limit + pool.grace_s - 0.1 <= elapsed <= limit + pool.grace_s + SLACK_S
    assert answer.status is PlanStatus.FEASIBLE
    assert answer.solver.stopped_by is StopReason.TIME_LIMIT
    assert_sound_plan(roster_1k, answer)
    assert any("had not answered" in note for note in answer.diagnostics.notes)
    # and the stalled process is gone, not left spinning
    assert gone(stalled_pid)
    # the pool is whole again, and once its new process has started nothing uses the CPU
    assert pool.wait_ready(START_S)
    assert stalled_pid not in pool.pids()
    left = ours_left()
    before = cpu_seconds(left)
    time.sleep(0.5)  # a window to measure CPU use in, not a wait for anything
    assert cpu_seconds(left) - before < 0.1
    assert pool.solve(roster_1k).status is PlanStatus.OPTIMAL


def test_a_killed_solver_process_is_a_failed_answer_and_the_next_solve_is_fine(
    pool: SolverPool, slow_10k: PlanProblem, roster_1k: PlanProblem
) -> None:
    # given a solve under way
    watch = StageWatch(SolveStage.LP)
    (pid,) = pool.pids()
    thread, answers = solve_in_thread(pool, with_limit(slow_10k, 30.0), control=watch.control)
    assert watch.reached.wait(START_S)
    # when its process is killed
    os.kill(pid, signal.SIGKILL)
    thread.join(SLACK_S * 5)
    # then the answer is failed, saying why
    (answer,) = answers
    assert answer.status is PlanStatus.FAILED
    assert answer.allocations == ()
    assert any("SIGKILL" in note for note in answer.diagnostics.notes)
    # and the next solve is served by a fresh process
    assert pool.solve(roster_1k).status is PlanStatus.OPTIMAL
    assert pid not in pool.pids()


def test_cancel_ends_the_process_at_once_and_keeps_the_best_plan(
    pool: SolverPool, slow_10k: PlanProblem
) -> None:
    watch = StageWatch(SolveStage.KERNEL, with_plan=True)
    control = watch.control
    (pid,) = pool.pids()
    thread, answers = solve_in_thread(pool, with_limit(slow_10k, 30.0), control=control)
    assert watch.reached.wait(START_S)
    cancelled = time.perf_counter()
    control.cancel()
    # the process is gone within a second; the answer (built here from what it streamed)
    # may take a little longer on a busy machine
    wait_until_gone(pid, cancelled + SLACK_S)
    thread.join(START_S)
    (answer,) = answers
    assert answer.status is PlanStatus.FEASIBLE
    assert answer.solver.stopped_by is StopReason.CANCELLED
    assert_sound_plan(slow_10k, answer)
    assert any(note.startswith("cancelled after") for note in answer.diagnostics.notes)


def test_a_solve_past_its_memory_cap_fails_cleanly(roster_1k: PlanProblem) -> None:
    big = instance(30_000, seed=3, variant=Variant(), time_limit_s=30.0)
    capped = SolverPool(1, memory_mb=150)
    try:
        answer = capped.solve(big)
        assert answer.status is PlanStatus.FAILED
        assert any("more memory than the 150 MB" in n for n in answer.diagnostics.notes)
        # a solve within the cap runs on a fresh process
        assert capped.solve(roster_1k).status is PlanStatus.OPTIMAL
    finally:
        capped.close()


def test_more_solves_than_processes_wait_for_one(pool: SolverPool, roster_1k: PlanProblem) -> None:
    # two solves at once on one process: both answered, one after the other
    threads = [solve_in_thread(pool, roster_1k) for _ in range(2)]
    for thread, _ in threads:
        thread.join(START_S)
    assert [answers[0].status for _, answers in threads] == [PlanStatus.OPTIMAL] * 2


def test_a_solve_that_finds_no_free_process_before_its_deadline_is_refused_as_busy(
    pool: SolverPool, roster_1k: PlanProblem
) -> None:
    # given the only process held by a stalled solve
    watch = StageWatch(SolveStage.FIRST_PLAN)
    holder, _ = solve_in_thread(
        pool,
        roster_1k,
        control=watch.control,
        deadline=time.perf_counter() + 30.0,
        stall_after_first_plan=True,
    )
    assert watch.reached.wait(START_S)
    # when another solve has half a second
    # then it is refused at its deadline, nothing solved, naming the reason
    with pytest.raises(NoFreeSolverError, match="no solver process was free"):
        pool.solve(roster_1k, deadline=time.perf_counter() + 0.5)
    watch.control.cancel()
    holder.join(SLACK_S * 5)


def test_ending_a_cbc_solve_ends_the_cbc_program_too(slow_10k: PlanProblem) -> None:
    cbc_pool = SolverPool(1)
    try:
        watch = StageWatch(SolveStage.MIP)
        problem = with_limit(slow_10k, 60.0, backend=Backend.CBC)
        thread, answers = solve_in_thread(cbc_pool, problem, control=watch.control)
        assert watch.reached.wait(START_S)
        until = time.perf_counter() + START_S
        while not (cbc := [p.pid for p in ours_left() if "cbc" in p.name().lower()]):
            assert time.perf_counter() < until, "CBC never started"
            time.sleep(0.05)
        watch.control.cancel()
        thread.join(START_S)
        assert answers[0].solver.stopped_by is StopReason.CANCELLED
        for pid in cbc:
            wait_until_gone(pid, time.perf_counter() + SLACK_S)
    finally:
        cbc_pool.close()


class RecordingChannel:
    def __init__(self) -> None:
        self.sent: list[Message] = []

    def send(self, kind: Message, payload: object = None) -> None:
        self.sent.append(kind)


def test_a_process_left_with_a_running_highs_thread_retires_after_its_answer(
    roster_1k: PlanProblem,
) -> None:
    # given a HiGHS run still going on its thread after the solve answered
    release = threading.Event()
    left_running = threading.Thread(target=release.wait, name=HIGHS_THREAD)
    left_running.start()
    channel = RecordingChannel()
    try:
        # when the process sends its answer
        solver_process._answer(channel, Message.DONE, optimize(roster_1k))  # type: ignore[arg-type]
    finally:
        release.set()
        left_running.join()
    # then it tells the pool to end it once the answer is read
    assert channel.sent == [Message.RETIRE, Message.DONE]
    # and a process with no such thread serves again
    quiet = RecordingChannel()
    solver_process._answer(quiet, Message.DONE, None)  # type: ignore[arg-type]
    assert quiet.sent == [Message.DONE]
