"""Steering a running solve from outside: cancel it, and hear how it is going.

A ``SolveControl`` is handed to ``optimize(problem, control=...)``. ``cancel()`` may be called
from any thread and acts like the time limit arriving at once: the solve stops at its next check
and answers with the best plan found so far. ``on_progress`` is called with a ``Progress`` when a
stage starts, whenever a better plan is found, and, while HiGHS improves its bound, at most about
every 0.25 s. It runs on the solver's threads, one call at a time: keep it quick (store the value,
hand it on) and do not block in it.

An exception raised by ``on_progress`` never reaches the solve: it is logged once, with its
traceback, and ``on_progress`` is not called again for that solve, so a broken callback costs the
solve neither its answer nor a log line four times a second.

``on_plan`` and ``on_infeasible`` are for whoever must answer for a solve it may have to end
(the solver pool, which runs each solve in a process of its own): ``on_plan`` receives every
better plan as posts per eligible candidate (``prepare``'s order), each one checked against
the constraints; ``on_infeasible`` is called once the request is proven infeasible, before the
explanation starts. They run under the same rules as ``on_progress``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from optimizer.sense import Sense, relative_gap

logger = logging.getLogger(__name__)

# Progress that only moves the bound is passed on at most this often.
PROGRESS_INTERVAL_S = 0.25


class SolveStage(StrEnum):
    """The steps of ``optimize``, in the order they run (some may be skipped)."""

    PREPARE = "prepare"  # validation, tiers, quality gates
    FIRST_PLAN = "first_plan"  # the greedy fill: a plan within milliseconds
    LP = "lp"  # the LP relaxation (a bound) and its rounding (a better plan)
    KERNEL = "kernel"  # a small MIP over the creators the LP favours
    MIP = "mip"  # the MIP over the creators the reductions keep (or the whole model on CBC)
    EXPLAIN = "explain"  # figures and binding constraints, or the relaxation of an infeasible ask
    DONE = "done"  # the answer is ready; the figures are the answer's


_ORDER = {stage: position for position, stage in enumerate(SolveStage)}


@dataclass(frozen=True, slots=True)
class Progress:
    elapsed_s: float  # since optimize was called
    stage: SolveStage
    objective: float | None  # of the best plan so far, as PlanResult.solver.objective
    bound: float | None  # as PlanResult.solver.bound
    gap: float | None  # as PlanResult.solver.gap


class SolveControl:
    """Cancel a solve from another thread, and receive its progress.

    One control steers one ``optimize`` call; once cancelled it stays cancelled."""

    def __init__(
        self,
        on_progress: Callable[[Progress], None] | None = None,
        *,
        on_plan: Callable[[NDArray[np.int64], float], None] | None = None,
        on_infeasible: Callable[[], None] | None = None,
    ) -> None:
        self.on_progress = on_progress
        self.on_plan = on_plan
        self.on_infeasible = on_infeasible
        self._lock = threading.Lock()
        self._cancelled_at: float | None = None
        self._expired = False
        self._wakes: set[threading.Event] = set()

    def cancel(self) -> None:
        """Ask the solve to stop as soon as it can; safe from any thread, and more than once."""
        self._stop(expire=False)

    def expire(self) -> None:
        """Stop the solve as its time limit would, at once: its answer says it was cut by the
        time limit, not cancelled (for a caller whose deadline came earlier than the solve's)."""
        self._stop(expire=True)

    def _stop(self, *, expire: bool) -> None:
        with self._lock:
            if self.cancelled:
                return
            if expire:
                self._expired = True
            else:
                self._cancelled_at = time.perf_counter()
            wakes = tuple(self._wakes)
        for wake in wakes:
            wake.set()

    @property
    def cancelled(self) -> bool:
        """Asked to stop, by ``cancel`` or ``expire``."""
        return self._cancelled_at is not None or self._expired

    @property
    def cancelled_at(self) -> float | None:
        """When ``cancel`` was called (None after ``expire``), on the ``time.perf_counter``
        clock."""
        return self._cancelled_at

    @contextmanager
    def waking(self, event: threading.Event) -> Iterator[None]:
        """Set ``event`` if a cancel arrives while inside the block (at once if one has), so a
        thread waiting on it wakes up without polling."""
        with self._lock:
            self._wakes.add(event)
            already = self.cancelled
        if already:
            event.set()
        try:
            yield
        finally:
            with self._lock:
                self._wakes.discard(event)


class SolveMonitor:
    """The solve's side of a control: stages, plans and bounds in, ``Progress`` out.

    Plans and bounds are in natural units (as the answer reports them); a plan is passed on only
    if it beats every plan before it, and a bound only if it is tighter, so what the caller sees
    never gets worse."""

    def __init__(self, control: SolveControl | None, started: float, sense: Sense) -> None:
        self.control = control
        self.started = started
        self.sense = sense
        # False when the plans of this solve are not answers to the request (a relaxed
        # problem solved only to explain why the request is infeasible).
        self.reports_plans = True
        self._lock = threading.Lock()
        self._stage = SolveStage.PREPARE
        self._staged = False
        self._objective: float | None = None
        self._bound: float | None = None
        self._last_told = started
        self._callback = None if control is None else control.on_progress
        self._plan_callback = None if control is None else control.on_plan

    @property
    def cancelled(self) -> bool:
        return self.control is not None and self.control.cancelled

    def silent(self, sense: Sense) -> SolveMonitor:
        """A monitor for a nested solve whose figures are not the request's: it obeys this
        one's cancel and tells nobody."""
        inner = SolveMonitor(None, time.perf_counter(), sense)
        inner.control = self.control
        return inner

    @property
    def listening(self) -> bool:
        """Does anyone hear about plans and bounds? If not, finding them out costs nothing."""
        heard = self._callback is not None or self._plan_callback is not None
        return heard and self.reports_plans

    def enter(self, stage: SolveStage) -> None:
        """A stage starts; stages never go back (a nested solve re-entering one is not news)."""
        with self._lock:
            if self._staged and _ORDER[stage] <= _ORDER[self._stage]:
                return
            self._stage, self._staged = stage, True
            self._tell()

    def plan(self, objective: float, posts: NDArray[np.int64]) -> None:
        """A plan meeting every constraint was found (posts per eligible candidate)."""
        if not self.reports_plans:
            return
        with self._lock:
            if self._objective is not None and not self._better(objective, self._objective):
                return
            self._objective = objective
            if self._plan_callback is not None:
                try:
                    self._plan_callback(posts, objective)
                except Exception:
                    logger.exception("on_plan raised; it will not be called again for this solve")
                    self._plan_callback = None
            self._tell()

    def infeasible(self) -> None:
        """The request is proven infeasible; what follows only explains why."""
        control = self.control
        if control is None or control.on_infeasible is None or not self.reports_plans:
            return
        try:
            control.on_infeasible()
        except Exception:
            logger.exception("on_infeasible raised; the solve goes on")

    def bound(self, bound: float | None) -> None:
        """A bound valid for the full problem; passed on when a plan or stage is, or at most
        every ``PROGRESS_INTERVAL_S``."""
        if bound is None or not self.reports_plans:
            return
        with self._lock:
            if self._bound is not None and not self._better(self._bound, bound):
                return
            self._bound = bound
            if time.perf_counter() - self._last_told >= PROGRESS_INTERVAL_S:
                self._tell()

    def finish(self, objective: float | None, bound: float | None, gap: float | None) -> None:
        """The answer is ready: the last progress carries its figures, and nothing follows."""
        with self._lock:
            self._stage, self._staged = SolveStage.DONE, True
            self._objective, self._bound = objective, bound
            self._tell(gap)
            self._callback = None

    def _better(self, a: float, b: float) -> bool:
        return self.sense.better(a, b)

    def _tell(self, gap: float | None = None) -> None:
        now = time.perf_counter()
        self._last_told = now
        callback = self._callback
        if callback is None:
            return
        objective, bound = self._objective, self._bound
        if gap is None and objective is not None and self._stage is not SolveStage.DONE:
            gap = relative_gap(objective, bound)
        progress = Progress(now - self.started, self._stage, objective, bound, gap)
        try:
            callback(progress)
        except Exception:
            logger.exception("on_progress raised; it will not be called again for this solve")
            self._callback = None
