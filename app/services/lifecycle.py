"""Stopping for a redeploy: take no new work, let solves in flight finish within a grace,
give jobs back to the queue, then let the server exit.

The steps, once ``Shutdown.run`` starts (on SIGTERM, see ``app.server``):

1. ``/readyz`` answers 503 and new plan and frontier requests get 503 with ``Retry-After``,
   so the load balancer and the clients move to another instance.
2. The executor gives back the jobs of this process (``JobExecutor.drain``): running ones
   return to ``queued`` unsolved, waiting ones are marked as held by no one.
3. Synchronous solves in flight go on for up to ``shutdown_grace_s``; those still running
   then are cut as a time limit would cut them, and answer with their best plan so far.
4. ``run`` returns once they have answered (bounded: the solver answers within its grace
   after a cut), and the server closes its connections and exits.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from app.errors import ServiceStoppingError
from optimizer import SolveControl

logger = logging.getLogger(__name__)

# How long, past the cut, solves are waited for: the solver answers within its own grace
# (``solve_grace_s``), the plan is then stored; this only bounds a database that hangs.
CUT_SOLVES_WAIT_S = 10.0


class Shutdown:
    """The state of one application instance's shutdown, and the solves it waits for."""

    def __init__(self, grace_s: float) -> None:
        self._grace_s = grace_s
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._stopping = False
        self._solves: set[SolveControl] = set()

    @property
    def stopping(self) -> bool:
        return self._stopping

    def refuse_new_work(self) -> None:
        """Raise ServiceStoppingError (503) once the shutdown has begun."""
        if self._stopping:
            raise ServiceStoppingError("the service is shutting down; retry on another instance")

    @contextmanager
    def solving(self) -> Iterator[SolveControl]:
        """A control for a synchronous solve, which the shutdown waits for and, at the end of
        its grace, cuts short. Refused (503) once the shutdown has begun."""
        control = SolveControl()
        with self._lock:
            if self._stopping:
                raise ServiceStoppingError(
                    "the service is shutting down; retry on another instance"
                )
            self._solves.add(control)
        try:
            yield control
        finally:
            with self._changed:
                self._solves.discard(control)
                self._changed.notify_all()

    def run(self, give_back_jobs: Callable[[], None]) -> None:
        """Stop taking work, give jobs back, wait for the solves in flight (cut at the end of
        the grace). Blocking; call it from a thread of its own. Only the first call acts."""
        with self._lock:
            if self._stopping:
                return
            self._stopping = True
            in_flight = len(self._solves)
        started = time.monotonic()
        logger.info(
            "shutting down: new work refused, %d solve(s) in flight, grace %g s",
            in_flight,
            self._grace_s,
        )
        try:
            give_back_jobs()
        except Exception:  # the jobs are still picked up, as those of a dead service
            logger.exception("giving back jobs failed")
        if not self._wait_for_solves(started + self._grace_s):
            with self._lock:
                cut = list(self._solves)
            logger.info("grace over: %d solve(s) answer with their best plan so far", len(cut))
            for control in cut:
                control.expire()
            if not self._wait_for_solves(time.monotonic() + CUT_SOLVES_WAIT_S):
                logger.warning("solves still running after they were cut; exiting anyway")
        logger.info("ready to exit after %.2f s", time.monotonic() - started)

    def _wait_for_solves(self, deadline: float) -> bool:
        with self._changed:
            while self._solves:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(remaining)
        return True
