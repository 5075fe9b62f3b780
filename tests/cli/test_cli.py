"""The `influmix solve` command, run on the shipped example requests."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from app.cli import EXIT_BAD_INPUT, cli
from app.cli import common as cli_common
from app.core.config import Settings
from app.schemas.frontiers import FrontierCreate
from bench import instances as bench_instances
from tests.support.risk import generated_risk_request

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# Wide enough that Rich never shortens a handle in a table cell.
ENV = {"COLUMNS": "200", "NO_COLOR": "1"}

runner = CliRunner()


def test_solve_prints_allocations_table_with_the_chosen_handles() -> None:
    result = runner.invoke(cli, ["solve", str(EXAMPLES / "demo_request.json")], env=ENV)

    assert result.exit_code == 0, result.output
    assert "optimal" in result.stdout
    answer = json.loads(
        runner.invoke(cli, ["solve", "--json", str(EXAMPLES / "demo_request.json")], env=ENV).stdout
    )
    handles = [a["handle"] for a in answer["allocations"]]
    assert handles
    for handle in handles:
        assert handle in result.stdout
    assert "Totals" in result.stdout
    assert "By tier" in result.stdout
    # the levers, each named by its step (what it gained may differ: a loaded machine may
    # leave one skipped in one run and not the other)
    assert "What loosening pays" in result.stdout
    for lever in answer["diagnostics"]["levers"]:
        if lever["gain"]:
            assert lever["message"].partition(":")[0] in result.stdout


def test_solve_json_is_the_api_answer() -> None:
    result = runner.invoke(cli, ["solve", "--json", str(EXAMPLES / "demo_request.json")], env=ENV)

    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["status"] == "optimal"
    assert answer["totals"]["spend"] <= 50_000
    assert len(answer["allocations"]) <= 12


def test_solve_accepts_backend_and_time_limit() -> None:
    result = runner.invoke(
        cli,
        [
            "solve",
            "--json",
            "--backend",
            "cbc",
            "--time-limit",
            "5",
            str(EXAMPLES / "demo_request.json"),
        ],
        env=ENV,
    )

    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["solver"]["backend"] == "cbc"
    assert answer["status"] == "optimal"


def test_infeasible_request_exits_zero_and_explains_the_relaxation() -> None:
    result = runner.invoke(cli, ["solve", str(EXAMPLES / "infeasible_request.json")], env=ENV)

    assert result.exit_code == 0, result.output
    assert "infeasible" in result.stdout
    assert "To make this plan feasible" in result.stdout
    assert "(enough on its own); only 3 creator(s) are eligible" in result.stdout

    answer = json.loads(
        runner.invoke(
            cli, ["solve", "--json", str(EXAMPLES / "infeasible_request.json")], env=ENV
        ).stdout
    )
    assert answer["status"] == "infeasible"
    assert answer["allocations"] == []
    assert answer["diagnostics"]["relaxation"]


def test_bad_request_exits_2_naming_the_field(tmp_path: Path) -> None:
    request = json.loads((EXAMPLES / "demo_request.json").read_text())
    request["candidates"][3]["max_posts"] = "many"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(request))

    result = runner.invoke(cli, ["solve", str(bad)], env=ENV)

    assert result.exit_code == EXIT_BAD_INPUT
    assert "candidates.3.max_posts" in result.stderr


def test_missing_budget_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "no_budget.json"
    bad.write_text('{"candidates": []}')

    result = runner.invoke(cli, ["solve", str(bad)], env=ENV)

    assert result.exit_code == EXIT_BAD_INPUT
    assert "budget" in result.stderr


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(cli, ["solve", str(tmp_path / "nope.json")], env=ENV)

    assert result.exit_code == EXIT_BAD_INPUT


def test_solve_prints_unique_reach_and_the_overlapping_pairs(tmp_path: Path) -> None:
    # Five creators of 20,000 reach, all funded; two pairs share 10,000 and 5,000 people.
    creators = [
        {"id": f"c{i}", "handle": f"@c{i}", "platform": "instagram", "followers": 20_000}
        | {"engagement_rate": 0.05, "price_per_post": 500.0}
        for i in range(1, 6)
    ]
    overlaps = [{"a": "c1", "b": "c2", "share": 0.5}, {"a": "c4", "b": "c3", "share": 0.25}]
    path = tmp_path / "overlaps.json"
    path.write_text(json.dumps({"budget": 10_000, "candidates": creators, "overlaps": overlaps}))

    result = runner.invoke(cli, ["solve", str(path)], env=ENV)

    assert result.exit_code == 0, result.output
    assert "reach 100,000 (unique 85,000, 15,000 twice)" in result.stdout
    assert "@c1 & @c2: 50% of the smaller audience, 10,000 people" in result.stdout
    assert "@c4 & @c3: 25% of the smaller audience, 5,000 people" in result.stdout


def test_handles_are_printed_literally_not_as_markup(tmp_path: Path) -> None:
    request = json.loads((EXAMPLES / "infeasible_request.json").read_text())
    request["constraints"] = {"max_share_per_influencer": None}
    request["candidates"][0]["handle"] = "@[bold]ana"
    path = tmp_path / "brackets.json"
    path.write_text(json.dumps(request))

    result = runner.invoke(cli, ["solve", str(path)], env=ENV)

    assert result.exit_code == 0, result.output
    assert "@[bold]ana" in result.stdout


def test_solve_prints_the_risk_figures_of_a_plan_with_scenarios(tmp_path: Path) -> None:
    path = tmp_path / "risk.json"
    request = generated_risk_request()
    path.write_text(json.dumps(request))

    table = runner.invoke(cli, ["solve", str(path)], env=ENV)
    answer = json.loads(runner.invoke(cli, ["solve", "--json", str(path)], env=ENV).stdout)

    assert table.exit_code == 0, table.output
    risk, fresh = answer["risk"], answer["risk"]["out_of_sample"]
    q, fq = risk["engagement_quantiles"], fresh["engagement_quantiles"]
    assert (
        f"Scenarios  200, engagement CVaR (worst 10%) {risk['engagement_cvar']:,.0f}, "
        f"p05 {q['p05']:,.0f}, p50 {q['p50']:,.0f}, p95 {q['p95']:,.0f}"
    ) in table.stdout
    assert (
        f"Out of sample  200 fresh scenarios (seed 6), CVaR {fresh['engagement_cvar']:,.0f}, "
        f"p05 {fq['p05']:,.0f}, p50 {fq['p50']:,.0f}, p95 {fq['p95']:,.0f}"
    ) in table.stdout


def test_the_risk_example_meets_its_cvar_floor_and_its_frontier_file_is_valid() -> None:
    result = runner.invoke(
        cli, ["solve", "--json", str(EXAMPLES / "demo_risk_request.json")], env=ENV
    )

    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["status"] == "optimal"
    assert answer["risk"]["engagement_cvar"] >= 83_400
    frontier = FrontierCreate.model_validate_json(
        (EXAMPLES / "demo_risk_frontier.json").read_text()
    )
    assert frontier.risk_aversions() == [k / 10 for k in range(11)]
    assert frontier.request.constraints.min_cvar_engagement is None


def test_a_plan_without_scenarios_prints_no_scenario_lines() -> None:
    result = runner.invoke(cli, ["solve", str(EXAMPLES / "demo_request.json")], env=ENV)

    assert result.exit_code == 0, result.output
    assert "Risk  largest share" in result.stdout
    assert "Scenarios" not in result.stdout
    assert "CVaR" not in result.stdout


def test_migrate_brings_an_empty_sqlite_file_up_to_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setattr(cli_common, "get_settings", lambda: Settings(database_url=url))

    result = runner.invoke(cli, ["migrate"], env=ENV)

    assert result.exit_code == 0, result.output
    assert "up to date" in result.stdout
    assert (tmp_path / "cli.db").stat().st_size > 0


def test_migrate_on_an_unreachable_database_exits_1_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = "postgresql://root:secret@127.0.0.1:9/nowhere"
    monkeypatch.setattr(cli_common, "get_settings", lambda: Settings(database_url=url))

    result = runner.invoke(cli, ["migrate"], env=ENV)

    assert result.exit_code == 1
    assert "Cannot migrate the database" in result.stderr
    assert "secret" not in result.output


def solver_processes(pid: int) -> list[psutil.Process]:
    try:
        children = psutil.Process(pid).children()
    except psutil.NoSuchProcess:
        return []
    return [c for c in children if "optimizer.solver_process" in " ".join(c.cmdline())]


def test_solve_exits_as_soon_as_it_has_printed_a_large_answer(tmp_path: Path) -> None:
    # given a 50,000-creator request with tier and platform shares and no creator limit, the
    # kind whose solver used to run on for minutes after the answer
    rng = random.Random(7)
    roster = bench_instances.candidates(50_000, rng)
    request = {
        "name": "Large tier and platform mix",
        "budget": round(0.3 * sum(c.price_per_post + c.fixed_fee for c in roster), 2),
        "candidates": bench_instances.wire_candidates(roster),
        "constraints": {
            "max_share_per_influencer": 0.05,
            "tier_share": {"micro": {"min": 0.3, "max": 0.6}, "mega": {"max": 0.2}},
            "platform_share": {"tiktok": {"min": 0.2, "max": 0.5}},
        },
    }
    path = tmp_path / "large.json"
    path.write_text(json.dumps(request))
    command = [str(Path(sys.executable).parent / "influmix"), "solve", "--json"]
    # when it is solved from the command line with a short time limit
    process = subprocess.Popen(
        [*command, "--time-limit", "2", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **ENV},
    )
    assert process.stdout is not None
    # its solver process, once started
    until = time.monotonic() + 60
    while not (solvers := [c.pid for c in solver_processes(process.pid)]):
        assert time.monotonic() < until, "no solver process started"
        time.sleep(0.02)
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.rstrip("\n") == "}":  # the answer's last line
            printed = time.monotonic()
            break
    else:
        pytest.fail("no answer was printed")
    # then the process has ended within half a second of its answer, its solvers with it
    code = process.wait(timeout=30)
    assert time.monotonic() - printed <= 0.5
    status = json.loads("".join(lines))["status"]
    assert status in ("optimal", "feasible", "failed")
    # a busy machine may stop the solver before any plan: the command then says so by its code
    assert code == (1 if status == "failed" else 0)
    assert not [pid for pid in solvers if psutil.pid_exists(pid)]
