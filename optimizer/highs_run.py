"""Running an ArrayModel on HiGHS against a wall-clock deadline.

HiGHS's own time limit is checked only now and then during presolve (a 100,000-creator presolve
has run minutes past it), so the run happens on a worker thread: interrupt callbacks stop HiGHS
once the deadline passes, and if HiGHS has not stopped shortly after, the caller gets the best
plan and bound the callbacks saw so far while the worker winds down on its own; a solver
process that is left with such a worker retires after its answer (``optimizer.contained``).

A ``SolveControl``'s cancel stops a run the same way, at once. The control and the listeners
that turn HiGHS's callbacks into progress reach ``run_highs`` through a context variable
(``listening``), so the layers between the planner and HiGHS need not pass them along.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

import highspy
import numpy as np
from numpy.typing import NDArray

from optimizer.arrays import ArrayModel
from optimizer.control import SolveControl
from optimizer.sense import Sense

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
_T = TypeVar("_T")

# Share rows compare one creator with the plan; a small plan makes their violations tiny in
# absolute terms, so the default 1e-6 would let a cap slip by a few percent.
FEASIBILITY_TOL = 1e-9
# The name of the thread a HiGHS run is on, so a process can tell whether one is still going.
HIGHS_THREAD = "highs"
# How long past the deadline to wait for HiGHS to acknowledge an interrupt before leaving it.
_INTERRUPT_GRACE_S = 0.1


@dataclass(frozen=True, slots=True)
class HighsOutcome:
    # None when HiGHS was left running past the deadline
    status: highspy.HighsModelStatus | None
    x: FloatArray | None  # the best column values found
    objective: float | None  # of x, scaled, in the model's sense
    bound: float | None  # dual bound, scaled, in the model's sense
    row_dual: FloatArray | None  # LP solves only

    @property
    def stopped_early(self) -> bool:
        return self.status is None or self.status in _STOPPED


_STOPPED = {
    highspy.HighsModelStatus.kTimeLimit,
    highspy.HighsModelStatus.kIterationLimit,
    highspy.HighsModelStatus.kSolutionLimit,
    highspy.HighsModelStatus.kInterrupt,
    highspy.HighsModelStatus.kObjectiveBound,
    highspy.HighsModelStatus.kObjectiveTarget,
}


@dataclass(frozen=True, slots=True)
class RunListener:
    """Who may stop the HiGHS runs made in this context, and who hears what they find."""

    control: SolveControl | None = None
    # column values of each better MIP plan
    on_plan: Callable[[FloatArray], None] | None = None
    # each MIP dual bound, scaled, in the model's sense
    on_bound: Callable[[float], None] | None = None


_NOBODY = RunListener()
_listener: ContextVar[RunListener | None] = ContextVar("highs_listener", default=None)


@contextmanager
def listening(listener: RunListener) -> Iterator[None]:
    """Runs of HiGHS inside the block obey ``listener.control`` and report to ``listener``."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def current_listener() -> RunListener:
    return _listener.get() or _NOBODY


class _Watch:
    """Callback state: stops HiGHS at the deadline or on cancel, and keeps what it has found
    so far."""

    def __init__(self, deadline: float, sense: Sense, listener: RunListener) -> None:
        self.deadline = deadline
        self.sense = sense
        self.control = listener.control
        self.x: FloatArray | None = None
        self.objective: float | None = None
        self.bound: float | None = None
        self.lock = threading.Lock()
        # dropped once run_highs has answered, so a run left behind reports nothing more
        self.listener: RunListener | None = listener

    def interrupt(self, event: highspy.HighsCallbackEvent) -> None:
        if event.callback_type == highspy.cb.HighsCallbackType.kCallbackMipInterrupt:
            bound = float(event.data_out.mip_dual_bound)
            if math.isfinite(bound):
                with self.lock:
                    self.bound = bound
                    listener = self.listener
                    if listener is not None and listener.on_bound is not None:
                        _tell(listener.on_bound, bound)
        stop = self.control is not None and self.control.cancelled
        if stop or time.perf_counter() >= self.deadline:
            event.interrupt()

    def improved(self, event: highspy.HighsCallbackEvent) -> None:
        x = np.array(event.data_out.mip_solution, dtype=np.float64)
        value = float(event.data_out.objective_function_value)
        with self.lock:
            better = self.objective is None or self.sense.better(value, self.objective)
            if better:
                self.x, self.objective = x, value
                listener = self.listener
                if listener is not None and listener.on_plan is not None:
                    _tell(listener.on_plan, x)

    def detach(self) -> None:
        with self.lock:
            self.listener = None


def _tell(listen: Callable[[_T], None], value: _T) -> None:
    # An exception escaping a HiGHS callback would end the solve; a listener's bug must not.
    try:
        listen(value)
    except Exception:
        logger.exception("a HiGHS run listener raised; the solve goes on")


def _options(
    h: highspy.Highs, remaining: float, mip_gap: float, threads: int | None, presolve: bool
) -> None:
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(remaining, 1e-3))
    h.setOptionValue("mip_rel_gap", mip_gap)
    # The absolute gap (default 1e-6 in scaled units) would stop a min_cost solve, whose
    # objective is a fraction of the budget, well before the relative gap asked for.
    h.setOptionValue("mip_abs_gap", 0.0)
    h.setOptionValue("mip_feasibility_tolerance", FEASIBILITY_TOL)
    h.setOptionValue("primal_feasibility_tolerance", FEASIBILITY_TOL)
    if threads is not None:
        h.setOptionValue("threads", threads)
    if not presolve:
        h.setOptionValue("presolve", "off")


def run_highs(
    model: ArrayModel,
    deadline: float,
    mip_gap: float,
    *,
    relax: bool = False,
    presolve: bool = True,
    retry: bool = False,
    threads: int | None = None,
    start: FloatArray | None = None,
) -> HighsOutcome:
    """Solve ``model`` (its LP relaxation when ``relax``), stopping at ``deadline`` or when the
    context's control is cancelled, whichever comes first.

    With ``retry``, a run that ends in a solve error runs again without presolve. Seen on tiny,
    badly scaled models: presolve's reductions leave a 1e-6 residual that postsolve then
    rejects. Solving without presolve is slower but sound."""
    run = _run_once(model, deadline, (mip_gap, threads), start, relax, presolve)
    if retry and presolve and run.status == highspy.HighsModelStatus.kSolveError:
        later = max(deadline, time.perf_counter() + 0.1)
        run = _run_once(model, later, (mip_gap, threads), start, relax, False)
    return run


def _run_once(
    model: ArrayModel,
    deadline: float,
    limits: tuple[float, int | None],
    start: FloatArray | None,
    relax: bool,
    presolve: bool,
) -> HighsOutcome:
    """One HiGHS run; ``limits`` are the relative gap and the threads."""
    mip_gap, threads = limits
    listener = current_listener()
    control = listener.control
    if control is not None and control.cancelled:
        return HighsOutcome(highspy.HighsModelStatus.kInterrupt, None, None, None, None)
    silence_highs_banner()
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    _options(h, deadline - time.perf_counter(), mip_gap, threads, presolve)
    _pass_model(h, model, relax)
    watch = _Watch(deadline, model.sense, listener)
    if start is not None and not relax:
        solution = highspy.HighsSolution()
        solution.col_value = start
        h.setSolution(solution)
    if not _run_watched(h, watch, deadline, control):
        # HiGHS is still in a phase that does not look at the clock: leave it to stop at its
        # next check and answer with what it reported so far.
        with watch.lock:
            return HighsOutcome(None, watch.x, watch.objective, watch.bound, None)
    return _outcome(h, watch, relax)


class RelaxedSession:
    """The LP relaxation of a model kept in one HiGHS instance, so that a row added between
    runs starts the next from the last basis (a cutting-plane loop)."""

    def __init__(self, model: ArrayModel, threads: int | None = None) -> None:
        silence_highs_banner()
        self.h = highspy.Highs()  # type: ignore[no-untyped-call]
        self.sense = model.sense
        _options(self.h, 1.0, 0.0, threads, presolve=False)
        _pass_model(self.h, model, relax=True)

    def add_row(
        self, cols: NDArray[np.int64], vals: FloatArray, lower: float, upper: float
    ) -> None:
        self.h.addRow(lower, upper, len(cols), cols.astype(np.int32), vals)

    def run(self, deadline: float) -> HighsOutcome:
        """One run to ``deadline`` under the context's control, as ``run_highs``'s."""
        listener = current_listener()
        control = listener.control
        if control is not None and control.cancelled:
            return HighsOutcome(highspy.HighsModelStatus.kInterrupt, None, None, None, None)
        self.h.setOptionValue("time_limit", max(deadline - time.perf_counter(), 1e-3))
        watch = _Watch(deadline, self.sense, listener)
        if not _run_watched(self.h, watch, deadline, control):
            return HighsOutcome(None, None, None, None, None)
        return _outcome(self.h, watch, True)


def _pass_model(h: highspy.Highs, model: ArrayModel, relax: bool) -> None:
    integrality = np.zeros_like(model.integrality) if relax else model.integrality
    h.passModel(
        model.num_col,
        model.num_row,
        len(model.value),
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMaximize if model.sense.maximize else highspy.ObjSense.kMinimize),
        0.0,
        model.cost,
        model.col_lower,
        model.col_upper,
        model.row_lower,
        model.row_upper,
        model.start,
        model.index,
        model.value,
        integrality,
    )


def _run_watched(
    h: highspy.Highs, watch: _Watch, deadline: float, control: SolveControl | None
) -> bool:
    """Run HiGHS on its own thread under ``watch``; whether it returned."""
    h.cbSimplexInterrupt += watch.interrupt
    h.cbIpmInterrupt += watch.interrupt
    h.cbMipInterrupt += watch.interrupt
    h.cbMipImprovingSolution += watch.improved

    done = threading.Event()
    # set when HiGHS returns or a cancel arrives, whichever is first
    woken = threading.Event()

    def work() -> None:
        try:
            h.run()
        finally:
            done.set()
            woken.set()

    try:
        with nullcontext() if control is None else control.waking(woken):
            # not a daemon: the interpreter waits for it at exit, as HiGHS aborts the process
            # if it is still running when the process tears down
            threading.Thread(target=work, name=HIGHS_THREAD).start()
            woke = woken.wait(max(deadline - time.perf_counter(), 0.0) + _INTERRUPT_GRACE_S)
        if woke and not done.is_set():
            # HiGHS stops at its next callback, which is usually at once
            done.wait(_INTERRUPT_GRACE_S)
    finally:
        watch.detach()
    if done.is_set():
        # a later run of the same instance (RelaxedSession) answers to its own watch only
        h.cbSimplexInterrupt -= watch.interrupt
        h.cbIpmInterrupt -= watch.interrupt
        h.cbMipInterrupt -= watch.interrupt
        h.cbMipImprovingSolution -= watch.improved
    return done.is_set()


def _outcome(h: highspy.Highs, watch: _Watch, relax: bool) -> HighsOutcome:
    """What HiGHS answered, or what it reported along the way where it has no plan."""
    status = h.getModelStatus()
    info = h.getInfo()
    solution = h.getSolution()
    has_plan = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    x = np.asarray(solution.col_value, dtype=np.float64) if has_plan else watch.x
    objective = float(info.objective_function_value) if has_plan else watch.objective
    if relax:
        bound = objective if status == highspy.HighsModelStatus.kOptimal else None
        duals = np.asarray(solution.row_dual, dtype=np.float64) if solution.dual_valid else None
        return HighsOutcome(status, x, objective, bound, duals)
    bound = float(info.mip_dual_bound) if math.isfinite(info.mip_dual_bound) else watch.bound
    return HighsOutcome(status, x, objective, bound, None)


_banner_shown = False


def silence_highs_banner() -> None:
    """HiGHS prints a copyright banner on stdout when the first instance of a process is made;
    it would corrupt machine-readable output (``influmix solve --json``), so make that first
    instance with stdout pointed at /dev/null."""
    global _banner_shown
    if _banner_shown:
        return
    import os
    import sys

    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    _banner_shown = True
