"""The planner's page where the plan appears: brought into view after a solve on a laptop, and
every section of the page inside a phone's width."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, ViewportSize, expect

from tests.support.web import ROSTER_CSV, SOLVE_WAIT_MS, Service, screenshot
from tests.web.test_compare_view import store_plans
from tests.web.test_planner_page import enter_key, read_pasted_roster, solve

LAPTOP: ViewportSize = {"width": 1366, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}


def in_viewport(page: Page, locator: Locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None
    assert size is not None
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def page_width(page: Page) -> int:
    width: int = page.evaluate("() => document.documentElement.scrollWidth")
    return width


def assert_fits_the_phone(page: Page) -> None:
    assert page_width(page) <= PHONE["width"]


def test_after_solve_the_plan_heading_is_in_view_and_focused(page: Page, service: Service) -> None:
    page.set_viewport_size(LAPTOP)
    enter_key(page, service.key)
    read_pasted_roster(page, ROSTER_CSV.read_text())
    page.get_by_label("Budget", exact=True).fill("20000")
    page.get_by_label("Max creators").fill("3")
    heading = page.locator("#results-title")

    # The planner scrolled down to the button; the plan is shown at the top of the page.
    page.get_by_role("button", name="Solve plan").scroll_into_view_if_needed()
    assert not in_viewport(page, heading)
    assert solve(page) == "infeasible"
    expect(heading).to_be_focused()
    assert in_viewport(page, heading)
    screenshot(page, "laptop-infeasible")

    # Re-solving from a relaxation brings the new plan into view the same way.
    page.get_by_role("button", name="Solve plan").scroll_into_view_if_needed()
    plan_id = page.locator("#result-body").get_attribute("data-plan-id") or ""
    page.locator("#relaxation li.relaxation").first.get_by_role(
        "button", name="Apply and solve again"
    ).click()
    expect(page.locator("#result-body")).not_to_have_attribute(
        "data-plan-id", plan_id, timeout=SOLVE_WAIT_MS
    )
    expect(page.locator("#solve")).to_have_attribute("aria-disabled", "false")
    expect(heading).to_be_focused()
    assert in_viewport(page, heading)
    screenshot(page, "laptop-relaxed")


def test_every_section_fits_a_phone(page: Page, service: Service) -> None:
    page.set_viewport_size(PHONE)
    key_field = page.get_by_label("API key")
    assert in_viewport(page, key_field)
    assert_fits_the_phone(page)
    enter_key(page, service.key)
    read_pasted_roster(page, ROSTER_CSV.read_text())
    page.locator("#roster-preview-summary").click()
    assert_fits_the_phone(page)
    page.get_by_label("Budget", exact=True).fill("20000")
    page.get_by_label("Max creators").fill("3")

    assert solve(page) == "infeasible"
    assert_fits_the_phone(page)
    screenshot(page, "phone-infeasible")
    page.get_by_label("Max creators").fill("")
    page.get_by_label("Simulate engagement scenarios for this plan").check()

    assert solve(page) == "optimal"
    expect(page.locator("#results-title")).to_be_focused()
    assert in_viewport(page, page.locator("#results-title"))
    expect(page.locator("#risk-histogram svg")).to_be_visible()
    assert_fits_the_phone(page)
    # The allocation table is wider than a phone: it scrolls inside its own box.
    table_box = page.locator("#allocations").locator("xpath=..")
    assert table_box.evaluate("box => box.scrollWidth > box.clientWidth")
    screenshot(page, "phone-plan")

    store_plans(service)
    page.get_by_role("button", name="Show saved plans").click()
    expect(page.locator("#saved-table tbody tr")).not_to_have_count(0)
    assert_fits_the_phone(page)
    page.get_by_role("checkbox", name="All Instagram").check()
    page.get_by_role("checkbox", name="Half TikTok").check()
    page.locator("#compare-selected").click()
    expect(page.locator("#compare-figures")).to_be_visible()
    assert_fits_the_phone(page)
    screenshot(page, "phone-compare")
    # The key field is whole at the top of the page, also after all of this.
    page.evaluate("() => window.scrollTo(0, 0)")
    assert in_viewport(page, key_field)
