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
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from app.core.config import Settings
from app.db import create_db_engine, normalize_database_url, run_migrations
from models import Base
from tests.support.app import PostgresServer, built_app, make_settings, serving

TEST_DATABASE_ENV = "INFLUMIX_TEST_DATABASE_URL"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


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


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    with built_app(settings) as app:
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(app) as client:
        yield client


@pytest.fixture
def postgres_url(database_url: str, postgres_server: PostgresServer | None) -> str:
    """The test database, for tests that only mean something on PostgreSQL (network faults,
    services sharing a database): skipped on the SQLite pass, run on the PostgreSQL one."""
    if postgres_server is None:
        pytest.skip("runs on PostgreSQL only")
    return database_url
