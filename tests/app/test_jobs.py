"""Plans as jobs on the in-process executor: Prefer: respond-async, progress, cancel, resume."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable

import anyio
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.api.deps import Resources
from app.core.config import Settings
from app.schemas.plans import PlanCreate
from app.services import jobs, plans
from app.services.executors import InProcessExecutor
from app.services.jobs import MAX_ATTEMPTS, JobOutcome, run_plan_job
from app.services.scope import WorkspaceScope
from models import Plan, PlanState, Role
from models.base import utcnow
from optimizer import SolveControl
from tests.support.api import DEADLINE_S, finished, poll, running_with
from tests.support.app import built_app, make_settings, serving, sessions_of, workspace_id
from tests.support.payloads import long_request, small_request

pytestmark = pytest.mark.anyio

ASYNC = {"Prefer": "respond-async"}
# Generous: these bound waits for conditions, they are not how long things take.


def job_settings(database_url: str, **overrides: object) -> Settings:
    return make_settings(database_url, job_heartbeat_s=0.1, **overrides)


@pytest.fixture
async def one_worker(database_url: str) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """An app whose in-process executor runs one job at a time."""
    with built_app(job_settings(database_url, job_workers=1)) as app:
        async with serving(app) as client:
            yield app, client


def executor_of(app: FastAPI) -> InProcessExecutor:
    resources = app.state.resources
    assert isinstance(resources, Resources)
    assert isinstance(resources.executor, InProcessExecutor)
    return resources.executor


def queue_small_plan(
    sessions: sessionmaker[Session],
    settings: Settings,
    mutate: Callable[[Plan], None] | None = None,
) -> str:
    """The id of a queued four-creator plan; ``mutate`` may edit its row before the commit."""
    scope = WorkspaceScope(workspace_id(sessions))
    with sessions.begin() as session:
        request = PlanCreate.model_validate(small_request(4))
        plan = plans.queue_plan(session, settings, scope, request)
        if mutate is not None:
            mutate(plan)
        return plan.id


async def settle(app: FastAPI) -> None:
    assert await anyio.to_thread.run_sync(executor_of(app).wait_idle, DEADLINE_S)


async def test_respond_async_answers_202_then_the_same_plan_as_a_direct_solve(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    request = small_request(6, budget=2_200)
    direct = (await client.post("/v1/plans", json=request)).json()

    accepted = await client.post("/v1/plans", json=request, headers=ASYNC)

    assert accepted.status_code == 202, accepted.text
    assert accepted.headers["Preference-Applied"] == "respond-async"
    queued = accepted.json()
    assert accepted.headers["Location"] == f"/v1/plans/{queued['id']}"
    assert queued["status"] == "queued"
    assert queued["allocations"] == []
    assert queued["solver"] is None
    assert queued["job"]["queued_at"] is not None
    await settle(app)
    done = (await client.get(accepted.headers["Location"])).json()
    assert done["status"] == direct["status"] == "optimal"
    assert done["solver"]["objective"] == pytest.approx(direct["solver"]["objective"], rel=1e-9)
    assert [a["id"] for a in done["allocations"]] == [a["id"] for a in direct["allocations"]]
    job = done["job"]
    assert job["attempts"] == 1
    assert job["queued_at"] <= job["started_at"] <= job["finished_at"]
    assert direct["job"] is None


async def test_an_invalid_async_request_is_refused_before_anything_is_queued(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    request = small_request(3, constraints={"tier_share": {"giga": {"min": 0.1}}})

    response = await client.post("/v1/plans", json=request, headers=ASYNC)

    assert response.status_code == 422, response.text
    assert "giga" in response.text
    with sessions_of(app)() as session:
        assert session.scalar(select(func.count()).select_from(Plan)) == 0


async def test_a_running_job_shows_progress_then_cancel_keeps_its_best_plan(
    one_worker: tuple[FastAPI, httpx.AsyncClient],
) -> None:
    app, client = one_worker
    running_id = (await client.post("/v1/plans", json=long_request(), headers=ASYNC)).json()["id"]
    queued_id = (await client.post("/v1/plans", json=small_request(4), headers=ASYNC)).json()["id"]

    running = await poll(
        client,
        running_id,
        running_with("gap"),
    )
    progress = running["job"]["progress"]
    assert progress["elapsed_s"] >= 0
    # a gap needs a bound: from the Lagrangian (while the first plan is repaired) onwards
    assert progress["stage"] in ("first_plan", "lp", "kernel", "mip")
    assert progress["objective"] > 0
    # The single worker is busy, so the second job waits in the queue.
    assert (await client.get(f"/v1/plans/{queued_id}")).json()["status"] == "queued"

    cancelled_queued = await client.post(f"/v1/plans/{queued_id}:cancel")
    assert cancelled_queued.status_code == 202
    assert cancelled_queued.json()["status"] == "cancelled"

    asked = time.monotonic()
    cancel = await client.post(f"/v1/plans/{running_id}:cancel")
    assert cancel.status_code == 202
    assert cancel.json()["job"]["cancel_requested"] is True
    stopped = await poll(client, running_id, finished)
    assert time.monotonic() - asked < 10  # the limit is 60 s: the cancel stopped it
    assert stopped["status"] == "feasible"
    assert stopped["solver"]["stopped_by"] == "cancelled"
    assert stopped["solver"]["gap"] > 0
    assert stopped["allocations"]
    assert stopped["totals"]["spend"] <= stopped["budget"] * (1 + 1e-9)
    await settle(app)
    # The cancelled job never ran.
    never = (await client.get(f"/v1/plans/{queued_id}")).json()
    assert never["status"] == "cancelled"
    assert never["job"]["started_at"] is None
    assert never["allocations"] == []


async def test_cancelling_twice_is_harmless_and_a_finished_plan_is_a_409(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    solved = (await client.post("/v1/plans", json=small_request(4))).json()

    finished = await client.post(f"/v1/plans/{solved['id']}:cancel")

    assert finished.status_code == 409
    assert finished.headers["content-type"] == "application/problem+json"
    assert (await client.post("/v1/plans/nope:cancel")).status_code == 404


async def test_a_viewer_may_follow_a_job_but_not_cancel_it(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    plan_id = (await client.post("/v1/plans", json=small_request(4), headers=ASYNC)).json()["id"]
    async with serving(app, role=None) as anonymous:
        assert (await anonymous.post(f"/v1/plans/{plan_id}:cancel")).status_code == 401
    async with serving(app, role=Role.VIEWER) as viewer:
        assert (await viewer.get(f"/v1/plans/{plan_id}")).status_code == 200
        assert (await viewer.post(f"/v1/plans/{plan_id}:cancel")).status_code == 403
    await settle(app)


async def test_queued_jobs_left_by_a_stopped_service_run_when_it_starts_again(
    database_url: str,
) -> None:
    settings = job_settings(database_url)
    with built_app(settings) as first:
        left = queue_small_plan(sessions_of(first), settings)

    with built_app(settings) as second:
        async with serving(second) as client:
            await settle(second)
            body = (await client.get(f"/v1/plans/{left}")).json()
    assert body["status"] == "optimal"


async def test_listing_filters_on_job_states(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(executor_of(app), "submit", lambda plan_id: None)  # it stays queued
    plan_id = (await client.post("/v1/plans", json=small_request(4), headers=ASYNC)).json()["id"]

    listed = (await client.get("/v1/plans", params={"status": "queued"})).json()

    assert [item["id"] for item in listed["items"]] == [plan_id]
    assert listed["items"][0]["spend"] is None


# --- the claim: one stored answer whatever the workers do ---------------------------------------


def test_a_job_held_by_a_live_worker_is_left_to_it_and_a_silent_one_is_taken_over(
    database_url: str,
) -> None:
    settings = job_settings(database_url, job_stale_after_s=30.0)
    with built_app(settings) as app:
        sessions = sessions_of(app)
        plan_id = queue_small_plan(sessions, settings)
        # Another worker claimed it a moment ago and is alive.
        with sessions.begin() as session:
            plan = session.get_one(Plan, plan_id)
            plan.status, plan.claim_token, plan.attempts = PlanState.RUNNING, "other", 1
            plan.heartbeat_at = plan.queued_at
        assert run_plan_job(sessions, settings, plan_id) is JobOutcome.BUSY

        # It went silent longer than the stale limit: this worker takes over and stores once.
        silent = make_settings(database_url, job_stale_after_s=1e-6, job_heartbeat_s=0.1)
        assert run_plan_job(sessions, silent, plan_id) is JobOutcome.STORED
        assert run_plan_job(sessions, silent, plan_id) is JobOutcome.GONE
        with sessions() as session:
            plan = session.get_one(Plan, plan_id)
            assert plan.status is PlanState.OPTIMAL
            assert plan.attempts == 2
            assert len(plan.allocations) == 4


def test_a_worker_whose_job_was_taken_over_drops_its_answer(database_url: str) -> None:
    settings = job_settings(database_url)
    with built_app(settings) as app:
        sessions = sessions_of(app)
        plan_id = queue_small_plan(sessions, settings)
        token = "slow-worker"
        with sessions.begin() as session:
            plan = session.get_one(Plan, plan_id)
            plan.status, plan.claim_token = PlanState.RUNNING, "the-new-worker"
        answer = jobs._solve(PlanCreate.model_validate(small_request(4)), settings, SolveControl())
        assert answer is not None

        assert jobs._store(sessions, plan_id, token, answer) is JobOutcome.LOST
        with sessions() as session:
            assert session.get_one(Plan, plan_id).answer is None


# --- jobs never stay running ------------------------------------------------------------------


async def test_a_crashing_solve_ends_failed_not_running(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("out of luck")

    monkeypatch.setattr(jobs, "solve", crash)
    plan_id = (await client.post("/v1/plans", json=small_request(4), headers=ASYNC)).json()["id"]
    await settle(app)

    body = (await client.get(f"/v1/plans/{plan_id}")).json()

    assert body["status"] == "failed"
    assert body["diagnostics"]["notes"] == ["the solve crashed"]
    assert "out of luck" not in str(body)
    assert (await client.get(f"/v1/plans/{plan_id}/export.csv")).status_code == 200


async def test_a_job_whose_worker_went_silent_is_taken_over_by_the_sweep(
    database_url: str,
) -> None:
    settings = job_settings(database_url, job_stale_after_s=0.3)

    def held_by_a_dead_worker(plan: Plan) -> None:
        plan.status, plan.claim_token, plan.attempts = PlanState.RUNNING, "dead", 1
        plan.heartbeat_at = utcnow()  # fresh: not taken over at startup

    with built_app(settings) as app:
        plan_id = queue_small_plan(sessions_of(app), settings, held_by_a_dead_worker)
        async with serving(app) as client:
            done = await poll(client, plan_id, lambda p: p["status"] == "optimal")
    assert done["job"]["attempts"] == 2


def test_a_job_whose_workers_keep_dying_is_failed_after_three_attempts(
    database_url: str,
) -> None:
    settings = job_settings(database_url, job_stale_after_s=1e-6)

    def out_of_attempts(plan: Plan) -> None:
        plan.status, plan.claim_token, plan.attempts = PlanState.RUNNING, "dead", MAX_ATTEMPTS
        plan.heartbeat_at = plan.queued_at

    with built_app(settings) as app:
        sessions = sessions_of(app)
        plan_id = queue_small_plan(sessions, settings, out_of_attempts)

        assert run_plan_job(sessions, settings, plan_id) is JobOutcome.STORED
        with sessions() as session:
            stored = session.get_one(Plan, plan_id)
            assert stored.status is PlanState.FAILED
            assert stored.answer is not None
            assert "given up after 3 attempts" in stored.answer["diagnostics"]["notes"][0]


async def test_a_frontier_point_cannot_be_deleted_alone_and_a_queued_plan_not_exported(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(executor_of(app), "submit", lambda plan_id: None)  # it stays queued
    queued = (await client.post("/v1/plans", json=small_request(4), headers=ASYNC)).json()

    assert (await client.get(f"/v1/plans/{queued['id']}/export.xlsx")).status_code == 409
    frontier = await client.post(
        "/v1/frontiers", json={"request": small_request(4), "budgets": [1_000, 2_000]}
    )
    point = frontier.json()["points"][0]["plan_id"]
    assert (await client.delete(f"/v1/plans/{point}")).status_code == 409
