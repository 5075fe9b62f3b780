"""The `influmix import` and `influmix export` commands, against the database under test."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from app.cli import EXIT_BAD_INPUT, cli
from app.cli import common as cli_common
from app.core.config import Settings
from app.db import make_session_factory
from app.schemas.plans import PlanCreate
from app.services.plans import create_plan
from app.services.scope import WorkspaceScope
from app.services.workspaces import authenticate, find_workspace
from models import Role
from tests.support.app import engine_at, make_settings
from tests.support.catalog import catalog_size, csv_bytes, stored
from tests.support.payloads import small_request

ENV = {"COLUMNS": "200", "NO_COLOR": "1"}
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

runner = CliRunner()


@pytest.fixture
def configured(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The commands read DATABASE_URL through get_settings: point it at the test database,
    which holds one workspace (so the commands need no --workspace)."""
    settings = make_settings(database_url)
    monkeypatch.setattr(cli_common, "get_settings", lambda: settings)
    result = runner.invoke(cli, ["create-workspace", "agency"], env=ENV)
    assert result.exit_code == 0, result.output
    return settings


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["Username", "Platform", "Followers", "ER", "Price ($)", "Country"],
                ["@Ana.Glow", "Instagram", "24,000", "6.1%", "$350", "PT"],
                ["leo.routine", "tiktok", "58k", "7.2%", "600", "US"],
            ]
        )
    )
    return path


def stored_plan_id(settings: Settings, workspace: str = "agency") -> str:
    with (
        engine_at(settings.database_url) as engine,
        make_session_factory(engine).begin() as session,
    ):
        found = find_workspace(session, workspace)
        assert found is not None
        request = PlanCreate.model_validate(small_request())
        return create_plan(session, settings, WorkspaceScope(found.id), request).id


# --- import ----------------------------------------------------------------------------------


def test_import_stores_the_roster_and_summarises(
    configured: Settings, roster: Path, db_engine: Engine
) -> None:
    result = runner.invoke(cli, ["import", str(roster)], env=ENV)

    assert result.exit_code == 0, result.output
    assert "Imported roster.csv: 2 rows, 2 created, 0 updated, 0 unchanged." in result.stdout
    assert "Columns not read: Country" in result.stdout
    rows = stored(db_engine)
    assert rows[("instagram", "ana.glow")]["followers"] == 24_000
    assert rows[("tiktok", "leo.routine")]["price_per_post"] == 600

    again = runner.invoke(cli, ["import", str(roster)], env=ENV)
    assert "0 created, 0 updated, 2 unchanged" in again.stdout


def test_import_dry_run_stores_nothing(
    configured: Settings, roster: Path, db_engine: Engine
) -> None:
    result = runner.invoke(cli, ["import", "--dry-run", str(roster)], env=ENV)

    assert result.exit_code == 0, result.output
    assert "dry run, nothing stored" in result.stdout
    assert "2 created" in result.stdout
    assert catalog_size(db_engine) == 0


def test_import_of_an_invalid_file_exits_2_listing_every_bad_row(
    configured: Settings, tmp_path: Path, db_engine: Engine
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv_bytes(
            [
                ["handle", "platform", "followers", "price"],
                ["ana", "instagram", "1000", "10"],
                ["leo", "myspace", "1000", "10"],
                ["mia", "instagram", "lots", "0"],
            ]
        )
    )

    result = runner.invoke(cli, ["import", str(bad)], env=ENV)

    assert result.exit_code == EXIT_BAD_INPUT
    assert "nothing was stored" in result.stderr
    assert "row 3, column platform: unknown platform 'myspace'" in result.stderr
    assert "row 4, column followers: 'lots' is not a number" in result.stderr
    assert "row 4, column price: " in result.stderr
    assert catalog_size(db_engine) == 0


def test_import_of_an_xlsx_file(configured: Settings, tmp_path: Path, db_engine: Engine) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Account", "Network", "Subscribers", "Cost"])
    book.active.append(["@chef.kai", "YouTube", 1_200_000, 9000])
    path = tmp_path / "roster.xlsx"
    book.save(path)

    result = runner.invoke(cli, ["import", str(path)], env=ENV)

    assert result.exit_code == 0, result.output
    assert stored(db_engine)[("youtube", "chef.kai")]["followers"] == 1_200_000


def test_import_of_an_unsupported_file_exits_2(configured: Settings, tmp_path: Path) -> None:
    path = tmp_path / "roster.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0legacy")

    result = runner.invoke(cli, ["import", str(path)], env=ENV)

    assert result.exit_code == EXIT_BAD_INPUT
    assert ".xlsx or .csv" in result.stderr


def test_import_into_an_unmigrated_database_exits_1(
    unmigrated_database_url: str, roster: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(unmigrated_database_url)
    monkeypatch.setattr(cli_common, "get_settings", lambda: settings)

    result = runner.invoke(cli, ["import", str(roster)], env=ENV)

    assert result.exit_code == 1
    assert "influmix migrate" in result.stderr


# --- export ----------------------------------------------------------------------------------


def test_export_writes_the_csv_under_the_plans_file_name(
    configured: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_id = stored_plan_id(configured)
    monkeypatch.chdir(tmp_path)

    result = runner.invoke(cli, ["export", plan_id], env=ENV)

    assert result.exit_code == 0, result.output
    written = tmp_path / f"small-test-plan-{plan_id}.csv"
    assert f"Wrote {written.name}" in result.stdout
    rows = list(csv.reader(io.StringIO(written.read_bytes().decode("utf-8-sig"))))
    assert rows[0][:3] == ["Handle", "Platform", "Tier"]
    assert sorted(row[0] for row in rows[1:6]) == ["@c1", "@c2", "@c3", "@c4", "@c5"]
    assert rows[6][0] == "Total"


def test_export_format_follows_the_output_extension(configured: Settings, tmp_path: Path) -> None:
    plan_id = stored_plan_id(configured)
    target = tmp_path / "plan.xlsx"

    result = runner.invoke(cli, ["export", plan_id, "--output", str(target)], env=ENV)

    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Plan", "By tier", "By platform"]
    assert book["Plan"]["E7"].value == 2_500  # the total spend of five posts at 500


def test_export_to_standard_output(configured: Settings) -> None:
    plan_id = stored_plan_id(configured)

    result = runner.invoke(cli, ["export", plan_id, "--format", "csv", "-o", "-"], env=ENV)

    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode("utf-8-sig").startswith("Handle,Platform,Tier")


def test_export_of_an_unknown_plan_exits_1(configured: Settings) -> None:
    result = runner.invoke(cli, ["export", "nothing"], env=ENV)

    assert result.exit_code == 1
    assert "no plan with id 'nothing'" in result.stderr


def test_export_of_another_workspaces_plan_exits_1(configured: Settings) -> None:
    plan_id = stored_plan_id(configured)
    runner.invoke(cli, ["create-workspace", "rival"], env=ENV)

    result = runner.invoke(cli, ["export", plan_id, "--workspace", "rival", "-o", "-"], env=ENV)

    assert result.exit_code == 1
    assert f"no plan with id {plan_id!r}" in result.stderr


def test_import_asks_which_workspace_when_there_are_several(
    configured: Settings, roster: Path, db_engine: Engine
) -> None:
    runner.invoke(cli, ["create-workspace", "rival"], env=ENV)

    unnamed = runner.invoke(cli, ["import", str(roster)], env=ENV)
    named = runner.invoke(cli, ["import", "--workspace", "rival", str(roster)], env=ENV)

    assert unnamed.exit_code == 1
    assert "--workspace" in unnamed.stderr
    assert named.exit_code == 0, named.output
    assert catalog_size(db_engine) == 2


# --- workspaces and keys ---------------------------------------------------------------------


def test_create_workspace_refuses_a_taken_name(configured: Settings) -> None:
    result = runner.invoke(cli, ["create-workspace", "agency"], env=ENV)

    assert result.exit_code == 1
    assert "exists already" in result.stderr


def test_create_key_prints_a_working_key_once(configured: Settings) -> None:
    result = runner.invoke(
        cli, ["create-key", "--workspace", "agency", "--role", "viewer"], env=ENV
    )

    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    assert key.startswith("imx_")
    assert "shown once" in result.stderr
    with (
        engine_at(configured.database_url) as engine,
        make_session_factory(engine).begin() as session,
    ):
        principal = authenticate(session, key)
    assert principal is not None
    assert principal.role is Role.VIEWER


def test_create_key_for_an_unknown_workspace_exits_1(configured: Settings) -> None:
    result = runner.invoke(cli, ["create-key", "--workspace", "nobody", "--role", "admin"], env=ENV)

    assert result.exit_code == 1
    assert "No workspace 'nobody'. Workspaces: agency" in result.stderr


def test_serve_again_prints_a_key_command_and_curl_line_that_work_when_pasted(
    configured: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.server.run", lambda *args, **kwargs: None)
    first = runner.invoke(cli, ["serve"], env=ENV)
    assert "Admin API key of the new workspace" in first.stdout

    again = runner.invoke(cli, ["serve"], env=ENV)

    assert again.exit_code == 0, again.output
    lines = again.stdout.splitlines()
    export = next(line.strip() for line in lines if line.strip().startswith("export "))
    curl = next(line.strip() for line in lines if line.strip().startswith("curl "))
    assert '-H "Authorization: Bearer $INFLUMIX_KEY"' in curl  # double quotes: filled in
    assert f"{Path(sys.executable).parent.name}/influmix create-key --workspace agency" in export
    # Pasted into a shell, the export line makes a key of the workspace.
    pasted = subprocess.run(
        ["bash", "-c", f'{export} && printf %s "$INFLUMIX_KEY"'],
        env={**os.environ, "DATABASE_URL": configured.database_url},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    with (
        engine_at(configured.database_url) as engine,
        make_session_factory(engine).begin() as session,
    ):
        principal = authenticate(session, pasted.stdout)
    assert principal is not None
    assert principal.role is Role.PLANNER


def test_solve_of_a_catalog_request_exits_2_naming_catalog(tmp_path: Path) -> None:
    request = json.loads((EXAMPLES / "demo_request.json").read_text())
    del request["candidates"]
    request["catalog"] = {"filters": {}}
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(request))

    result = runner.invoke(cli, ["solve", str(path)], env=ENV)

    assert result.exit_code == EXIT_BAD_INPUT
    assert "catalog: " in result.stderr
