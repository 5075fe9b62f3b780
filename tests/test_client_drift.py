"""`scripts/client.py check`: clients/python must be what the served OpenAPI document generates.

Each check runs the generator once (about a second).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI

from app.api.responses import ROUTER_RESPONSES
from app.core.config import Settings
from app.main import create_app
from app.schemas.plans import PlanPublic
from scripts import client as client_script

CLIENT_LABEL = "clients/python/influmix_client"


def run_check(
    document: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """``check --openapi`` on ``document``: its exit code and what it printed."""
    source = tmp_path / "openapi.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    code = client_script.main(["check", "--openapi", str(source)])
    return code, capsys.readouterr().out


def drifted(out: str) -> list[str]:
    """The summary lines of a check's report: kind and path of each file that drifted."""
    kinds = ("missing", "extra", "differs")
    return [" ".join(line.split()) for line in out.splitlines() if line.lstrip().startswith(kinds)]


def fresh_app() -> FastAPI:
    # The document needs no database: this one is never opened.
    return create_app(Settings(database_url="sqlite://"))


def test_the_client_matches_the_served_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run_check(fresh_app().openapi(), tmp_path, capsys)

    assert code == 0, out
    assert "is up to date" in out


def test_a_new_route_is_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = fresh_app()
    # Declared the way the service's own routers are.
    router = APIRouter(prefix="/v1/plans", tags=["plans"], responses=ROUTER_RESPONSES)

    @router.post("/{plan_id}:archive", summary="Archive a plan")
    def archive_plan(plan_id: str) -> PlanPublic:
        raise NotImplementedError

    app.include_router(router)
    code, out = run_check(app.openapi(), tmp_path, capsys)

    assert code == 1
    assert drifted(out) == [f"missing {CLIENT_LABEL}/api/plans/archive_plan.py"]
    # The unified diff shows the module the client lacks.
    assert "+def sync_detailed(" in out
    assert "Regenerate with" in out


def test_a_changed_response_model_is_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = fresh_app().openapi()
    summary = document["components"]["schemas"]["PlanSummary"]
    summary["properties"]["archived"] = {"type": "boolean", "title": "Archived"}
    summary["required"].append("archived")

    code, out = run_check(document, tmp_path, capsys)

    assert code == 1
    assert drifted(out) == [f"differs {CLIENT_LABEL}/models/plan_summary.py"]
    assert "+    archived: bool" in out
