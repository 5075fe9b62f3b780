"""The risk figures of a plan with scenarios in its CSV and XLSX exports."""

from __future__ import annotations

import io
from typing import Any

import httpx
import openpyxl
import pytest

from tests.app.test_export import close, csv_blocks
from tests.support.api import post_plan
from tests.support.risk import generated_risk_request, hedge_request

pytestmark = pytest.mark.anyio


def scenario_labels(plan: dict[str, Any]) -> dict[str, float]:
    """The summary's risk rows the plan's answer implies, by label."""
    risk = plan["risk"]
    tail = f"worst {risk['alpha']:.0%}"
    rows = {
        "Scenarios": risk["scenarios"],
        "CVaR tail (alpha)": risk["alpha"],
        f"Engagement CVaR ({tail})": risk["engagement_cvar"],
        **{f"Engagement {k}": v for k, v in risk["engagement_quantiles"].items()},
    }
    fresh = risk["out_of_sample"]
    if fresh is not None:
        where = f"Out of sample (seed {fresh['seed']})"
        rows[f"{where}: scenarios"] = fresh["scenarios"]
        rows[f"{where}: engagement CVaR"] = fresh["engagement_cvar"]
        rows.update(
            {f"{where}: engagement {k}": v for k, v in fresh["engagement_quantiles"].items()}
        )
    return rows


async def test_the_csv_summary_lists_cvar_quantiles_and_out_of_sample_figures(
    client: httpx.AsyncClient,
) -> None:
    plan = await post_plan(client, generated_risk_request())

    response = await client.get(f"/v1/plans/{plan['id']}/export.csv")

    assert response.status_code == 200
    summary = {row[0]: row[1] for row in csv_blocks(response.content)[1] if len(row) > 1}
    expected = scenario_labels(plan)
    assert len(expected) == 11
    for label, value in expected.items():
        assert close(summary[label], value, 6 if label == "CVaR tail (alpha)" else 2), label


async def test_the_xlsx_summary_holds_the_risk_figures_unrounded(
    client: httpx.AsyncClient,
) -> None:
    plan = await post_plan(client, hedge_request(objective={"kind": "cvar_engagement"}))

    response = await client.get(f"/v1/plans/{plan['id']}/export.xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Plan"]
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0] is not None}
    expected = scenario_labels(plan)
    # Explicit scenarios: no fresh draw, so no out-of-sample rows.
    assert not any(label.startswith("Out of sample") for label in cells)
    for label, value in expected.items():
        assert cells[label] == value, label
    assert cells["Engagement CVaR (worst 25%)"] == pytest.approx(1_840)


async def test_a_plan_without_scenarios_exports_no_scenario_rows(
    client: httpx.AsyncClient,
) -> None:
    request = hedge_request()
    for candidate in request["candidates"]:
        del candidate["engagement_scenarios"]
    del request["options"]["risk"]
    plan = await post_plan(client, request)

    response = await client.get(f"/v1/plans/{plan['id']}/export.csv")

    labels = [row[0] for row in csv_blocks(response.content)[1]]
    assert "Largest share of spend" in labels
    assert not any("CVaR" in label or label == "Scenarios" for label in labels)
