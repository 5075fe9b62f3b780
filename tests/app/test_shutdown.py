"""Shutting down for a redeploy, and executors that keep to their own jobs, in one process.

The same behaviours with real processes (SIGTERM, kill -9, two services on one database) are in
``test_process_faults.py``; these run on both databases and take seconds.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from app.api.deps import Resources
from app.core.config import ExecutorKind
from app.errors import ServiceStoppingError
from app.services.jobs import JobOutcome, orphaned_jobs, run_plan_job
from app.services.lifecycle import Shutdown
from models import Plan, PlanState
from tests.app.test_jobs import ASYNC, job_settings, queue_small_plan
from tests.support.api import poll
from tests.support.app import built_app, serving, sessions_of
from tests.support.payloads import long_request, small_request

pytestmark = pytest.mark.anyio

DEADLINE_S = 60.0


def resources_of(app: FastAPI) -> Resources:
    resources = app.state.resources
    assert isinstance(resources, Resources)
    return resources


async def test_stopping_refuses_new_work_and_hands_a_running_job_back_unsolved(
    database_url: str,
) -> None:
    settings = job_settings(database_url, shutdown_grace_s=0.0)
    with built_app(settings) as app:
        async with serving(app) as client:
            accepted = await client.post("/v1/plans", json=long_request(60.0), headers=ASYNC)
            plan_id = accepted.json()["id"]
            await poll(client, plan_id, lambda p: p["status"] == "running")

            started = time.monotonic()
            await anyio.to_thread.run_sync(resources_of(app).stop)
            stopped_after = time.monotonic() - started

            for answer in (
                await client.get("/readyz"),
                await client.post("/v1/plans", json=small_request(3)),
                await client.post("/v1/plans", json=small_request(3), headers=ASYNC),
            ):
                assert answer.status_code == 503, answer.text
                assert answer.headers["Retry-After"] == "2"
                assert answer.json()["type"] == "urn:influmix:problem:service-stopping"
            assert (await client.get("/healthz")).status_code == 200
            job: dict[str, Any] = (await client.get(f"/v1/plans/{plan_id}")).json()

    # Cancelled and given back, not solved to its 60 s limit.
    assert stopped_after < 10
    assert job["status"] == "queued"
    assert job["allocations"] == []
    assert job["job"]["attempts"] == 0
    assert job["job"]["started_at"] is None
    with sessions_of(app)() as session:
        plan = session.get_one(Plan, plan_id)
        assert (plan.claim_token, plan.submitted_at) == (None, None)


async def test_a_job_given_back_is_solved_once_by_the_next_service(database_url: str) -> None:
    settings = job_settings(database_url, shutdown_grace_s=0.0)
    with built_app(settings) as first:
        async with serving(first) as client:
            plan_id = (
                await client.post("/v1/plans", json=long_request(2.0), headers=ASYNC)
            ).json()["id"]
            await poll(client, plan_id, lambda p: p["status"] == "running")
            await anyio.to_thread.run_sync(resources_of(first).stop)

    with built_app(settings) as second:
        async with serving(second) as client:
            done = await poll(client, plan_id, lambda p: p["status"] not in ("queued", "running"))
    assert done["status"] == "feasible"
    assert done["allocations"]
    assert done["job"]["attempts"] == 1


def test_a_synchronous_solve_in_flight_is_cut_at_the_end_of_the_grace() -> None:
    shutdown = Shutdown(grace_s=0.3)
    given_back = threading.Event()
    with shutdown.solving() as control:
        stopper = threading.Thread(target=shutdown.run, args=(given_back.set,))
        started = time.monotonic()
        stopper.start()
        # The solve "runs" until it is cut, as the solver does at a time limit.
        while not control.cancelled:
            assert time.monotonic() - started < DEADLINE_S
            time.sleep(0.01)
        cut_after = time.monotonic() - started
        assert control.cancelled_at is None  # expired, not cancelled: a time limit
        with pytest.raises(ServiceStoppingError):
            shutdown.refuse_new_work()
        with pytest.raises(ServiceStoppingError), shutdown.solving():
            pass
    stopper.join(DEADLINE_S)
    assert not stopper.is_alive()
    assert given_back.is_set()
    assert 0.25 <= cut_after < 5


def test_a_solve_that_ends_within_the_grace_is_not_cut() -> None:
    shutdown = Shutdown(grace_s=DEADLINE_S)
    with shutdown.solving() as control:
        stopper = threading.Thread(target=shutdown.run, args=(lambda: None,))
        stopper.start()
        while not shutdown.stopping:
            time.sleep(0.01)
    stopper.join(DEADLINE_S)
    assert not stopper.is_alive()
    assert not control.cancelled


def test_an_inprocess_service_leaves_the_jobs_of_celery_alone(database_url: str) -> None:
    settings = job_settings(database_url, job_stale_after_s=1e-6)
    celery = settings.model_copy(update={"executor": ExecutorKind.CELERY})
    with built_app(settings) as app:
        sessions = sessions_of(app)
        theirs = queue_small_plan(sessions, celery)
        ours = queue_small_plan(sessions, settings)
        with sessions() as session:
            assert orphaned_jobs(session, settings, at_startup=True) == [ours]
            assert orphaned_jobs(session, celery, at_startup=True) == [theirs]

        assert run_plan_job(sessions, settings, theirs) is JobOutcome.GONE
        with sessions() as session:
            row = session.execute(
                select(Plan.status, Plan.executor, Plan.attempts).where(Plan.id == theirs)
            ).one()
        assert tuple(row) == (PlanState.QUEUED, "celery", 0)
        assert run_plan_job(sessions, celery, theirs) is JobOutcome.STORED
