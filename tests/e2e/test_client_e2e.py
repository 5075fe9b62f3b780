"""The generated client (clients/python) against a real service, as an internal tool uses it.

The service runs in Uvicorn on a fresh SQLite file, bootstrapped with the command line
(migrate, create-workspace, create-key); every request after that goes through
``influmix_client``. httpx is imported only for the types the client's API itself exposes
(its timeout and its connection errors).
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import openpyxl
import pytest
from influmix_client import AuthenticatedClient, Client
from influmix_client.api.health import healthz
from influmix_client.api.influencers import import_influencers
from influmix_client.api.keys import create_key
from influmix_client.api.plans import (
    create_plan,
    export_plan_csv,
    export_plan_xlsx,
    get_plan,
    list_plans,
)
from influmix_client.models import (
    ApiKeyCreate,
    ApiKeyCreated,
    CatalogFilters,
    CatalogSelection,
    ConstraintsIn,
    ImportSummary,
    PlanCreate,
    PlanPage,
    PlanPublic,
    PlanState,
    Problem,
    Role,
    RosterUpload,
    ValidationProblem,
)
from influmix_client.types import File, Response

from tests.servers import free_port, stop, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
# A solve of six creators takes milliseconds; the margin is for a loaded CI machine.
REQUEST_TIMEOUT = httpx.Timeout(60.0)

# As exported from a discovery tool: aliases, units and percentages the import understands.
ROSTER_CSV = """\
Username,Network,Follower Count,ER,Price,max_posts,Tags
@ana.glow,IG,24000,6.1%,350,3,beauty
@tom.trails,TikTok,58000,5.2%,520,3,travel;outdoor
@mia.makes,instagram,8500,7.4%,120,3,diy
@leo.lifts,youtube,310000,2.1%,1900,2,fitness
@sam.sips,tiktok,15000,5.8%,210,3,food
@zoe.zen,instagram,92000,4.4%,800,2,wellness
"""
HANDLES = {"@ana.glow", "@tom.trails", "@mia.makes", "@leo.lifts", "@sam.sips", "@zoe.zen"}

T = TypeVar("T")


@dataclass(frozen=True)
class Service:
    base_url: str
    admin_key: str

    def client(self, key: str) -> AuthenticatedClient:
        return AuthenticatedClient(
            base_url=self.base_url,
            token=key,
            timeout=REQUEST_TIMEOUT,
            raise_on_unexpected_status=True,
        )


def parsed(kind: type[T], response: Response[Any]) -> T:
    """The typed body of ``response``, which must be a ``kind``."""
    body = response.parsed
    assert isinstance(body, kind), (response.status_code, response.content[:500])
    return body


def influmix(env: dict[str, str], *args: str) -> str:
    """Run the command line; answer what it printed on standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, f"influmix {' '.join(args)}:\n{done.stdout}{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A migrated SQLite file with a workspace and its admin key, served by Uvicorn."""
    home = tmp_path_factory.mktemp("e2e")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("INFLUMIX_") and key != "DATABASE_URL"
    }
    env["DATABASE_URL"] = f"sqlite:///{home / 'influmix.db'}"
    influmix(env, "migrate")
    influmix(env, "create-workspace", "e2e")
    admin_key = influmix(env, "create-key", "--workspace", "e2e", "--role", "admin").strip()

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = home / "uvicorn.log"
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    with log.open("wb") as sink:
        # A file, not a pipe: a pipe nobody reads would stall a chatty server.
        process = subprocess.Popen(
            [*command, "--port", str(port)], cwd=ROOT, env=env, stdout=sink, stderr=sink
        )
    try:
        wait_until_healthy(process, base_url, log.read_text)
        with Client(base_url=base_url, timeout=REQUEST_TIMEOUT) as probe:
            assert healthz.sync_detailed(client=probe).status_code == 200
        yield Service(base_url=base_url, admin_key=admin_key)
    finally:
        stop(process)


@pytest.fixture(scope="module")
def planner(service: Service) -> Iterator[AuthenticatedClient]:
    """A client with a planner key that the admin key created through the API."""
    with service.client(service.admin_key) as admin:
        response = create_key.sync_detailed(
            client=admin, body=ApiKeyCreate(role=Role.PLANNER, name="e2e tool")
        )
    assert response.status_code == 201
    created = parsed(ApiKeyCreated, response)
    assert created.role is Role.PLANNER
    assert isinstance(created.key, str)
    assert created.key.startswith(created.prefix)
    with service.client(created.key) as client:
        yield client


def test_a_tool_imports_a_roster_then_plans_lists_and_exports(planner: AuthenticatedClient) -> None:
    roster = File(
        payload=io.BytesIO(ROSTER_CSV.encode()), file_name="roster.csv", mime_type="text/csv"
    )
    imported = parsed(
        ImportSummary,
        import_influencers.sync_detailed(client=planner, body=RosterUpload(file=roster)),
    )
    assert (imported.rows, imported.created, imported.dry_run) == (6, 6, False)

    request = PlanCreate(
        name="E2E launch",
        budget=4000,
        catalog=CatalogSelection(filters=CatalogFilters()),
        # At most three creators, each at most half of the spend: the team's capacity binds.
        constraints=ConstraintsIn(max_share_per_influencer=0.5, max_influencers=3),
    )
    created = create_plan.sync_detailed(client=planner, body=request)
    assert created.status_code == 201
    plan = parsed(PlanPublic, created)
    assert created.headers["location"] == f"/v1/plans/{plan.id}"
    assert plan.status is PlanState.OPTIMAL
    assert 1 <= len(plan.allocations) <= 3
    assert {a.handle for a in plan.allocations} <= HANDLES
    assert plan.totals is not None
    assert plan.totals.spend <= 4000

    fetched = parsed(PlanPublic, get_plan.sync_detailed(plan.id, client=planner))
    assert fetched.id == plan.id
    assert fetched.to_dict()["allocations"] == plan.to_dict()["allocations"]

    page = parsed(PlanPage, list_plans.sync_detailed(client=planner, name="E2E"))
    assert plan.id in [summary.id for summary in page.items]

    binding = fetched.diagnostics.binding_constraints
    assert isinstance(binding, list)
    assert "max_influencers" in binding

    csv_file = parsed(File, export_plan_csv.sync_detailed(plan.id, client=planner))
    text = csv_file.payload.read().decode("utf-8-sig")
    exported = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
    assert {a.handle for a in plan.allocations} <= exported

    xlsx_file = parsed(File, export_plan_xlsx.sync_detailed(plan.id, client=planner))
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_file.payload.read()), read_only=True)
    assert workbook.sheetnames == ["Plan", "By tier", "By platform"]
    cells = {cell for row in workbook["Plan"].iter_rows(values_only=True) for cell in row if cell}
    assert {a.handle for a in plan.allocations} <= cells


def test_errors_come_back_as_typed_problems(service: Service, planner: AuthenticatedClient) -> None:
    missing = get_plan.sync_detailed("0190f1c2-7d1e-7c1a-9e2b-3f4a5b6c7d8e", client=planner)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    problem = parsed(Problem, missing)
    assert problem.status == 404
    assert problem.type_ == "urn:influmix:problem:not-found"
    assert problem.instance == "/v1/plans/0190f1c2-7d1e-7c1a-9e2b-3f4a5b6c7d8e"

    with service.client("imx_not-a-key") as stranger:
        refused = get_plan.sync_detailed("any", client=stranger)
    assert refused.status_code == 401
    assert parsed(Problem, refused).type_ == "urn:influmix:problem:unauthorized"

    bad_row = File(
        payload=io.BytesIO(b"handle,platform,followers,price\n@x,instagram,-5,10\n"),
        file_name="bad.csv",
        mime_type="text/csv",
    )
    rejected = import_influencers.sync_detailed(
        client=planner, body=RosterUpload(file=bad_row), dry_run=True
    )
    assert rejected.status_code == 422
    invalid = parsed(ValidationProblem, rejected)
    assert isinstance(invalid.errors, list)
    assert [(error.row, error.column) for error in invalid.errors] == [(2, "followers")]
