"""Jobs on Celery with a real Redis broker and real `influmix worker` processes.

Redis at 127.0.0.1:6379 is part of the test environment, like PostgreSQL: when it is not
there these tests fail rather than skip. Each test has a queue of its own in Redis database 15,
so runs side by side never take each other's jobs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.core.config import ExecutorKind, Settings
from tests.support import api
from tests.support.api import finished
from tests.support.app import built_app, make_settings, serving
from tests.support.payloads import long_request, small_request
from tests.support.scratch import redis_names

pytestmark = pytest.mark.anyio

BROKER_URL = "redis://127.0.0.1:6379/15"
ASYNC = {"Prefer": "respond-async"}
DEADLINE_S = 90.0
INFLUMIX = Path(sys.executable).with_name("influmix")


def celery_settings(database_url: str, queue: str) -> Settings:
    return make_settings(
        database_url,
        executor=ExecutorKind.CELERY,
        broker_url=BROKER_URL,
        job_queue=queue,
        job_heartbeat_s=0.2,
        job_stale_after_s=2.0,
        broker_visibility_timeout_s=4.0,
    )


@pytest.fixture
def queue() -> Iterator[str]:
    """A queue of this test's own, removed after it."""
    with redis_names(BROKER_URL, "influmix-test") as name:
        yield name


@pytest.fixture
async def celery_app_client(
    database_url: str, queue: str
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient, Settings]]:
    settings = celery_settings(database_url, queue)
    with built_app(settings) as app:
        async with serving(app) as client:
            yield app, client, settings


@contextmanager
def worker(settings: Settings, name: str, log_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """An `influmix worker` process (its own process group, so SIGKILL takes all of it)."""
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "INFLUMIX_EXECUTOR": "celery",
        "INFLUMIX_BROKER_URL": settings.broker_url,
        "INFLUMIX_JOB_QUEUE": settings.job_queue,
        "INFLUMIX_JOB_HEARTBEAT_S": str(settings.job_heartbeat_s),
        "INFLUMIX_JOB_STALE_AFTER_S": str(settings.job_stale_after_s),
        "INFLUMIX_BROKER_VISIBILITY_TIMEOUT_S": str(settings.broker_visibility_timeout_s),
    }
    log = (log_dir / f"{name}.log").open("wb")
    process = subprocess.Popen(
        [str(INFLUMIX), "worker", "--hostname", f"{name}@%h"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


# A worker process starts (and imports the solver) before it takes its first job.
poll = partial(api.poll, deadline_s=DEADLINE_S)


async def test_a_worker_process_solves_a_queued_plan(
    celery_app_client: tuple[FastAPI, httpx.AsyncClient, Settings], tmp_path: Path
) -> None:
    _app, client, settings = celery_app_client
    direct = (await client.post("/v1/plans", json=small_request(6, budget=2_200))).json()

    with worker(settings, "one", tmp_path):
        accepted = await client.post(
            "/v1/plans", json=small_request(6, budget=2_200), headers=ASYNC
        )
        assert accepted.status_code == 202, accepted.text
        done = await poll(client, accepted.json()["id"], finished)

    assert done["status"] == "optimal"
    assert done["solver"]["objective"] == pytest.approx(direct["solver"]["objective"], rel=1e-9)
    assert done["job"]["attempts"] == 1


async def test_a_job_whose_worker_is_killed_mid_solve_completes_once_on_another(
    celery_app_client: tuple[FastAPI, httpx.AsyncClient, Settings], tmp_path: Path
) -> None:
    _app, client, settings = celery_app_client
    with worker(settings, "doomed", tmp_path) as doomed:
        accepted = await client.post("/v1/plans", json=long_request(8.0), headers=ASYNC)
        plan_id = accepted.json()["id"]
        running = await poll(client, plan_id, lambda p: p["status"] == "running")
        assert running["job"]["attempts"] == 1
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait()

    # The broker hands the unacknowledged job to the next worker once its visibility timeout
    # passes; the claim lets it in once the dead worker's heartbeat is stale.
    with worker(settings, "survivor", tmp_path):
        done = await poll(client, plan_id, finished)

    assert done["status"] in ("optimal", "feasible")
    assert done["allocations"]
    assert done["job"]["attempts"] == 2
    assert done["job"]["finished_at"] > done["job"]["started_at"]
    survivor_log = (tmp_path / "survivor.log").read_text()
    assert survivor_log.count(f"job {plan_id} claimed") == 1
    assert "answer is dropped" not in survivor_log


async def test_cancel_reaches_queued_and_running_jobs_on_workers(
    celery_app_client: tuple[FastAPI, httpx.AsyncClient, Settings], tmp_path: Path
) -> None:
    _app, client, settings = celery_app_client
    # No worker yet: the job waits in the queue, and is cancelled there.
    queued_id = (await client.post("/v1/plans", json=small_request(4), headers=ASYNC)).json()["id"]
    cancelled = await client.post(f"/v1/plans/{queued_id}:cancel")
    assert cancelled.json()["status"] == "cancelled"

    with worker(settings, "one", tmp_path):
        running_id = (
            await client.post("/v1/plans", json=long_request(60.0), headers=ASYNC)
        ).json()["id"]
        # Once it has a plan: a cancel keeps the best plan found so far.
        await poll(
            client,
            running_id,
            lambda p: (
                p["status"] == "running"
                and p["job"]["progress"] is not None
                and p["job"]["progress"]["objective"] is not None
            ),
        )
        asked = time.monotonic()
        await client.post(f"/v1/plans/{running_id}:cancel")
        stopped = await poll(client, running_id, finished)
        assert time.monotonic() - asked < 15

    assert stopped["status"] == "feasible"
    assert stopped["solver"]["stopped_by"] == "cancelled"
    still = (await client.get(f"/v1/plans/{queued_id}")).json()
    assert still["status"] == "cancelled"
    assert still["job"]["started_at"] is None


async def test_a_plan_queued_while_the_broker_is_down_is_sent_by_a_workers_sweep(
    database_url: str, queue: str, tmp_path: Path
) -> None:
    settings = celery_settings(database_url, queue)
    unreachable = settings.model_copy(update={"broker_url": "redis://127.0.0.1:1/15"})
    with built_app(unreachable) as app:
        async with serving(app) as client:
            accepted = await client.post("/v1/plans", json=small_request(4), headers=ASYNC)
            # The job is stored: the planner gets its 202 whether or not the queue is up.
            assert accepted.status_code == 202, accepted.text
            plan_id = accepted.json()["id"]

            with worker(settings, "sweeper", tmp_path):
                done = await poll(client, plan_id, finished)

    assert done["status"] == "optimal"
