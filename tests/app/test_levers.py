"""diagnostics.levers through HTTP: what loosening each limiting constraint gains, each gain
matching an independent re-solve of the loosened request; the off switch; the time box."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from optimizer.levers import LEVER_GAP
from tests.support.app import built_app, make_settings, serving
from tests.support.payloads import demo_request

pytestmark = pytest.mark.anyio


def catalog_case() -> dict[str, Any]:
    """The demo roster's Instagram and TikTok creators, budget 15,000, at most 8 creators."""
    request = demo_request()
    request["candidates"] = [
        c for c in request["candidates"] if c["platform"] in ("instagram", "tiktok")
    ]
    request["budget"] = 15_000
    request["constraints"] = {"max_influencers": 8}
    return request


def loosened(request: dict[str, Any], lever: dict[str, Any]) -> dict[str, Any]:
    """``request`` with the lever's step applied, as a planner would write it."""
    kind, value = lever["kind"], lever["loosened"]
    if kind == "budget":
        request["budget"] = value
    elif kind == "max_posts":
        for c in request["candidates"]:
            c["max_posts"] = c.get("max_posts", 1) + 1
    else:
        request["constraints"][kind] = value
    request.setdefault("options", {})["levers"] = False
    return request


async def test_levers_name_the_share_cap_and_match_a_re_solve(
    client: httpx.AsyncClient,
) -> None:
    # given the catalog case of a plan held back by the 25% share cap
    response = await client.post("/v1/plans", json=catalog_case())
    assert response.status_code == 201, response.text
    plan = response.json()
    levers = plan["diagnostics"]["levers"]
    # then the levers are sorted by gain, the share cap among them though no creator is at it
    gains = [lever["gain"] for lever in levers]
    assert gains == sorted(gains, reverse=True)
    kinds = [lever["kind"] for lever in levers]
    assert "max_share_per_influencer" in kinds
    assert not any(b.startswith("max_share") for b in plan["diagnostics"]["binding_constraints"])
    assert all(lever["status"] == "solved" for lever in levers)
    objective = plan["solver"]["objective"]
    # and each gain is what re-solving the loosened request (levers off) gives
    for lever in levers:
        again = (await client.post("/v1/plans", json=loosened(catalog_case(), lever))).json()
        assert again["diagnostics"]["levers"] == []
        expected = again["solver"]["objective"]
        # a lever is proven to LEVER_GAP, the re-solve here to the request's 1e-4
        assert lever["objective"] == pytest.approx(expected, rel=LEVER_GAP), lever
        assert lever["gain"] == pytest.approx(expected - objective, abs=LEVER_GAP * expected)
    cap = levers[kinds.index("max_share_per_influencer")]
    assert (cap["current"], cap["loosened"]) == (0.25, 0.35)
    assert cap["message"].startswith("Share cap per creator 25% → 35%: +")


async def test_levers_false_answers_without_them(client: httpx.AsyncClient) -> None:
    request = catalog_case()
    request.setdefault("options", {})["levers"] = False
    plan = (await client.post("/v1/plans", json=request)).json()
    assert plan["status"] == "optimal"
    assert plan["diagnostics"]["levers"] == []


async def test_levers_past_the_time_box_are_skipped_saying_why(database_url: str) -> None:
    # given a box too short for any re-solve to be proven
    with built_app(make_settings(database_url, lever_time_box_s=1e-4)) as app:
        async with serving(app) as client:
            plan = (await client.post("/v1/plans", json=catalog_case())).json()
    levers = plan["diagnostics"]["levers"]
    # then every lever is listed, none with a gain, each saying why
    assert {lever["kind"] for lever in levers} >= {"budget", "max_share_per_influencer"}
    for lever in levers:
        assert lever["status"] == "skipped"
        assert lever["gain"] is None
        assert "not known (" in lever["message"]


async def test_an_infeasible_plan_has_no_levers(client: httpx.AsyncClient) -> None:
    request = catalog_case()
    request["budget"] = 10
    plan = (await client.post("/v1/plans", json=request)).json()
    assert plan["status"] == "infeasible"
    assert plan["diagnostics"]["levers"] == []


async def test_an_infeasible_answer_says_which_changes_are_alternatives_and_why(
    client: httpx.AsyncClient,
) -> None:
    # given the catalog case asking mega creators for half the spend of a 5,000 budget
    request = catalog_case()
    request["budget"] = 5_000
    request["constraints"] = {"tier_share": {"mega": {"min": 0.5}}}
    plan = (await client.post("/v1/plans", json=request)).json()
    assert plan["status"] == "infeasible"
    relaxation = plan["diagnostics"]["relaxation"]
    # then each change says how it combines, and the mega minimum says why it cannot hold
    assert relaxation
    assert all(r["role"] in ("alternative", "together") for r in relaxation)
    mega = next(r for r in relaxation if r["constraint"] == "tier_min:mega")
    cheapest = min(
        c["price_per_post"] * c.get("min_posts", 1) + c.get("fixed_fee", 0)
        for c in request["candidates"]
        if c["followers"] >= 1_000_000
    )
    assert (
        mega["cause"] == f"the cheapest mega creator costs {cheapest:,.0f}, above the 5,000 budget"
    )
    # and an alternative alone admits a plan (re-solved here)
    for r in relaxation:
        if r["role"] == "alternative" and r["kind"] == "tier_min":
            alone = catalog_case()
            alone["budget"] = 5_000
            alone["constraints"] = {"tier_share": {"mega": {"min": r["required"]}}}
            again = (await client.post("/v1/plans", json=alone)).json()
            assert again["status"] == "optimal"
