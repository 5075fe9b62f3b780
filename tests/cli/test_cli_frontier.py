"""The `influmix frontier` command: every point is the plan of its budget solved alone."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli import EXIT_BAD_INPUT, cli
from app.core.config import get_settings
from app.schemas.plans import PlanCreate
from app.services.planning import problem_from_request
from optimizer import optimize
from optimizer.result import PlanStatus
from tests.support.payloads import creator
from tests.support.risk import hedge_request

# Wide enough that Rich never shortens a cell.
ENV = {"COLUMNS": "200", "NO_COLOR": "1"}
BUDGETS = [600.0, 1_200.0, 1_800.0, 2_400.0, 3_000.0, 3_600.0]

runner = CliRunner()


# Six creators over the four tiers, on Instagram and TikTok in turn: number, followers,
# engagement rate, price per post, other fields.
SIX_CREATORS: list[tuple[int, int, float, float, dict[str, Any]]] = [
    (1, 8_000, 0.07, 200, {"max_posts": 3}),
    (2, 9_500, 0.06, 200, {"max_posts": 3}),
    (3, 30_000, 0.05, 200, {"max_posts": 3}),
    (4, 60_000, 0.04, 200, {"max_posts": 2, "audience_quality": 0.85}),
    (5, 250_000, 0.012, 350, {"fixed_fee": 50, "max_posts": 2}),
    (6, 1_200_000, 0.006, 700, {"audience_quality": 0.8}),
]


def six_creators() -> dict[str, Any]:
    """The 25% share cap needs four creators, and the four cheapest cost 800 together, so a
    budget of 600 is infeasible."""
    return {
        "name": "Six creators",
        "budget": 1_000,
        "currency": "EUR",
        "candidates": [
            creator(
                f"c{i}",
                handle=f"@creator{i}",
                platform="instagram" if i % 2 else "tiktok",
                followers=followers,
                engagement_rate=rate,
                price_per_post=price,
                **more,
            )
            for i, followers, rate, price, more in SIX_CREATORS
        ],
        "options": {"repeat_post_decay": 0.9},
    }


@pytest.fixture(scope="module")
def request_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("frontier") / "six.json"
    path.write_text(json.dumps(six_creators()))
    return path


@pytest.fixture(scope="module")
def frontier_json(request_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The frontier solved by two worker processes, with its chart written alongside."""
    svg = tmp_path_factory.mktemp("chart") / "frontier.svg"
    result = runner.invoke(
        cli,
        [
            "frontier",
            str(request_file),
            "--budgets",
            "600:3600:600",
            "--json",
            "--jobs",
            "2",
            "--svg",
            str(svg),
        ],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    document["svg"] = svg.read_text()
    return document


def solve_alone(budget: float) -> tuple[PlanStatus, float | None]:
    request = PlanCreate.model_validate({**six_creators(), "budget": budget})
    result = optimize(problem_from_request(request, get_settings()))
    return result.status, result.solver.objective


def test_each_point_is_its_budget_solved_alone(frontier_json: dict[str, Any]) -> None:
    points = frontier_json["points"]

    assert [p["budget"] for p in points] == BUDGETS
    for point in points:
        status, objective = solve_alone(point["budget"])
        assert point["status"] == status.value
        if status is PlanStatus.INFEASIBLE:
            assert point["expected_engagement"] is None
        else:
            assert objective is not None
            assert point["expected_engagement"] == pytest.approx(objective, rel=1e-6, abs=1e-6)


def test_the_frontier_has_an_infeasible_start_then_solved_points(
    frontier_json: dict[str, Any],
) -> None:
    statuses = [p["status"] for p in frontier_json["points"]]

    assert statuses[0] == "infeasible"
    assert set(statuses[1:]) == {"optimal"}
    assert frontier_json["status"] == "done"
    assert frontier_json["currency"] == "EUR"
    assert frontier_json["name"] == "Six creators"


def test_engagement_never_falls_as_the_budget_grows(frontier_json: dict[str, Any]) -> None:
    # min_budget_use is 0: a larger budget can always buy the smaller budget's plan.
    solved = [p for p in frontier_json["points"] if p["expected_engagement"] is not None]
    engagement = [p["expected_engagement"] for p in solved]

    assert len(solved) >= 4
    assert engagement == sorted(engagement)
    for point in solved:
        assert point["spend"] <= point["budget"] + 1e-6
        assert sum(point["tier_mix"].values()) == pytest.approx(1)


def test_marginals_are_per_unit_of_budget_between_solved_points(
    frontier_json: dict[str, Any],
) -> None:
    solved = [p for p in frontier_json["points"] if p["expected_engagement"] is not None]

    assert solved[0]["marginal_engagement_per_unit"] is None
    for before, point in pairwise(solved):
        gain = point["expected_engagement"] - before["expected_engagement"]
        expected = gain / (point["budget"] - before["budget"])
        assert point["marginal_engagement_per_unit"] == pytest.approx(expected)
        assert point["marginal_engagement_per_1000"] == pytest.approx(expected * 1000)


def test_svg_chart_parses_and_labels_its_axes(frontier_json: dict[str, Any]) -> None:
    svg = frontier_json["svg"]

    assert ET.fromstring(svg.encode()).tag == "{http://www.w3.org/2000/svg}svg"
    assert "Budget (EUR)" in svg
    assert "Expected engagement" in svg
    assert "per 1,000 EUR" in svg
    assert "Six creators" in svg


def test_table_lists_every_budget_with_its_marginal(request_file: Path) -> None:
    result = runner.invoke(
        cli, ["frontier", str(request_file), "--budgets", "2400,1200,1800", "--jobs", "1"], env=ENV
    )

    assert result.exit_code == 0, result.output
    out = result.stdout
    for header in ("Budget (EUR)", "Status", "Engagement", "Spend (EUR)", "Creators"):
        assert header in out
    assert "Per extra 1,000 EUR" in out
    assert "Tier mix" in out
    # Sorted ascending whatever the order given.
    assert out.index("1,200") < out.index("1,800") < out.index("2,400")
    assert "optimal" in out


def test_infeasible_points_say_what_would_have_to_give(request_file: Path) -> None:
    result = runner.invoke(
        cli, ["frontier", str(request_file), "--budgets", "300,600", "--jobs", "1"], env=ENV
    )

    assert result.exit_code == 0, result.output
    assert "infeasible" in result.stdout
    assert "must rise" in result.stdout


def test_a_frontier_request_file_brings_its_own_budgets(tmp_path: Path) -> None:
    request = six_creators()
    del request["budget"]  # every point replaces it
    path = tmp_path / "frontier.json"
    path.write_text(
        json.dumps(
            {
                "name": "Sweep",
                "request": request,
                "budget_range": {"start": 1_200, "stop": 2_400, "step": 1_200},
            }
        )
    )

    result = runner.invoke(cli, ["frontier", str(path), "--json", "--jobs", "1"], env=ENV)

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["name"] == "Sweep"
    assert [p["budget"] for p in document["points"]] == [1_200, 2_400]


def test_a_risk_sweep_file_shows_engagement_cvar_and_platform_mix(tmp_path: Path) -> None:
    path = tmp_path / "risk.json"
    sweep = {"start": 0, "stop": 1, "step": 0.5}
    path.write_text(json.dumps({"request": hedge_request(), "risk_aversion_range": sweep}))
    svg = tmp_path / "risk.svg"

    table = runner.invoke(cli, ["frontier", str(path), "--jobs", "1", "--svg", str(svg)], env=ENV)
    document = runner.invoke(cli, ["frontier", str(path), "--json", "--jobs", "1"], env=ENV)

    assert table.exit_code == 0, table.output
    for text in ("Hedge (budget 1,000 USD)", "Risk aversion", "CVaR", "Platform mix"):
        assert text in table.stdout
    assert "instagram 50% · tiktok 50%" in table.stdout
    assert "CVaR of engagement" in svg.read_text()
    assert document.exit_code == 0, document.output
    points = json.loads(document.stdout)["points"]
    assert json.loads(document.stdout)["sweep"] == "risk_aversion"
    assert [(p["risk_aversion"], p["engagement_cvar"]) for p in points] == [
        (0, pytest.approx(800)),
        (0.5, pytest.approx(1_840)),
        (1, pytest.approx(1_840)),
    ]


@pytest.mark.parametrize(
    ("budgets", "message"),
    [
        ("1000:5000", "START:STOP:STEP"),
        ("1000,abc", "'abc' is not a number"),
        ("1:1000:1", "at most 25"),
        ("5000:1000:1000", "must be at least start"),
        ("1000,1000", "distinct"),
        ("1000,-5", "greater than 0"),
    ],
)
def test_bad_budgets_exit_2_naming_the_option(
    request_file: Path, budgets: str, message: str
) -> None:
    result = runner.invoke(cli, ["frontier", str(request_file), "--budgets", budgets], env=ENV)

    assert result.exit_code == EXIT_BAD_INPUT
    assert "--budgets" in result.output
    assert message in result.output


def test_a_plan_request_needs_budgets(request_file: Path) -> None:
    result = runner.invoke(cli, ["frontier", str(request_file)], env=ENV)

    assert result.exit_code == EXIT_BAD_INPUT
    assert "--budgets: required" in result.output


def test_a_bad_request_field_is_named_as_in_the_file(tmp_path: Path) -> None:
    request = six_creators()
    request["candidates"][2]["followers"] = -5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(request))

    result = runner.invoke(cli, ["frontier", str(path), "--budgets", "1000,2000"], env=ENV)

    assert result.exit_code == EXIT_BAD_INPUT
    assert "candidates.2.followers" in result.output


def test_an_optimizer_check_fails_before_any_solve(tmp_path: Path) -> None:
    request = six_creators()
    request["constraints"] = {"tier_share": {"platinum": {"min": 0.1}}}
    path = tmp_path / "unknown_tier.json"
    path.write_text(json.dumps(request))

    result = runner.invoke(cli, ["frontier", str(path), "--budgets", "1000,2000"], env=ENV)

    assert result.exit_code == EXIT_BAD_INPUT
    assert "platinum" in result.output
