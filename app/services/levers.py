"""Levers of a plan (``diagnostics.levers``): each limiting constraint loosened by a
planner-sized step and re-solved, in solver processes, within a time box.

The optimizer says what to re-solve and reads the answers (``optimizer.levers``); running the
re-solves is this layer's part, because it is the one that knows the request's deadline, the
time box (``Settings.lever_time_box_s``) and the other requests sharing the solver processes.

Levers share the request's deadline rather than extend it: they run in what is left of it
after the plan's own solve, at most the box, so a request with levers still answers by its
time limit. Levers run side by side on idle solver processes, leaving one idle for other
requests (a pool of one process runs them one at a time); a lever that gets no process, or
whose re-solve is not proven, by the end of the box is listed as skipped, saying why.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from app.core.config import Settings
from optimizer import SolveControl
from optimizer.contained import SolverPool
from optimizer.errors import NoFreeSolverError, OptimizerError
from optimizer.levers import LeverStep, lever_entry, lever_steps, ranked, skipped
from optimizer.problem import PlanProblem
from optimizer.result import Lever, PlanResult


def with_levers(
    problem: PlanProblem,
    result: PlanResult,
    pool: SolverPool,
    settings: Settings,
    *,
    deadline: float,
    control: SolveControl | None = None,
) -> PlanResult:
    """``result`` with its levers, answered by ``deadline`` (``time.perf_counter`` clock)."""
    steps = lever_steps(problem, result)
    if not steps:
        return result
    # the pool may take its grace past a solve's deadline: the box ends that much earlier
    box_end = min(deadline - pool.grace_s, time.perf_counter() + settings.lever_time_box_s)
    lanes = max(1, pool.processes - 1)
    keep_idle = 1 if pool.processes > 1 else 0
    queue = iter(enumerate(steps))
    lock = threading.Lock()
    levers: list[Lever | None] = [None] * len(steps)

    def lane() -> None:
        for k, step in _next(queue, lock):
            levers[k] = _lever(step, result, pool, box_end, keep_idle, control)

    with ThreadPoolExecutor(lanes, thread_name_prefix="lever") as lanes_pool:
        for future in [lanes_pool.submit(lane) for _ in range(min(lanes, len(steps)))]:
            future.result()
    done = tuple(lever for lever in levers if lever is not None)
    diagnostics = replace(result.diagnostics, levers=ranked(done, result.diagnostics.binding))
    return replace(result, diagnostics=diagnostics)


def _next(
    queue: Iterator[tuple[int, LeverStep]], lock: threading.Lock
) -> Iterator[tuple[int, LeverStep]]:
    while True:
        with lock:
            item = next(queue, None)
        if item is None:
            return
        yield item


def _lever(
    step: LeverStep,
    plan: PlanResult,
    pool: SolverPool,
    box_end: float,
    keep_idle: int,
    control: SolveControl | None,
) -> Lever:
    if control is not None and control.cancelled:
        return skipped(step, "the solve was stopped before it ran")
    if time.perf_counter() >= box_end:
        return skipped(step, "the time box for levers ran out before it started")
    try:
        answer = pool.solve(step.problem, deadline=box_end, keep_idle=keep_idle)
    except NoFreeSolverError:
        return skipped(step, "no solver process was free within the time box for levers")
    except OptimizerError as exc:
        return skipped(step, f"its re-solve failed: {exc}")
    return lever_entry(step, plan, answer)
