"""POST /v1/frontiers: each point is the optimum at its budget, solved as a job."""

from __future__ import annotations

from itertools import pairwise
from typing import Any
from xml.etree import ElementTree

import anyio
import httpx
import pytest
from fastapi import FastAPI

from app.api.deps import Resources
from app.services.executors import InProcessExecutor
from tests.support.app import serving
from tests.support.payloads import creator

pytestmark = pytest.mark.anyio

BUDGETS = [1_500.0, 3_000.0, 4_500.0, 6_000.0, 9_000.0]


def mixed_request() -> dict[str, Any]:
    """Creators of every tier and price, so each budget buys a different mix."""
    rows = [
        ("n1", 4_000, 0.09, 120.0, 1),
        ("n2", 8_000, 0.07, 180.0, 2),
        ("m1", 40_000, 0.05, 600.0, 2),
        ("m2", 60_000, 0.04, 800.0, 1),
        ("m3", 25_000, 0.06, 450.0, 3),
        ("M1", 300_000, 0.02, 2_500.0, 1),
        ("G1", 2_000_000, 0.012, 7_000.0, 1),
    ]
    return {
        "name": "Frontier test",
        "budget": 1_000,
        "currency": "EUR",
        "candidates": [
            creator(cid, followers=f, engagement_rate=er, price_per_post=price, max_posts=posts)
            for cid, f, er, price, posts in rows
        ],
        "constraints": {"max_share_per_influencer": 0.6, "min_influencers": 1},
        "options": {"repeat_post_decay": 0.85, "mip_gap": 0.0},
    }


async def settle(app: FastAPI) -> None:
    resources = app.state.resources
    assert isinstance(resources, Resources)
    assert isinstance(resources.executor, InProcessExecutor)
    assert await anyio.to_thread.run_sync(resources.executor.wait_idle, 60.0)


async def test_each_point_is_the_optimum_at_its_budget_and_engagement_rises(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    accepted = await client.post(
        "/v1/frontiers", json={"request": mixed_request(), "budgets": BUDGETS[::-1]}
    )
    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["status"] == "queued"
    await settle(app)

    frontier = (await client.get(accepted.headers["Location"])).json()

    assert frontier["status"] == "done"
    points = frontier["points"]
    assert [p["budget"] for p in points] == BUDGETS
    for point in points:
        alone = await client.post("/v1/plans", json={**mixed_request(), "budget": point["budget"]})
        expected = alone.json()
        assert point["status"] == expected["status"] == "optimal"
        assert point["expected_engagement"] == pytest.approx(
            expected["totals"]["expected_engagement"], rel=1e-9
        )
        assert point["spend"] <= point["budget"] * (1 + 1e-9)
        assert sum(point["tier_mix"].values()) == pytest.approx(1.0)
    engagement = [p["expected_engagement"] for p in points]
    assert engagement == sorted(engagement)
    assert points[0]["marginal_engagement_per_unit"] is None
    for before, after in pairwise(points):
        gained = after["expected_engagement"] - before["expected_engagement"]
        assert after["marginal_engagement_per_unit"] == pytest.approx(
            gained / (after["budget"] - before["budget"])
        )
    # The points are plans of their own, listed with their frontier only.
    assert (await client.get(f"/v1/plans/{points[0]['plan_id']}")).status_code == 200
    listed = {item["id"] for item in (await client.get("/v1/plans")).json()["items"]}
    assert len(listed) == len(BUDGETS)  # the plans solved alone above, not the points
    assert listed.isdisjoint(p["plan_id"] for p in points)


async def test_the_chart_is_an_svg_of_the_points(app: FastAPI, client: httpx.AsyncClient) -> None:
    accepted = await client.post(
        "/v1/frontiers",
        json={
            "name": "Chart",
            "request": mixed_request(),
            "budget_range": {"start": 2_000, "stop": 8_000, "step": 2_000},
        },
    )
    await settle(app)
    chart_url = (await client.get(accepted.headers["Location"])).json()["chart_url"]

    response = await client.get(chart_url)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag.endswith("svg")
    assert "EUR" in response.text


async def test_a_frontier_of_too_many_budgets_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/v1/frontiers",
        json={"request": mixed_request(), "budget_range": {"start": 1, "stop": 1e6, "step": 1}},
    )

    assert response.status_code == 422
    assert "budget_range" in response.text


async def test_a_frontier_of_another_workspace_is_not_found(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    accepted = await client.post(
        "/v1/frontiers", json={"request": mixed_request(), "budgets": [2_000, 4_000]}
    )
    await settle(app)
    async with serving(app, workspace="other") as stranger:
        assert (await stranger.get(accepted.headers["Location"])).status_code == 404
