"""Idempotency-Key: a retried POST gets the first answer and does not do the work twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, func, select, update

import optimizer
from app.services import planning
from models import IdempotencyRecord, Influencer, Plan, Role
from models.base import utcnow
from optimizer import SolveControl
from optimizer.problem import PlanProblem
from optimizer.result import PlanResult
from tests.support.app import built_app, make_settings, serving
from tests.support.catalog import CSV_TYPE, csv_bytes, influencer
from tests.support.payloads import small_request

pytestmark = pytest.mark.anyio


def count(engine: Engine, model: type[Plan] | type[Influencer]) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def solves(monkeypatch: pytest.MonkeyPatch) -> list[PlanProblem]:
    """Every problem the optimizer is asked to solve."""
    seen: list[PlanProblem] = []
    real = optimizer.optimize

    def counted(problem: PlanProblem, *, control: SolveControl | None, **_: object) -> PlanResult:
        seen.append(problem)
        return real(problem, control=control)

    monkeypatch.setattr(planning, "run_solver", counted)
    return seen


def key(value: str) -> dict[str, str]:
    return {"Idempotency-Key": value}


async def test_a_retry_gets_the_first_answer_without_solving_again(
    client: httpx.AsyncClient, db_engine: Engine, solves: list[PlanProblem]
) -> None:
    first = await client.post("/v1/plans", json=small_request(), headers=key("retry-1"))
    second = await client.post("/v1/plans", json=small_request(), headers=key("retry-1"))

    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert len(solves) == 1
    assert count(db_engine, Plan) == 1


async def test_the_same_body_in_another_key_order_is_the_same_request(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    body = small_request()
    reordered = dict(reversed(list(body.items())))

    first = await client.post("/v1/plans", json=body, headers=key("order"))
    second = await client.post("/v1/plans", json=reordered, headers=key("order"))

    assert second.content == first.content
    assert count(db_engine, Plan) == 1


async def test_a_reused_key_with_another_body_is_422(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    await client.post("/v1/plans", json=small_request(), headers=key("reused"))

    other = await client.post("/v1/plans", json=small_request(budget=9_000), headers=key("reused"))
    elsewhere = await client.post("/v1/influencers", json=influencer("@a"), headers=key("reused"))

    for response in (other, elsewhere):
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == "header.Idempotency-Key"
    assert count(db_engine, Plan) == 1
    assert count(db_engine, Influencer) == 0


async def test_without_a_key_every_post_is_new(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    await client.post("/v1/plans", json=small_request())
    await client.post("/v1/plans", json=small_request())

    assert count(db_engine, Plan) == 2


async def test_keys_are_per_workspace(app: FastAPI, db_engine: Engine) -> None:
    async with (
        serving(app, workspace="a") as first,
        serving(app, workspace="b") as second,
    ):
        one = await first.post("/v1/plans", json=small_request(), headers=key("shared"))
        two = await second.post("/v1/plans", json=small_request(), headers=key("shared"))

    assert one.json()["id"] != two.json()["id"]
    assert count(db_engine, Plan) == 2


async def test_an_expired_key_starts_afresh(client: httpx.AsyncClient, db_engine: Engine) -> None:
    first = await client.post("/v1/plans", json=small_request(), headers=key("old"))
    with db_engine.begin() as conn:
        conn.execute(update(IdempotencyRecord).values(expires_at=utcnow() - timedelta(seconds=1)))

    again = await client.post("/v1/plans", json=small_request(budget=9_000), headers=key("old"))

    assert again.status_code == 201
    assert again.json()["id"] != first.json()["id"]
    assert count(db_engine, Plan) == 2


async def test_records_expire_after_24_hours(client: httpx.AsyncClient, db_engine: Engine) -> None:
    await client.post("/v1/plans", json=small_request(), headers=key("ttl"))

    with db_engine.connect() as conn:
        created, expires = conn.execute(
            select(IdempotencyRecord.created_at, IdempotencyRecord.expires_at)
        ).one()
    assert expires - created == timedelta(hours=24)


async def test_a_failed_request_frees_its_key(
    app: FastAPI, db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = optimizer.optimize
    calls: list[int] = []

    def fails_once(
        problem: PlanProblem, *, control: SolveControl | None, **_: object
    ) -> PlanResult:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("crash on the first try")
        return real(problem, control=control)

    monkeypatch.setattr(planning, "run_solver", fails_once)
    async with serving(app, raise_app_exceptions=False) as client:
        failed = await client.post("/v1/plans", json=small_request(), headers=key("flaky"))
        retried = await client.post("/v1/plans", json=small_request(), headers=key("flaky"))

    assert failed.status_code == 500
    assert retried.status_code == 201
    assert count(db_engine, Plan) == 1


async def test_an_invalid_request_is_not_kept(client: httpx.AsyncClient) -> None:
    bad = await client.post("/v1/plans", json={"budget": -1}, headers=key("fix-me"))
    fixed = await client.post("/v1/plans", json=small_request(), headers=key("fix-me"))

    assert bad.status_code == 422
    assert fixed.status_code == 201


@pytest.mark.parametrize("value", ["", "x" * 256, "caf\u00e9"])
async def test_a_malformed_key_is_422(client: httpx.AsyncClient, value: str) -> None:
    response = await client.post(
        "/v1/plans",
        json=small_request(),
        headers=[(b"Idempotency-Key", value.encode())],
    )

    assert response.status_code == 422
    assert "Idempotency-Key" in response.text


async def test_twenty_concurrent_retries_store_one_plan_and_agree(
    client: httpx.AsyncClient, db_engine: Engine, solves: list[PlanProblem]
) -> None:
    body = small_request(creators=12)

    answers = await asyncio.gather(
        *(client.post("/v1/plans", json=body, headers=key("storm")) for _ in range(20))
    )

    assert {a.status_code for a in answers} == {201}
    assert len({a.content for a in answers}) == 1
    assert len({a.headers["location"] for a in answers}) == 1
    assert sum("idempotent-replayed" not in a.headers for a in answers) == 1
    assert len(solves) == 1
    assert count(db_engine, Plan) == 1


async def test_a_retry_that_waits_too_long_gets_409_in_progress(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = asyncio.Event()
    release = asyncio.Event()
    loop = asyncio.get_running_loop()
    real = optimizer.optimize

    def slow(problem: PlanProblem, *, control: SolveControl | None, **_: object) -> PlanResult:
        loop.call_soon_threadsafe(started.set)
        asyncio.run_coroutine_threadsafe(release.wait(), loop).result(timeout=30)
        return real(problem, control=control)

    monkeypatch.setattr(planning, "run_solver", slow)
    with built_app(make_settings(database_url, idempotency_wait_s=0.2)) as app:
        async with serving(app) as client:
            first = asyncio.create_task(
                client.post("/v1/plans", json=small_request(), headers=key("slow"))
            )
            await started.wait()
            waiting = await client.post("/v1/plans", json=small_request(), headers=key("slow"))
            release.set()
            done = await first

    assert waiting.status_code == 409
    assert waiting.headers["retry-after"] == "1"
    assert waiting.json()["type"].endswith("idempotency-in-progress")
    assert done.status_code == 201


async def test_catalog_writes_are_idempotent(client: httpx.AsyncClient, db_engine: Engine) -> None:
    one = await client.post("/v1/influencers", json=influencer("@ana"), headers=key("ana"))
    two = await client.post("/v1/influencers", json=influencer("@ana"), headers=key("ana"))

    assert one.status_code == two.status_code == 201
    assert two.content == one.content
    assert count(db_engine, Influencer) == 1


async def test_an_import_retry_matches_on_the_file_not_the_multipart_boundary(
    client: httpx.AsyncClient,
) -> None:
    roster = csv_bytes([["handle", "platform", "followers", "price"], ["@ana", "ig", "1k", "9"]])

    def upload() -> Any:
        # httpx draws a new multipart boundary for every request.
        return client.post(
            "/v1/influencers/import",
            files={"file": ("r.csv", roster, CSV_TYPE)},
            headers=key("import-1"),
        )

    first = await upload()
    second = await upload()

    assert first.status_code == second.status_code == 200
    assert first.json()["created"] == second.json()["created"] == 1
    assert second.headers["idempotent-replayed"] == "true"


async def test_a_key_creation_retry_never_shows_the_secret_again(app: FastAPI) -> None:
    async with serving(app, role=Role.ADMIN) as admin:
        first = await admin.post("/v1/keys", json={"role": "viewer"}, headers=key("k"))
        second = await admin.post("/v1/keys", json={"role": "viewer"}, headers=key("k"))
        listed = await admin.get("/v1/keys")

    assert first.json()["key"].startswith("imx_")
    assert second.status_code == 201
    assert second.json() == {**first.json(), "key": None}
    assert len(listed.json()) == 2  # the client's own key, and one new key
