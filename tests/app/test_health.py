"""/healthz and /readyz, and the event loop staying free while a solve runs."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

import optimizer
from app.api.plan_body import decode_plan
from app.api.routes import plans as plan_routes
from app.services import planning
from optimizer import SolveControl
from optimizer.problem import PlanProblem
from optimizer.result import PlanResult
from tests.support.app import BASE_URL, built_app, make_settings
from tests.support.holds import Hold, healthz_while_a_plan_is_held

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
    hold = Hold()
    real_optimize = optimizer.optimize

    def solve(problem: PlanProblem, *, control: SolveControl | None, **_: object) -> PlanResult:
        return real_optimize(problem, control=control)

    # Stands for a long solve: it lasts until the test has probed /healthz.
    monkeypatch.setattr(planning, "run_solver", hold.around(solve))

    probe = await healthz_while_a_plan_is_held(client, hold)

    assert probe.health.status_code == 200
    assert probe.held_throughout
    assert probe.elapsed_s < 0.05, f"/healthz took {probe.elapsed_s * 1000:.1f} ms during a solve"
    assert probe.posted.status_code == 201


async def test_healthz_answers_while_a_request_body_is_being_validated(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold = Hold()
    # Stands for validating a 100,000-creator body, which takes about a second.
    monkeypatch.setattr(plan_routes, "decode_plan", hold.around(decode_plan))

    probe = await healthz_while_a_plan_is_held(client, hold)

    assert probe.health.status_code == 200
    assert probe.held_throughout
    assert probe.elapsed_s < 0.05, (
        f"/healthz took {probe.elapsed_s * 1000:.1f} ms during validation"
    )
    assert probe.posted.status_code == 201
