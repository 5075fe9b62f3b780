"""POST /v1/plans with candidates drawn from the catalog instead of sent inline."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select

from models import Plan
from tests.support.api import assert_problem, error_fields, stored_rows
from tests.support.app import built_app, make_settings, serving
from tests.support.catalog import add, upload_overlaps
from tests.support.payloads import small_request

pytestmark = pytest.mark.anyio


async def roster(client: httpx.AsyncClient) -> dict[str, str]:
    """Four identical micro beauty creators on Instagram, and three that differ; ids by handle."""
    ids = {}
    for name in ("ana", "bea", "cai", "dan"):
        ids[name] = (await add(client, f"@{name}", tags=["Beauty"]))["id"]
    ids["eve"] = (await add(client, "@eve", platform="tiktok", tags=["beauty"]))["id"]
    ids["fay"] = (await add(client, "@fay", followers=250_000, tags=["beauty"]))["id"]
    ids["gus"] = (await add(client, "@gus", followers=5_000))["id"]
    return ids


def catalog_request(catalog: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"name": "From the catalog", "budget": 10_000, "catalog": catalog, **fields}


async def test_plan_from_catalog_filters_uses_exactly_the_matching_creators(
    client: httpx.AsyncClient,
) -> None:
    ids = await roster(client)
    request = catalog_request(
        {"filters": {"platforms": ["instagram"], "tiers": ["micro"], "tags": ["BEAUTY"]}}
    )

    response = await client.post("/v1/plans", json=request)

    assert response.status_code == 201, response.text
    plan = response.json()
    assert plan["status"] == "optimal"
    # Four identical creators at 500 a post, each capped at a quarter of spend: all four.
    assert sorted(a["id"] for a in plan["allocations"]) == sorted(
        ids[n] for n in ("ana", "bea", "cai", "dan")
    )
    assert sorted(a["handle"] for a in plan["allocations"]) == ["@ana", "@bea", "@cai", "@dan"]
    assert plan["totals"]["spend"] == 2_000
    assert any("drawn from the catalog" in note for note in plan["diagnostics"]["notes"])


async def plan_with_request(client: httpx.AsyncClient, request: dict[str, Any]) -> dict[str, Any]:
    """The plan stored for ``request``, read back with the request as it was stored."""
    created = (await client.post("/v1/plans", json=request)).json()
    path = f"/v1/plans/{created['id']}"
    fetched: dict[str, Any] = (await client.get(path, params={"include": "request"})).json()
    return fetched


async def test_stored_request_holds_the_candidates_as_solved(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    ids = await roster(client)
    plan = await plan_with_request(client, catalog_request({"filters": {"tiers": ["micro"]}}))

    request = plan["request"]
    assert request["catalog"] is None
    with db_engine.connect() as conn:
        raw = conn.scalar(select(Plan.request).where(Plan.id == plan["id"]))
    assert raw is not None
    assert "catalog" not in raw
    by_id = {c["id"]: c for c in request["candidates"]}
    assert set(by_id) == {ids[n] for n in ("ana", "bea", "cai", "dan", "eve")}
    assert by_id[ids["eve"]] == {
        "id": ids["eve"],
        "handle": "@eve",
        "platform": "tiktok",
        "followers": 20_000,
        "engagement_rate": 0.05,
        "price_per_post": 500.0,
        "fixed_fee": 0.0,
        "min_posts": 1,
        "max_posts": 1,
        "audience_quality": 1.0,
        "tags": ["beauty"],
        # no risk figures in the catalog yet
        "engagement_scenarios": None,
        "engagement_rate_sd": None,
    }
    replayed = await client.post("/v1/plans", json=request)
    assert replayed.status_code == 201, replayed.text
    assert replayed.json()["totals"] == plan["totals"]


async def test_plan_from_ids_with_a_negotiated_price(client: httpx.AsyncClient) -> None:
    ids = await roster(client)
    chosen = [ids[n] for n in ("ana", "bea", "fay")]
    request = catalog_request(
        {
            "ids": chosen,
            "overrides": {ids["fay"]: {"price_per_post": 300, "max_posts": 2}},
        },
        constraints={"max_share_per_influencer": None},
    )

    response = await client.post("/v1/plans", json=request)

    assert response.status_code == 201, response.text
    allocations = {a["id"]: a for a in response.json()["allocations"]}
    assert set(allocations) == set(chosen)
    assert allocations[ids["fay"]]["posts"] == 2
    assert allocations[ids["fay"]]["spend"] == 600
    assert allocations[ids["fay"]]["tier"] == "macro"
    # The override is the plan's own: the catalog keeps its price.
    entry = (await client.get(f"/v1/influencers/{ids['fay']}")).json()
    assert (entry["price_per_post"], entry["max_posts"]) == (500, 1)


async def test_filters_and_ids_add_up_without_repeats(client: httpx.AsyncClient) -> None:
    ids = await roster(client)
    request = catalog_request(
        {"filters": {"platforms": ["tiktok"]}, "ids": [ids["gus"], ids["eve"]]},
        constraints={"max_share_per_influencer": None},
    )

    plan = (await client.post("/v1/plans", json=request)).json()

    assert sorted(a["id"] for a in plan["allocations"]) == sorted([ids["eve"], ids["gus"]])


async def test_tier_filter_reads_the_requests_own_tiers(client: httpx.AsyncClient) -> None:
    ids = await roster(client)
    request = catalog_request(
        {"filters": {"tiers": ["big"]}},
        options={
            "tiers": [
                {"name": "small", "min_followers": 0},
                {"name": "big", "min_followers": 100_000},
            ]
        },
        constraints={"max_share_per_influencer": None},
    )

    plan = (await client.post("/v1/plans", json=request)).json()

    assert [a["id"] for a in plan["allocations"]] == [ids["fay"]]
    assert plan["allocations"][0]["tier"] == "big"


async def test_catalog_ids_work_in_must_include(client: httpx.AsyncClient) -> None:
    ids = await roster(client)
    request = catalog_request(
        {"filters": {}},
        constraints={"must_include": [ids["gus"]], "max_influencers": 4},
    )

    plan = (await client.post("/v1/plans", json=request)).json()

    assert ids["gus"] in {a["id"] for a in plan["allocations"]}


async def test_editing_or_removing_catalog_entries_never_changes_a_stored_plan(
    client: httpx.AsyncClient,
) -> None:
    ids = await roster(client)
    before = await plan_with_request(client, catalog_request({"filters": {"tiers": ["micro"]}}))

    await client.patch(f"/v1/influencers/{ids['ana']}", json={"price_per_post": 9, "handle": "@x"})
    await client.delete(f"/v1/influencers/{ids['bea']}")

    after = (await client.get(f"/v1/plans/{before['id']}", params={"include": "request"})).json()
    assert after == before
    ana = next(c for c in after["request"]["candidates"] if c["id"] == ids["ana"])
    assert (ana["price_per_post"], ana["handle"]) == (500, "@ana")


# --- requests that are refused ---------------------------------------------------------------


async def test_catalog_matching_nothing_is_422_naming_catalog(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    await roster(client)

    response = await client.post(
        "/v1/plans", json=catalog_request({"filters": {"platforms": ["twitch"]}})
    )

    body = assert_problem(response, 422)
    assert error_fields(body) == ["body.catalog"]
    assert stored_rows(db_engine) == (0, 0)


async def test_candidates_and_catalog_together_are_422(client: httpx.AsyncClient) -> None:
    request = small_request(catalog={"filters": {}})

    body = assert_problem(await client.post("/v1/plans", json=request), 422)

    assert error_fields(body) == ["body.candidates"]
    assert "not both" in body["errors"][0]["message"]


async def test_neither_candidates_nor_catalog_is_422_naming_candidates(
    client: httpx.AsyncClient,
) -> None:
    body = assert_problem(await client.post("/v1/plans", json={"budget": 100}), 422)

    assert error_fields(body) == ["body.candidates"]
    assert body["errors"][0]["type"] == "missing"


async def test_unknown_ids_are_each_named(client: httpx.AsyncClient) -> None:
    ids = await roster(client)

    response = await client.post(
        "/v1/plans", json=catalog_request({"ids": [ids["ana"], "nobody", "ghost"]})
    )

    body = assert_problem(response, 422)
    assert error_fields(body) == ["body.catalog.ids.1", "body.catalog.ids.2"]


@pytest.mark.parametrize(
    ("catalog", "field"),
    [
        ({}, "body.catalog"),
        ({"ids": []}, "body.catalog"),
        ({"filters": {"tiers": ["giga"]}}, "body.catalog.filters.tiers.0"),
        ({"filters": {"platforms": ["myspace"]}}, "body.catalog.filters.platforms.0"),
        ({"filters": {"min_followers": -1}}, "body.catalog.filters.min_followers"),
        ({"filters": {}, "overrides": {"x": {"price": 1}}}, "body.catalog.overrides.x.price"),
        (
            {"filters": {}, "overrides": {"x": {"price_per_post": 0}}},
            "body.catalog.overrides.x.price_per_post",
        ),
        ({"filter": {}}, "body.catalog.filter"),
    ],
)
async def test_malformed_catalog_is_422_naming_the_field(
    client: httpx.AsyncClient, catalog: dict[str, Any], field: str
) -> None:
    await roster(client)

    body = assert_problem(await client.post("/v1/plans", json=catalog_request(catalog)), 422)

    assert field in error_fields(body)


async def test_override_of_an_unselected_creator_is_422(client: httpx.AsyncClient) -> None:
    ids = await roster(client)
    request = catalog_request(
        {"ids": [ids["ana"]], "overrides": {ids["bea"]: {"price_per_post": 1}}}
    )

    body = assert_problem(await client.post("/v1/plans", json=request), 422)

    assert error_fields(body) == [f"body.catalog.overrides.{ids['bea']}"]


async def test_override_that_breaks_a_creator_is_422_under_overrides(
    client: httpx.AsyncClient,
) -> None:
    ids = await roster(client)
    request = catalog_request({"ids": [ids["ana"]], "overrides": {ids["ana"]: {"min_posts": 4}}})

    body = assert_problem(await client.post("/v1/plans", json=request), 422)

    assert error_fields(body) == [f"body.catalog.overrides.{ids['ana']}.max_posts"]


async def test_selection_above_the_candidate_limit_is_422_naming_catalog(
    database_url: str,
) -> None:
    with built_app(make_settings(database_url, max_candidates=3)) as app:
        async with serving(app) as client:
            await roster(client)
            response = await client.post("/v1/plans", json=catalog_request({"filters": {}}))

    body = assert_problem(response, 422)
    assert error_fields(body) == ["body.catalog"]
    assert "at most 3" in body["errors"][0]["message"]


# --- audience overlaps -----------------------------------------------------------------------


async def store_overlaps(client: httpx.AsyncClient, *rows: tuple[str, str, str]) -> None:
    """Overlaps between Instagram creators of the catalog: (handle, handle, share)."""
    response = await upload_overlaps(
        client,
        [["handle_a", "handle_b", "platform", "share"]]
        + [[a, b, "instagram", share] for a, b, share in rows],
    )
    assert response.status_code == 200, response.text


async def test_a_catalog_plan_counts_the_stored_overlaps_among_its_creators(
    client: httpx.AsyncClient,
) -> None:
    # Given four micro creators of 20,000 reach, all funded, two pairs of them overlapping,
    # and a pair with a creator the selection leaves out
    ids = await roster(client)
    await store_overlaps(
        client, ("ana", "bea", "50%"), ("cai", "dan", "25%"), ("ana", "gus", "90%")
    )

    plan = await plan_with_request(
        client, catalog_request({"filters": {"platforms": ["instagram"], "tiers": ["micro"]}})
    )

    # Then unique reach is reach less 10,000 and 5,000 counted twice
    assert plan["totals"]["reach"] == 80_000
    assert plan["totals"]["overlapping_audience"] == pytest.approx(15_000)
    assert plan["totals"]["unique_reach"] == pytest.approx(65_000)
    pairs = [
        ({p["a"], p["b"]}, p["shared_audience"]) for p in plan["diagnostics"]["overlapping_pairs"]
    ]
    assert pairs == [
        ({ids["ana"], ids["bea"]}, pytest.approx(10_000)),
        ({ids["cai"], ids["dan"]}, pytest.approx(5_000)),
    ]
    # and the stored request holds the pairs it was solved with, @gus's left out
    stored = {(o["a"], o["b"]): o["share"] for o in plan["request"]["overlaps"]}
    assert stored == {
        tuple(sorted((ids["ana"], ids["bea"]))): 0.5,
        tuple(sorted((ids["cai"], ids["dan"]))): 0.25,
    }
    replayed = await client.post("/v1/plans", json=plan["request"])
    assert replayed.json()["totals"] == plan["totals"]


async def test_unique_reach_from_the_catalog_avoids_the_overlapping_pair(
    client: httpx.AsyncClient,
) -> None:
    # Given three equal creators, two of them sharing half their audience, and room for two
    ids = await roster(client)
    await store_overlaps(client, ("ana", "bea", "50%"))
    request = catalog_request(
        {"ids": [ids["ana"], ids["bea"], ids["cai"]]},
        objective={"kind": "unique_reach"},
        constraints={"max_influencers": 2, "max_share_per_influencer": 0.5},
    )

    plan = await plan_with_request(client, request)

    # Then @cai is one of the two, and nobody is counted twice
    used = {a["handle"] for a in plan["allocations"]}
    assert "@cai" in used
    assert len(used) == 2
    assert plan["totals"]["unique_reach"] == pytest.approx(40_000)
    assert plan["diagnostics"]["overlapping_pairs"] == []


async def test_an_overlap_in_the_request_replaces_the_stored_one(
    client: httpx.AsyncClient,
) -> None:
    ids = await roster(client)
    await store_overlaps(client, ("ana", "bea", "50%"), ("cai", "dan", "25%"))
    given = [{"a": ids["bea"], "b": ids["ana"], "share": 0.1}]

    plan = await plan_with_request(
        client, catalog_request({"filters": {"tiers": ["micro"]}}, overlaps=given)
    )

    overlaps = plan["request"]["overlaps"]
    assert overlaps[0] == given[0]
    assert [o["share"] for o in overlaps] == [0.1, 0.25]
    assert plan["totals"]["overlapping_audience"] == pytest.approx(2_000 + 5_000)


async def test_stored_overlaps_above_a_creators_reach_are_422_naming_it(
    client: httpx.AsyncClient,
) -> None:
    # @ana reaches 20,000 and shares 16,000 with @bea and 10,000 with @cai
    ids = await roster(client)
    await store_overlaps(client, ("ana", "bea", "80%"), ("cai", "ana", "50%"))

    both = await client.post("/v1/plans", json=catalog_request({"filters": {"tiers": ["micro"]}}))
    one = await client.post("/v1/plans", json=catalog_request({"ids": [ids["ana"], ids["bea"]]}))

    body = assert_problem(both, 422)
    assert error_fields(body) == ["body.catalog"]
    message = body["errors"][0]["message"]
    assert "@ana on instagram shares 26,000 people" in message
    assert f"influencer_id={ids['ana']}" in message
    assert one.status_code == 201, one.text  # without @cai, @ana's 16,000 fit
