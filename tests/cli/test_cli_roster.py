"""``influmix solve`` on a roster spreadsheet: a planner without JSON solves from CSV or XLSX."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from app.cli import EXIT_BAD_INPUT, cli
from tests.cli.test_cli import ENV, EXAMPLES

runner = CliRunner()

HEADER = ["Username", "Network", "Followers", "ER", "Price ($)"]
# Four micro creators, one post each at 500 for 1,000 engagement (20,000 x 5%).
ROWS = [
    ["ana", "IG", "20k", "5%", "$500"],
    ["@Ben", "TikTok", "20000", "5%", "500"],
    ["cleo", "IG", "20,000", "5%", "500"],
    ["@dan", "YT", "20k", "5%", "500"],
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(f'"{c}"' for c in row) for row in [HEADER, *rows]))
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    book.save(path)
    return path


def solved(*args: str) -> dict[str, Any]:
    result = runner.invoke(cli, ["solve", "--json", *args], env=ENV)
    assert result.exit_code == 0, result.output
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


@pytest.mark.parametrize("write", [write_csv, write_xlsx])
def test_a_roster_and_a_budget_are_enough_to_solve(tmp_path: Path, write: Any) -> None:
    suffix = ".csv" if write is write_csv else ".xlsx"
    roster = write(tmp_path / f"roster{suffix}", ROWS)

    answer = solved("--roster", str(roster), "--budget", "10000")

    # Every creator fits, each at the default cap of a quarter of the spend.
    assert answer["status"] == "optimal"
    assert answer["totals"]["spend"] == 2000
    assert answer["totals"]["expected_engagement"] == pytest.approx(4000)
    assert sorted(a["handle"] for a in answer["allocations"]) == ["@Ben", "@ana", "@cleo", "@dan"]


def test_max_creators_and_share_cap_apply_to_the_roster(tmp_path: Path) -> None:
    roster = write_csv(tmp_path / "roster.csv", ROWS)

    answer = solved(
        "--roster", str(roster), "--budget", "10000", "--max-creators", "2", "--max-share", "0.7"
    )

    # Any two of the four: 2,000 engagement, each at half the spend.
    assert answer["totals"]["influencers"] == 2
    assert answer["totals"]["expected_engagement"] == pytest.approx(2000)
    assert answer["risk"]["max_share"] == 0.5


def test_a_spreadsheet_given_as_the_request_file_is_read_as_a_roster(tmp_path: Path) -> None:
    roster = write_csv(tmp_path / "roster.csv", ROWS)

    answer = solved(str(roster), "--budget", "10000", "--name", "From the sheet")

    assert answer["totals"]["influencers"] == 4


def test_the_roster_notes_go_to_stderr_with_the_defaults_applied(tmp_path: Path) -> None:
    roster = write_csv(tmp_path / "roster.csv", ROWS)

    result = runner.invoke(cli, ["solve", "--roster", str(roster), "--budget", "10000"], env=ENV)

    assert result.exit_code == 0, result.output
    assert "Read 4 creators from roster.csv." in result.stderr
    assert "max_posts \N{RIGHTWARDS ARROW} 1 for 4 rows" in result.stderr
    assert "@cleo" in result.stdout


def test_a_roster_without_budget_exits_2_naming_the_option(tmp_path: Path) -> None:
    roster = write_csv(tmp_path / "roster.csv", ROWS)

    result = runner.invoke(cli, ["solve", "--roster", str(roster)], env=ENV)

    assert result.exit_code == EXIT_BAD_INPUT
    assert "--budget" in result.stderr


def test_a_bad_roster_row_exits_2_naming_row_and_column(tmp_path: Path) -> None:
    roster = write_csv(tmp_path / "roster.csv", [*ROWS, ["eve", "IG", "many", "5%", "100"]])

    result = runner.invoke(cli, ["solve", "--roster", str(roster), "--budget", "10000"], env=ENV)

    assert result.exit_code == EXIT_BAD_INPUT
    assert "row 6, column Followers" in result.stderr


def test_command_line_options_override_a_json_request() -> None:
    demo = json.loads((EXAMPLES / "demo_request.json").read_text())

    answer = solved(str(EXAMPLES / "demo_request.json"), "--budget", "20000", "--max-creators", "6")

    assert (demo["budget"], demo["constraints"]["max_influencers"]) == (50_000, 12)
    assert answer["status"] == "optimal"
    assert answer["totals"]["spend"] <= 20_000
    assert answer["totals"]["influencers"] <= 6


def test_a_request_file_and_a_roster_together_are_refused(tmp_path: Path) -> None:
    roster = write_csv(tmp_path / "roster.csv", ROWS)

    result = runner.invoke(
        cli,
        ["solve", str(EXAMPLES / "demo_request.json"), "--roster", str(roster), "--budget", "1"],
        env=ENV,
    )

    assert result.exit_code == EXIT_BAD_INPUT
