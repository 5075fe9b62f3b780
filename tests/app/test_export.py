"""GET /v1/plans/{id}/export.csv and .xlsx, read back with csv and openpyxl."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

import httpx
import openpyxl
import pytest

from tests.support.api import assert_problem, post_plan
from tests.support.catalog import XLSX_TYPE
from tests.support.payloads import creator, demo_request, small_request

pytestmark = pytest.mark.anyio

ALLOCATION_HEADER = [
    "Handle",
    "Platform",
    "Tier",
    "Posts",
    "Spend (USD)",
    "Expected engagement",
    "Reach",
    "Share of spend",
    "Share of engagement",
    "Engagement rate",
    "Rate source",
    "Cost per engagement (USD)",
    "Id",
]


def csv_blocks(content: bytes) -> list[list[list[str]]]:
    """The file's blocks, split at blank rows."""
    blocks: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        if row:
            blocks[-1].append(row)
        else:
            blocks.append([])
    return blocks


def close(text: str, value: float, digits: int) -> bool:
    """A CSV figure, rounded to ``digits`` decimals, is the stored one."""
    return math.isclose(float(text), value, abs_tol=0.51 * 10**-digits)


def same(got: list[Any], want: list[Any]) -> bool:
    """XLSX cells hold the stored figures to the 16 significant digits the file keeps (Excel
    itself computes with 15)."""
    assert len(got) == len(want)
    return all(
        math.isclose(g, w, rel_tol=1e-15) if isinstance(w, float) else g == w
        for g, w in zip(got, want, strict=True)
    )


async def demo_export(
    client: httpx.AsyncClient, extension: str
) -> tuple[dict[str, Any], httpx.Response]:
    """The demo request's plan and its export as ``extension``, downloaded."""
    plan = await post_plan(client, demo_request())
    response = await client.get(f"/v1/plans/{plan['id']}/export.{extension}")
    assert response.status_code == 200, response.text
    return plan, response


# --- CSV -------------------------------------------------------------------------------------


async def test_csv_has_one_row_per_allocation_matching_the_post_plan(
    client: httpx.AsyncClient,
) -> None:
    plan, response = await demo_export(client, "csv")

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="spring-launch-demo-{plan["id"]}.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 by its BOM
    table, totals, by_tier, by_platform = csv_blocks(response.content)
    header, *rows, total = table
    assert header == ALLOCATION_HEADER
    assert len(rows) == len(plan["allocations"]) == 12
    for row, a in zip(rows, plan["allocations"], strict=True):
        assert row[:4] == [a["handle"], a["platform"], a["tier"], str(a["posts"])]
        assert close(row[4], a["spend"], 2)
        assert close(row[5], a["expected_engagement"], 2)
        assert close(row[6], a["reach"], 2)
        assert close(row[7], a["share_of_spend"], 6)
        assert close(row[8], a["share_of_engagement"], 6)
        assert close(row[9], a["engagement_rate_used"], 6)
        assert row[10] == a["engagement_rate_source"]
        assert close(row[11], a["cost_per_engagement"], 4)
        assert row[12] == a["id"]
    t = plan["totals"]
    assert total[0] == "Total"
    assert int(total[3]) == sum(a["posts"] for a in plan["allocations"])
    assert close(total[4], t["spend"], 2)
    assert close(total[5], t["expected_engagement"], 2)
    assert close(total[11], t["cost_per_engagement"], 4)

    summary = {row[0]: row[1] for row in totals}
    assert summary["Plan id"] == plan["id"]
    assert summary["Status"] == "optimal"
    assert close(summary["Budget"], 50_000, 2)
    assert close(summary["Budget left"], t["budget_left"], 2)
    assert close(summary["Reach"], t["reach"], 2)
    assert int(summary["Creators"]) == t["influencers"]
    assert "Unique reach" not in summary  # the request gave no overlaps
    assert close(summary["HHI of spend shares"], plan["risk"]["hhi"], 6)

    assert by_tier[0] == ["By tier"]
    assert by_tier[1] == [
        "Tier",
        "Spend (USD)",
        "Share of spend",
        "Expected engagement",
        "Creators",
    ]
    tiers = {row[0]: row for row in by_tier[2:-1]}
    assert tiers.keys() == plan["by_tier"].keys()
    for name, group in plan["by_tier"].items():
        assert close(tiers[name][1], group["spend"], 2)
        assert close(tiers[name][2], group["share"], 6)
        assert int(tiers[name][4]) == group["influencers"]
    assert by_platform[0] == ["By platform"]
    assert {row[0] for row in by_platform[2:-1]} == set(plan["by_platform"])


def overlapping_request() -> dict[str, Any]:
    """Five creators of 20,000 reach, all funded; two pairs share 10,000 and 5,000 people."""
    return small_request(
        overlaps=[{"a": "c1", "b": "c2", "share": 0.5}, {"a": "c4", "b": "c3", "share": 0.25}]
    )


async def test_csv_carries_unique_reach_and_the_overlapping_pairs(
    client: httpx.AsyncClient,
) -> None:
    plan = await post_plan(client, overlapping_request())

    response = await client.get(f"/v1/plans/{plan['id']}/export.csv")

    _, totals, *_, pairs = csv_blocks(response.content)
    summary = {row[0]: row[1] for row in totals}
    assert summary["Reach"] == "100000.00"
    assert summary["Unique reach"] == "85000.00"
    assert summary["Overlapping audience"] == "15000.00"
    assert pairs == [
        ["Overlapping pairs"],
        ["Creator", "Creator", "Share of the smaller audience", "Shared audience"],
        ["@c1", "@c2", "0.500000", "10000.00"],
        ["@c4", "@c3", "0.250000", "5000.00"],
    ]


async def test_csv_of_an_infeasible_plan_explains_the_relaxation(
    client: httpx.AsyncClient,
) -> None:
    plan = await post_plan(client, small_request(creators=2))
    assert plan["status"] == "infeasible"

    response = await client.get(f"/v1/plans/{plan['id']}/export.csv")

    assert response.status_code == 200
    summary, relaxation = csv_blocks(response.content)
    assert {row[0]: row[1] for row in summary}["Status"] == "infeasible"
    assert relaxation[0] == ["To make this plan feasible"]
    assert relaxation[1][0] == "Constraint"
    messages = [row[3] for row in relaxation[2:]]
    assert messages == [r["message"] for r in plan["diagnostics"]["relaxation"]]
    assert any("max_share_per_influencer" in m for m in messages)


async def test_csv_text_never_starts_a_formula(client: httpx.AsyncClient) -> None:
    request = small_request(creators=4)
    request["candidates"][0]["handle"] = '=HYPERLINK("http://evil","@ana")'
    plan = await post_plan(client, request)

    response = await client.get(f"/v1/plans/{plan['id']}/export.csv")

    handles = [row[0] for row in csv_blocks(response.content)[0][1:-1]]
    assert '\'=HYPERLINK("http://evil","@ana")' in handles
    assert "@c2" in handles  # an ordinary @ handle is left alone


# --- XLSX ------------------------------------------------------------------------------------


def workbook(content: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(content))


async def test_xlsx_cells_hold_the_stored_figures_with_planner_formats(
    client: httpx.AsyncClient,
) -> None:
    plan, response = await demo_export(client, "xlsx")

    assert response.headers["content-type"] == XLSX_TYPE
    assert response.headers["content-disposition"].endswith(f'-{plan["id"]}.xlsx"')
    book = workbook(response.content)
    assert book.sheetnames == ["Plan", "By tier", "By platform"]
    sheet = book["Plan"]
    assert [c.value for c in sheet[1]] == ALLOCATION_HEADER
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 20
    for number, a in enumerate(plan["allocations"], start=2):
        values = [c.value for c in sheet[number]]
        assert same(
            values,
            [
                a["handle"],
                a["platform"],
                a["tier"],
                a["posts"],
                a["spend"],
                a["expected_engagement"],
                a["reach"],
                a["share_of_spend"],
                a["share_of_engagement"],
                a["engagement_rate_used"],
                a["engagement_rate_source"],
                a["cost_per_engagement"],
                a["id"],
            ],
        )
    row = sheet[2]
    assert [row[i].number_format for i in (3, 4, 5, 7, 9, 11)] == [
        "#,##0",
        "#,##0.00",
        "#,##0",
        "0.0%",
        "0.00%",
        "#,##0.000",
    ]
    total = sheet[2 + len(plan["allocations"])]
    assert total[0].value == "Total"
    assert total[0].font.bold
    assert same(
        [total[4].value, total[5].value],
        [plan["totals"]["spend"], plan["totals"]["expected_engagement"]],
    )

    labels = {
        r[0].value: r[1].value for r in sheet.iter_rows(min_row=total[0].row + 2) if r[0].value
    }
    assert same(
        [labels["Budget left"], labels["Effective number of creators"]],
        [plan["totals"]["budget_left"], plan["risk"]["effective_influencers"]],
    )

    tiers = book["By tier"]
    assert [c.value for c in tiers[1]] == [
        "Tier",
        "Spend (USD)",
        "Share of spend",
        "Expected engagement",
        "Creators",
    ]
    by_tier = {r[0].value: [c.value for c in r[1:]] for r in tiers.iter_rows(min_row=2)}
    for name, group in plan["by_tier"].items():
        assert same(
            by_tier[name],
            [group["spend"], group["share"], group["engagement"], group["influencers"]],
        )
    assert math.isclose(by_tier["Total"][0], plan["totals"]["spend"])
    assert tiers["C2"].number_format == "0.0%"
    platforms = book["By platform"]
    assert {r[0].value for r in platforms.iter_rows(min_row=2)} == {*plan["by_platform"], "Total"}


async def test_xlsx_carries_unique_reach_and_the_overlapping_pairs(
    client: httpx.AsyncClient,
) -> None:
    plan = await post_plan(client, overlapping_request())

    response = await client.get(f"/v1/plans/{plan['id']}/export.xlsx")

    sheet = workbook(response.content)["Plan"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    labels = {row[0]: row[1] for row in rows if row[0]}
    assert same(
        [labels["Unique reach"], labels["Overlapping audience"]],
        [plan["totals"]["unique_reach"], plan["totals"]["overlapping_audience"]],
    )
    start = rows.index(["Overlapping pairs", *[None] * (len(rows[0]) - 1)])
    assert [row[:4] for row in rows[start + 1 : start + 4]] == [
        ["Creator", "Creator", "Share of the smaller audience", "Shared audience"],
        ["@c1", "@c2", 0.5, 10_000],
        ["@c4", "@c3", 0.25, 5_000],
    ]
    assert sheet.cell(row=start + 3, column=3).number_format == "0.0%"


async def test_xlsx_of_an_infeasible_plan_explains_the_relaxation(
    client: httpx.AsyncClient,
) -> None:
    plan = await post_plan(client, small_request(creators=2))

    response = await client.get(f"/v1/plans/{plan['id']}/export.xlsx")

    book = workbook(response.content)
    assert book.sheetnames == ["Plan"]
    texts = [c.value for row in book["Plan"].iter_rows() for c in row if c.value is not None]
    assert "infeasible" in texts
    for relaxation in plan["diagnostics"]["relaxation"]:
        assert relaxation["message"] in texts


async def test_xlsx_text_is_never_a_formula(client: httpx.AsyncClient) -> None:
    request = small_request(creators=4, name="=1+1")
    request["candidates"][0]["handle"] = "=SUM(1,2)"
    plan = await post_plan(client, request)

    response = await client.get(f"/v1/plans/{plan['id']}/export.xlsx")

    sheet = workbook(response.content)["Plan"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value in ("=SUM(1,2)", "=1+1")]
    assert len(cells) == 2
    assert all(c.data_type == "s" for c in cells)


async def test_file_name_is_a_plain_ascii_slug_of_the_plan_name(
    client: httpx.AsyncClient,
) -> None:
    plan = await post_plan(client, small_request(name='Lançamento "verão" / 2026'))

    response = await client.get(f"/v1/plans/{plan['id']}/export.xlsx")

    assert response.headers["content-disposition"] == (
        f'attachment; filename="lancamento-verao-2026-{plan["id"]}.xlsx"'
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
async def test_export_of_an_unknown_plan_is_404(client: httpx.AsyncClient, suffix: str) -> None:
    body = assert_problem(await client.get(f"/v1/plans/nothing/export.{suffix}"), 404)

    assert "nothing" in body["detail"]


async def test_an_empty_plan_exports_its_zero_totals(client: httpx.AsyncClient) -> None:
    request = small_request(constraints={"min_influencers": 0})
    request["candidates"] = [creator("c1", price_per_post=50_000)]
    plan = await post_plan(client, request)
    assert plan["allocations"] == []

    table = csv_blocks((await client.get(f"/v1/plans/{plan['id']}/export.csv")).content)[0]

    assert table[0] == ALLOCATION_HEADER
    assert table[1][0] == "Total"
    assert close(table[1][4], 0.0, 2)
