"""/healthz and /readyz, and the event loop staying free while a solve runs."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import anyio
import anyio.to_thread
import httpx
import pytest

import optimizer
from app.api.plan_body import decode_plan
from app.api.routes import plans as plan_routes
from app.schemas.plans import PlanCreate
from app.services import planning
from optimizer import SolveControl
from optimizer.problem import PlanProblem
from optimizer.result import PlanResult
from tests.app.payloads import small_request
from tests.conftest import BASE_URL, built_app, make_settings

pytestmark = pytest.mark.anyio


async def test_healthz_says_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_says_ok_with_a_migrated_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_503_problem_when_the_database_is_unreachable(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'x.db'}"
    with built_app(make_settings(missing)) as app:
        # No lifespan: the app would (rightly) refuse to start on this database.
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            ready = await client.get("/readyz")
            alive = await client.get("/healthz")

    assert ready.status_code == 503
    assert ready.headers["content-type"] == "application/problem+json"
    body = ready.json()
    assert body["status"] == 503
    assert str(tmp_path) not in ready.text
    assert alive.status_code == 200


async def test_readyz_is_503_on_an_unmigrated_database(unmigrated_database_url: str) -> None:
    with built_app(make_settings(unmigrated_database_url)) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            response = await client.get("/readyz")

    assert response.status_code == 503


async def test_healthz_answers_within_50ms_while_a_solve_is_in_flight(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    solve_started = threading.Event()
    release_solve = threading.Event()
    real_optimize = optimizer.optimize

    def held_optimize(
        problem: PlanProblem, *, control: SolveControl | None, **_: object
    ) -> PlanResult:
        # Stands for a long solve: it lasts until the test has probed /healthz.
        solve_started.set()
        if not release_solve.wait(timeout=30):
            raise AssertionError("the test never released the solve")
        return real_optimize(problem, control=control)

    monkeypatch.setattr(planning, "run_solver", held_optimize)
    posted: list[httpx.Response] = []

    async def post_plan() -> None:
        posted.append(await client.post("/v1/plans", json=small_request()))

    with anyio.fail_after(20):
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(post_plan)
            assert await anyio.to_thread.run_sync(solve_started.wait, 10)

            started = time.perf_counter()
            health = await client.get("/healthz")
            elapsed = time.perf_counter() - started
            solve_in_flight = not posted and not release_solve.is_set()

            release_solve.set()

    assert health.status_code == 200
    assert solve_in_flight
    assert elapsed < 0.05, f"/healthz took {elapsed * 1000:.1f} ms during a solve"
    assert posted[0].status_code == 201


async def test_healthz_answers_while_a_request_body_is_being_validated(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    validation_started = threading.Event()
    release_validation = threading.Event()

    def held_decode(raw: bytes) -> PlanCreate:
        # Stands for validating a 100,000-creator body, which takes about a second.
        validation_started.set()
        if not release_validation.wait(timeout=30):
            raise AssertionError("the test never released the validation")
        return decode_plan(raw)

    monkeypatch.setattr(plan_routes, "decode_plan", held_decode)
    posted: list[httpx.Response] = []

    async def post_plan() -> None:
        posted.append(await client.post("/v1/plans", json=small_request()))

    with anyio.fail_after(20):
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(post_plan)
            assert await anyio.to_thread.run_sync(validation_started.wait, 10)

            started = time.perf_counter()
            health = await client.get("/healthz")
            elapsed = time.perf_counter() - started
            still_validating = not posted and not release_validation.is_set()

            release_validation.set()

    assert health.status_code == 200
    assert still_validating
    assert elapsed < 0.05, f"/healthz took {elapsed * 1000:.1f} ms during validation"
    assert posted[0].status_code == 201
