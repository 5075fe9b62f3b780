"""Solves in processes of their own, ended by their deadline whatever they are doing.

A thread cannot be stopped, and HiGHS does not look at the clock in every phase (a
100,000-creator presolve has run minutes past its limit); CBC is a program of its own. So each
solve runs in a solver process, and the caller's side keeps the deadline:

- the process streams what it finds while it solves (progress, every better plan, and that the
  request is proven infeasible), so the caller always holds the best checked plan so far;
- at the deadline plus a short grace, on a cancel, when the process uses more memory than
  allowed, the caller ends the process (its whole process group, so a CBC run goes with it)
  and answers from what was streamed (``planner.ended_answer``); a crashed process is a
  ``failed`` answer. A fresh process takes the ended one's place.

Processes are started ahead of need (``start``) and reused, so a small solve pays for one hop
(a few milliseconds), not for starting Python. A solve that finds every process busy waits
for one until its deadline.

Why not a library pool (pebble, concurrent.futures): both end a worker on timeout, but neither
streams results out of a running task nor ends the worker's own children; the pool here is a
handful of ``subprocess`` children, each talking over one socket.
"""

from __future__ import annotations

import contextlib
import copyreg
import io
import logging
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from multiprocessing.connection import Connection
from types import MappingProxyType
from typing import Any

import numpy as np

from optimizer.control import Progress, SolveControl, SolveStage
from optimizer.errors import NoFreeSolverError, OptimizerError, SolverError
from optimizer.planner import cancel_note, ended_answer
from optimizer.problem import Candidate, PlanProblem
from optimizer.result import PlanResult, StopReason

logger = logging.getLogger(__name__)

# Writing the answer of a large plan (its figures, binding constraints and the trip back) takes
# time after the solver stops: about this much per candidate and per creator in the plan, on
# top of what the caller says it needs per creator; at most this share of the time.
_ANSWER_S_PER_CANDIDATE = 5e-6
_ANSWER_S_PER_CREATOR = 4e-5
_ANSWER_MAX_SHARE = 0.5
# How often the caller looks at the clock, a cancel and the process's memory while it waits.
_TICK_S = 0.05
# A new process must say it is ready within this (it imports numpy, HiGHS and PuLP).
_START_TIMEOUT_S = 60.0
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


# --- the wire between caller and solver process ------------------------------------------------


def _mapping_proxy(items: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(items)


def _reduce_mapping_proxy(proxy: MappingProxyType[str, Any]) -> tuple[Any, ...]:
    return _mapping_proxy, (dict(proxy),)


_DISPATCH = copyreg.dispatch_table.copy()
# The frozen problem and answer hold read-only mappings, which pickle cannot take as they are.
_DISPATCH[MappingProxyType] = _reduce_mapping_proxy


def dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(value)
    return buffer.getvalue()


_CANDIDATE_FIELDS = tuple(f.name for f in fields(Candidate))


def pack_problem(problem: PlanProblem) -> bytes:
    """The problem for the wire: candidates as columns, which pickle several times faster than
    100,000 objects and keep the caller's share of the work in short steps."""
    # One column at a time, so that no single call holds the interpreter for long.
    columns = [dumps([getattr(c, name) for c in problem.candidates]) for name in _CANDIDATE_FIELDS]
    return dumps((replace(problem, candidates=()), columns))


def unpack_problem(data: bytes) -> PlanProblem:
    shell, columns = pickle.loads(data)
    assert isinstance(shell, PlanProblem)
    values = [pickle.loads(column) for column in columns]
    return replace(shell, candidates=tuple(map(Candidate, *values)))


@dataclass(frozen=True, slots=True)
class Task:
    problem: bytes  # pack_problem
    # on the time.perf_counter clock, which is the machine's monotonic clock in every process
    deadline: float
    # What the caller needs, per creator in the plan, to store and send the answer by then.
    seconds_per_creator: float = 0.0
    # For tests: after reporting its first plan the process stops listening to anyone,
    # as a solver stuck in a phase that never looks at the clock would.
    stall_after_first_plan: bool = False


def answer_time(task: Task, candidates: int, creators: int, time_s: float) -> float:
    """How long before ``task.deadline`` a solve of ``time_s`` in all should stop so that its
    answer, a plan of ``creators``, is written by then (by this process and by the caller)."""
    per_creator = _ANSWER_S_PER_CREATOR + task.seconds_per_creator
    needed = _ANSWER_S_PER_CANDIDATE * candidates + per_creator * creators
    return min(needed, _ANSWER_MAX_SHARE * max(time_s, 0.0))


class Message(StrEnum):
    READY = "ready"
    PROGRESS = "progress"  # a Progress
    PLAN = "plan"  # (candidates, indices, posts, objective): a better plan, sparse
    INFEASIBLE = "infeasible"
    # the answer follows, but a solver thread did not stop with it: end the process after
    RETIRE = "retire"
    DONE = "done"  # the PlanResult
    ERROR = "error"  # an OptimizerError


# --- the caller's side -------------------------------------------------------------------------


class Ending(StrEnum):
    """Why the caller ended a solver process."""

    TIME_LIMIT = "time_limit"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # SolveControl.expire: the caller's deadline came before the solve's
    MEMORY = "memory"
    CRASHED = "crashed"
    CLOSED = "closed"  # the pool was closed under it


class _Process:
    """One solver process and the caller's end of its socket."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        with ours, theirs:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "optimizer.solver_process", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                # HiGHS and CBC write to stdout; the caller's may be an answer in JSON.
                stdout=subprocess.DEVNULL,
                # Its own process group, so ending it ends a CBC run it started too.
                start_new_session=True,
            )
            self.conn = Connection(os.dup(ours.fileno()))
        self.pid = self.popen.pid
        self._lock = threading.Lock()
        self._ended = False
        try:
            if not self.conn.poll(_START_TIMEOUT_S):
                raise SolverError("a solver process did not start in time")
            kind, _ = self.receive()
            if kind is not Message.READY:
                raise SolverError(f"a solver process started with {kind}")
        except Exception:
            self.end()
            raise

    def send(self, value: object) -> None:
        self.conn.send_bytes(dumps(value))

    def receive(self) -> tuple[Message, Any]:
        kind, payload = pickle.loads(self.conn.recv_bytes())
        return Message(kind), payload

    def resident_bytes(self) -> int:
        """Resident memory of the process and its children (a CBC run)."""
        total = 0
        pids = [self.pid]
        with contextlib.suppress(OSError), open(f"/proc/{self.pid}/task/{self.pid}/children") as f:
            pids += [int(p) for p in f.read().split()]
        for pid in pids:
            try:
                with open(f"/proc/{pid}/statm") as f:
                    total += int(f.read().split()[1]) * _PAGE_BYTES
            except (OSError, IndexError, ValueError):
                continue
        return total

    def exit_description(self) -> str:
        code = self.popen.wait()
        if code < 0:
            return f"signal {signal.Signals(-code).name}"
        return f"exit code {code}"

    def kill(self) -> None:
        """End the process and everything it started, at once; safe from any thread, and more
        than once (a process group is only signalled while its leader is not reaped, so the
        signal never reaches a group whose id was given to another)."""
        with self._lock:
            if self.popen.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.pid, signal.SIGKILL)

    def end(self) -> None:
        """Kill, reap and close: called by the thread that owns the process."""
        self.kill()
        with self._lock:
            if self._ended:
                return
            self._ended = True
        self.popen.wait()
        self.conn.close()


@dataclass(slots=True)
class _Streamed:
    """What a solver process reported so far."""

    # the best plan, sparse: (candidates, indices of the used ones, their posts)
    plan: tuple[int, Any, Any] | None = None
    bound: float | None = None
    infeasible: bool = False
    progress_failed: bool = False


# After this many failed starts in a row, with no process running, solves fail at once rather
# than wait for processes that cannot start.
_START_FAILURES = 3
# A failed start is not tried again before this.
_START_RETRY_S = 1.0


class SolverPool:
    """Up to ``processes`` solver processes, each running one solve at a time.

    ``memory_mb`` caps a solve's resident memory (None: no cap); ``grace_s`` is how long past
    its deadline a solve may take to answer before its process is ended.
    """

    def __init__(
        self, processes: int = 1, *, memory_mb: int | None = None, grace_s: float = 0.5
    ) -> None:
        if processes < 1:
            raise ValueError("a solver pool needs at least one process")
        self.processes = processes
        self.memory_mb = memory_mb
        self.grace_s = grace_s
        self._lock = threading.Condition()
        self._idle: list[_Process] = []
        self._busy: set[_Process] = set()
        self._starting = 0
        self._closed = False
        self._failed_starts = 0
        self._retry_at = 0.0
        self._start_error = ""

    # -- life of the pool

    def start(self) -> None:
        """Start every process now, in the background, so the first solves need not wait."""
        with self._lock:
            self._grow(self.processes - self._count())

    def close(self) -> None:
        """End every process. A solve running then answers ``failed``, saying the pool closed."""
        with self._lock:
            self._closed = True
            idle = list(self._idle)
            busy = list(self._busy)
            self._idle.clear()
            self._lock.notify_all()
        for process in idle:
            process.end()
        for process in busy:
            process.kill()  # its solve's thread reaps it and closes its socket

    def __enter__(self) -> SolverPool:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def wait_ready(self, timeout: float) -> bool:
        """Wait until every process has started (after ``start``); False if ``timeout``
        passed first."""
        until = time.perf_counter() + timeout
        with self._lock:
            while self._starting:
                remaining = until - time.perf_counter()
                if remaining <= 0:
                    return False
                self._lock.wait(remaining)
            return True

    def pids(self) -> list[int]:
        with self._lock:
            return [p.pid for p in (*self._idle, *self._busy)]

    def busy_pids(self) -> list[int]:
        """The processes solving right now."""
        with self._lock:
            return [p.pid for p in self._busy]

    def _count(self) -> int:
        return len(self._idle) + len(self._busy) + self._starting

    def _grow(self, count: int) -> None:
        """Start up to ``count`` more processes in the background (the caller holds the lock);
        none while a failed start waits to be tried again."""
        if count <= 0 or self._closed or time.perf_counter() < self._retry_at:
            return
        self._starting += count
        for _ in range(count):
            threading.Thread(target=self._add, name="solver-start", daemon=True).start()

    def _add(self) -> None:
        error = ""
        try:
            process: _Process | None = _Process()
        except Exception as exc:
            logger.exception("a solver process could not be started")
            process, error = None, str(exc) or type(exc).__name__
        with self._lock:
            self._starting -= 1
            if process is None:
                self._failed_starts += 1
                self._retry_at = time.perf_counter() + _START_RETRY_S
                self._start_error = error
            else:
                self._failed_starts = 0
                if not self._closed:
                    self._idle.append(process)
                    process = None
            self._lock.notify_all()
        if process is not None:
            process.end()

    def _acquire(
        self, deadline: float, control: SolveControl | None, keep_idle: int = 0
    ) -> _Process | None:
        """An idle process, started if the pool has room, while more than ``keep_idle`` are
        idle; None if the deadline or a cancel comes first."""
        with self._lock:
            while len(self._idle) <= keep_idle:
                if self._closed:
                    raise SolverError("the solver pool is closed")
                running = len(self._busy) + self._starting
                if self._failed_starts >= _START_FAILURES and not running:
                    raise SolverError(f"solver processes cannot start: {self._start_error}")
                self._grow(self.processes - self._count())
                remaining = deadline - time.perf_counter()
                if remaining <= 0 or (control is not None and control.cancelled):
                    return None
                self._lock.wait(min(remaining, _TICK_S))
            process = self._idle.pop()
            self._busy.add(process)
            return process

    def _release(self, process: _Process, *, reusable: bool) -> None:
        with self._lock:
            self._busy.discard(process)
            reusable = reusable and not self._closed
            if reusable:
                self._idle.append(process)
            self._lock.notify_all()
        if not reusable:
            process.end()
            with self._lock:
                self._grow(self.processes - self._count())

    # -- one solve

    def solve(
        self,
        problem: PlanProblem,
        *,
        control: SolveControl | None = None,
        deadline: float | None = None,
        seconds_per_creator: float = 0.0,
        stall_after_first_plan: bool = False,
        keep_idle: int = 0,
    ) -> PlanResult:
        """``optimize(problem)`` in a solver process, answered by ``deadline`` (on the
        ``time.perf_counter`` clock; default: the problem's time limit from now) plus the
        grace, whatever the process does. The solver stops early enough to leave the caller
        ``seconds_per_creator`` for each creator of the plan (to store the answer, say).
        A solve that may wait for others (a lever) takes a process only while more than
        ``keep_idle`` are idle, so that those stay free for the solves nobody waits on.
        Raises what ``optimize`` raises, and NoFreeSolverError when every process stays busy
        until the deadline (nothing was solved)."""
        started = time.perf_counter()
        if deadline is None:
            deadline = started + problem.options.time_limit_s
        cancelled = control is not None and control.cancelled
        if deadline <= started and not cancelled:
            used_up = "the time limit was used up before the solve could start"
            return self._ended(
                problem, _Streamed(), StopReason.TIME_LIMIT, started, used_up, control
            )
        process = self._acquire(deadline, control, keep_idle)
        if process is None:
            if control is None or not control.cancelled:
                raise NoFreeSolverError(self.processes)
            # an expired control is the time limit come early: reported as one
            reason = (
                StopReason.CANCELLED if control.cancelled_at is not None else StopReason.TIME_LIMIT
            )
            return self._ended(problem, _Streamed(), reason, started, None, control)
        reusable = False
        try:
            task = Task(
                pack_problem(problem), deadline, seconds_per_creator, stall_after_first_plan
            )
            outcome, reusable = self._follow(process, task, problem, started, control)
        finally:
            self._release(process, reusable=reusable)
        if isinstance(outcome, OptimizerError):
            raise outcome
        return outcome

    def _follow(
        self,
        process: _Process,
        task: Task,
        problem: PlanProblem,
        started: float,
        control: SolveControl | None,
    ) -> tuple[PlanResult | OptimizerError, bool]:
        """Hand ``task`` to the process and relay what it reports until it answers (its result,
        or the error it raised) or must be ended; the flag says whether it may serve again (an
        error it reported leaves it fit to)."""
        streamed = _Streamed()
        retire = False
        hard_deadline = task.deadline + self.grace_s
        cap = None if self.memory_mb is None else self.memory_mb * 1024 * 1024
        # if it died already, the loop below finds out how
        with contextlib.suppress(OSError):
            process.send(task)
        while True:
            ending = self._ending(process, control, hard_deadline, cap)
            # what has arrived is read before acting on an ending: an answer sent just in time
            # is the answer
            try:
                wait = 0.0 if ending else min(_TICK_S, hard_deadline - time.perf_counter())
                if not process.conn.poll(max(wait, 0.0)):
                    if ending:
                        break
                    continue
                kind, payload = process.receive()
            except (EOFError, OSError):
                ending = ending or Ending.CRASHED
                break
            except Exception:  # a message that cannot be read: the process is not to be trusted
                logger.exception("a solver process sent an unreadable message")
                ending = Ending.CRASHED
                break
            if kind is Message.DONE and isinstance(payload, PlanResult):
                return payload, not retire
            if kind is Message.ERROR and isinstance(payload, OptimizerError):
                return payload, not retire
            retire = retire or kind is Message.RETIRE
            _record(streamed, kind, payload, control)
        process.kill()
        crashed = process.exit_description() if ending is Ending.CRASHED else ""
        if ending is Ending.CRASHED and self._closed:
            ending, crashed = Ending.CLOSED, ""
        reason = _ENDING_REASON.get(ending)
        note = self._ending_note(ending, streamed, crashed)
        if ending not in (Ending.TIME_LIMIT, Ending.CANCELLED, Ending.EXPIRED):
            # what it streamed may be sound, but a solve that broke is reported as broken
            streamed = _Streamed()
        return self._ended(problem, streamed, reason, started, note, control), False

    def _ending(
        self,
        process: _Process,
        control: SolveControl | None,
        hard_deadline: float,
        cap: int | None,
    ) -> Ending | None:
        """Why the process must be ended now, if it must."""
        if control is not None and control.cancelled:
            return Ending.CANCELLED if control.cancelled_at is not None else Ending.EXPIRED
        if time.perf_counter() >= hard_deadline:
            return Ending.TIME_LIMIT
        if cap is not None and process.resident_bytes() > cap:
            return Ending.MEMORY
        return None

    def _ending_note(self, ending: Ending, streamed: _Streamed, crashed: str) -> str | None:
        if ending is Ending.MEMORY:
            return (
                f"the solve needed more memory than the {self.memory_mb} MB a solve may use; "
                "it was stopped (fewer candidates, or a higher memory limit, would let it run)"
            )
        if ending is Ending.CRASHED:
            return f"the solver process stopped unexpectedly ({crashed}); no plan was kept"
        if ending is Ending.CLOSED:
            return "the solve was stopped: the service is shutting down"
        if ending is Ending.CANCELLED:
            return None  # cancel_note words it, from the answer
        if ending is Ending.EXPIRED:
            return "the solve was cut short before its time limit; the best plan found is kept"
        kept = (
            "the best plan it had found is kept"
            if streamed.plan is not None
            else "it had found no plan"
        )
        return (
            f"the solver had not answered {self.grace_s:g} s after the time limit; it was "
            f"stopped and {kept}"
        )

    def _ended(
        self,
        problem: PlanProblem,
        streamed: _Streamed,
        reason: StopReason | None,
        started: float,
        note: str | None,
        control: SolveControl | None,
    ) -> PlanResult:
        result = ended_answer(
            problem,
            posts=None if streamed.plan is None else _dense(*streamed.plan),
            bound=streamed.bound,
            infeasible=streamed.infeasible,
            stopped_by=reason,
            started=started,
            notes=() if note is None else (note,),
        )
        if reason is StopReason.CANCELLED:
            notes = (*result.diagnostics.notes, cancel_note(result, started, control))
            result = replace(result, diagnostics=replace(result.diagnostics, notes=notes))
        solver = result.solver
        if control is not None and control.on_progress is not None:
            done = Progress(
                time.perf_counter() - started,
                SolveStage.DONE,
                solver.objective,
                solver.bound,
                solver.gap,
            )
            _call(control.on_progress, done)
        return result


_ENDING_REASON = {
    Ending.TIME_LIMIT: StopReason.TIME_LIMIT,
    Ending.EXPIRED: StopReason.TIME_LIMIT,
    Ending.CANCELLED: StopReason.CANCELLED,
}


def _record(streamed: _Streamed, kind: Message, payload: Any, control: SolveControl | None) -> None:
    if kind is Message.PLAN:
        size, indices, posts, _objective = payload
        streamed.plan = (size, indices, posts)
    elif kind is Message.INFEASIBLE:
        streamed.infeasible = True
    elif kind is Message.PROGRESS:
        assert isinstance(payload, Progress)
        if payload.bound is not None:
            streamed.bound = payload.bound
        if control is not None and control.on_progress is not None and not streamed.progress_failed:
            streamed.progress_failed = not _call(control.on_progress, payload)


def _dense(size: int, indices: Any, posts: Any) -> tuple[int, ...]:
    full = np.zeros(size, dtype=np.int64)
    full[indices] = posts
    return tuple(int(k) for k in full)


def _call(callback: Callable[[Progress], None], progress: Progress) -> bool:
    try:
        callback(progress)
    except Exception:
        logger.exception("on_progress raised; it will not be called again for this solve")
        return False
    return True
