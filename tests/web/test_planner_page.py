"""The planner's page at ``/``, driven in headless Chromium against a real service."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Download, Page, expect

from tests.support.web import ROSTER_CSV, SOLVE_WAIT_MS, Service, screenshot

ROSTER_ROWS = 24
TIERS = ("nano", "micro", "macro", "mega")


def enter_key(page: Page, key: str) -> None:
    page.get_by_label("API key").fill(key)
    page.get_by_label("API key").press("Enter")
    expect(page.locator("#key-status")).to_have_text("Key accepted.")


def read_pasted_roster(page: Page, text: str) -> None:
    page.get_by_label("Paste creators as CSV, header row first").fill(text)
    page.get_by_role("button", name="Read pasted roster").click()
    expect(page.locator("#roster-status")).to_contain_text(f"{ROSTER_ROWS} creators read")


def solve(page: Page) -> str:
    """Click Solve and wait for a new plan; its status."""
    body = page.locator("#result-body")
    before = body.get_attribute("data-plan-id")
    page.get_by_role("button", name="Solve plan").click()
    expect(body).not_to_have_attribute("data-plan-id", before or "", timeout=SOLVE_WAIT_MS)
    expect(page.locator("#solve")).to_have_attribute(
        "aria-disabled", "false", timeout=SOLVE_WAIT_MS
    )
    status = body.get_attribute("data-status")
    assert status is not None
    return status


def shown_plan(page: Page, service: Service) -> dict[str, Any]:
    """The stored plan the page shows, with its request."""
    plan_id = page.locator("#result-body").get_attribute("data-plan-id")
    assert plan_id is not None
    with service.client() as client:
        response = client.get(f"/v1/plans/{plan_id}", params={"include": "request"})
    assert response.status_code == 200, response.text
    plan: dict[str, Any] = response.json()
    return plan


def save_download(download: Download, tmp_path: Path) -> Path:
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return path


# --- the page and its assets ---------------------------------------------------------------


def test_the_page_is_served_with_its_assets_and_kept_out_of_the_api_document(
    service: Service,
) -> None:
    with service.client() as client:
        page = client.get("/")
        document = client.get("/openapi.json").json()
        assets = {
            name: client.get(f"/static/{name}")
            for name in ("planner.js", "planner.css", "icon.svg")
        }
        missing = client.get("/static/../app/main.py")
        unknown = client.get("/static/secrets.txt")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    # Own files only: no inline script or style, no other origin.
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "connect-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "/" not in document["paths"]
    assert not [path for path in document["paths"] if path.startswith("/static")]
    assert assets["planner.js"].headers["content-type"].startswith("text/javascript")
    assert assets["planner.css"].headers["content-type"].startswith("text/css")
    assert assets["icon.svg"].headers["content-type"] == "image/svg+xml"
    assert missing.status_code == 404
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    # Nothing the page loads comes from elsewhere.
    for marker in ("http://", "https://", "//cdn", "fonts.googleapis"):
        assert marker not in page.text.replace("http://www.w3.org", "")


# --- parse_roster: the sheet as plan candidates, nothing stored ------------------------------


def test_parse_roster_reads_a_messy_sheet_as_candidates_and_stores_nothing(
    service: Service,
) -> None:
    with service.client() as client:
        parsed = client.post(
            "/v1/influencers/parse",
            files={"file": ("roster.csv", ROSTER_CSV.read_bytes(), "text/csv")},
        )
        catalog = client.get("/v1/influencers")
        plan = client.post(
            "/v1/plans", json={"budget": 20000, "candidates": parsed.json()["candidates"]}
        )

    assert parsed.status_code == 200, parsed.text
    body = parsed.json()
    assert body["rows"] == ROSTER_ROWS
    first = body["candidates"][0]
    assert first == {
        "id": "instagram:ana.glow",
        "handle": "@ana.glow",
        "platform": "instagram",
        "followers": 24100,
        "engagement_rate": pytest.approx(0.061),
        "price_per_post": 350.0,
        "fixed_fee": 50.0,
        "min_posts": 1,
        "max_posts": 3,
        "audience_quality": 0.9,
        "tags": [],
        "engagement_scenarios": None,
        "engagement_rate_sd": None,
    }
    by_id = {c["id"]: c for c in body["candidates"]}
    # A profile address, a thousands separator, k/M suffixes and an empty rate.
    assert by_id["tiktok:noor.skincare"]["followers"] == 49_300
    assert by_id["tiktok:omar.cooks"]["followers"] == 1_400_000
    assert by_id["tiktok:ben.hikes"]["engagement_rate"] is None
    assert by_id["x:theo.tech"]["platform"] == "x"
    assert body["columns"]["Follower Count"] == "followers"
    assert "Country" in body["ignored_columns"]
    assert catalog.json()["items"] == []
    assert plan.status_code == 201, plan.text


def test_parse_roster_lists_every_bad_row_like_the_import(service: Service) -> None:
    roster = (
        "Username,Network,Followers,ER,Price\n"
        "@ok,IG,12k,5%,$300\n"
        "@bad.followers,IG,lots,5%,$300\n"
        "@no.price,TT,40k,4%,\n"
        "@ok,IG,13k,5%,$310\n"
    )
    with service.client() as client:
        parsed = client.post(
            "/v1/influencers/parse", files={"file": ("bad.csv", roster.encode(), "text/csv")}
        )
        as_viewer = client.post(
            "/v1/influencers/parse",
            files={"file": ("bad.csv", roster.encode(), "text/csv")},
            headers={"Authorization": f"Bearer {service.viewer_key}"},
        )

    assert parsed.status_code == 422
    problem = parsed.json()
    assert parsed.headers["content-type"] == "application/problem+json"
    assert "3 rows of bad.csv are invalid (3, 4, 5)" in problem["detail"]
    assert [(e["row"], e["column"]) for e in problem["errors"]] == [
        (3, "Followers"),
        (4, "Price"),
        (5, "Username"),
    ]
    assert as_viewer.status_code == 403


# --- the whole flow in the browser ---------------------------------------------------------


def test_a_planner_pastes_a_roster_solves_and_downloads_the_plan(
    page: Page, service: Service, tmp_path: Path
) -> None:
    enter_key(page, service.key)
    read_pasted_roster(page, ROSTER_CSV.read_text())
    page.get_by_label("Campaign name").fill("Spring launch")
    page.get_by_label("Budget", exact=True).fill("30000")
    page.get_by_label("Share cap per creator (%)").fill("20")
    page.get_by_label("Max creators").fill("12")
    page.get_by_label("Micro minimum share (%)").fill("40")
    page.get_by_label("Mega maximum share (%)").fill("20")

    assert solve(page) == "optimal"
    expect(page.locator("#plan-status")).to_have_text("Optimal plan")

    plan = shown_plan(page, service)
    request = plan["request"]
    # The form became this request: percentages as fractions, the roster inline.
    assert request["budget"] == 30000
    assert request["name"] == "Spring launch"
    assert request["constraints"]["max_share_per_influencer"] == 0.2
    assert request["constraints"]["max_influencers"] == 12
    assert request["constraints"]["tier_share"]["micro"] == {"min": 0.4, "max": None}
    assert request["constraints"]["tier_share"]["mega"] == {"min": None, "max": 0.2}
    assert len(request["candidates"]) == ROSTER_ROWS

    # The allocation table shows the API's answer, row for row, unrounded underneath.
    rows = page.locator("#allocations tbody tr")
    expect(rows).to_have_count(len(plan["allocations"]))
    shown: dict[str, dict[str, str]] = {}
    for index in range(rows.count()):
        row = rows.nth(index)
        cells = row.locator("[data-field]")
        shown[row.get_attribute("data-id") or ""] = {
            cells.nth(i).get_attribute("data-field") or "": cells.nth(i).get_attribute("data-value")
            or cells.nth(i).inner_text()
            for i in range(cells.count())
        }
    assert set(shown) == {a["id"] for a in plan["allocations"]}
    for allocation in plan["allocations"]:
        row_values = shown[allocation["id"]]
        assert row_values["handle"] == allocation["handle"]
        assert row_values["platform"] == allocation["platform"]
        assert row_values["tier"] == allocation["tier"]
        assert int(row_values["posts"]) == allocation["posts"]
        for name in ("spend", "expected_engagement", "share_of_spend", "share_of_engagement"):
            assert float(row_values[name]) == allocation[name], name
    # Largest spend first, formatted as money.
    spend_cells = rows.locator("[data-field=spend]")
    values = spend_cells.evaluate_all("cells => cells.map(c => c.dataset.value)")
    spends = [float(v) for v in values]
    assert spends == sorted(spends, reverse=True)
    top = max(plan["allocations"], key=lambda a: a["spend"])
    expect(rows.first.locator("[data-field=spend]")).to_have_text(f"${top['spend']:,.0f}")

    totals = plan["totals"]
    expect(page.locator("#total-spend")).to_have_text(f"${totals['spend']:,.0f}")
    expect(page.locator("#total-creators")).to_have_text(str(totals["influencers"]))
    expect(page.locator("#total-engagement")).to_have_text(f"{totals['expected_engagement']:,.0f}")
    hhi = page.locator("#risk-hhi").get_attribute("data-value")
    assert hhi is not None
    assert float(hhi) == plan["risk"]["hhi"]
    expect(page.locator("#risk-max-share")).to_have_text(f"{plan['risk']['max_share']:.1%}")

    # Tier and platform charts: one bar per tier, one per platform used.
    tier_bars = page.locator("#tier-chart li")
    expect(tier_bars).to_have_count(len(TIERS))
    for tier in TIERS:
        share = float(
            page.locator(f"#tier-chart li[data-group={tier}]").get_attribute("data-share") or "nan"
        )
        assert math.isclose(share, plan["by_tier"][tier]["share"], rel_tol=1e-12)
    used_platforms = {p for p, g in plan["by_platform"].items() if g["influencers"]}
    expect(page.locator("#platform-chart li")).to_have_count(len(used_platforms))
    assert page.locator("#tier-chart .bar-band").count() == 2  # micro min, mega max
    expect(page.locator("#limits li").first).to_be_visible()

    # No table wider than a 1366x768 laptop screen: nothing scrolls sideways.
    overflow = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " document.querySelector('#allocations').parentElement.scrollWidth,"
        " document.querySelector('#allocations').parentElement.clientWidth]"
    )
    assert overflow[0] <= overflow[1], overflow
    assert overflow[2] <= overflow[3], overflow

    screenshot(page, "plan")

    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Download CSV").click()
    csv_path = save_download(csv_download.value, tmp_path)
    assert csv_path.suffix == ".csv"
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    assert records[0][0] == "Handle"
    handles = {record[0] for record in records[1 : 1 + len(plan["allocations"])]}
    assert handles == {a["handle"] for a in plan["allocations"]}

    with page.expect_download() as xlsx_download:
        page.get_by_role("button", name="Download XLSX").click()
    xlsx_path = save_download(xlsx_download.value, tmp_path)
    assert xlsx_path.suffix == ".xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_path.read_bytes()), read_only=True)
    try:
        assert workbook.sheetnames[:3] == ["Plan", "By tier", "By platform"]
        sheet_rows = list(workbook["Plan"].iter_rows(values_only=True))
        xlsx_handles = {r[0] for r in sheet_rows[1 : 1 + len(plan["allocations"])]}
        assert xlsx_handles == {a["handle"] for a in plan["allocations"]}
    finally:
        workbook.close()


def test_an_infeasible_request_offers_its_relaxation_and_applies_it(
    page: Page, service: Service
) -> None:
    enter_key(page, service.key)
    read_pasted_roster(page, ROSTER_CSV.read_text())
    page.get_by_label("Budget", exact=True).fill("20000")
    page.get_by_label("Share cap per creator (%)").fill("25")
    page.get_by_label("Max creators").fill("3")

    assert solve(page) == "infeasible"
    expect(page.locator("#plan-status")).to_have_text("No plan meets these constraints")
    infeasible = shown_plan(page, service)
    relaxation = infeasible["diagnostics"]["relaxation"]
    assert relaxation
    first = page.locator("#relaxation li.relaxation").first
    expect(page.locator("#relaxation li.relaxation")).to_have_count(len(relaxation))
    # In words, with the API's own message kept alongside.
    constraint = relaxation[0]["constraint"]
    words = {
        "max_share_per_influencer": "Let one creator take up to",
        "max_influencers": "Allow up to",
    }
    expect(first.locator(".relax-text")).to_contain_text(words[constraint])
    expect(first.locator(".relax-detail")).to_contain_text(relaxation[0]["message"])
    expect(page.locator("#asked")).to_contain_text("1 to 3 creators")
    screenshot(page, "infeasible")

    field = {"max_share_per_influencer": "#cap", "max_influencers": "#max-creators"}[constraint]
    before = page.locator(field).input_value()
    body = page.locator("#result-body")
    first.get_by_role("button", name="Apply and solve again").click()
    expect(body).not_to_have_attribute("data-plan-id", infeasible["id"], timeout=SOLVE_WAIT_MS)
    expect(page.locator(field)).not_to_have_value(before)
    required = relaxation[0]["required"]
    value = float(page.locator(field).input_value())
    if constraint == "max_share_per_influencer":
        assert required * 100 <= value <= required * 100 + 0.01
    else:
        assert value == math.ceil(required)
    assert body.get_attribute("data-status") in ("optimal", "feasible")
    expect(page.locator("#allocations tbody tr")).not_to_have_count(0)
    screenshot(page, "relaxed")


def test_the_page_works_from_the_keyboard_alone(page: Page, service: Service) -> None:
    # The first Tab reaches the skip link, the second the key field.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("API key")).to_be_focused()
    page.keyboard.insert_text(service.key)
    page.keyboard.press("Tab")  # Forget key
    page.keyboard.press("Tab")
    expect(page.get_by_label("Paste creators as CSV, header row first")).to_be_focused()
    page.keyboard.insert_text(ROSTER_CSV.read_text())
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Read pasted roster")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#roster-status")).to_contain_text(f"{ROSTER_ROWS} creators read")

    # Tab on through the form to the solve button; every stop has a name and a visible focus.
    unnamed: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const labels = el.labels ? [...el.labels].map(l => l.textContent.trim()) : [];
                const style = getComputedStyle(el);
                return {id: el.id, tag: el.tagName, name: labels.join(' ') || el.textContent.trim()
                        || el.getAttribute('aria-label') || '',
                        outline: style.outlineStyle, width: style.outlineWidth};
            }"""
        )
        if not focused["name"]:
            unnamed.append(f"{focused['tag']}#{focused['id']}")
        assert focused["outline"] != "none", focused
        if focused["id"] == "solve":
            break
    else:
        pytest.fail("the solve button was not reached with Tab")
    assert not unnamed

    page.keyboard.press("Enter")
    expect(page.locator("#result-body")).to_have_attribute(
        "data-status", "optimal", timeout=SOLVE_WAIT_MS
    )
    # Announced to screen readers, and the focus moves to the plan, where Tab goes on.
    expect(page.locator("#announce")).to_contain_text("Plan solved")
    expect(page.locator("#results-title")).to_be_focused()
    screenshot(page, "keyboard")


def test_an_uploaded_xlsx_roster_and_bad_rows_are_shown(
    page: Page, service: Service, tmp_path: Path
) -> None:
    enter_key(page, service.key)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    with ROSTER_CSV.open(newline="") as handle:
        for record in csv.reader(handle):
            sheet.append(record)
    path = tmp_path / "roster.xlsx"
    workbook.save(path)

    page.get_by_label("Upload CSV/XLSX").set_input_files(path)
    expect(page.locator("#roster-status")).to_contain_text(
        f"{ROSTER_ROWS} creators read from roster.xlsx"
    )
    expect(page.locator("#platform-rows tr")).to_have_count(5)

    page.get_by_label("Paste creators as CSV, header row first").fill(
        "Username,Network,Followers,ER,Price\n@ok,IG,12k,5%,$300\n@bad,IG,lots,5%,$300\n"
    )
    page.get_by_role("button", name="Read pasted roster").click()
    errors = page.locator("#roster-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("Row 3, Followers")
    screenshot(page, "roster-errors")


def test_what_limits_the_plan_lists_the_levers_best_gain_first(
    page: Page, service: Service
) -> None:
    enter_key(page, service.key)
    read_pasted_roster(page, ROSTER_CSV.read_text())
    page.get_by_label("Budget", exact=True).fill("15000")
    page.get_by_label("Max creators").fill("8")

    assert solve(page) == "optimal"

    levers = shown_plan(page, service)["diagnostics"]["levers"]
    assert levers, "the plan has levers"
    items = page.locator("#levers li")
    expect(items).to_have_count(len(levers))
    for index, lever in enumerate(levers):
        item = items.nth(index)
        expect(item).to_have_attribute("data-kind", lever["kind"])
        expect(item).to_have_text(lever["message"])
    page.locator("#limits").scroll_into_view_if_needed()
    screenshot(page, "levers")


def test_an_infeasible_request_says_which_changes_are_alternatives_and_why(
    page: Page, service: Service
) -> None:
    # a mega share of half the spend on a budget below the cheapest mega creator, no share cap
    enter_key(page, service.key)
    read_pasted_roster(page, ROSTER_CSV.read_text())
    page.get_by_label("Budget", exact=True).fill("5000")
    page.get_by_label("Share cap per creator (%)").fill("")
    page.get_by_label("Mega minimum share (%)").fill("50")

    assert solve(page) == "infeasible"
    relaxation = shown_plan(page, service)["diagnostics"]["relaxation"]
    assert {r["kind"] for r in relaxation} == {"tier_min", "budget"}
    assert {r["role"] for r in relaxation} == {"alternative"}
    items = page.locator("#relaxation li.relaxation")
    expect(items).to_have_count(2)
    expect(page.locator(".relax-intro")).to_have_text(
        "Any one of these changes admits a plan; each is as small as it can be."
    )
    for index, entry in enumerate(relaxation):
        item = items.nth(index)
        expect(item).to_have_attribute("data-role", "alternative")
        expect(item.locator(".relax-role")).to_have_text("Enough on its own")
        expect(item.locator(".relax-cause")).to_have_text(f"Why: {entry['cause']}.")
    # @omar.cooks: 6,500 a post and a 500 fee
    assert relaxation[0]["cause"] == "the cheapest mega creator costs 7,000, above the 5,000 budget"
    # alternatives are applied one at a time, never all at once
    expect(page.locator("#relax-all")).to_have_count(0)
    screenshot(page, "infeasible-alternatives")
