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
from optimizer.errors import OptimizerError, SolverError
from optimizer.planner import cancel_note, ended_answer
from optimizer.problem import Candidate, PlanProblem
from optimizer.result import PlanResult, StopReason

logger = logging.getLogger(__name__)

# Writing the answer of a large plan (its figures, binding constraints and the trip back) takes
# time after the solver stops: about this much per candidate, at most this share of the limit.
_ANSWER_S_PER_CANDIDATE = 1.5e-5
_ANSWER_MAX_SHARE = 0.25
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
    columns = tuple([getattr(c, name) for c in problem.candidates] for name in _CANDIDATE_FIELDS)
    return dumps((replace(problem, candidates=()), columns))


def unpack_problem(data: bytes) -> PlanProblem:
    shell, columns = pickle.loads(data)
    assert isinstance(shell, PlanProblem)
    return replace(shell, candidates=tuple(map(Candidate, *columns)))


@dataclass(frozen=True, slots=True)
class Task:
    problem: bytes  # pack_problem
    # on the time.perf_counter clock, which is the machine's monotonic clock in every process
    deadline: float
    # For tests: after reporting its first plan the process stops listening to anyone,
    # as a solver stuck in a phase that never looks at the clock would.
    stall_after_first_plan: bool = False


def solver_time_limit(task: Task, candidates: int) -> float:
    """The time limit the solver process gives ``optimize``: what is left until the deadline,
    less the time its answer takes to write, so that it answers by itself within the grace."""
    left = task.deadline - time.perf_counter()
    reserve = min(_ANSWER_S_PER_CANDIDATE * candidates, _ANSWER_MAX_SHARE * max(left, 0.0))
    return max(left - reserve, 1e-3)


class Message(StrEnum):
    READY = "ready"
    PROGRESS = "progress"  # a Progress
    PLAN = "plan"  # (candidates, indices, posts, objective): a better plan, sparse
    INFEASIBLE = "infeasible"
    DONE = "done"  # the PlanResult
    ERROR = "error"  # an OptimizerError


# --- the caller's side -------------------------------------------------------------------------


class Ending(StrEnum):
    """Why the caller ended a solver process."""

    TIME_LIMIT = "time_limit"
    CANCELLED = "cancelled"
    MEMORY = "memory"
    CRASHED = "crashed"


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
        if not self.conn.poll(_START_TIMEOUT_S):
            self.end()
            raise SolverError("a solver process did not start")
        self.receive()

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

    def end(self) -> None:
        """End the process and everything it started, at once."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
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

    # -- life of the pool

    def start(self) -> None:
        """Start every process now, in the background, so the first solves need not wait."""
        with self._lock:
            self._grow(self.processes - self._count())

    def close(self) -> None:
        """End every process, busy ones included."""
        with self._lock:
            self._closed = True
            processes = [*self._idle, *self._busy]
            self._idle.clear()
            self._lock.notify_all()
        for process in processes:
            process.end()

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
        """Start ``count`` more processes in the background (the caller holds the lock)."""
        self._starting += count
        for _ in range(count):
            threading.Thread(target=self._add, name="solver-start", daemon=True).start()

    def _add(self) -> None:
        try:
            process: _Process | None = _Process()
        except Exception:
            logger.exception("a solver process could not be started")
            process = None
        with self._lock:
            self._starting -= 1
            if process is not None and not self._closed:
                self._idle.append(process)
                process = None
            self._lock.notify_all()
        if process is not None:
            process.end()

    def _acquire(self, deadline: float, control: SolveControl | None) -> _Process | None:
        """An idle process, started if the pool has room; None if the deadline or a cancel
        comes first."""
        with self._lock:
            while not self._idle:
                if self._closed:
                    raise SolverError("the solver pool is closed")
                if self._count() < self.processes:
                    self._grow(1)
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
            if reusable and not self._closed:
                self._idle.append(process)
            self._lock.notify_all()
        if not reusable:
            process.end()

    # -- one solve

    def solve(
        self,
        problem: PlanProblem,
        *,
        control: SolveControl | None = None,
        deadline: float | None = None,
        stall_after_first_plan: bool = False,
    ) -> PlanResult:
        """``optimize(problem)`` in a solver process, answered by ``deadline`` (on the
        ``time.perf_counter`` clock; default: the problem's time limit from now) plus the
        grace, whatever the process does. Raises what ``optimize`` raises."""
        started = time.perf_counter()
        if deadline is None:
            deadline = started + problem.options.time_limit_s
        process = self._acquire(deadline, control)
        if process is None:
            cancelled = control is not None and control.cancelled
            note = (
                None
                if cancelled
                else f"no solver process was free before the time limit "
                f"(all {self.processes} were busy)"
            )
            reason = StopReason.CANCELLED if cancelled else StopReason.TIME_LIMIT
            return self._ended(problem, _Streamed(), reason, started, note, control)
        reusable = False
        try:
            task = Task(pack_problem(problem), deadline, stall_after_first_plan)
            result, reusable = self._follow(process, task, problem, started, control)
            return result
        finally:
            self._release(process, reusable=reusable)
            if not reusable:
                self._replace()

    def _replace(self) -> None:
        with self._lock:
            if not self._closed and self._count() < self.processes:
                self._grow(1)

    def _follow(
        self,
        process: _Process,
        task: Task,
        problem: PlanProblem,
        started: float,
        control: SolveControl | None,
    ) -> tuple[PlanResult, bool]:
        """Hand ``task`` to the process and relay what it reports until it answers or must be
        ended; the flag says whether the process may serve again."""
        streamed = _Streamed()
        hard_deadline = task.deadline + self.grace_s
        cap = None if self.memory_mb is None else self.memory_mb * 1024 * 1024
        # if it died already, the loop below finds out how
        with contextlib.suppress(OSError):
            process.send(task)
        while True:
            if control is not None and control.cancelled:
                ending = Ending.CANCELLED
                break
            now = time.perf_counter()
            if now >= hard_deadline:
                ending = Ending.TIME_LIMIT
                break
            if cap is not None and process.resident_bytes() > cap:
                ending = Ending.MEMORY
                break
            try:
                if not process.conn.poll(min(_TICK_S, hard_deadline - now)):
                    continue
                kind, payload = process.receive()
            except (EOFError, OSError):
                ending = Ending.CRASHED
                break
            if kind is Message.DONE:
                assert isinstance(payload, PlanResult)
                return payload, True
            if kind is Message.ERROR:
                assert isinstance(payload, OptimizerError)
                raise payload
            _record(streamed, kind, payload, control)
        crashed = process.exit_description() if ending is Ending.CRASHED else ""
        process.end()
        reason = _ENDING_REASON.get(ending)
        note = self._ending_note(ending, streamed, crashed)
        if ending in (Ending.MEMORY, Ending.CRASHED):
            # what it streamed may be sound, but a solve that broke is reported as broken
            streamed = _Streamed()
        return self._ended(problem, streamed, reason, started, note, control), False

    def _ending_note(self, ending: Ending, streamed: _Streamed, crashed: str) -> str | None:
        if ending is Ending.MEMORY:
            return (
                f"the solve needed more memory than the {self.memory_mb} MB a solve may use; "
                "it was stopped (fewer candidates, or a higher memory limit, would let it run)"
            )
        if ending is Ending.CRASHED:
            return f"the solver process stopped unexpectedly ({crashed}); no plan was kept"
        if ending is Ending.CANCELLED:
            return None  # cancel_note words it, from the answer
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


_ENDING_REASON = {Ending.TIME_LIMIT: StopReason.TIME_LIMIT, Ending.CANCELLED: StopReason.CANCELLED}


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
