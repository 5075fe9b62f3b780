"""Limits, security headers, request ids, structured logs and error bodies."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.core.logs import ACCESS_LOGGER, JsonFormatter, RequestContextFilter
from app.services import planning
from app.services import plans as plan_service
from tests.support.app import built_app, make_settings, serving
from tests.support.holds import HeldSolves
from tests.support.payloads import small_request

pytestmark = pytest.mark.anyio

SQL_AND_TRACES = ("traceback", "select ", "insert ", "sqlite", "psycopg", 'file "', "secret_col")


# --- limits ----------------------------------------------------------------------------------


async def test_requests_past_the_per_key_rate_are_429_with_retry_after(database_url: str) -> None:
    with built_app(make_settings(database_url, rate_limit_per_minute=3)) as app:
        async with serving(app) as client, serving(app) as other_key:
            answers = [await client.get("/v1/plans") for _ in range(4)]
            other = await other_key.get("/v1/plans")

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["type"].endswith("too-many-requests")
    assert other.status_code == 200  # counted per key


async def test_solves_past_the_workspace_limit_are_429_with_retry_after(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    solves = HeldSolves()
    monkeypatch.setattr(planning, "run_solver", solves)
    with built_app(make_settings(database_url, max_concurrent_solves=2)) as app:
        async with serving(app) as client, serving(app, workspace="other") as elsewhere:
            running = [
                asyncio.create_task(client.post("/v1/plans", json=small_request()))
                for _ in range(2)
            ]
            for _ in range(2):
                await solves.started()
            refused = await client.post("/v1/plans", json=small_request())
            other_workspace = asyncio.create_task(elsewhere.post("/v1/plans", json=small_request()))
            await solves.started()
            solves.release.set()
            done = await asyncio.gather(*running, other_workspace)
            after = await client.post("/v1/plans", json=small_request())

    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert "solve" in refused.json()["detail"]
    assert [d.status_code for d in done] == [201, 201, 201]
    assert after.status_code == 201  # the slots were given back


# Body size (413), candidates per plan, string lengths and the time limit cap are pinned in
# test_plans.py and test_import.py; each is a setting (see test_settings.py).


# --- headers and request ids -----------------------------------------------------------------


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/plans"),
        ("GET", "/v1/plans/missing"),
        ("POST", "/v1/plans/missing"),
        ("GET", "/v1/nothing-here"),
        ("GET", "/healthz"),
        ("GET", "/openapi.json"),
    ],
)
async def test_every_answer_carries_the_security_headers_and_a_request_id(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, path)

    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert len(response.headers["x-request-id"]) == 32
    if path.startswith("/v1/"):
        assert response.headers["cache-control"] == "no-store"


async def test_the_docs_page_may_load_its_scripts_but_not_be_framed(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/docs")

    assert response.headers["content-security-policy"] == "frame-ancestors 'none'"
    assert response.headers["x-frame-options"] == "DENY"


async def test_unauthenticated_and_oversized_answers_carry_the_headers(database_url: str) -> None:
    with built_app(make_settings(database_url, max_request_bytes=100)) as app:
        async with serving(app) as client, serving(app, role=None) as anonymous:
            too_big = await client.post("/v1/plans", content=b"x" * 1000)
            unauthorized = await anonymous.get("/v1/plans")

    for response in (too_big, unauthorized):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-request-id"]
    assert too_big.status_code == 413
    assert unauthorized.status_code == 401


async def test_a_sane_request_id_is_echoed_and_an_odd_one_replaced(
    client: httpx.AsyncClient,
) -> None:
    echoed = await client.get("/v1/plans", headers={"X-Request-ID": "trace-42.a:b_c"})
    replaced = await client.get("/v1/plans", headers={"X-Request-ID": "bad id\\n<script>"})
    too_long = await client.get("/v1/plans", headers={"X-Request-ID": "a" * 200})

    assert echoed.headers["x-request-id"] == "trace-42.a:b_c"
    for response in (replaced, too_long):
        assert response.headers["x-request-id"] != response.request.headers["x-request-id"]
        assert len(response.headers["x-request-id"]) == 32


# --- errors never leak -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (OperationalError("SELECT secret_col FROM plans", {}, Exception("sqlite locked")), 503),
        (ProgrammingError("INSERT INTO plans (secret_col)", {}, Exception("psycopg")), 500),
    ],
)
async def test_a_database_error_answers_a_bare_problem(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch, error: Exception, status: int
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise error

    monkeypatch.setattr(plan_service, "list_plans", broken)
    async with serving(app, raise_app_exceptions=False) as client:
        response = await client.get("/v1/plans")

    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"]
    assert response.headers["x-content-type-options"] == "nosniff"
    text = response.text.lower()
    for leak in SQL_AND_TRACES:
        assert leak not in text


# --- logs ------------------------------------------------------------------------------------


async def test_one_json_access_line_per_request_with_its_id_and_never_the_key(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)

    response = await client.get("/v1/plans?limit=5", headers={"X-Request-ID": "req-1"})

    lines = [r for r in caplog.records if r.name == ACCESS_LOGGER]
    assert len(lines) == 1
    entry = json.loads(JsonFormatter().format(lines[0]))
    assert entry["request_id"] == "req-1"
    assert entry["method"] == "GET"
    assert entry["path"] == "/v1/plans"
    assert entry["status"] == 200
    assert entry["duration_ms"] >= 0
    assert entry["workspace_id"]
    key = client.headers["authorization"].removeprefix("Bearer ")
    assert key not in json.dumps(entry)
    assert response.headers["x-request-id"] == "req-1"


async def test_log_lines_inside_a_request_carry_its_id(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    caplog.handler.addFilter(RequestContextFilter())

    await client.post("/v1/plans", json=small_request(), headers={"X-Request-ID": "req-2"})

    stored = [r for r in caplog.records if r.getMessage().startswith("plan ")]
    assert stored
    entry = json.loads(JsonFormatter().format(stored[0]))
    assert entry["request_id"] == "req-2"
    assert entry["logger"] == "app.services.plans"
    assert entry["workspace_id"]
