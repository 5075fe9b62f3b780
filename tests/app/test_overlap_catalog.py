"""The catalog's audience overlaps: imported from messy sheets all or nothing, listed,
deleted, and kept to their workspace."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import httpx
import openpyxl
import pytest
from fastapi import FastAPI

from tests.support.api import all_pages, assert_problem, error_fields
from tests.support.app import serving
from tests.support.catalog import (
    OVERLAP_IMPORT,
    XLSX_TYPE,
    add,
    overlap_shares,
    upload,
    upload_overlaps,
)

pytestmark = pytest.mark.anyio

LISTING = "/v1/influencers/overlaps"


async def add_roster(client: httpx.AsyncClient) -> dict[str, str]:
    """Four creators on three platforms; their catalog ids by handle."""
    entries = [
        await add(client, "@ana"),
        await add(client, "@bea"),
        await add(client, "@leo", platform="tiktok"),
        await add(client, "@dan", platform="youtube", followers=250_000),
    ]
    return {entry["handle"]: entry["id"] for entry in entries}


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


MESSY = [
    ["Audience overlap, exported 2026-11-30"],  # a title above the table
    ["Creator A", "Network A", "Influencer 2", "Platform B", "Overlap", "Checked on"],
    ["@Ana", "IG", "bea", "Instagram", "23%", "2026-11-30"],
    ["https://www.instagram.com/bea/", "insta", "@LEO", "tt", "0.12", ""],
    ["leo", "TikTok", "@ana", "instagram", "7,5 %", ""],
    ["", "", "", "", "", ""],
    ["dan", "yt", "ana", "ig", "0.4", ""],
]


async def test_a_messy_overlap_csv_is_stored_as_meant(client: httpx.AsyncClient) -> None:
    ids = await add_roster(client)

    response = await upload_overlaps(client, MESSY)

    assert response.status_code == 200, response.text
    summary = response.json()
    assert (summary["rows"], summary["created"], summary["updated"]) == (4, 4, 0)
    assert summary["columns"] == {
        "Creator A": "handle_a",
        "Network A": "platform_a",
        "Influencer 2": "handle_b",
        "Platform B": "platform_b",
        "Overlap": "share",
    }
    assert summary["ignored_columns"] == ["Checked on"]
    listed = (await client.get(LISTING)).json()["items"]
    assert [item["share"] for item in listed] == [0.4, 0.23, 0.12, 0.075]  # largest first
    dan_ana = listed[0]
    # Stored once, the smaller catalog id first, whichever way the file wrote the pair.
    assert (dan_ana["a"], dan_ana["b"]) == tuple(sorted((ids["@dan"], ids["@ana"])))
    assert {dan_ana["a_platform"], dan_ana["b_platform"]} == {"youtube", "instagram"}


async def test_importing_again_updates_a_pair_named_the_other_way_round(
    client: httpx.AsyncClient,
) -> None:
    await add_roster(client)
    assert (await upload_overlaps(client, MESSY)).status_code == 200

    again = await upload_overlaps(
        client,
        [["handle_b", "platform", "handle_a", "share"], ["bea", "instagram", "ana", "30%"]],
    )

    assert again.status_code == 200, again.text
    assert (again.json()["created"], again.json()["updated"]) == (0, 1)
    shares = await overlap_shares(client)
    assert shares[pair("@ana", "@bea")] == 0.3
    assert shares[pair("@ana", "@dan")] == 0.4


async def test_an_xlsx_with_one_platform_column_and_percent_cells(
    client: httpx.AsyncClient,
) -> None:
    await add(client, "@ana")
    await add(client, "@bea")
    await add(client, "@cy")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Handle 1", "Handle 2", "Platform", "Shared audience"])
    sheet.append(["@ana", "@bea", "Instagram", 0.23])
    sheet.append(["@bea", "@cy", "instagram", "31%"])
    sheet["D2"].number_format = "0%"  # shown as 23%, stored as 0.23
    out = io.BytesIO()
    book.save(out)

    response = await upload(client, out.getvalue(), "overlaps.xlsx", XLSX_TYPE, path=OVERLAP_IMPORT)

    assert response.status_code == 200, response.text
    assert await overlap_shares(client) == {pair("@ana", "@bea"): 0.23, pair("@bea", "@cy"): 0.31}


async def test_bare_shares_above_one_are_read_as_percentages(client: httpx.AsyncClient) -> None:
    await add_roster(client)

    response = await upload_overlaps(
        client,
        [["A", "B", "Network", "Overlap"], ["ana", "bea", "ig", "23"], ["ana", "dan", "ig", "0.5"]],
    )

    # "A" and "B" alone are no handle columns: the header names what is missing.
    body = assert_problem(response, 422)
    assert {e["column"] for e in body["errors"]} == {"handle_a", "handle_b"}
    response = await upload_overlaps(
        client,
        [["Handle A", "Handle B", "Network", "Overlap"], ["ana", "bea", "ig", "23"]],
    )
    assert response.status_code == 200, response.text
    assert (await overlap_shares(client))[pair("@ana", "@bea")] == 0.23
    assert "read as percentages" in response.json()["notes"][0]


async def test_a_file_with_bad_rows_stores_none_and_lists_each(client: httpx.AsyncClient) -> None:
    await add_roster(client)
    assert (await upload_overlaps(client, MESSY)).status_code == 200
    before = await overlap_shares(client)

    response = await upload_overlaps(
        client,
        [
            ["Handle A", "Platform A", "Handle B", "Platform B", "Overlap %"],
            ["ana", "instagram", "bea", "instagram", "50"],  # row 2: valid
            ["ana", "instagram", "nobody", "instagram", "10"],  # 3: not in the catalog
            ["ana", "instagram", "ana", "instagram", "10"],  # 4: paired with itself
            ["bea", "instagram", "ana", "instagram", "10"],  # 5: row 2's pair, reversed
            ["leo", "tiktok", "dan", "youtube", "120"],  # 6: above 100%
            ["leo", "myspace", "dan", "youtube", ""],  # 7: bad platform, no share
            ["ana", "tiktok", "bea", "instagram", "5"],  # 8: no @ana on TikTok
        ],
        filename="bad.csv",
    )

    body = assert_problem(response, 422)
    assert [(e["row"], e["column"]) for e in body["errors"]] == [
        (3, "Handle B"),
        (4, "Handle B"),
        (5, "Handle B"),
        (6, "Overlap %"),
        (7, "Platform A"),
        (7, "Overlap %"),
        (8, "Handle A"),
    ]
    assert error_fields(body)[0] == "body.file.3.handle_b"
    messages = {(e["row"], e["column"]): e["message"] for e in body["errors"]}
    assert "no @nobody on instagram in the catalog" in messages[(3, "Handle B")]
    assert "itself" in messages[(4, "Handle B")]
    assert "row 2" in messages[(5, "Handle B")]
    assert "120%" in messages[(6, "Overlap %")]
    assert "no @ana on tiktok" in messages[(8, "Handle A")]
    assert "6 rows of bad.csv are invalid" in body["detail"]
    assert "nothing was stored" in body["detail"]
    assert await overlap_shares(client) == before  # row 2's new share was not stored either


async def test_a_file_without_a_share_column_is_one_header_problem(
    client: httpx.AsyncClient,
) -> None:
    response = await upload_overlaps(
        client, [["Handle A", "Handle B", "Platform"], ["a", "b", "ig"]]
    )

    body = assert_problem(response, 422)
    assert error_fields(body) == ["body.file.header.share"]
    assert "overlap" in body["errors"][0]["message"]


async def test_a_dry_run_checks_and_stores_nothing(client: httpx.AsyncClient) -> None:
    await add_roster(client)

    response = await upload_overlaps(client, MESSY, dry_run="true")

    assert response.status_code == 200, response.text
    assert (response.json()["dry_run"], response.json()["created"]) == (True, 4)
    assert await overlap_shares(client) == {}


async def test_the_listing_pages_filters_by_creator_and_delete_removes_one(
    client: httpx.AsyncClient,
) -> None:
    ids = await add_roster(client)
    assert (await upload_overlaps(client, MESSY)).status_code == 200

    pages = await all_pages(client, LISTING, limit=3)
    anas = await overlap_shares(client, influencer_id=ids["@ana"])
    first = pages[0][0]
    deleted = await client.delete(f"{LISTING}/{first['id']}")
    again = await client.delete(f"{LISTING}/{first['id']}")

    assert [len(page) for page in pages] == [3, 1]
    assert [item["share"] for page in pages for item in page] == [0.4, 0.23, 0.12, 0.075]
    assert anas == {
        pair("@ana", "@dan"): 0.4,
        pair("@ana", "@bea"): 0.23,
        pair("@ana", "@leo"): 0.075,
    }
    assert deleted.status_code == 204
    assert_problem(again, 404)
    assert pair("@ana", "@dan") not in await overlap_shares(client)


async def test_deleting_a_creator_removes_its_overlaps(client: httpx.AsyncClient) -> None:
    ids = await add_roster(client)
    assert (await upload_overlaps(client, MESSY)).status_code == 200

    assert (await client.delete(f"/v1/influencers/{ids['@ana']}")).status_code == 204

    assert await overlap_shares(client) == {pair("@bea", "@leo"): 0.12}


async def test_an_invalid_cursor_is_a_problem_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.get(LISTING, params={"cursor": "bm90IGEgY3Vyc29y"})

    assert error_fields(assert_problem(response, 422)) == ["query.cursor"]


@pytest.fixture
async def rival(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(app, workspace="rival") as client:
        yield client


async def test_overlaps_stay_in_their_workspace(
    client: httpx.AsyncClient, rival: httpx.AsyncClient
) -> None:
    await add_roster(client)
    assert (await upload_overlaps(client, MESSY)).status_code == 200
    home = (await client.get(LISTING)).json()["items"]

    # The rival's catalog is empty: the home workspace's creators are unknown to it.
    foreign = await upload_overlaps(rival, MESSY)
    await add(rival, "@ana")
    await add(rival, "@bea")
    own = await upload_overlaps(
        rival, [["handle_a", "handle_b", "platform", "share"], ["ana", "bea", "ig", "5%"]]
    )
    listed = await overlap_shares(rival)
    deleted = await rival.delete(f"{LISTING}/{home[0]['id']}")

    assert {e["type"] for e in assert_problem(foreign, 422)["errors"]} == {"not_found"}
    assert own.status_code == 200, own.text
    assert listed == {pair("@ana", "@bea"): 0.05}
    assert_problem(deleted, 404)
    assert (await overlap_shares(client))[pair("@ana", "@bea")] == 0.23
