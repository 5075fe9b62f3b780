"""Audience overlaps on the planner's page: unique reach beside reach, and the plan's largest
overlapping pairs, for a plan drawn from a catalog that holds overlaps."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.support.catalog import CSV_TYPE, OVERLAP_IMPORT, csv_bytes, influencer
from tests.support.web import Service, screenshot
from tests.web.test_planner_page import enter_key

PLAN_NAME = "Overlapping roster"


def store_catalog_plan(service: Service) -> dict[str, str]:
    """Four micro creators of 20,000 reach, two pairs sharing audience, and the plan of all
    four; the catalog ids by handle."""
    ids: dict[str, str] = {}
    with service.client() as client:
        for name in ("ana", "bea", "cai", "dan"):
            response = client.post("/v1/influencers", json=influencer(f"@{name}"))
            assert response.status_code == 201, response.text
            ids[name] = response.json()["id"]
        sheet = csv_bytes(
            [
                ["Creator A", "Creator B", "Network", "Overlap"],
                ["ana", "bea", "IG", "50%"],
                ["@Cai", "dan", "instagram", "25 %"],
            ]
        )
        imported = client.post(OVERLAP_IMPORT, files={"file": ("overlaps.csv", sheet, CSV_TYPE)})
        assert imported.status_code == 200, imported.text
        request = {"name": PLAN_NAME, "budget": 10_000, "catalog": {"ids": list(ids.values())}}
        planned = client.post("/v1/plans", json=request)
        assert planned.status_code == 201, planned.text
    return ids


def test_a_plan_with_overlaps_shows_unique_reach_and_its_largest_pairs(
    page: Page, service: Service
) -> None:
    ids = store_catalog_plan(service)
    enter_key(page, service.key)

    page.get_by_role("button", name="Show saved plans").click()
    page.get_by_role("button", name=f"Open {PLAN_NAME}").click()

    # Reach 80,000 of which 10,000 + 5,000 are counted twice.
    expect(page.locator("#total-reach")).to_have_attribute("data-value", "80000")
    unique = page.locator("#total-unique-reach")
    expect(unique).to_have_attribute("data-value", "65000")
    expect(unique).to_have_text("65K")
    expect(page.locator(".kpi", has=unique).locator(".kpi-sub")).to_have_text("15K overlap")
    # Side by side: the unique reach card follows the reach card on one row.
    reach_box = page.locator("#total-reach").bounding_box()
    unique_box = unique.bounding_box()
    assert reach_box is not None
    assert unique_box is not None
    assert unique_box["y"] == reach_box["y"]
    assert unique_box["x"] > reach_box["x"]
    expect(page.locator("#overlap-summary")).to_contain_text(
        "15,000 people of the reach (18.8%) follow two"
    )
    rows = page.locator("#overlap-pairs tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("th, td")).to_have_text(["@ana & @bea", "50%", "10,000"])
    expect(rows.nth(1).locator("th, td")).to_have_text(["@cai & @dan", "25%", "5,000"])
    expect(rows.nth(0)).to_have_attribute("data-a", min(ids["ana"], ids["bea"]))
    page.locator("#overlaps").scroll_into_view_if_needed()
    screenshot(page, "overlaps")
