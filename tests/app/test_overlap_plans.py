"""Audience overlaps through HTTP: the checks of the given pairs, and unique reach and the
overlapping pairs of the answer, recomputed from the plan."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.api import assert_problem, error_fields, post_plan
from tests.support.payloads import creator, small_request

pytestmark = pytest.mark.anyio


def pair(a: str, b: str, share: float) -> dict[str, Any]:
    return {"a": a, "b": b, "share": share}


@pytest.mark.parametrize(
    ("overlaps", "field", "words"),
    [
        ([pair("c1", "zz", 0.2)], "body.overlaps.0.b", "unknown candidate 'zz'"),
        ([pair("c1", "c2", 0.2), pair("c2", "c1", 0.1)], "body.overlaps.1", "given twice"),
        ([pair("c3", "c3", 0.2)], "body.overlaps.0.b", "never overlaps itself"),
        ([pair("c1", "c2", 1.5)], "body.overlaps.0.share", "less than or equal to 1"),
        ([pair("c1", "c2", -0.1)], "body.overlaps.0.share", "greater than or equal to 0"),
        # c1 reaches 20,000: 16,000 shared with c2 and 10,000 with c3 is more than it reaches
        (
            [pair("c1", "c2", 0.8), pair("c3", "c1", 0.5)],
            "body.overlaps.1",
            "creator 'c1' overlaps more audience (26,000) than it reaches (20,000",
        ),
    ],
)
async def test_bad_overlaps_are_refused_naming_the_entry(
    client: httpx.AsyncClient, overlaps: list[dict[str, Any]], field: str, words: str
) -> None:
    response = await client.post("/v1/plans", json=small_request(overlaps=overlaps))
    body = assert_problem(response, 422)
    assert error_fields(body) == [field]
    assert words in body["errors"][0]["message"]


async def test_overlapped_audience_may_equal_the_reach(client: httpx.AsyncClient) -> None:
    overlaps = [pair("c1", "c2", 0.6), pair("c3", "c1", 0.4)]
    plan = await post_plan(client, small_request(overlaps=overlaps))
    assert plan["totals"]["overlapping_audience"] == pytest.approx(20_000)


async def test_unique_reach_and_pairs_follow_from_the_plan(client: httpx.AsyncClient) -> None:
    # Given five creators of 20,000 reach, all funded, and a sixth too dear to fund
    request = small_request(creators=6)
    request["candidates"][5].update(price_per_post=50_000.0, followers=90_000)
    request["overlaps"] = [
        pair("c1", "c2", 0.5),
        pair("c3", "c2", 0.3),
        pair("c4", "c5", 0.0),
        pair("c6", "c1", 0.4),
    ]
    # When it is planned
    plan = await post_plan(client, request)
    # Then the figures are the inclusion-exclusion over the plan's pairs
    used = {a["id"] for a in plan["allocations"]}
    assert used == {"c1", "c2", "c3", "c4", "c5"}
    totals = plan["totals"]
    assert totals["reach"] == pytest.approx(100_000)
    assert totals["overlapping_audience"] == pytest.approx(16_000, rel=1e-12)
    assert totals["unique_reach"] == pytest.approx(84_000, rel=1e-12)
    # pairs with a share of 0 or a creator outside the plan are not listed; largest first
    assert plan["diagnostics"]["overlapping_pairs"] == [
        {"a": "c1", "b": "c2", "share": 0.5, "shared_audience": 10_000.0},
        {"a": "c3", "b": "c2", "share": 0.3, "shared_audience": 6_000.0},
    ]
    stored = (await client.get(f"/v1/plans/{plan['id']}")).json()
    assert stored["totals"]["unique_reach"] == totals["unique_reach"]
    assert stored["diagnostics"]["overlapping_pairs"] == plan["diagnostics"]["overlapping_pairs"]


async def test_without_overlaps_the_figures_are_null(client: httpx.AsyncClient) -> None:
    plan = await post_plan(client, small_request())
    assert plan["totals"]["unique_reach"] is None
    assert plan["totals"]["overlapping_audience"] is None
    assert plan["diagnostics"]["overlapping_pairs"] == []


def three_creators(**fields: Any) -> dict[str, Any]:
    """A and B reach 50,000 and 48,000 and share 60% of B's audience; C reaches 40,000 alone.
    The budget buys two of them."""
    return {
        "budget": 1_000,
        "candidates": [
            creator("a", followers=50_000),
            creator("b", followers=48_000),
            creator("c", followers=40_000),
        ],
        "overlaps": [pair("a", "b", 0.6)],
        "constraints": {"max_share_per_influencer": None},
        **fields,
    }


async def test_unique_reach_takes_the_creator_nobody_shares(client: httpx.AsyncClient) -> None:
    # Given reach alone would take A and B
    by_reach = await post_plan(client, three_creators(objective={"kind": "reach"}))
    assert {a["id"] for a in by_reach["allocations"]} == {"a", "b"}
    assert by_reach["totals"]["unique_reach"] == pytest.approx(69_200)
    # When unique reach is asked for
    plan = await post_plan(client, three_creators(objective={"kind": "unique_reach"}))
    # Then B is swapped for C, and 20,800 more people are reached once
    assert plan["status"] == "optimal"
    assert {a["id"] for a in plan["allocations"]} == {"a", "c"}
    assert plan["totals"]["unique_reach"] == pytest.approx(90_000)
    assert plan["solver"]["objective"] == pytest.approx(90_000)
    assert plan["diagnostics"]["overlapping_pairs"] == []


async def test_an_overlap_cap_that_admits_no_plan_is_explained(client: httpx.AsyncClient) -> None:
    request = three_creators(objective={"kind": "unique_reach"})
    request["constraints"] |= {"max_overlap_share": 0.1, "must_include": ["a", "b"]}
    plan = await post_plan(client, request)
    assert plan["status"] == "infeasible"
    (relaxation,) = plan["diagnostics"]["relaxation"]
    assert relaxation["kind"] == "max_overlap_share"
    assert relaxation["current"] == pytest.approx(0.1)
    # A + B share 28,800 of 98,000
    assert relaxation["required"] == pytest.approx(28_800 / 98_000, abs=1e-6)
    assert relaxation["message"].startswith("max_overlap_share must rise from 10% to 29.39")
