"""Solves through the service run in solver processes: a crash, a memory cap or a cancel ends
the process, never the service, and the answer is stored saying why.

Real solver processes; waits are bounded polls on what the service reports.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import psutil
import pytest
from fastapi import FastAPI

from app.api.deps import Resources
from app.services import planning
from optimizer.contained import SolverPool
from tests.support.api import poll
from tests.support.app import built_app, make_settings, serving
from tests.support.payloads import long_request, roster_request, small_request

pytestmark = pytest.mark.anyio

ASYNC = {"Prefer": "respond-async"}
# Bounds on waits for conditions, not how long things take.
DEADLINE_S = 60.0
# A cancelled solve's process is gone within this; its solve alone would run 60 s.
CANCEL_ENDS_PROCESS_S = 10.0


def gone(pid: int) -> bool:
    try:
        return bool(psutil.Process(pid).status() == psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return True


def pool_of(app: FastAPI) -> SolverPool:
    resources = app.state.resources
    assert isinstance(resources, Resources)
    return planning.solver_pool(resources.settings)


async def busy_process(pool: SolverPool, other_than: set[int]) -> int:
    """The pid of a process that starts solving, once one does."""
    until = time.monotonic() + DEADLINE_S
    while True:
        busy = set(pool.busy_pids()) - other_than
        if busy:
            return busy.pop()
        assert time.monotonic() < until, "no solve started"
        await asyncio.sleep(0.02)


@asynccontextmanager
async def a_job_solving(
    database_url: str, **settings: object
) -> AsyncIterator[tuple[httpx.AsyncClient, str, int]]:
    """A service with a long job being solved: its client, the job's id and the pid of the
    solver process it holds."""
    with built_app(make_settings(database_url, job_heartbeat_s=0.1, **settings)) as app:
        async with serving(app) as client:
            pool = pool_of(app)
            before = set(pool.busy_pids())
            accepted = await client.post("/v1/plans", json=long_request(60.0), headers=ASYNC)
            pid = await busy_process(pool, before)
            yield client, accepted.json()["id"], pid


async def test_a_solver_process_killed_mid_solve_is_a_stored_failed_plan(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    # given a plan being solved
    pool = pool_of(app)
    before = set(pool.busy_pids())
    posting = asyncio.create_task(client.post("/v1/plans", json=long_request(30.0)))
    pid = await busy_process(pool, before)
    # when its solver process is killed
    os.kill(pid, signal.SIGKILL)
    response = await posting
    # then the plan is stored as failed, saying why
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["status"] == "failed"
    assert any("SIGKILL" in note for note in answer["diagnostics"]["notes"])
    stored = (await client.get(response.headers["Location"])).json()
    assert stored["status"] == "failed"
    # and the next plan is solved as usual
    after = await client.post("/v1/plans", json=small_request(5))
    assert after.json()["status"] == "optimal"


async def test_a_solve_past_the_memory_cap_fails_cleanly_and_the_service_lives_on(
    database_url: str,
) -> None:
    with built_app(make_settings(database_url, solve_memory_mb=150)) as app:
        async with serving(app) as client:
            response = await client.post("/v1/plans", json=roster_request(30_000, 30.0))
            assert response.status_code == 201, response.text
            answer = response.json()
            assert answer["status"] == "failed"
            assert any("more memory than the 150 MB" in n for n in answer["diagnostics"]["notes"])
            assert (await client.get("/healthz")).status_code == 200
            small = await client.post("/v1/plans", json=small_request(5))
            assert small.json()["status"] == "optimal"


async def test_cancelling_a_running_job_ends_its_solver_process_at_once(
    database_url: str,
) -> None:
    # given a job solving, with a plan found already
    async with a_job_solving(database_url, job_workers=1) as (client, plan_id, pid):
        await poll(
            client,
            plan_id,
            lambda b: (b["job"].get("progress") or {}).get("objective") is not None,
        )
        # when it is cancelled
        asked = time.monotonic()
        assert (await client.post(f"/v1/plans/{plan_id}:cancel")).status_code == 202
        # then its process is gone at once, not at the end of its 60 s solve (the bound is
        # loose so that a loaded machine's scheduling cannot fail the test)
        while not gone(pid):
            assert time.monotonic() - asked <= CANCEL_ENDS_PROCESS_S, (
                "the process outlived the cancel"
            )
            await asyncio.sleep(0.01)
        done = await poll(client, plan_id, lambda b: b["status"] != "running")
        assert done["status"] == "feasible"
        assert done["solver"]["stopped_by"] == "cancelled"
        assert done["allocations"]


async def test_a_plan_that_finds_every_solver_process_busy_is_a_503_and_nothing_is_stored(
    database_url: str,
) -> None:
    # given the only solver process held by a running job
    async with a_job_solving(database_url, solver_processes=1) as (client, job_id, _):
        # when a plan with half a second arrives
        refused = await client.post(
            "/v1/plans", json=small_request(5, options={"time_limit_s": 0.5})
        )
        # then it is refused for now, saying when to retry, and not stored
        assert refused.status_code == 503, refused.text
        assert refused.json()["type"].endswith("solvers-busy")
        assert int(refused.headers["Retry-After"]) >= 1
        listed = (await client.get("/v1/plans")).json()["items"]
        assert [p["id"] for p in listed] == [job_id]
        # and once the process is free, the same request is solved
        await client.post(f"/v1/plans/{job_id}:cancel")
        await poll(client, job_id, lambda b: b["status"] != "running")
        retried = await client.post(
            "/v1/plans", json=small_request(5, options={"time_limit_s": 0.5})
        )
        assert retried.json()["status"] == "optimal"


async def test_a_job_that_finds_every_solver_process_busy_waits_in_the_queue_and_is_solved(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.services.jobs")
    # given the only solver process held by a running job
    holding = a_job_solving(database_url, solver_processes=1, job_workers=2, job_stale_after_s=0.5)
    async with holding as (client, holder_id, _):
        # when a job with half a second is queued, it goes back to the queue unsolved
        request = small_request(5, options={"time_limit_s": 0.5})
        waiting = (await client.post("/v1/plans", json=request, headers=ASYNC)).json()
        until = time.monotonic() + DEADLINE_S
        while not any("handed back" in r.getMessage() for r in caplog.records):
            assert time.monotonic() < until, "the job was never handed back"
            await asyncio.sleep(0.05)
        # and once the process is free, it is solved
        await client.post(f"/v1/plans/{holder_id}:cancel")
        done = await poll(client, waiting["id"], lambda b: b["status"] not in ("queued", "running"))
        assert done["status"] == "optimal"
        assert done["job"]["attempts"] == 1
