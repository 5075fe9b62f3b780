"""Saved plans on the planner's page: listed, reopened, and compared side by side."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from tests.app.test_compare import plan_a, plan_b
from tests.support.payloads import small_request
from tests.support.web import Service, screenshot
from tests.web.test_planner_page import enter_key, save_download


def store_plans(service: Service) -> list[str]:
    """Three solved plans, oldest first: A and B of the API's tests and a six-creator one."""
    ids = []
    with service.client() as client:
        for request in (plan_a(), plan_b(), small_request(6, name="Six creators")):
            response = client.post("/v1/plans", json=request)
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
    return ids


def test_a_planner_compares_saved_plans_and_downloads_the_comparison(
    page: Page, service: Service, tmp_path: Path
) -> None:
    a, b, six = store_plans(service)
    enter_key(page, service.key)

    page.get_by_role("button", name="Show saved plans").click()
    expect(page.locator("#saved-table tbody tr")).to_have_count(3)
    compare = page.get_by_role("button", name="Compare")
    expect(page.locator("#compare-selected")).to_have_attribute("aria-disabled", "true")
    # Ticked in this order, so All Instagram is the baseline A.
    page.get_by_role("checkbox", name="All Instagram").check()
    page.get_by_role("checkbox", name="Half TikTok").check()
    expect(page.locator(f"#letter-{a}")).to_have_text("A")
    expect(page.locator(f"#letter-{b}")).to_have_text("B")
    expect(compare.first).to_be_visible()
    page.locator("#compare-selected").click()

    figures = page.locator("#compare-figures")
    expect(figures.locator("thead th")).to_have_text(
        ["Figure", "A: All Instagramoptimal", "B: Half TikTokoptimal"]
    )
    spend = figures.locator("tr[data-figure=spend] td")
    expect(spend).to_have_text(["$2,000", "$2,000same as A"])
    engagement = figures.locator("tr[data-figure=expected_engagement] td")
    expect(engagement.nth(1)).to_have_text("6,000+2,000 vs A")
    expect(figures.locator("tr[data-figure=engagement_cvar]")).to_have_count(0)
    tiktok = page.locator("#compare-platform tbody tr", has_text="TikTok").locator("td")
    expect(tiktok).to_have_text(["0%", "50%+50 pts vs A"])
    creators = page.locator("#compare-creators tbody tr")
    expect(creators).to_have_count(6)
    expect(page.locator("#compare-creators tr[data-creator=c5] td").last).to_have_text("only B")
    expect(page.locator("#compare-creators tr[data-creator=c3] td").last).to_have_text("several")
    screenshot(page, "compare")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download comparison (XLSX)").click()
    path = save_download(download.value, tmp_path)
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    assert book.sheetnames == ["Compare", "Creators"]
    rows = {row[0]: row[1:] for row in book["Compare"].iter_rows(values_only=True) if row[0]}
    assert rows["Plan id"][:2] == (a, b)
    assert rows["Spend"] == (2000, 2000, 0)

    # A sixth pick is refused; the six-creator plan can join as C, then reopened on its own.
    page.get_by_role("checkbox", name="Six creators").check()
    page.locator("#compare-selected").click()
    expect(page.locator("#compare-figures thead th")).to_have_count(4)
    page.get_by_role("button", name="Open Six creators").click()
    expect(page.locator("#result-body")).to_have_attribute("data-plan-id", six)
    expect(page.locator("#total-creators")).to_have_text("6")


def test_comparing_needs_two_ticked_plans(page: Page, service: Service) -> None:
    store_plans(service)
    enter_key(page, service.key)
    page.get_by_role("button", name="Show saved plans").click()
    page.get_by_role("checkbox", name="Half TikTok").first.check()

    # aria-disabled keeps the button focusable and clickable; Playwright would wait for it
    page.locator("#compare-selected").click(force=True)

    expect(page.locator("#saved-errors")).to_contain_text("Tick 2 to 5 plans to compare (1 ticked)")
    expect(page.locator("#compare-body")).to_be_empty()
