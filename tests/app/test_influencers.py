"""/v1/influencers through HTTP: CRUD, conflicts, filters, pagination, lookup by handle."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from tests.support.api import all_pages, assert_problem, error_fields
from tests.support.catalog import add, catalog_size, influencer, stored

pytestmark = pytest.mark.anyio


# --- create, read, change, remove ----------------------------------------------------------


async def test_post_stores_the_entry_and_points_to_it(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    body = influencer(
        "@Ana.Glow",
        display_name="Ana Glow",
        fixed_fee=50,
        min_posts=1,
        max_posts=3,
        audience_quality=0.9,
        tags=["Beauty", " skincare", "beauty"],
        notes="Rate agreed for Q2",
    )

    response = await client.post("/v1/influencers", json=body)

    assert response.status_code == 201, response.text
    entry = response.json()
    assert response.headers["location"] == f"/v1/influencers/{entry['id']}"
    assert entry["handle"] == "@Ana.Glow"
    assert entry["tier"] == "micro"
    assert entry["tags"] == ["beauty", "skincare"]
    assert entry["fixed_fee"] == 50
    assert entry["created_at"] == entry["updated_at"]
    assert (await client.get(response.headers["location"])).json() == entry
    assert stored(db_engine)[("instagram", "ana.glow")]["display_handle"] == "@Ana.Glow"


async def test_defaults_fill_what_is_not_sent(client: httpx.AsyncClient) -> None:
    entry = await add(client, "mia", engagement_rate=None, followers=8_200)

    assert entry["engagement_rate"] is None
    assert entry["tier"] == "nano"
    assert (entry["fixed_fee"], entry["min_posts"], entry["max_posts"]) == (0, 1, 1)
    assert entry["audience_quality"] == 1
    assert entry["tags"] == []
    assert entry["display_name"] is None


async def test_same_handle_on_the_same_platform_is_409_naming_handle(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    first = await add(client, "@ana.glow")

    response = await client.post("/v1/influencers", json=influencer("ANA.GLOW"))

    body = assert_problem(response, 409)
    assert body["type"].endswith(":conflict")
    assert error_fields(body) == ["body.handle"]
    assert first["id"] in body["detail"]
    assert catalog_size(db_engine) == 1


async def test_same_handle_on_another_platform_is_another_creator(
    client: httpx.AsyncClient,
) -> None:
    await add(client, "@ana.glow")

    response = await client.post("/v1/influencers", json=influencer("@ana.glow", platform="tiktok"))

    assert response.status_code == 201


BAD_ENTRIES: list[tuple[str, dict[str, Any], str]] = [
    ("empty handle", influencer("@"), "body.handle"),
    ("handle with a space", influencer("ana glow"), "body.handle"),
    ("handle with a slash", influencer("ana/glow"), "body.handle"),
    ("handle above 128 chars", influencer("a" * 129), "body.handle"),
    ("unknown platform", influencer("ana", platform="myspace"), "body.platform"),
    ("negative followers", influencer("ana", followers=-1), "body.followers"),
    ("followers above 1e10", influencer("ana", followers=2 * 10**10), "body.followers"),
    ("rate above 1", influencer("ana", engagement_rate=1.5), "body.engagement_rate"),
    ("price zero", influencer("ana", price_per_post=0), "body.price_per_post"),
    ("price above 1e9", influencer("ana", price_per_post=2e9), "body.price_per_post"),
    ("max below min", influencer("ana", min_posts=3, max_posts=2), "body.max_posts"),
    ("max_posts above 1000", influencer("ana", max_posts=1001), "body.max_posts"),
    ("33 tags", influencer("ana", tags=[f"t{i}" for i in range(33)]), "body.tags"),
    ("notes above 2000 chars", influencer("ana", notes="n" * 2001), "body.notes"),
    ("unknown field", {**influencer("ana"), "folowers": 3}, "body.folowers"),
    (
        "missing price",
        {k: v for k, v in influencer("ana").items() if k != "price_per_post"},
        "body.price_per_post",
    ),
]


@pytest.mark.parametrize(
    ("payload", "field"), [pytest.param(p, f, id=case) for case, p, f in BAD_ENTRIES]
)
async def test_invalid_entry_is_422_naming_the_field(
    client: httpx.AsyncClient, db_engine: Engine, payload: dict[str, Any], field: str
) -> None:
    body = assert_problem(await client.post("/v1/influencers", json=payload), 422)

    assert field in error_fields(body)
    assert catalog_size(db_engine) == 0


async def test_patch_changes_only_the_fields_sent(client: httpx.AsyncClient) -> None:
    entry = await add(client, "@ana.glow", tags=["beauty"], notes="old")

    response = await client.patch(
        f"/v1/influencers/{entry['id']}", json={"price_per_post": 320, "notes": None}
    )

    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["price_per_post"] == 320
    assert changed["notes"] is None
    assert changed["tags"] == ["beauty"]
    assert changed["followers"] == entry["followers"]
    assert changed["updated_at"] > entry["updated_at"]
    assert changed["created_at"] == entry["created_at"]


async def test_patch_is_checked_against_the_stored_values(client: httpx.AsyncClient) -> None:
    entry = await add(client, "@ana.glow", max_posts=2)

    response = await client.patch(f"/v1/influencers/{entry['id']}", json={"min_posts": 3})

    body = assert_problem(response, 422)
    assert error_fields(body) == ["body.max_posts"]
    assert (await client.get(f"/v1/influencers/{entry['id']}")).json()["min_posts"] == 1


async def test_patch_cannot_null_a_required_field(client: httpx.AsyncClient) -> None:
    entry = await add(client, "@ana.glow")

    response = await client.patch(f"/v1/influencers/{entry['id']}", json={"followers": None})

    assert error_fields(assert_problem(response, 422)) == ["body.followers"]


async def test_patch_onto_a_taken_handle_is_409(client: httpx.AsyncClient) -> None:
    await add(client, "@ana")
    leo = await add(client, "@leo")

    response = await client.patch(f"/v1/influencers/{leo['id']}", json={"handle": "@Ana"})

    assert error_fields(assert_problem(response, 409)) == ["body.handle"]


async def test_patch_may_fix_the_spelling_of_its_own_handle(client: httpx.AsyncClient) -> None:
    entry = await add(client, "@ana.glow")

    response = await client.patch(f"/v1/influencers/{entry['id']}", json={"handle": "@Ana.Glow"})

    assert response.status_code == 200
    assert response.json()["handle"] == "@Ana.Glow"


async def test_delete_removes_the_entry(client: httpx.AsyncClient, db_engine: Engine) -> None:
    entry = await add(client, "@ana.glow")

    response = await client.delete(f"/v1/influencers/{entry['id']}")

    assert response.status_code == 204
    assert response.content == b""
    assert_problem(await client.get(f"/v1/influencers/{entry['id']}"), 404)
    assert catalog_size(db_engine) == 0


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_unknown_id_is_404(client: httpx.AsyncClient, method: str) -> None:
    response = await client.request(
        method, "/v1/influencers/nobody", json={} if method == "PATCH" else None
    )

    body = assert_problem(response, 404)
    assert "nobody" in body["detail"]


# --- lookup by handle ------------------------------------------------------------------------


@pytest.mark.parametrize("asked", ["@ana.glow", "ana.glow", "ANA.Glow", "@@Ana.GLOW"])
async def test_by_handle_ignores_case_and_the_at_sign(
    client: httpx.AsyncClient, asked: str
) -> None:
    entry = await add(client, "@Ana.Glow")

    response = await client.get(f"/v1/influencers/by-handle/instagram/{asked}")

    assert response.status_code == 200, response.text
    assert response.json()["id"] == entry["id"]


async def test_by_handle_is_per_platform(client: httpx.AsyncClient) -> None:
    await add(client, "@ana.glow")

    body = assert_problem(await client.get("/v1/influencers/by-handle/tiktok/ana.glow"), 404)

    assert "tiktok" in body["detail"]


async def test_by_handle_with_an_unknown_platform_is_422(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/influencers/by-handle/myspace/ana")

    assert error_fields(assert_problem(response, 422)) == ["path.platform"]


# --- listing ---------------------------------------------------------------------------------


async def handles(client: httpx.AsyncClient, **params: Any) -> list[str]:
    return [
        item["handle"]
        for page in await all_pages(client, "/v1/influencers", **params)
        for item in page
    ]


async def test_empty_catalog_lists_nothing(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/influencers")

    assert response.json() == {"items": [], "next_cursor": None}


async def test_pages_walk_every_entry_once_by_handle(client: httpx.AsyncClient) -> None:
    for i in (4, 1, 6, 0, 3, 5, 2):
        await add(client, f"@creator{i}")
    await add(client, "@creator3", platform="tiktok")

    pages = await all_pages(client, "/v1/influencers", limit=3)

    assert [len(page) for page in pages] == [3, 3, 2]
    listed = [(item["handle"], item["platform"]) for page in pages for item in page]
    assert listed == [
        ("@creator0", "instagram"),
        ("@creator1", "instagram"),
        ("@creator2", "instagram"),
        ("@creator3", "instagram"),
        ("@creator3", "tiktok"),
        ("@creator4", "instagram"),
        ("@creator5", "instagram"),
        ("@creator6", "instagram"),
    ]


async def test_filters_combine(client: httpx.AsyncClient) -> None:
    await add(client, "@nano", followers=9_999, tags=["beauty"])
    await add(client, "@micro", followers=10_000, tags=["Beauty", "travel"])
    await add(client, "@micro.tok", followers=99_999, platform="tiktok", tags=["food"])
    await add(client, "@macro", followers=100_000, tags=["travel"])
    await add(client, "@mega", followers=1_000_000, platform="youtube", display_name="Big Star")

    assert await handles(client, tier="micro") == ["@micro", "@micro.tok"]
    assert await handles(client, tier=["nano", "mega"]) == ["@mega", "@nano"]
    assert await handles(client, platform="tiktok") == ["@micro.tok"]
    assert await handles(client, platform=["tiktok", "youtube"]) == ["@mega", "@micro.tok"]
    assert await handles(client, tag="BEAUTY") == ["@micro", "@nano"]
    assert await handles(client, tag=["food", "travel"]) == ["@macro", "@micro", "@micro.tok"]
    assert await handles(client, min_followers=10_000, max_followers=100_000) == [
        "@macro",
        "@micro",
        "@micro.tok",
    ]
    assert await handles(client, tier="micro", tag="travel") == ["@micro"]
    assert await handles(client, q="MICRO") == ["@micro", "@micro.tok"]
    assert await handles(client, q="@micro.") == ["@micro.tok"]
    assert await handles(client, q="star") == ["@mega"]
    assert await handles(client, q="%") == []


async def test_text_search_treats_like_wildcards_literally(client: httpx.AsyncClient) -> None:
    await add(client, "@ana_glow")
    await add(client, "@anaxglow")

    assert await handles(client, q="a_g") == ["@ana_glow"]


async def test_unknown_tier_is_422_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/influencers", params={"tier": ["micro", "giga"]})

    body = assert_problem(response, 422)
    assert error_fields(body) == ["query.tier.1"]
    assert "nano, micro, macro, mega" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "not-a-cursor"}, "query.cursor"),
        ({"limit": 0}, "query.limit"),
        ({"limit": 501}, "query.limit"),
        ({"platform": "myspace"}, "query.platform.0"),
        ({"min_followers": -1}, "query.min_followers"),
    ],
)
async def test_bad_listing_parameters_are_422(
    client: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    response = await client.get("/v1/influencers", params=params)

    assert field in error_fields(assert_problem(response, 422))
