"""POST, GET and DELETE /v1/plans through HTTP, against a real database."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, select

import optimizer
from app.schemas.plans import PlanPublic
from app.services import planning
from app.services import plans as plan_service
from models import PlanAllocation
from optimizer import SolveControl
from optimizer.errors import SolverError
from optimizer.problem import PlanProblem
from optimizer.result import PlanResult
from tests.support.api import assert_problem, error_fields, stored_rows
from tests.support.app import BASE_URL, bearer, built_app, make_settings, serving
from tests.support.payloads import (
    creator,
    demo_request,
    example_request,
    small_request,
    with_candidate,
)

pytestmark = pytest.mark.anyio

# --- create and fetch ------------------------------------------------------------------------


async def test_post_solves_stores_and_points_to_the_plan(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    response = await client.post("/v1/plans", json=example_request())

    assert response.status_code == 201, response.text
    plan = response.json()
    assert response.headers["location"] == f"/v1/plans/{plan['id']}"
    assert plan["status"] == "optimal"
    assert plan["name"] == "Spring skincare launch"
    assert plan["currency"] == "USD"
    assert plan["budget"] == 8000
    assert plan["request"] is None
    fetched = await client.get(response.headers["location"])
    assert fetched.status_code == 200
    assert fetched.json() == plan
    assert stored_rows(db_engine) == (1, len(plan["allocations"]))


async def test_answer_carries_every_contract_field(client: httpx.AsyncClient) -> None:
    plan = (await client.post("/v1/plans", json=demo_request())).json()

    assert {
        "id",
        "name",
        "created_at",
        "status",
        "currency",
        "budget",
        "allocations",
        "totals",
        "by_tier",
        "by_platform",
        "risk",
        "solver",
        "diagnostics",
    } <= plan.keys()
    assert set(plan["allocations"][0]) >= {
        "id",
        "handle",
        "platform",
        "tier",
        "posts",
        "spend",
        "expected_engagement",
        "share_of_spend",
        "share_of_engagement",
        "engagement_rate_used",
        "engagement_rate_source",
        "cost_per_engagement",
        "reach",
    }
    overlap_figures = {"unique_reach", "overlapping_audience"}
    assert (
        set(plan["totals"])
        == {
            "spend",
            "budget_left",
            "expected_engagement",
            "reach",
            "influencers",
            "cost_per_engagement",
        }
        | overlap_figures
    )
    # a request without overlaps has no overlap figures
    assert all(plan["totals"][name] is None for name in overlap_figures)
    scenario_figures = {
        "alpha",
        "scenarios",
        "engagement_cvar",
        "engagement_quantiles",
        "engagement_histogram",
        "out_of_sample",
    }
    assert set(plan["risk"]) == {"max_share", "hhi", "effective_influencers"} | scenario_figures
    # a request without scenarios has no scenario figures
    assert all(plan["risk"][name] is None for name in scenario_figures)
    assert set(plan["solver"]) == {
        "backend",
        "wall_time_s",
        "objective",
        "bound",
        "gap",
        "stopped_by",
    }
    assert set(plan["diagnostics"]) >= {"binding_constraints", "relaxation", "excluded"}
    for group in plan["by_tier"].values():
        assert set(group) == {"spend", "share", "engagement", "influencers"}
    PlanPublic.model_validate(plan)


async def test_figures_are_not_rounded(client: httpx.AsyncClient) -> None:
    plan = (await client.post("/v1/plans", json=demo_request())).json()

    total = sum(a["spend"] for a in plan["allocations"])
    assert math.isclose(total, plan["totals"]["spend"], rel_tol=1e-9)
    engagement = sum(a["expected_engagement"] for a in plan["allocations"])
    assert math.isclose(engagement, plan["totals"]["expected_engagement"], rel_tol=1e-9)
    # A 0.85 decay over several posts cannot land on whole numbers everywhere.
    assert any(
        a["expected_engagement"] != round(a["expected_engagement"], 2) for a in plan["allocations"]
    )


async def test_infeasible_request_is_stored_as_an_infeasible_plan(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    # Two creators cannot each stay under a quarter of the spend.
    response = await client.post("/v1/plans", json=small_request(creators=2))

    assert response.status_code == 201, response.text
    plan = response.json()
    assert plan["status"] == "infeasible"
    assert plan["allocations"] == []
    assert plan["totals"] is None
    assert plan["risk"] is None
    assert plan["by_tier"] is None
    assert plan["by_platform"] is None
    relaxation = plan["diagnostics"]["relaxation"]
    assert relaxation
    assert {"constraint", "current", "required", "message"} <= relaxation[0].keys()
    assert stored_rows(db_engine) == (1, 0)
    listed = (await client.get("/v1/plans")).json()["items"]
    assert [item["status"] for item in listed] == ["infeasible"]


async def test_explicit_null_removes_the_default_share_cap(client: httpx.AsyncClient) -> None:
    absent = await client.post("/v1/plans", json=small_request(creators=2))
    null = await client.post(
        "/v1/plans",
        json=small_request(creators=2, constraints={"max_share_per_influencer": None}),
    )

    assert absent.json()["status"] == "infeasible"
    assert null.json()["status"] == "optimal"
    assert null.json()["totals"]["influencers"] == 2


async def test_include_request_returns_the_request_with_defaults(
    client: httpx.AsyncClient,
) -> None:
    sent = small_request(constraints={"max_share_per_influencer": None, "max_influencers": 5})
    plan_id = (await client.post("/v1/plans", json=sent)).json()["id"]

    plan = (await client.get(f"/v1/plans/{plan_id}", params={"include": "request"})).json()

    request = plan["request"]
    assert request["budget"] == 10_000
    assert [c["id"] for c in request["candidates"]] == ["c1", "c2", "c3", "c4", "c5"]
    assert request["constraints"]["max_share_per_influencer"] is None
    assert request["constraints"]["max_influencers"] == 5
    assert request["constraints"]["min_influencers"] == 1
    replayed = await client.post("/v1/plans", json=request)
    assert replayed.status_code == 201
    assert replayed.json()["totals"] == plan["totals"]


async def test_unknown_include_is_422(client: httpx.AsyncClient) -> None:
    plan_id = (await client.post("/v1/plans", json=small_request())).json()["id"]

    body = assert_problem(await client.get(f"/v1/plans/{plan_id}?include=everything"), 422)

    assert error_fields(body) == ["query.include"]


async def test_time_limit_above_the_server_cap_is_capped_not_rejected(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[float] = []
    real_optimize = optimizer.optimize

    def spying_optimize(
        problem: PlanProblem, *, control: SolveControl | None, **_: object
    ) -> PlanResult:
        seen.append(problem.options.time_limit_s)
        return real_optimize(problem, control=control)

    monkeypatch.setattr(planning, "run_solver", spying_optimize)

    response = await client.post("/v1/plans", json=small_request(options={"time_limit_s": 3600}))

    assert response.status_code == 201
    assert seen == [60.0]
    assert any("capped" in note for note in response.json()["diagnostics"]["notes"])


# --- validation ------------------------------------------------------------------------------


BAD_REQUESTS: list[tuple[str, dict[str, Any], str]] = [
    ("typo at top level", {**small_request(), "budjet": 5}, "body.budjet"),
    (
        "typo in constraints",
        small_request(constraints={"max_share_per_influncer": 0.3}),
        "body.constraints.max_share_per_influncer",
    ),
    ("budget zero", small_request(budget=0), "body.budget"),
    ("budget above 1e12", small_request(budget=2e12), "body.budget"),
    ("no candidates", small_request(candidates=[]), "body.candidates"),
    ("price zero", with_candidate(price_per_post=0), "body.candidates.0.price_per_post"),
    ("price above 1e9", with_candidate(price_per_post=2e9), "body.candidates.0.price_per_post"),
    ("negative followers", with_candidate(followers=-1), "body.candidates.0.followers"),
    ("followers above 1e10", with_candidate(followers=2 * 10**10), "body.candidates.0.followers"),
    ("max_posts above 1000", with_candidate(max_posts=1001), "body.candidates.0.max_posts"),
    (
        "max_posts below min_posts",
        with_candidate(min_posts=3, max_posts=2),
        "body.candidates.0.max_posts",
    ),
    ("empty id", with_candidate(id=""), "body.candidates.0.id"),
    ("id above 128 chars", with_candidate(id="x" * 129), "body.candidates.0.id"),
    ("handle above 128 chars", with_candidate(handle="@" * 129), "body.candidates.0.handle"),
    ("name above 256 chars", small_request(name="n" * 257), "body.name"),
    ("tag above 256 chars", with_candidate(tags=["t" * 257]), "body.candidates.0.tags.0"),
    ("33 tags", with_candidate(tags=[f"t{i}" for i in range(33)]), "body.candidates.0.tags"),
    ("unknown platform", with_candidate(platform="myspace"), "body.candidates.0.platform"),
    ("rate above 1", with_candidate(engagement_rate=1.5), "body.candidates.0.engagement_rate"),
    (
        "share above 1",
        small_request(constraints={"max_share_per_influencer": 1.5}),
        "body.constraints.max_share_per_influencer",
    ),
    (
        "tier share below 0",
        small_request(constraints={"tier_share": {"micro": {"min": -0.1}}}),
        "body.constraints.tier_share.micro.min",
    ),
    (
        "tier min above max",
        small_request(constraints={"tier_share": {"micro": {"min": 0.6, "max": 0.4}}}),
        "body.constraints.tier_share.micro.max",
    ),
    ("mip_gap above 1", small_request(options={"mip_gap": 2}), "body.options.mip_gap"),
    ("time limit zero", small_request(options={"time_limit_s": 0}), "body.options.time_limit_s"),
    (
        "decay zero",
        small_request(options={"repeat_post_decay": 0}),
        "body.options.repeat_post_decay",
    ),
    (
        "decay above 1",
        small_request(options={"repeat_post_decay": 1.1}),
        "body.options.repeat_post_decay",
    ),
    (
        "min_cost without target",
        small_request(objective={"kind": "min_cost"}),
        "body.objective.target_engagement",
    ),
    ("lowercase currency", small_request(currency="usd"), "body.currency"),
    (
        "risk aversion above 1",
        small_request(objective={"kind": "cvar_engagement", "risk_aversion": 1.5}),
        "body.objective.risk_aversion",
    ),
    ("alpha 0", small_request(options={"risk": {"alpha": 0}}), "body.options.risk.alpha"),
    (
        "too many scenarios",
        small_request(options={"risk": {"scenarios": 2_001}}),
        "body.options.risk.scenarios",
    ),
    (
        "a zero multiplier",
        with_candidate(0, engagement_scenarios=[1.0, 0.0]),
        "body.candidates.0.engagement_scenarios.1",
    ),
    (
        "scenario counts differ",
        with_candidate(
            1,
            request=with_candidate(0, engagement_scenarios=[1.0, 0.5]),
            engagement_scenarios=[1.0],
        ),
        "body.candidates.1.engagement_scenarios",
    ),
    (
        "negative CVaR floor",
        small_request(constraints={"min_cvar_engagement": -1}),
        "body.constraints.min_cvar_engagement",
    ),
    (
        "relative spread of an unknown tier",
        small_request(options={"risk": {"tier_relative_sd": {"giant": 0.3}}}),
        "body.options.risk.tier_relative_sd.giant",
    ),
    ("null block", small_request(constraints=None), "body.constraints"),
]


@pytest.mark.parametrize(
    ("payload", "field"),
    [pytest.param(payload, field, id=case) for case, payload, field in BAD_REQUESTS],
)
async def test_invalid_request_is_422_naming_the_field_and_stores_nothing(
    client: httpx.AsyncClient, db_engine: Engine, payload: dict[str, Any], field: str
) -> None:
    response = await client.post("/v1/plans", json=payload)

    body = assert_problem(response, 422)
    assert field in error_fields(body)
    error = body["errors"][error_fields(body).index(field)]
    assert error["loc"] == [int(p) if p.isdigit() else p for p in field.split(".")]
    assert error["message"]
    assert "location" not in response.headers
    assert stored_rows(db_engine) == (0, 0)


async def test_malformed_json_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/plans", content=b'{"budget": 5,', headers={"content-type": "application/json"}
    )

    body = assert_problem(response, 422)
    assert "JSON" in body["errors"][0]["message"]


async def test_nan_is_rejected(client: httpx.AsyncClient) -> None:
    raw = b'{"budget": NaN, "candidates": [{"id": "a", "handle": "@a", "platform": "x", ' + (
        b'"followers": 1, "price_per_post": 1}]}'
    )

    response = await client.post(
        "/v1/plans", content=raw, headers={"content-type": "application/json"}
    )

    assert "body.budget" in error_fields(assert_problem(response, 422))


async def test_optimizer_validation_errors_are_422_with_body_paths(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    request = small_request(constraints={"must_include": ["nobody"]})

    body = assert_problem(await client.post("/v1/plans", json=request), 422)

    assert all(field.startswith("body.constraints.must_include") for field in error_fields(body))
    assert body["errors"][0]["loc"][:3] == ["body", "constraints", "must_include"]
    assert stored_rows(db_engine) == (0, 0)


async def test_candidates_above_the_configured_limit_are_422(database_url: str) -> None:
    with built_app(make_settings(database_url, max_candidates=3)) as app:
        async with serving(app) as client:
            body = assert_problem(await client.post("/v1/plans", json=small_request(4)), 422)

    assert error_fields(body) == ["body.candidates"]
    assert "at most 3" in body["errors"][0]["message"]


async def test_body_above_the_configured_size_is_413(database_url: str) -> None:
    with built_app(make_settings(database_url, max_request_bytes=2_000)) as app:
        async with serving(app) as client:
            request = small_request()
            request["candidates"] = [creator(f"c{i}") for i in range(50)]
            response = await client.post("/v1/plans", json=request)

    assert_problem(response, 413)


async def test_streamed_body_above_the_configured_size_is_413(database_url: str) -> None:
    async def chunks() -> Any:
        for _ in range(10):
            yield b" " * 500

    with built_app(make_settings(database_url, max_request_bytes=2_000)) as app:
        async with serving(app) as client:
            response = await client.post(
                "/v1/plans", content=chunks(), headers={"content-type": "application/json"}
            )

    assert_problem(response, 413)


# --- failures leave nothing behind -----------------------------------------------------------


async def test_solver_failure_is_500_and_stores_nothing(
    client: httpx.AsyncClient, db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_optimize(
        problem: PlanProblem, *, control: SolveControl | None, **_: object
    ) -> PlanResult:
        raise SolverError("backend crashed")

    monkeypatch.setattr(planning, "run_solver", broken_optimize)

    body = assert_problem(await client.post("/v1/plans", json=small_request()), 500)

    assert body["type"].endswith("solve-failed")
    assert "backend crashed" not in body.get("detail", "")
    assert stored_rows(db_engine) == (0, 0)


async def test_unexpected_error_is_a_bare_500_problem_and_stores_nothing(
    app: FastAPI, db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def buggy_optimize(
        problem: PlanProblem, *, control: SolveControl | None, **_: object
    ) -> PlanResult:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(planning, "run_solver", buggy_optimize)

    async with serving(app, raise_app_exceptions=False) as client:
        response = await client.post("/v1/plans", json=small_request())

    assert_problem(response, 500)
    assert "secret internals" not in response.text
    assert stored_rows(db_engine) == (0, 0)


async def test_failure_after_the_rows_are_written_rolls_them_back(
    app: FastAPI, db_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_create = plan_service.create_plan

    def create_then_fail(*args: Any, **kwargs: Any) -> Any:
        real_create(*args, **kwargs)  # rows flushed inside the request's transaction
        raise RuntimeError("failure after the rows were written")

    monkeypatch.setattr(plan_service, "create_plan", create_then_fail)

    async with serving(app, raise_app_exceptions=False) as client:
        assert_problem(await client.post("/v1/plans", json=small_request()), 500)
    assert stored_rows(db_engine) == (0, 0)


async def test_database_outage_is_503_problem(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path / 'gone' / 'x.db'}"
    with built_app(make_settings(missing)) as app:
        # No lifespan: the app would refuse to start; this is the database failing later.
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url=BASE_URL, headers=bearer("imx_" + "k" * 43)
        ) as client:
            # The key cannot even be checked: the database is the one failing.
            listed = await client.get("/v1/plans")
            created = await client.post("/v1/plans", json=small_request())

    for response in (listed, created):
        body = assert_problem(response, 503)
        assert body["type"].endswith("database-unavailable")
        assert str(tmp_path) not in response.text


# --- delete and not found --------------------------------------------------------------------


async def test_delete_removes_the_plan_and_its_allocations(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    plan_id = (await client.post("/v1/plans", json=small_request())).json()["id"]
    assert stored_rows(db_engine) == (1, 5)

    response = await client.delete(f"/v1/plans/{plan_id}")

    assert response.status_code == 204
    assert response.content == b""
    assert stored_rows(db_engine) == (0, 0)
    assert_problem(await client.get(f"/v1/plans/{plan_id}"), 404)
    assert_problem(await client.delete(f"/v1/plans/{plan_id}"), 404)


async def test_unknown_plan_is_404_problem(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/v1/plans/no-such-plan"), 404)

    assert body["instance"] == "/v1/plans/no-such-plan"
    assert "no-such-plan" in body["detail"]


async def test_unknown_route_and_method_are_problems(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/v2/nothing"), 404)
    response = await client.put("/v1/plans")
    assert_problem(response, 405)
    assert "POST" in response.headers["allow"]


async def test_allocation_rows_hold_the_answer_figures_in_order(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    answer = (await client.post("/v1/plans", json=demo_request())).json()

    with db_engine.connect() as conn:
        rows = (
            conn.execute(
                select(PlanAllocation)
                .where(PlanAllocation.plan_id == answer["id"])
                .order_by(PlanAllocation.position)
            )
            .mappings()
            .all()
        )

    assert len(rows) == len(answer["allocations"]) > 0
    for row, allocation in zip(rows, answer["allocations"], strict=True):
        assert row["influencer_id"] == allocation["id"]
        for name, value in allocation.items():
            if name != "id":
                assert row[name] == value, name
