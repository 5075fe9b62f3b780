"""The service under test: settings, a built app, keys, and clients that talk to it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
from fastapi import FastAPI
from psycopg import sql
from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from app.api.deps import Resources
from app.core.config import Settings
from app.db import create_db_engine, make_session_factory
from app.main import create_app
from app.services.scope import WorkspaceScope
from app.services.workspaces import create_key, create_workspace, find_workspace
from models import Role

ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "http://testserver"
# The workspace the test clients act in, unless a test names another.
TEST_WORKSPACE = "test"


@dataclass(frozen=True)
class PostgresServer:
    url: URL  # SQLAlchemy URL of the database named in the environment variable

    def database_url(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def admin_connection(self) -> psycopg.Connection[tuple[object, ...]]:
        conninfo = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
        return psycopg.connect(conninfo, autocommit=True, connect_timeout=5)

    @contextmanager
    def scratch_database(self, name: str) -> Iterator[str]:
        """An empty database for the length of the block."""
        ident = sql.Identifier(name)
        with self.admin_connection() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(ident))
        try:
            yield self.database_url(name)
        finally:
            with self.admin_connection() as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))


def make_settings(database_url: str, **overrides: object) -> Settings:
    """Settings that ignore the developer's environment (except what a test sets)."""
    values: dict[str, object] = {
        "database_url": database_url,
        "solve_time_limit_s": 60.0,
        "max_request_bytes": 64 * 1024 * 1024,
        "max_candidates": 100_000,
        "max_import_rows": 100_000,
        "cors_origins": [],
        "rate_limit_per_minute": 1_000_000,
        "max_concurrent_solves": 4,
        "idempotency_ttl_s": 24 * 3600.0,
        "idempotency_wait_s": 30.0,
    }
    values.update(overrides)
    return Settings.model_validate(values)


@contextmanager
def built_app(settings: Settings) -> Iterator[FastAPI]:
    app = create_app(settings)
    try:
        yield app
    finally:
        resources = app.state.resources
        assert isinstance(resources, Resources)
        resources.executor.shutdown()
        resources.engine.dispose()


def sessions_of(app: FastAPI) -> sessionmaker[Session]:
    resources = app.state.resources
    assert isinstance(resources, Resources)
    return resources.session_factory


def workspace_id(sessions: sessionmaker[Session], name: str = TEST_WORKSPACE) -> str:
    """The id of the workspace called ``name``, created when missing."""
    with sessions.begin() as session:
        found = find_workspace(session, name) or create_workspace(session, name)
        return found.id


def new_key(
    sessions: sessionmaker[Session], role: Role = Role.PLANNER, workspace: str = TEST_WORKSPACE
) -> str:
    """A new API key of ``role`` in the workspace called ``workspace``."""
    scope = WorkspaceScope(workspace_id(sessions, workspace))
    with sessions.begin() as session:
        return create_key(session, scope, role).secret


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@asynccontextmanager
async def serving(
    app: FastAPI,
    *,
    raise_app_exceptions: bool = True,
    role: Role | None = Role.PLANNER,
    workspace: str = TEST_WORKSPACE,
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on a started app: its lifespan (and so its startup checks) has run.

    It sends a new key of ``role`` in ``workspace`` with every request (no key for None).
    """
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client,
    ):
        if role is not None:
            client.headers.update(bearer(new_key(sessions_of(app), role, workspace)))
        yield client


@contextmanager
def engine_at(database_url: str) -> Iterator[Engine]:
    """An engine on ``database_url`` for the length of the block."""
    engine = create_db_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def key_at(database_url: str, role: Role = Role.PLANNER, workspace: str = TEST_WORKSPACE) -> str:
    """A new API key of ``role`` on the database at ``database_url``."""
    with engine_at(database_url) as engine:
        return new_key(make_session_factory(engine), role, workspace)


@contextmanager
def uvicorn_process(database_url: str, port: int) -> Iterator[subprocess.Popen[str]]:
    """``uvicorn app.main:app`` on 127.0.0.1:``port`` over ``database_url``, its output piped,
    with none of the developer's INFLUMIX_ settings."""
    from tests.servers import stop

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("INFLUMIX_") and key != "DATABASE_URL"
    }
    env["DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        stop(process)
