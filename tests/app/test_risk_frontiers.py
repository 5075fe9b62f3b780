"""POST /v1/frontiers sweeping the risk aversion at one budget: expected engagement against
CVaR, the plan's efficient frontier, and the platform mix at each point."""

from __future__ import annotations

from itertools import pairwise
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from fastapi import FastAPI

from tests.app.test_frontiers import settle
from tests.support.api import assert_problem, error_fields
from tests.support.risk import hedge_request

pytestmark = pytest.mark.anyio

SWEEP = {"start": 0, "stop": 1, "step": 0.25}


async def solved_frontier(app: FastAPI, client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"name": "Hedge frontier", "request": hedge_request(), "risk_aversion_range": SWEEP}
    accepted = await client.post("/v1/frontiers", json={**body, **fields})
    assert accepted.status_code == 202, accepted.text
    await settle(app)
    frontier: dict[str, Any] = (await client.get(accepted.headers["Location"])).json()
    return frontier


async def test_a_risk_sweep_trades_expectation_for_the_tail_at_one_budget(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    frontier = await solved_frontier(app, client)

    assert (frontier["status"], frontier["sweep"]) == ("done", "risk_aversion")
    points = frontier["points"]
    assert [p["risk_aversion"] for p in points] == [0, 0.25, 0.5, 0.75, 1]
    assert {p["budget"] for p in points} == {1_000}
    assert all(p["status"] == "optimal" for p in points)
    # The hand-worked optima of tests.support.risk: both Instagram creators at 0, then one of
    # them hedged by the TikTok creator.
    first, *rest = points
    assert (first["expected_engagement"], first["engagement_cvar"]) == pytest.approx((2_000, 800))
    assert first["platform_mix"] == {"instagram": 1.0, "tiktok": 0.0, "youtube": 0.0}
    for point in rest:
        assert (point["expected_engagement"], point["engagement_cvar"]) == pytest.approx(
            (1_900, 1_840)
        )
        assert point["platform_mix"] == pytest.approx(
            {"instagram": 0.5, "tiktok": 0.5, "youtube": 0.0}
        )
        assert point["marginal_engagement_per_1000"] is None


async def test_more_risk_aversion_never_lowers_the_cvar_nor_raises_the_expectation(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    sweep = {"start": 0, "stop": 1, "step": 0.05}
    request = hedge_request()
    # Three posts on a budget of 1,500, the steady creator may post twice: more plans to pass.
    request["candidates"][3]["max_posts"] = 2
    request["budget"] = 1_500

    frontier = await solved_frontier(app, client, request=request, risk_aversion_range=sweep)

    points = frontier["points"]
    assert len(points) == 21
    for before, after in pairwise(points):
        assert after["engagement_cvar"] >= before["engagement_cvar"] - 1e-6
        assert after["expected_engagement"] <= before["expected_engagement"] + 1e-6
    assert points[0]["engagement_cvar"] < points[-1]["engagement_cvar"]
    for point in points:
        assert sum(point["platform_mix"].values()) == pytest.approx(1.0)


async def test_each_point_is_the_plan_of_its_risk_aversion_solved_alone(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    frontier = await solved_frontier(app, client)

    for point in frontier["points"][::2]:
        objective = {"kind": "cvar_engagement", "risk_aversion": point["risk_aversion"]}
        alone = (await client.post("/v1/plans", json=hedge_request(objective=objective))).json()
        assert point["expected_engagement"] == pytest.approx(
            alone["totals"]["expected_engagement"], rel=1e-9
        )
        assert point["engagement_cvar"] == pytest.approx(alone["risk"]["engagement_cvar"], rel=1e-9)
        stored = (await client.get(f"/v1/plans/{point['plan_id']}")).json()
        assert stored["risk"]["engagement_cvar"] == point["engagement_cvar"]


async def test_the_risk_chart_draws_engagement_against_cvar_and_the_platform_mix(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    frontier = await solved_frontier(app, client)

    response = await client.get(frontier["chart_url"])

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert ElementTree.fromstring(response.content).tag.endswith("svg")
    for text in (
        "CVaR of engagement",
        "Expected engagement",
        "Platform mix",
        "tiktok",
        "λ 0.25 to 1",
    ):
        assert text in response.text


async def test_a_budget_frontier_says_its_sweep_and_its_points_mix_and_cvar(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    accepted = await client.post(
        "/v1/frontiers", json={"request": hedge_request(), "budgets": [500, 1_000]}
    )
    await settle(app)
    frontier = (await client.get(accepted.headers["Location"])).json()

    assert frontier["sweep"] == "budget"
    low, high = frontier["points"]
    assert low["risk_aversion"] is None
    assert low["platform_mix"]["instagram"] == 1.0
    # An engagement plan with scenarios still reports its tail.
    assert high["engagement_cvar"] == pytest.approx(800)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"risk_aversion_range": {"step": 0.01}}, "body.risk_aversion_range.step"),
        ({"risk_aversion_range": {"start": 0.8, "stop": 0.2}}, "body.risk_aversion_range.stop"),
        ({"risk_aversion_range": {"stop": 1.5}}, "body.risk_aversion_range.stop"),
        ({"budgets": [1_000, 2_000]}, "body.budgets"),
        ({"budget_range": {"start": 1, "stop": 2, "step": 1}}, "body.budgets"),
        (
            {"request": hedge_request(objective={"kind": "reach"})},
            "body.risk_aversion_range",
        ),
        (
            {"request": {k: v for k, v in hedge_request().items() if k != "budget"}},
            "body.request.budget",
        ),
    ],
)
async def test_a_bad_risk_sweep_is_422_naming_the_field(
    client: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    body = {"request": hedge_request(), "risk_aversion_range": SWEEP, **change}

    problem = assert_problem(await client.post("/v1/frontiers", json=body), 422)

    assert error_fields(problem) == [field]
