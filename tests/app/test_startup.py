"""Starting the service: a real Uvicorn process, and refusing to run on an unmigrated database."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from app.db import (
    MIGRATE_COMMAND,
    DatabaseNotReadyError,
    run_migrations,
)
from tests.servers import STARTUP_TIMEOUT_S, free_port, pipe_output, wait_until_healthy
from tests.support.app import bearer, built_app, key_at, make_settings, serving, uvicorn_process
from tests.support.payloads import example_request

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.anyio
async def test_app_refuses_to_start_on_an_unmigrated_database(
    unmigrated_database_url: str,
) -> None:
    with (
        built_app(make_settings(unmigrated_database_url)) as app,
        pytest.raises(DatabaseNotReadyError, match=MIGRATE_COMMAND),
    ):
        async with serving(app):
            pass


def test_uvicorn_serves_a_plan_from_a_migrated_sqlite_file(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'served.db'}"
    run_migrations(database_url)
    auth = bearer(key_at(database_url))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"

    with uvicorn_process(database_url, port) as process:
        wait_until_healthy(process, base_url, pipe_output(process))
        created = httpx.post(
            f"{base_url}/v1/plans", json=example_request(), headers=auth, timeout=60
        )
        fetched = httpx.get(base_url + created.headers["location"], headers=auth, timeout=10)
        anonymous = httpx.get(f"{base_url}/v1/plans", timeout=10)
        ready = httpx.get(f"{base_url}/readyz", timeout=10)

    assert created.status_code == 201, created.text
    assert created.json()["status"] == "optimal"
    assert fetched.status_code == 200
    assert fetched.json()["id"] == created.json()["id"]
    assert ready.status_code == 200
    assert anonymous.status_code == 401


def test_uvicorn_exits_with_the_migrate_hint_on_an_unmigrated_database(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'never-migrated.db'}"

    with uvicorn_process(database_url, free_port()) as process:
        try:
            output, _ = process.communicate(timeout=STARTUP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            pytest.fail("uvicorn kept running on an unmigrated database")

    assert process.returncode != 0
    assert MIGRATE_COMMAND in output
