"""POST /v1/influencers/import on real files: messy CSVs, openpyxl workbooks, bad rows."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from typing import Any

import httpx
import openpyxl
import pytest
from sqlalchemy import Engine

from tests.support.api import assert_problem, error_fields
from tests.support.catalog import XLSX_TYPE, add, catalog_size, csv_bytes, stored, upload

pytestmark = pytest.mark.anyio


@dataclass(frozen=True)
class Truth:
    """What one generated row means, whatever its cells look like."""

    platform: str
    handle: str  # the key: lowercase, no @
    followers: int
    engagement_rate: float | None
    price_per_post: float
    fixed_fee: float
    max_posts: int
    audience_quality: float
    tags: list[str]


PLATFORM_SPELLINGS = {
    "instagram": ["Instagram", "IG", "instagram", "INSTA"],
    "tiktok": ["TikTok", "tt", "Tik Tok"],
    "youtube": ["YouTube", "yt"],
    "x": ["Twitter", "X"],
}


def followers_cell(followers: int, i: int) -> str:
    # Followers are drawn so each spelling is exact: 12,400 = 12.4k; 1,200,000 = 1.2M.
    spellings = [f"{followers:,}", f"{followers / 1000:g}k", str(followers), f" {followers} "]
    if followers % 100_000 == 0:
        spellings.append(f"{followers / 1_000_000:g}M")
    return spellings[i % len(spellings)]


def messy_roster(n: int, seed: int = 5) -> tuple[bytes, list[Truth]]:
    """``n`` rows under messy headers; every value written in one of its usual spellings."""
    rng = random.Random(seed)
    header: list[object] = [
        "Username",
        "Network",
        "Follower Count",
        "ER",
        "Price ($)",
        "Flat Fee",
        "Max posts",
        "Quality",
        "Tags",
        "Country",
    ]
    rows: list[list[object]] = [header]
    truths: list[Truth] = []
    for i in range(n):
        platform = rng.choice(list(PLATFORM_SPELLINGS))
        followers = rng.choice([rng.randint(10, 999) * 100, rng.randint(1, 40) * 100_000])
        rate = None if i % 17 == 0 else round(rng.uniform(0.005, 0.09), 4)
        price = round(rng.uniform(20, 9_000), 2)
        fee = 0.0 if i % 3 else float(rng.randint(1, 20) * 25)
        tags = rng.sample(["beauty", "travel", "food", "tech", "fitness"], rng.randint(0, 2))
        quality = round(rng.uniform(0.5, 1.0), 2)
        handle = f"creator{i:05d}"
        shown_handle = [f"@Creator{i:05d}", handle, f"https://www.instagram.com/{handle}/"][i % 3]
        rate_cell = "n/a" if rate is None else (f"{rate * 100:.2f}%" if i % 2 else f"{rate:.4f}")
        price_cell = [f"${price:,.2f}", f"{price:.2f}", f"USD {price:,.2f}"][i % 3]
        rows.append(
            [
                shown_handle,
                rng.choice(PLATFORM_SPELLINGS[platform]),
                followers_cell(followers, i),
                rate_cell,
                price_cell,
                "" if fee == 0 else f"{fee:g}",
                rng.randint(1, 4),
                f"{quality * 100:g}%",
                "; ".join(t.title() for t in tags),
                rng.choice(["PT", "US", ""]),
            ]
        )
        truths.append(
            Truth(
                platform,
                handle,
                followers,
                rate,
                price,
                fee,
                int(str(rows[-1][6])),
                quality,
                tags,
            )
        )
    return csv_bytes(rows), truths


def assert_stored_as(engine: Engine, truths: list[Truth]) -> None:
    rows = stored(engine)
    assert len(rows) == len(truths)
    for truth in truths:
        row = rows[(truth.platform, truth.handle)]
        assert row["followers"] == truth.followers, truth
        if truth.engagement_rate is None:
            assert row["engagement_rate"] is None
        else:
            assert math.isclose(row["engagement_rate"], truth.engagement_rate, rel_tol=1e-9)
        assert math.isclose(row["price_per_post"], truth.price_per_post, rel_tol=1e-12)
        assert row["fixed_fee"] == truth.fixed_fee
        assert row["max_posts"] == truth.max_posts
        assert math.isclose(row["audience_quality"], truth.audience_quality, rel_tol=1e-9)
        assert row["tags"] == truth.tags


# --- files that import -----------------------------------------------------------------------


async def test_5000_messy_csv_rows_are_all_stored_as_meant(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    content, truths = messy_roster(5_000)

    response = await upload(client, content)

    assert response.status_code == 200, response.text[:2000]
    summary = response.json()
    assert summary["rows"] == 5_000
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (5_000, 0, 0)
    assert summary["ignored_columns"] == ["Country"]
    assert summary["columns"]["Follower Count"] == "followers"
    assert summary["columns"]["ER"] == "engagement_rate"
    assert summary["columns"]["Price ($)"] == "price_per_post"
    assert_stored_as(db_engine, truths)


async def test_importing_the_same_file_again_changes_nothing(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    content, truths = messy_roster(200)
    await upload(client, content)

    again = (await upload(client, content)).json()

    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 200)
    assert_stored_as(db_engine, truths)


async def test_xlsx_written_by_openpyxl_imports_with_its_number_formats(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Roster"
    sheet.append(["Q2 roster, exported from the discovery tool"])  # a title above the table
    sheet.append([])
    sheet.append(["Handle", "Platform", "Followers", "Engagement Rate", "Rate", "Name", "Tags"])
    sheet.append(["@Ana.Glow", "instagram", 24000, 0.061, 350, "Ana Glow", "beauty, skincare"])
    sheet.append(["leo.routine", "TikTok", "58k", 0.072, "$600.00", "Leo", None])
    sheet.append([None, None, None, None, None, None, None])  # a blank row in between
    sheet.append(["@dermadan", "YouTube", 310000.0, None, 4200.5, None, "expert"])
    for row in sheet.iter_rows(min_row=4, min_col=4, max_col=4):
        row[0].number_format = "0.0%"  # shown as 6.1%, stored as 0.061
    out = io.BytesIO()
    book.save(out)

    response = await upload(client, out.getvalue(), "roster.xlsx", XLSX_TYPE)

    assert response.status_code == 200, response.text
    assert response.json()["created"] == 3
    rows = stored(db_engine)
    ana = rows[("instagram", "ana.glow")]
    assert (ana["display_handle"], ana["display_name"]) == ("@Ana.Glow", "Ana Glow")
    assert (ana["followers"], ana["engagement_rate"], ana["price_per_post"]) == (24000, 0.061, 350)
    assert ana["tags"] == ["beauty", "skincare"]
    leo = rows[("tiktok", "leo.routine")]
    assert (leo["followers"], leo["engagement_rate"], leo["price_per_post"]) == (58000, 0.072, 600)
    dan = rows[("youtube", "dermadan")]
    assert (dan["followers"], dan["engagement_rate"], dan["price_per_post"]) == (
        310000,
        None,
        4200.5,
    )


async def test_a_file_is_recognised_by_its_bytes_whatever_its_name(
    client: httpx.AsyncClient,
) -> None:
    book = openpyxl.Workbook()
    book.active.append(["handle", "platform", "followers", "price"])
    book.active.append(["ana", "instagram", 100, 10])
    out = io.BytesIO()
    book.save(out)

    response = await upload(client, out.getvalue(), "export", "application/octet-stream")

    assert response.status_code == 200, response.text
    assert response.json()["created"] == 1


async def test_semicolons_and_decimal_commas_of_european_spreadsheets(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    content = csv_bytes(
        [
            ["Account", "Platform", "Followers", "ER (%)", "Cost"],
            ["ana", "instagram", "12.400.000", "4,5", "1.234,50 €"],
            ["leo", "tiktok", "9800", "0,9", "120"],
        ],
        delimiter=";",
    )

    response = await upload(client, content)

    assert response.status_code == 200, response.text
    rows = stored(db_engine)
    ana, leo = rows[("instagram", "ana")], rows[("tiktok", "leo")]
    assert (ana["followers"], ana["price_per_post"]) == (12_400_000, 1234.5)
    # The header says %: 0,9 is 0.9%, not 90%.
    # As the sheet wrote them, without float noise (0.9 / 100 is 0.009000000000000001).
    assert ana["engagement_rate"] == 0.045
    assert leo["engagement_rate"] == 0.009
    assert any("ER (%)" in note for note in response.json()["notes"])


async def test_handles_are_stored_with_one_leading_at_and_matched_without_case(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    content = csv_bytes(
        [
            ["handle", "platform", "followers", "price"],
            ["lena_runs", "instagram", "9000", "80"],
            ["@TechTom", "youtube", "120k", "900"],
            ["@@mia", "tiktok", "4000", "40"],
        ]
    )

    assert (await upload(client, content)).status_code == 200
    again = await upload(client, csv_bytes([["handle", "platform"], ["@LENA_RUNS", "ig"]]))

    rows = stored(db_engine)
    assert {key: row["display_handle"] for key, row in rows.items()} == {
        ("instagram", "lena_runs"): "@LENA_RUNS",  # the same creator, as last spelled
        ("youtube", "techtom"): "@TechTom",
        ("tiktok", "mia"): "@mia",
    }
    assert again.json()["updated"] == 1
    found = await client.get("/v1/influencers/by-handle/youtube/TECHTOM")
    assert found.json()["handle"] == "@TechTom"


async def test_each_import_notes_the_defaults_it_applied(client: httpx.AsyncClient) -> None:
    content = csv_bytes(
        [
            ["handle", "platform", "followers", "price", "max posts", "fee"],
            ["@a", "instagram", "9000", "80", "", "0"],
            ["@b", "instagram", "9000", "80", "3", "10"],
            ["@c", "instagram", "9000", "80", "n/a", "0"],
        ]
    )

    response = await upload(client, content)

    assert response.json()["notes"] == [
        "Defaults applied where no value was given: min_posts \N{RIGHTWARDS ARROW} 1 for 3 "
        "rows, max_posts \N{RIGHTWARDS ARROW} 1 for 2 rows, audience_quality "
        "\N{RIGHTWARDS ARROW} 1 for 3 rows"
    ]
    # Stored rows keep their values when a later file leaves the columns out: no note.
    prices = csv_bytes([["handle", "platform", "price"], ["@a", "instagram", "90"]])
    assert (await upload(client, prices)).json()["notes"] == []


# --- upserts ---------------------------------------------------------------------------------


async def test_upsert_updates_known_creators_and_adds_new_ones(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    ana = await add(client, "@ana.glow", engagement_rate=0.061, price_per_post=350, tags=["beauty"])
    await add(client, "@leo", platform="tiktok", price_per_post=600)
    # No rate column: stored rates stay; an empty Tags cell clears the tags.
    content = csv_bytes(
        [
            ["handle", "platform", "followers", "price", "tags"],
            ["ANA.GLOW", "instagram", "25k", "380", ""],
            ["@leo", "tiktok", "20000", "600", ""],
            ["@new.one", "youtube", "1.2M", "9000", "tech"],
        ]
    )

    response = await upload(client, content)

    assert response.status_code == 200, response.text
    summary = response.json()
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (1, 1, 1)
    rows = stored(db_engine)
    assert len(rows) == 3
    updated = rows[("instagram", "ana.glow")]
    assert updated["id"] == ana["id"]
    assert (updated["followers"], updated["price_per_post"]) == (25_000, 380)
    assert updated["engagement_rate"] == 0.061
    assert updated["tags"] == []
    assert updated["display_handle"] == "@ANA.GLOW"
    assert rows[("youtube", "new.one")]["followers"] == 1_200_000
    fetched = (await client.get(f"/v1/influencers/{ana['id']}")).json()
    assert fetched["updated_at"] > ana["updated_at"]
    assert fetched["created_at"] == ana["created_at"]


async def test_price_sheet_without_followers_updates_known_creators(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    await add(client, "@ana", followers=24_000)

    response = await upload(
        client, csv_bytes([["handle", "platform", "rate"], ["ana", "ig", "400"]])
    )

    assert response.status_code == 200, response.text
    row = stored(db_engine)[("instagram", "ana")]
    assert (row["followers"], row["price_per_post"]) == (24_000, 400)


async def test_upsert_is_checked_against_the_stored_values(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    await add(client, "@ana", min_posts=2, max_posts=3)

    response = await upload(
        client, csv_bytes([["handle", "platform", "max_posts"], ["ana", "instagram", "1"]])
    )

    body = assert_problem(response, 422)
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "max_posts")]
    assert stored(db_engine)[("instagram", "ana")]["max_posts"] == 3


# --- files that do not import ----------------------------------------------------------------


async def test_invalid_rows_store_nothing_and_every_bad_row_is_listed(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    content = csv_bytes(
        [
            ["Username", "Platform", "Followers", "ER", "Price", "Min posts", "Max posts"],
            ["@ok.one", "instagram", "12,400", "4.5%", "$350", "1", "2"],  # row 2: valid
            ["@bad.platform", "myspace", "1000", "", "100", "", ""],  # 3
            ["@bad.number", "tiktok", "lots", "", "100", "", ""],  # 4
            ["", "instagram", "1000", "", "100", "", ""],  # 5: no handle
            ["@rate.too.high", "instagram", "1000", "250%", "100", "", ""],  # 6
            ["@free", "instagram", "1000", "", "0", "", ""],  # 7: price must be > 0
            ["@posts", "instagram", "1000", "", "100", "3", "2"],  # 8
            ["@OK.ONE", "instagram", "5000", "", "100", "", ""],  # 9: same creator as row 2
            ["@no.price", "x", "1000", "", "", "", ""],  # 10: required for a new entry
            ["@two problems", "instagram", "-5", "", "100", "", ""],  # 11
            ["@ok.two", "youtube", "2M", "", "5000", "", ""],  # 12: valid
        ]
    )

    response = await upload(client, content, "bad.csv")

    body = assert_problem(response, 422)
    assert [(e["row"], e["column"]) for e in body["errors"]] == [
        (3, "Platform"),
        (4, "Followers"),
        (5, "Username"),
        (6, "ER"),
        (7, "Price"),
        (8, "Max posts"),
        (9, "Username"),
        (10, "Price"),
        (11, "Username"),
        (11, "Followers"),
    ]
    assert error_fields(body)[:2] == ["body.file.3.platform", "body.file.4.followers"]
    messages = {(e["row"], e["column"]): e["message"] for e in body["errors"]}
    assert "myspace" in messages[(3, "Platform")]
    assert "'lots' is not a number" in messages[(4, "Followers")]
    assert "250%" in messages[(6, "ER")]
    assert "row 2" in messages[(9, "Username")]
    assert "required" in messages[(10, "Price")]
    assert "9 rows of bad.csv are invalid" in body["detail"]
    assert "nothing was stored" in body["detail"]
    assert catalog_size(db_engine) == 0


async def test_missing_key_column_is_one_header_problem(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    content = csv_bytes([["name", "followers", "price"], ["Ana", "100", "10"]])

    body = assert_problem(await upload(client, content), 422)

    assert error_fields(body) == ["body.file.header.handle", "body.file.header.platform"]
    assert "username" in body["errors"][0]["message"]
    assert catalog_size(db_engine) == 0


async def test_two_columns_for_one_field_are_refused(client: httpx.AsyncClient) -> None:
    content = csv_bytes([["handle", "platform", "followers", "follower_count"], ["a", "x", 1, 2]])

    body = assert_problem(await upload(client, content), 422)

    assert error_fields(body) == ["body.file.header.followers"]


@pytest.mark.parametrize(
    ("content", "filename", "content_type", "status"),
    [
        (b"\xd0\xcf\x11\xe0legacy", "roster.xls", "application/vnd.ms-excel", 415),
        (b"{}", "roster.json", "application/json", 415),
        (b"not a zip", "roster.xlsx", XLSX_TYPE, 422),
        (b"PK\x03\x04 broken zip", "roster.xlsx", XLSX_TYPE, 422),
        (b"", "empty.csv", "text/csv", 422),
    ],
)
async def test_unreadable_files_are_problems_naming_the_file(
    client: httpx.AsyncClient,
    db_engine: Engine,
    content: bytes,
    filename: str,
    content_type: str,
    status: int,
) -> None:
    body = assert_problem(await upload(client, content, filename, content_type), status)

    if status == 422:
        assert error_fields(body) == ["body.file"]
    assert catalog_size(db_engine) == 0


async def test_missing_file_field_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/influencers/import", files={"roster": ("a.csv", b"x")})

    assert "body.file" in error_fields(assert_problem(response, 422))


async def test_more_rows_than_the_limit_is_422(database_url: str) -> None:
    from tests.support.app import built_app, make_settings, serving

    content, _ = messy_roster(11)
    with built_app(make_settings(database_url, max_import_rows=10)) as app:
        async with serving(app) as client:
            body = assert_problem(await upload(client, content), 422)

    assert "at most 10 rows" in body["errors"][0]["message"]


# --- dry run ---------------------------------------------------------------------------------


async def test_dry_run_reports_what_would_happen_and_stores_nothing(
    client: httpx.AsyncClient, db_engine: Engine
) -> None:
    await add(client, "@ana", price_per_post=350)
    content = csv_bytes(
        [
            ["handle", "platform", "followers", "price"],
            ["ana", "ig", "20000", "400"],
            ["leo", "tt", "9k", "90"],
        ]
    )

    response = await upload(client, content, dry_run="true")

    assert response.status_code == 200, response.text
    summary: dict[str, Any] = response.json()
    assert summary["dry_run"] is True
    assert (summary["created"], summary["updated"]) == (1, 1)
    rows = stored(db_engine)
    assert len(rows) == 1
    assert rows[("instagram", "ana")]["price_per_post"] == 350


async def test_dry_run_of_an_invalid_file_lists_its_problems(client: httpx.AsyncClient) -> None:
    content = csv_bytes([["handle", "platform", "followers", "price"], ["ana", "ig", "x", "1"]])

    body = assert_problem(await upload(client, content, dry_run="true"), 422)

    assert error_fields(body) == ["body.file.2.followers"]
