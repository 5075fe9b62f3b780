"""/metrics: off unless turned on, behind its token when one is set, and figures that move."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

import optimizer
from app.services import planning
from optimizer import SolveControl
from optimizer.problem import PlanProblem
from optimizer.result import PlanResult
from tests.support.app import built_app, make_settings, serving
from tests.support.payloads import small_request

pytestmark = pytest.mark.anyio

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
# Bounds the wait for the executor to start a job; it takes milliseconds.
JOB_START_DEADLINE_S = 30.0


async def scrape(client: httpx.AsyncClient, **headers: str) -> Samples:
    answer = await client.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_are_off_by_default(database_url: str) -> None:
    with built_app(make_settings(database_url)) as app:
        async with serving(app, role=None) as client:
            answer = await client.get("/metrics")
            document = (await client.get("/openapi.json")).json()

    assert answer.status_code == 404
    assert "/metrics" not in document["paths"]  # not part of the API


async def test_solves_and_requests_are_counted(database_url: str) -> None:
    with built_app(make_settings(database_url, metrics_enabled=True)) as app:
        async with serving(app) as client:
            before = await scrape(client)
            created = await client.post("/v1/plans", json=small_request())
            assert created.status_code == 201
            plan = created.json()
            fetched = await client.get(f"/v1/plans/{plan['id']}")
            assert fetched.status_code == 200
            assert (await client.get("/no/such/path-1234")).status_code == 404
            assert (await client.request("BREW", "/v1/plans")).status_code == 405
            after = await scrape(client)

    backend = plan["solver"]["backend"]
    solves = {"status": plan["status"], "backend": backend}
    assert value(after, "influmix_solves_total", **solves) == (
        value(before, "influmix_solves_total", **solves) + 1
    )
    assert value(after, "influmix_solve_seconds_count", backend=backend) == (
        value(before, "influmix_solve_seconds_count", backend=backend) + 1
    )
    assert value(after, "influmix_solve_gap_count", backend=backend) == (
        value(before, "influmix_solve_gap_count", backend=backend) + 1
    )
    created_series = {"method": "POST", "route": "/v1/plans", "status": "201"}
    assert value(after, "influmix_http_request_duration_seconds_count", **created_series) == (
        value(before, "influmix_http_request_duration_seconds_count", **created_series) + 1
    )
    # The route's template, never the plan's id: one series whatever the ids.
    fetched_series = {"method": "GET", "route": "/v1/plans/{plan_id}", "status": "200"}
    assert value(after, "influmix_http_request_duration_seconds_count", **fetched_series) >= 1
    assert not any(plan["id"] in dict(labels).get("route", "") for _, labels in after)
    unmatched = {"method": "GET", "route": "<unmatched>", "status": "404"}
    assert value(after, "influmix_http_request_duration_seconds_count", **unmatched) >= 1
    assert not any("path-1234" in dict(labels).get("route", "") for _, labels in after)
    odd_method = {"method": "OTHER", "route": "/v1/plans", "status": "405"}
    assert value(after, "influmix_http_request_duration_seconds_count", **odd_method) >= 1
    assert value(after, "influmix_db_pool_size") >= 1
    assert ("influmix_db_pool_checked_out", frozenset()) in after
    assert value(after, "influmix_jobs", state="queued") == 0
    assert value(after, "influmix_jobs", state="running") == 0
    assert ("influmix_job_queue_depth", frozenset()) in after


async def test_metrics_behind_a_token_need_it(database_url: str) -> None:
    settings = make_settings(database_url, metrics_enabled=True, metrics_token="s3cret-token")
    with built_app(settings) as app:
        async with serving(app, role=None) as client:
            without = await client.get("/metrics")
            wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
            right = await scrape(client, Authorization="Bearer s3cret-token")

    assert without.status_code == 401
    assert without.headers["content-type"] == "application/problem+json"
    assert wrong.status_code == 401
    assert ("influmix_db_pool_size", frozenset()) in right


async def test_jobs_by_state_and_queue_depth(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real = optimizer.optimize

    def held(problem: PlanProblem, *, control: SolveControl | None, **_: object) -> PlanResult:
        release.wait(timeout=30)
        return real(problem, control=control)

    monkeypatch.setattr(planning, "run_solver", held)
    async_header = {"Prefer": "respond-async"}
    settings = make_settings(database_url, metrics_enabled=True, job_workers=1)
    with built_app(settings) as app:
        async with serving(app) as client:
            try:
                for _ in range(3):
                    posted = await client.post(
                        "/v1/plans", json=small_request(), headers=async_header
                    )
                    assert posted.status_code == 202
                deadline = time.monotonic() + JOB_START_DEADLINE_S
                samples = await scrape(client)
                while value(samples, "influmix_jobs", state="running") < 1:
                    assert time.monotonic() < deadline, "no job started"
                    await asyncio.sleep(0.05)  # polling the executor, bounded by the deadline
                    samples = await scrape(client)
            finally:
                release.set()

    # One worker: one job solving, the two others waiting.
    assert value(samples, "influmix_jobs", state="running") == 1
    assert value(samples, "influmix_jobs", state="queued") == 2
    assert value(samples, "influmix_job_queue_depth") == 2
