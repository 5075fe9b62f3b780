"""Slow work held still on purpose, so a test can act while it is in flight."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

import anyio
import anyio.to_thread
import httpx

from optimizer import PlanProblem, PlanResult, SolveControl, optimize
from tests.support.payloads import small_request

P = ParamSpec("P")
R = TypeVar("R")

# Seconds a held call waits for its release before it fails the test.
HOLD_LIMIT_S = 30.0


class HeldSolves:
    """Stands in for the solver (``planning.run_solver``): each solve signals its start, then
    waits for the test's release before solving for real, in this process."""

    def __init__(self) -> None:
        self._started = threading.Semaphore(0)
        self.release = threading.Event()

    def __call__(
        self, problem: PlanProblem, *, control: SolveControl | None, **_: object
    ) -> PlanResult:
        self._started.release()
        if not self.release.wait(timeout=HOLD_LIMIT_S):
            raise AssertionError("the test never released the held solves")
        return optimize(problem, control=control)

    async def started(self) -> None:
        """Returns once one more solve has started."""
        if not await anyio.to_thread.run_sync(self._started.acquire, True, HOLD_LIMIT_S):
            raise AssertionError("no solve started")


class Hold:
    """Stands for slow work: the wrapped call starts, then lasts until the test releases it."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.released = threading.Event()

    def around(self, real: Callable[P, R]) -> Callable[P, R]:
        def held(*args: P.args, **kwargs: P.kwargs) -> R:
            self.started.set()
            if not self.released.wait(timeout=HOLD_LIMIT_S):
                raise AssertionError("the test never released the held call")
            return real(*args, **kwargs)

        return held


@dataclass(frozen=True)
class HealthDuringHold:
    health: httpx.Response
    elapsed_s: float  # how long /healthz took
    held_throughout: bool  # the plan was still unanswered when /healthz answered
    posted: httpx.Response  # the plan's answer, once released


async def healthz_while_a_plan_is_held(client: httpx.AsyncClient, hold: Hold) -> HealthDuringHold:
    """POST a small plan, wait until it reaches ``hold``, time GET /healthz, then release."""
    posted: list[httpx.Response] = []

    async def post_plan() -> None:
        posted.append(await client.post("/v1/plans", json=small_request()))

    with anyio.fail_after(20):
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(post_plan)
            assert await anyio.to_thread.run_sync(hold.started.wait, 10)

            started = time.perf_counter()
            health = await client.get("/healthz")
            elapsed = time.perf_counter() - started
            held_throughout = not posted and not hold.released.is_set()

            hold.released.set()
    return HealthDuringHold(health, elapsed, held_throughout, posted[0])
