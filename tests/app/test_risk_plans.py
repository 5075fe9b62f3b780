"""Plans under uncertainty through HTTP: a CVaR objective and floor, and the answer's
scenario figures, as stored and served."""

from __future__ import annotations

import httpx
import pytest

from tests.support.payloads import creator

pytestmark = pytest.mark.anyio


def risk_request(floor: float) -> dict[str, object]:
    return {
        "budget": 3_000,
        "candidates": [
            creator(
                f"c{i}",
                followers=15_000 + 10_000 * i,
                platform=("tiktok", "instagram", "youtube")[i % 3],
                engagement_rate_sd=0.005 * (i + 1),
            )
            for i in range(8)
        ],
        "constraints": {"min_cvar_engagement": floor},
        "objective": {"kind": "cvar_engagement", "risk_aversion": 0.5},
        "options": {"risk": {"scenarios": 200, "seed": 11, "alpha": 0.1}},
    }


async def test_a_risk_plan_answers_and_stores_its_scenario_figures(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/v1/plans", json=risk_request(floor=1_000))
    assert response.status_code == 201, response.text
    plan = response.json()
    assert plan["status"] == "optimal"
    risk = plan["risk"]
    assert risk["alpha"] == 0.1
    assert risk["scenarios"] == 200
    quantiles = risk["engagement_quantiles"]
    assert risk["engagement_cvar"] <= quantiles["p05"] <= quantiles["p50"] <= quantiles["p95"]
    assert risk["engagement_cvar"] >= 1_000
    outside = risk["out_of_sample"]
    assert outside["seed"] == 12
    assert outside["scenarios"] == 200
    assert outside["engagement_cvar"] != risk["engagement_cvar"]
    expected = plan["totals"]["expected_engagement"]
    assert plan["solver"]["objective"] == pytest.approx(
        0.5 * expected + 0.5 * risk["engagement_cvar"]
    )
    stored = await client.get(response.headers["location"])
    assert stored.json()["risk"] == risk


async def test_an_unreachable_cvar_floor_is_explained(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/plans", json=risk_request(floor=1e9))
    assert response.status_code == 201, response.text
    plan = response.json()
    assert plan["status"] == "infeasible"
    (relaxation,) = plan["diagnostics"]["relaxation"]
    assert relaxation["kind"] == "min_cvar_engagement"
    assert relaxation["current"] == 1e9
    assert 0 < relaxation["required"] < 1e9
    assert relaxation["message"].startswith("min_cvar_engagement must fall from 1,000,000,000")
