"""Test databases and HTTP clients.

INFLUMIX_TEST_DATABASE_URL selects the database:
- unset: a fresh, migrated SQLite file per test;
- a PostgreSQL URL: a database of its own (``influmix_test_<pid>``) is created on that server,
  migrated once, emptied before each test and dropped at the end. An unreachable server makes
  the tests error, never skip: a green run must mean PostgreSQL was exercised.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from psycopg import sql
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from app.api.deps import Resources
from app.core.config import Settings
from app.db import create_db_engine, normalize_database_url, run_migrations
from app.main import create_app
from app.services.scope import WorkspaceScope
from app.services.workspaces import create_key, create_workspace, find_workspace
from models import Base, Role

TEST_DATABASE_ENV = "INFLUMIX_TEST_DATABASE_URL"
BASE_URL = "http://testserver"
# The workspace the test clients act in, unless a test names another.
TEST_WORKSPACE = "test"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


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


@pytest.fixture(scope="session")
def postgres_server() -> PostgresServer | None:
    raw = os.environ.get(TEST_DATABASE_ENV)
    if not raw:
        return None
    url = make_url(normalize_database_url(raw))
    if url.get_backend_name() != "postgresql":
        pytest.fail(f"{TEST_DATABASE_ENV} must be a PostgreSQL URL, got {url.drivername}")
    server = PostgresServer(url)
    # Fails (an error, not a skip) when the server does not answer.
    with server.admin_connection():
        pass
    return server


@pytest.fixture(scope="session")
def postgres_database(postgres_server: PostgresServer | None) -> Iterator[Engine | None]:
    """The session's migrated PostgreSQL database, or None when testing on SQLite."""
    if postgres_server is None:
        yield None
        return
    with postgres_server.scratch_database(f"influmix_test_{os.getpid()}") as url:
        run_migrations(url)
        engine = create_db_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


def _empty_tables(engine: Engine) -> None:
    names = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE TABLE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per session, copied for each test (migrating takes longer
    than most tests)."""
    path = tmp_path_factory.mktemp("template") / "influmix.db"
    run_migrations(f"sqlite:///{path}")
    return path


@pytest.fixture
def database_url(
    tmp_path: Path, postgres_database: Engine | None, request: pytest.FixtureRequest
) -> str:
    """A migrated database no other test sees."""
    if postgres_database is None:
        path = tmp_path / "influmix.db"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_file"), path)
        return f"sqlite:///{path}"
    # Emptied before rather than after, so a crashed test cannot leak rows into the next.
    _empty_tables(postgres_database)
    return postgres_database.url.render_as_string(hide_password=False)


@pytest.fixture
def unmigrated_database_url(
    tmp_path: Path, postgres_server: PostgresServer | None
) -> Iterator[str]:
    """An empty database on the backend under test, never migrated."""
    if postgres_server is None:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with postgres_server.scratch_database(f"influmix_test_{os.getpid()}_blank") as url:
        yield url


@pytest.fixture
def db_engine(database_url: str) -> Iterator[Engine]:
    """A separate engine, to check what the service stored without going through it."""
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


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


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


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


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    with built_app(settings) as app:
        yield app


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


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(app) as client:
        yield client
