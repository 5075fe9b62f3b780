"""The planner's page for plans under engagement risk: the CVaR objective and floor on the form,
and the plan's engagement over its scenarios, histogram and figures, in the results."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.support.web import ROSTER_CSV, SOLVE_WAIT_MS, Service, screenshot
from tests.web.test_planner_page import enter_key, read_pasted_roster, shown_plan, solve


def test_a_cvar_plan_shows_its_scenarios_histogram_and_figures(
    page: Page, service: Service
) -> None:
    enter_key(page, service.key)
    read_pasted_roster(page, ROSTER_CSV.read_text())
    page.get_by_label("Campaign name").fill("Spring launch, hedged")
    page.get_by_label("Budget", exact=True).fill("20000")
    page.get_by_label("Optimize for").select_option("cvar_engagement")
    page.get_by_label("Risk aversion (0 to 1)").fill("0.5")
    page.get_by_label("Worst scenarios (%)").fill("10")

    assert solve(page) == "optimal"

    plan = shown_plan(page, service)
    request, risk = plan["request"], plan["risk"]
    objective = request["objective"]
    assert (objective["kind"], objective["risk_aversion"]) == ("cvar_engagement", 0.5)
    assert request["options"]["risk"]["alpha"] == 0.1
    assert request["constraints"]["min_cvar_engagement"] is None
    # The figures are the answer's, unrounded underneath.
    for field, value in (
        ("#risk-cvar", risk["engagement_cvar"]),
        ("#risk-p05", risk["engagement_quantiles"]["p05"]),
        ("#risk-p50", risk["engagement_quantiles"]["p50"]),
        ("#risk-oos-cvar", risk["out_of_sample"]["engagement_cvar"]),
    ):
        assert float(page.locator(field).get_attribute("data-value") or "nan") == value
    expect(page.locator("#scenario-title")).to_have_text("Engagement over 500 scenarios")
    histogram = page.locator("#risk-histogram svg")
    expect(histogram.locator("rect.hist-bar")).to_have_count(
        len(risk["engagement_histogram"]["counts"])
    )
    for mark in ("hist-cvar", "hist-p05", "hist-mean"):
        expect(histogram.locator(f"line.{mark}")).to_have_count(1)
    expect(histogram.locator("text.hist-cvar-label")).to_contain_text("CVaR")
    expect(histogram.locator("text.hist-p05-label")).to_contain_text("p05")
    # The CVaR line sits left of the p05 line: the tail's mean is below its 5th percentile.
    cvar_x = float(histogram.locator("line.hist-cvar").get_attribute("x1") or "nan")
    p05_x = float(histogram.locator("line.hist-p05").get_attribute("x1") or "nan")
    assert cvar_x <= p05_x
    assert "500 scenarios" in (histogram.get_attribute("aria-label") or "")
    page.locator("#scenario-risk").scroll_into_view_if_needed()
    screenshot(page, "risk-plan")


def test_a_plan_without_scenarios_shows_no_scenario_panel(page: Page, service: Service) -> None:
    enter_key(page, service.key)
    read_pasted_roster(page, ROSTER_CSV.read_text())
    page.get_by_label("Budget", exact=True).fill("20000")

    assert solve(page) == "optimal"

    expect(page.locator("#risk")).to_be_visible()
    expect(page.locator("#scenario-risk")).to_have_count(0)
    assert shown_plan(page, service)["request"]["options"]["risk"] is None

    page.get_by_label("Simulate engagement scenarios for this plan").check()
    assert solve(page) == "optimal"
    # Asked for without a tail: the defaults, 500 scenarios and the worst 5%.
    assert shown_plan(page, service)["request"]["options"]["risk"]["alpha"] == 0.05
    expect(page.locator("#risk-histogram svg rect.hist-bar")).not_to_have_count(0)


def test_an_unreachable_cvar_floor_offers_to_lower_it(page: Page, service: Service) -> None:
    enter_key(page, service.key)
    read_pasted_roster(page, ROSTER_CSV.read_text())
    page.get_by_label("Budget", exact=True).fill("20000")
    page.get_by_label("CVaR floor (engagement)").fill("10000000")

    assert solve(page) == "infeasible"

    relaxation = shown_plan(page, service)["diagnostics"]["relaxation"]
    assert [r["kind"] for r in relaxation] == ["min_cvar_engagement"]
    first = page.locator("#relaxation li.relaxation").first
    expect(first.locator(".relax-text")).to_contain_text("Lower the CVaR floor from 10,000,000")
    body = page.locator("#result-body")
    first.get_by_role("button", name="Apply and solve again").click()
    expect(body).to_have_attribute("data-status", "optimal", timeout=SOLVE_WAIT_MS)
    floor = float(page.locator("#cvar-floor").input_value())
    assert floor <= relaxation[0]["required"]
    assert float(page.locator("#risk-cvar").get_attribute("data-value") or "nan") >= floor


def test_a_risk_aversion_outside_0_to_1_is_named_before_any_request(
    page: Page, service: Service
) -> None:
    enter_key(page, service.key)
    read_pasted_roster(page, ROSTER_CSV.read_text())
    page.get_by_label("Optimize for").select_option("cvar_engagement")
    page.get_by_label("Risk aversion (0 to 1)").fill("2")

    page.get_by_role("button", name="Solve plan").click()

    expect(page.locator("#form-errors")).to_contain_text("Risk aversion (0 to 1): enter a number")
    expect(page.locator("#risk-aversion")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#risk-aversion")).to_be_focused()
