"""The spread of a creator's engagement rate kept in the catalog: entries, imports, and the
plans that draw on them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from tests.support.api import assert_problem, error_fields
from tests.support.catalog import add, csv_bytes, stored, upload

pytestmark = pytest.mark.anyio


async def test_an_entry_keeps_its_rate_sd_until_patched_or_cleared(
    client: httpx.AsyncClient,
) -> None:
    entry = await add(client, "@ana", engagement_rate_sd=0.012)
    assert entry["engagement_rate_sd"] == 0.012
    assert (await add(client, "@bea"))["engagement_rate_sd"] is None

    url = f"/v1/influencers/{entry['id']}"
    patched = await client.patch(url, json={"engagement_rate_sd": 0.004})
    assert patched.status_code == 200, patched.text
    assert patched.json()["engagement_rate_sd"] == 0.004
    assert (await client.patch(url, json={"price_per_post": 450})).json()[
        "engagement_rate_sd"
    ] == 0.004
    cleared = await client.patch(url, json={"engagement_rate_sd": None})
    assert cleared.json()["engagement_rate_sd"] is None
    assert (await client.get(url)).json()["engagement_rate_sd"] is None


@pytest.mark.parametrize("value", [-0.001, 1.5, "high"])
async def test_a_rate_sd_out_of_bounds_is_422_naming_it(
    client: httpx.AsyncClient, value: Any
) -> None:
    body = {"handle": "@ana", "platform": "instagram", "followers": 20_000}
    created = await client.post(
        "/v1/influencers", json={**body, "price_per_post": 500, "engagement_rate_sd": value}
    )
    assert error_fields(assert_problem(created, 422)) == ["body.engagement_rate_sd"]

    entry = await add(client, "@bea")
    patched = await client.patch(
        f"/v1/influencers/{entry['id']}", json={"engagement_rate_sd": value}
    )
    assert error_fields(assert_problem(patched, 422)) == ["body.engagement_rate_sd"]


async def test_an_import_reads_the_rate_sd_column_as_the_sheet_wrote_it(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    content = csv_bytes(
        [
            ["Username", "Network", "Followers", "ER", "ER sd", "Price"],
            ["ana", "instagram", "24000", "4.5%", "0.7%", "350"],
            ["bea", "tiktok", "50000", "0.05", "0.004", "500"],
            ["cai", "youtube", "80000", "0.03", "", "800"],
        ]
    )

    response = await upload(client, content)

    assert response.status_code == 200, response.text
    assert response.json()["columns"]["ER sd"] == "engagement_rate_sd"
    rows = stored(db_engine)
    # 0.7% is 0.007 as written, not 0.7 / 100 = 0.006999999999999999.
    assert rows[("instagram", "ana")]["engagement_rate_sd"] == 0.007
    assert rows[("instagram", "ana")]["engagement_rate"] == 0.045
    assert rows[("tiktok", "bea")]["engagement_rate_sd"] == 0.004
    assert rows[("youtube", "cai")]["engagement_rate_sd"] is None


async def test_a_percent_header_and_an_empty_cell_on_reimport(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    first = csv_bytes(
        [["handle", "platform", "followers", "price", "er_sd"], ["ana", "x", 9, 5, 0.01]]
    )
    assert (await upload(client, first)).status_code == 200
    assert stored(db_engine)[("x", "ana")]["engagement_rate_sd"] == 0.01

    # Bare values under a header with % are percents; an empty cell clears the stored spread.
    again = csv_bytes(
        [
            ["handle", "platform", "followers", "price", "engagement_rate_sd (%)"],
            ["ana", "x", 9, 5, ""],
            ["bea", "x", 9, 5, "0,35"],
        ],
    )
    response = await upload(client, again)

    assert response.status_code == 200, response.text
    rows = stored(db_engine)
    assert rows[("x", "ana")]["engagement_rate_sd"] is None
    assert rows[("x", "bea")]["engagement_rate_sd"] == 0.0035
    assert any("engagement_rate_sd (%)" in note for note in response.json()["notes"])


async def test_a_rate_sd_above_100_percent_is_a_row_error(client: httpx.AsyncClient) -> None:
    content = csv_bytes(
        [["handle", "platform", "followers", "price", "ER sd"], ["ana", "x", 9, 5, "150%"]]
    )

    body = assert_problem(await upload(client, content), 422)

    (error,) = body["errors"]
    assert (error["row"], error["column"]) == (2, "ER sd")
    assert "150%" in error["message"]


async def test_a_parsed_roster_carries_the_rate_sd(client: httpx.AsyncClient) -> None:
    content = csv_bytes(
        [["handle", "platform", "followers", "price", "ER sd"], ["ana", "x", 9, 5, "1.2%"]]
    )

    response = await client.post(
        "/v1/influencers/parse", files={"file": ("roster.csv", content, "text/csv")}
    )

    assert response.status_code == 200, response.text
    (candidate,) = response.json()["candidates"]
    assert candidate["engagement_rate_sd"] == 0.012


def _risk_request(catalog: dict[str, Any]) -> dict[str, Any]:
    return {
        "budget": 2_000,
        "catalog": catalog,
        "constraints": {"max_share_per_influencer": None},
        "objective": {"kind": "cvar_engagement"},
        "options": {"risk": {"scenarios": 50, "seed": 3, "platform_shock_sd": 0}},
    }


async def test_a_catalog_plan_takes_the_rate_sd_into_its_candidates(
    client: httpx.AsyncClient,
) -> None:
    """Two creators alike but for their spread, one post at 500 each and a budget of 500: the
    tail (the CVaR objective) funds the steady one."""
    steady = await add(client, "@steady", engagement_rate_sd=0.0)
    swingy = await add(client, "@swingy", engagement_rate_sd=0.04)
    request = _risk_request({"ids": [swingy["id"], steady["id"]]})
    request["budget"] = 500

    response = await client.post("/v1/plans", json=request)

    assert response.status_code == 201, response.text
    plan = response.json()
    assert [a["id"] for a in plan["allocations"]] == [steady["id"]]
    # With no spread and no platform shock, every scenario is the forecast.
    assert plan["risk"]["engagement_cvar"] == pytest.approx(20_000 * 0.05)
    solved = (await client.get(f"/v1/plans/{plan['id']}", params={"include": "request"})).json()
    by_id = {c["id"]: c for c in solved["request"]["candidates"]}
    assert by_id[steady["id"]]["engagement_rate_sd"] == 0.0
    assert by_id[swingy["id"]]["engagement_rate_sd"] == 0.04


async def test_an_override_replaces_the_catalog_rate_sd_for_one_plan(
    client: httpx.AsyncClient,
) -> None:
    steady = await add(client, "@steady", engagement_rate_sd=0.0)
    swingy = await add(client, "@swingy", engagement_rate_sd=0.04)
    # The override makes the steady one the swingier: the tail now picks the other.
    request = _risk_request(
        {
            "ids": [steady["id"], swingy["id"]],
            "overrides": {
                steady["id"]: {"engagement_rate_sd": 0.045},
                swingy["id"]: {"engagement_rate_sd": 0.0},
            },
        }
    )
    request["budget"] = 500

    response = await client.post("/v1/plans", json=request)

    assert response.status_code == 201, response.text
    assert [a["id"] for a in response.json()["allocations"]] == [swingy["id"]]
    entry = (await client.get(f"/v1/influencers/{steady['id']}")).json()
    assert entry["engagement_rate_sd"] == 0.0
