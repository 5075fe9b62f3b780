"""The answer's engagement histogram over the scenarios, as served and stored."""

from __future__ import annotations

import httpx
import pytest

from tests.support.api import post_plan
from tests.support.risk import generated_risk_request, hedge_request

pytestmark = pytest.mark.anyio


async def test_the_hedged_plan_counts_its_four_scenarios_by_hand(
    client: httpx.AsyncClient,
) -> None:
    # Objective CVaR: one Instagram creator and the TikTok one, 1,960 in two scenarios and
    # 1,840 in the other two (tests.support.risk).
    plan = await post_plan(client, hedge_request(objective={"kind": "cvar_engagement"}))

    histogram = plan["risk"]["engagement_histogram"]
    assert histogram["counts"] == [2, 0, 0, 2]
    assert histogram["edges"] == pytest.approx([1_840, 1_870, 1_900, 1_930, 1_960])
    stored = (await client.get(f"/v1/plans/{plan['id']}")).json()
    assert stored["risk"]["engagement_histogram"] == histogram


async def test_generated_scenarios_are_binned_with_the_quantiles_inside(
    client: httpx.AsyncClient,
) -> None:
    plan = await post_plan(client, generated_risk_request())

    risk = plan["risk"]
    histogram = risk["engagement_histogram"]
    assert sum(histogram["counts"]) == risk["scenarios"] == 200
    assert len(histogram["counts"]) <= 30
    low, high = histogram["edges"][0], histogram["edges"][-1]
    assert low <= risk["engagement_cvar"] <= risk["engagement_quantiles"]["p05"] <= high


async def test_a_plan_without_scenarios_has_no_histogram(client: httpx.AsyncClient) -> None:
    request = hedge_request()
    for candidate in request["candidates"]:
        del candidate["engagement_scenarios"]
    del request["options"]["risk"]

    plan = await post_plan(client, request)

    assert plan["risk"]["engagement_histogram"] is None
