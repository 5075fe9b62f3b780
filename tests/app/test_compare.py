"""GET /v1/plans:compare and its XLSX, on plans whose optima are obvious: every candidate is
bought to its last post, so each figure below is worked out by hand."""

from __future__ import annotations

import io
from typing import Any

import httpx
import openpyxl
import pytest
from fastapi import FastAPI

from tests.support.api import assert_problem, error_fields, post_plan
from tests.support.app import serving
from tests.support.catalog import XLSX_TYPE
from tests.support.payloads import creator, small_request

pytestmark = pytest.mark.anyio


def plan_a() -> dict[str, Any]:
    """c1..c4 on Instagram, one post at 500 each (1,000 engagement): spend 2,000, 4,000."""
    return small_request(4, name="All Instagram")


def plan_b() -> dict[str, Any]:
    """c3, c4 as in A; c5, c6 on TikTok, two posts at 250 each: spend 2,000, 6,000."""
    tiktok = {"platform": "tiktok", "price_per_post": 250.0, "max_posts": 2}
    return {
        "name": "Half TikTok",
        "budget": 10_000,
        "candidates": [
            creator("c3"),
            creator("c4"),
            creator("c5", **tiktok),
            creator("c6", **tiktok),
        ],
    }


async def compare(client: httpx.AsyncClient, *ids: str) -> dict[str, Any]:
    response = await client.get("/v1/plans:compare", params={"ids": ",".join(ids)})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_two_plans_side_by_side_with_differences_to_the_first(
    client: httpx.AsyncClient,
) -> None:
    a = await post_plan(client, plan_a())
    b = await post_plan(client, plan_b())

    body = await compare(client, a["id"], b["id"])

    first, second = body["plans"]
    assert [first["id"], second["id"]] == [a["id"], b["id"]]
    assert first["differences"] is None
    assert first["figures"]["spend"] == 2000
    assert second["figures"]["spend"] == 2000
    assert first["figures"]["expected_engagement"] == pytest.approx(4000)
    assert second["figures"]["expected_engagement"] == pytest.approx(6000)
    diff = second["differences"]
    assert diff["figures"]["spend"] == 0
    assert diff["figures"]["expected_engagement"] == pytest.approx(2000)
    assert diff["figures"]["influencers"] == 0
    assert diff["figures"]["engagement_cvar"] is None  # neither plan has scenarios
    # A spends nothing on TikTok, and says so, so that the mixes line up.
    assert first["by_platform"]["tiktok"] == {
        "spend": 0,
        "share": 0,
        "engagement": 0,
        "influencers": 0,
    }
    assert second["by_platform"]["tiktok"]["share"] == pytest.approx(0.5)
    assert diff["by_platform"]["instagram"]["share"] == pytest.approx(-0.5)
    assert diff["by_platform"]["instagram"]["influencers"] == -2
    assert diff["by_platform"]["tiktok"]["spend"] == pytest.approx(1000)

    creators = {c["id"]: c for c in body["creators"]}
    assert [c["id"] for c in body["creators"]] == ["c3", "c4", "c1", "c2", "c5", "c6"]
    assert creators["c3"]["only_in"] is None
    assert creators["c3"]["plans"] == [
        {"posts": 1, "spend": 500, "expected_engagement": pytest.approx(1000)},
        {"posts": 1, "spend": 500, "expected_engagement": pytest.approx(1000)},
    ]
    assert creators["c1"]["only_in"] == a["id"]
    assert creators["c1"]["plans"][1] is None
    assert creators["c5"]["only_in"] == b["id"]
    assert creators["c5"]["plans"][1]["posts"] == 2
    assert body["notes"] == []


async def test_one_creator_under_two_ids_is_matched_by_platform_and_handle(
    client: httpx.AsyncClient,
) -> None:
    # given plan A as typed in, and plan B naming the same Instagram creators under other ids
    # (as a catalog plan does) with their handles typed differently, plus @c1 on TikTok
    a = await post_plan(client, plan_a())
    renamed = [creator(f"id-{n}", handle=f"C{n}") for n in range(1, 5)]
    on_tiktok = creator("t1", handle="@c1", platform="tiktok")
    b = await post_plan(
        client, {"name": "Renamed", "budget": 10_000, "candidates": [*renamed, on_tiktok]}
    )

    body = await compare(client, a["id"], b["id"])

    # then each Instagram creator is one row bought by both; the TikTok @c1 is another creator
    rows = {(c["platform"], c["handle"]): c for c in body["creators"]}
    assert len(body["creators"]) == 5
    for n in range(1, 5):
        row = rows[("instagram", f"@c{n}")]
        assert row["only_in"] is None
        assert [p["posts"] for p in row["plans"]] == [1, 1]
    assert rows[("tiktok", "@c1")]["only_in"] == b["id"]


async def test_five_plans_differ_from_the_first_by_their_extra_creators(
    client: httpx.AsyncClient,
) -> None:
    # small_request(n): n creators, all bought, 500 and 1,000 engagement each.
    plans = [await post_plan(client, small_request(n)) for n in range(4, 9)]

    body = await compare(client, *[p["id"] for p in plans])

    assert [p["id"] for p in body["plans"]] == [p["id"] for p in plans]
    for extra, compared in enumerate(body["plans"][1:], 1):
        assert compared["differences"]["figures"]["spend"] == pytest.approx(500 * extra)
        assert compared["differences"]["figures"]["influencers"] == extra
        assert compared["differences"]["figures"]["budget"] == 0
    creators = {c["id"]: c for c in body["creators"]}
    assert len(creators) == 8
    assert creators["c1"]["only_in"] is None
    assert [p is not None for p in creators["c5"]["plans"]] == [False, True, True, True, True]
    assert creators["c8"]["only_in"] == plans[-1]["id"]


async def test_cvar_figures_and_their_difference_when_plans_have_scenarios(
    client: httpx.AsyncClient,
) -> None:
    risk = {"options": {"risk": {"scenarios": 40, "seed": 3}}}
    a = await post_plan(client, {**plan_a(), **risk})
    b = await post_plan(client, {**plan_b(), **risk})

    body = await compare(client, a["id"], b["id"])

    figures = [p["figures"] for p in body["plans"]]
    for plan, fig in zip((a, b), figures, strict=True):
        assert fig["engagement_cvar"] == plan["risk"]["engagement_cvar"]
        assert fig["engagement_p05"] == plan["risk"]["engagement_quantiles"]["p05"]
    assert body["plans"][1]["differences"]["figures"]["engagement_cvar"] == pytest.approx(
        figures[1]["engagement_cvar"] - figures[0]["engagement_cvar"]
    )


async def test_an_infeasible_plan_is_compared_without_figures_and_noted(
    client: httpx.AsyncClient,
) -> None:
    a = await post_plan(client, plan_a())
    # three creators cannot each hold at most a quarter of the spend
    b = await post_plan(client, small_request(3))
    assert b["status"] == "infeasible"

    body = await compare(client, a["id"], b["id"])

    assert body["plans"][1]["figures"]["spend"] is None
    assert body["plans"][1]["figures"]["budget"] == 10_000
    assert body["plans"][1]["differences"]["figures"]["spend"] is None
    assert [c["only_in"] for c in body["creators"]] == [a["id"]] * 4
    assert body["notes"] == [
        f"Plan {b['id']} is infeasible: it has no allocations or totals to compare."
    ]


async def test_a_plan_of_another_workspace_or_an_unknown_id_is_not_found(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    own = await post_plan(client, plan_a())
    async with serving(app, workspace="rival") as rival:
        theirs = await post_plan(rival, plan_b())

    for ids in (f"{own['id']},{theirs['id']}", f"{own['id']},no-such-plan"):
        for path in ("/v1/plans:compare", "/v1/plans:compare.xlsx"):
            response = await client.get(path, params={"ids": ids})
            assert_problem(response, 404)


@pytest.mark.parametrize("ids", ["{a}", "{a},{b},{a}", "{a},{b},c,d,e,f", ",,{a},", "{a},{a}"])
async def test_wrong_counts_or_repeats_are_a_422_naming_ids(
    client: httpx.AsyncClient, ids: str
) -> None:
    a = await post_plan(client, plan_a())
    b = await post_plan(client, plan_b())

    response = await client.get(
        "/v1/plans:compare", params={"ids": ids.format(a=a["id"], b=b["id"])}
    )

    assert error_fields(assert_problem(response, 422)) == ["query.ids"]


async def test_a_missing_ids_parameter_is_a_422_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/plans:compare")

    assert error_fields(assert_problem(response, 422)) == ["query.ids"]


async def test_the_comparison_workbook_holds_figures_mixes_and_creators(
    client: httpx.AsyncClient,
) -> None:
    a = await post_plan(client, plan_a())
    b = await post_plan(client, plan_b())

    response = await client.get("/v1/plans:compare.xlsx", params={"ids": f"{a['id']},{b['id']}"})

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX_TYPE
    assert response.headers["content-disposition"] == (
        f'attachment; filename="compare-{a["id"][:8]}-{b["id"][:8]}.xlsx"'
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Compare", "Creators"]
    rows = {row[0]: row[1:] for row in book["Compare"].iter_rows(values_only=True) if row[0]}
    assert rows["Figure"] == ("A: All Instagram", "B: Half TikTok", "B - A")
    assert rows["Plan id"][:2] == (a["id"], b["id"])
    assert rows["Spend"] == (2000, 2000, 0)
    assert rows["Expected engagement"] == pytest.approx((4000, 6000, 2000))
    assert rows["Creators"] == (4, 4, 0)
    assert "Engagement CVaR" not in rows  # no plan has scenarios
    assert rows["tiktok, share of spend"] == (0, 0.5, 0.5)
    assert rows["instagram, spend"] == (2000, 1000, -1000)
    assert book["Compare"]["C6"].number_format == "#,##0.00"  # B's spend, as money

    creators = list(book["Creators"].iter_rows(values_only=True))
    assert creators[0] == (
        "Handle",
        "Platform",
        "Tier",
        "A: All Instagram: posts",
        "A: All Instagram: spend",
        "B: Half TikTok: posts",
        "B: Half TikTok: spend",
        "Only in",
        "Id",
    )
    assert creators[1] == ("@c3", "instagram", "micro", 1, 500, 1, 500, None, "c3")
    assert creators[5] == ("@c5", "tiktok", "micro", None, None, 2, 500, "B", "c5")
