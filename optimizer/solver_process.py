"""The solver process of ``optimizer.contained``: ``python -m optimizer.solver_process FD``.

It solves one task at a time from the socket FD and streams back what it finds (the messages
of ``contained.Message``). It leaves when the socket closes or its parent dies; the parent
may also end it at any moment, so it holds nothing that must be cleaned up.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import time
from dataclasses import replace
from multiprocessing.connection import Connection

import numpy as np
from numpy.typing import NDArray

from optimizer.contained import Message, Task, answer_time, dumps, unpack_problem
from optimizer.control import Progress, SolveControl
from optimizer.errors import OptimizerError, SolverError
from optimizer.highs_run import HIGHS_THREAD, silence_highs_banner
from optimizer.planner import optimize

# How often the time left is weighed against what the answer of the best plan needs.
_WATCH_S = 0.05
# How often the process checks that its parent is still there.
_ORPHAN_CHECK_S = 1.0


class _Channel:
    """Messages to the parent; HiGHS's callbacks send from its threads, so one at a time."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.lock = threading.Lock()

    def send(self, kind: Message, payload: object = None) -> None:
        data = dumps((kind.value, payload))
        with self.lock:
            self.conn.send_bytes(data)


class _Solve:
    """The control of one task's solve: streams what it finds to the caller, and stops it
    (as its time limit would) once the answer of its best plan needs the time that is left."""

    def __init__(self, channel: _Channel, task: Task, candidates: int) -> None:
        self.channel, self.task, self.candidates = channel, task, candidates
        self.time_s = task.deadline - time.perf_counter()
        self.creators = 0  # in the best plan so far
        self.control = SolveControl(
            self.on_progress, on_plan=self.on_plan, on_infeasible=self.on_infeasible
        )
        self.done = threading.Event()

    def time_limit_s(self) -> float:
        # What is left of the caller's time, less what the answer of an empty plan needs.
        reserve = answer_time(self.task, self.candidates, 0, self.time_s)
        return max(self.task.deadline - time.perf_counter() - reserve, 1e-3)

    def on_progress(self, progress: Progress) -> None:
        self.channel.send(Message.PROGRESS, progress)

    def on_plan(self, posts: NDArray[np.int64], objective: float) -> None:
        used = np.flatnonzero(posts)
        self.creators = len(used)
        sparse = (len(posts), used.astype(np.int32), posts[used].astype(np.int32), objective)
        self.channel.send(Message.PLAN, sparse)
        if self.task.stall_after_first_plan:
            _stall(self.channel)

    def on_infeasible(self) -> None:
        self.channel.send(Message.INFEASIBLE)

    def watch(self) -> None:
        """Until the solve ends: expire it when the time left is what writing its best plan's
        answer takes (a plan of thousands of creators takes seconds to write)."""
        while not self.done.wait(_WATCH_S):
            if not self.creators:
                continue  # no plan yet: the time limit itself stops the solve
            reserve = answer_time(self.task, self.candidates, self.creators, self.time_s)
            if time.perf_counter() >= self.task.deadline - reserve:
                self.control.expire()
                return


def _stall(channel: _Channel) -> None:
    # Holding the channel keeps every other thread from answering; spinning keeps a core busy,
    # as a runaway solver would.
    channel.lock.acquire()
    while True:
        pass


def _solve(channel: _Channel, task: Task) -> None:
    try:
        problem = unpack_problem(task.problem)
    except Exception as exc:
        _answer(channel, Message.ERROR, SolverError(f"the problem could not be read: {exc!r}"))
        return
    solve = _Solve(channel, task, len(problem.candidates))
    # The time limit counts from when the caller asked, not from when this process got the task.
    options = replace(problem.options, time_limit_s=solve.time_limit_s())
    watch = threading.Thread(target=solve.watch, name="answer-watch", daemon=True)
    watch.start()
    try:
        result = optimize(replace(problem, options=options), control=solve.control)
    except OptimizerError as exc:
        _answer(channel, Message.ERROR, exc)
        return
    except Exception as exc:  # a bug here must reach the caller as an error, not a hang
        _answer(channel, Message.ERROR, SolverError(f"the solver process failed: {exc!r}"))
        return
    finally:
        solve.done.set()
    _answer(channel, Message.DONE, result)


def _answer(channel: _Channel, kind: Message, payload: object) -> None:
    if any(t.name == HIGHS_THREAD and t.is_alive() for t in threading.enumerate()):
        # HiGHS was left running past a deadline (a phase that does not look at the clock):
        # this process must not serve again, or that run would go on using the CPU
        channel.send(Message.RETIRE)
    try:
        channel.send(kind, payload)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        channel.send(Message.ERROR, SolverError(f"the solver's answer could not be sent: {exc!r}"))


def _leave_when_orphaned() -> None:
    parent = os.getppid()
    while True:
        time.sleep(_ORPHAN_CHECK_S)
        if os.getppid() != parent:
            # the whole group: a CBC run of this process must not outlive it either
            os.killpg(0, signal.SIGKILL)


def main(fd: int) -> None:
    conn = Connection(fd)
    channel = _Channel(conn)
    threading.Thread(target=_leave_when_orphaned, name="orphan-check", daemon=True).start()
    silence_highs_banner()
    channel.send(Message.READY, os.getpid())
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        task = pickle.loads(data)
        if not isinstance(task, Task):
            return
        _solve(channel, task)


if __name__ == "__main__":
    main(int(sys.argv[1]))
