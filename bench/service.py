"""A real ``influmix serve`` on a fresh database of its own, for the load and soak runs.

SQLite: a file in a temporary folder. PostgreSQL: a new database on the server of ``--admin-url``
(created here, dropped at the end), so the runs never touch another database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
from psycopg import sql

from app.db import create_db_engine, make_session_factory, run_migrations
from app.services.scope import WorkspaceScope
from app.services.workspaces import create_key, create_workspace
from bench.http_overhead import free_port
from models import Role

STARTUP_TIMEOUT_S = 60.0
DEFAULT_ADMIN_URL = "postgresql://root@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Service:
    process: subprocess.Popen[bytes]
    base_url: str
    database_url: str
    # PostgreSQL: the database's name, to count its connections; None on SQLite.
    pg_database: str | None
    admin_url: str
    keys: tuple[str, ...]


@contextmanager
def fresh_database(backend: str, admin_url: str, label: str) -> Iterator[tuple[str, str | None]]:
    """A SQLAlchemy URL of a new, empty database, and its PostgreSQL name (None on SQLite)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix=f"influmix-{label}-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}", None
        return
    name = f"influmix_{label}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        yield f"{base}/{name}", name
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def make_keys(database_url: str, count: int) -> tuple[str, ...]:
    """Migrate, then ``count`` planner keys of one workspace (each load user has its own, so
    the per-key rate is per user; the workspace's solve cap is shared by all)."""
    run_migrations(database_url)
    engine = create_db_engine(database_url)
    try:
        with make_session_factory(engine).begin() as session:
            scope = WorkspaceScope(create_workspace(session, "load").id)
            return tuple(
                create_key(session, scope, Role.PLANNER, name=f"user {i}").secret
                for i in range(count)
            )
    finally:
        engine.dispose()


def start(
    database_url: str, env: Mapping[str, str], log: Path
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    influmix = Path(sys.executable).with_name("influmix")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("INFLUMIX_")}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(influmix), "serve", "--host", "127.0.0.1", "--port", str(port), "--no-demo"],
            env={**clean, **env, "DATABASE_URL": database_url},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}; see {log}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1.0).status_code == 200:
                return process, base_url
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"the server did not answer /healthz within {STARTUP_TIMEOUT_S} s")


@contextmanager
def running_service(
    backend: str,
    label: str,
    *,
    keys: int,
    env: Mapping[str, str],
    log: Path,
    admin_url: str = DEFAULT_ADMIN_URL,
) -> Iterator[Service]:
    with ExitStack() as stack:
        database_url, pg_database = stack.enter_context(fresh_database(backend, admin_url, label))
        secrets = make_keys(database_url, keys)
        process, base_url = start(database_url, env, log)
        try:
            yield Service(process, base_url, database_url, pg_database, admin_url, secrets)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
