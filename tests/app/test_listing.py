"""GET /v1/plans: newest first, cursor pagination, name and status filters."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.api import all_pages, post_plan
from tests.support.payloads import small_request

pytestmark = pytest.mark.anyio


async def store(client: httpx.AsyncClient, name: str, *, feasible: bool = True) -> str:
    request = small_request(creators=5 if feasible else 2, name=name)
    plan_id: str = (await post_plan(client, request))["id"]
    return plan_id


async def test_empty_listing(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/plans")

    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


async def test_pages_walk_every_plan_once_newest_first(client: httpx.AsyncClient) -> None:
    created = [await store(client, f"Plan {i}") for i in range(7)]

    pages = await all_pages(client, "/v1/plans", limit=3)

    assert [len(page) for page in pages] == [3, 3, 1]
    assert [item["id"] for page in pages for item in page] == created[::-1]


async def test_page_size_equal_to_the_count_has_no_next_cursor(
    client: httpx.AsyncClient,
) -> None:
    for i in range(3):
        await store(client, f"Plan {i}")

    body = (await client.get("/v1/plans", params={"limit": 3})).json()

    assert len(body["items"]) == 3
    assert body["next_cursor"] is None


async def test_default_page_size_is_20(client: httpx.AsyncClient) -> None:
    for i in range(21):
        await store(client, f"Plan {i}")

    body = (await client.get("/v1/plans")).json()

    assert len(body["items"]) == 20
    assert body["next_cursor"] is not None


async def test_summaries_carry_the_headline_figures(client: httpx.AsyncClient) -> None:
    plan_id = await store(client, "Headline")
    plan = (await client.get(f"/v1/plans/{plan_id}")).json()

    (item,) = (await client.get("/v1/plans")).json()["items"]

    assert item == {
        "id": plan_id,
        "name": "Headline",
        "created_at": plan["created_at"],
        "status": "optimal",
        "currency": "USD",
        "budget": 10_000,
        "objective_kind": "engagement",
        "spend": plan["totals"]["spend"],
        "expected_engagement": plan["totals"]["expected_engagement"],
        "influencers": plan["totals"]["influencers"],
    }


async def test_name_filter_is_a_case_insensitive_substring_across_pages(
    client: httpx.AsyncClient,
) -> None:
    wanted = []
    for i in range(6):
        wanted.append(await store(client, f"Spring LAUNCH wave {i}"))
        await store(client, f"Autumn {i}")

    pages = await all_pages(client, "/v1/plans", name="launch", limit=4)

    assert [len(page) for page in pages] == [4, 2]
    assert [item["id"] for page in pages for item in page] == wanted[::-1]


async def test_name_filter_treats_wildcards_literally(client: httpx.AsyncClient) -> None:
    discount = await store(client, "50% off")
    await store(client, "500 off")
    underscore = await store(client, "a_b")
    await store(client, "axb")

    percent = (await client.get("/v1/plans", params={"name": "0%"})).json()["items"]
    under = (await client.get("/v1/plans", params={"name": "_"})).json()["items"]

    assert [item["id"] for item in percent] == [discount]
    assert [item["id"] for item in under] == [underscore]


async def test_status_filter_combines_with_name_and_pages(client: httpx.AsyncClient) -> None:
    infeasible = []
    for i in range(3):
        infeasible.append(await store(client, f"Tight {i}", feasible=False))
        await store(client, f"Tight ok {i}")
        await store(client, f"Other {i}", feasible=False)

    pages = await all_pages(client, "/v1/plans", status="infeasible", name="tight", limit=2)

    items = [item for page in pages for item in page]
    assert [item["id"] for item in items] == infeasible[::-1]
    assert {item["status"] for item in items} == {"infeasible"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "query.limit"),
        ({"limit": 101}, "query.limit"),
        ({"status": "great"}, "query.status"),
        ({"cursor": "not-a-cursor"}, "query.cursor"),
        ({"cursor": "WyJ4Il0"}, "query.cursor"),  # valid base64, wrong content
    ],
)
async def test_bad_listing_parameters_are_422(
    client: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    response = await client.get("/v1/plans", params=params)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == [field]
