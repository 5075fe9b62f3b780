"""Database engine, sessions and schema migrations.

The schema changes only through Alembic; the service checks at startup that the database is at
the latest revision and refuses to run otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from alembic.command import upgrade
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from psycopg.abc import PQGen
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from app.core.config import DatabaseLimits

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "alembic"
MIGRATE_COMMAND = "influmix migrate"
RV = TypeVar("RV")
# psycopg's own pause between checks of a wait, at which it notices an interruption.
_WAIT_INTERVAL_S = 0.1
# What psycopg raises when a wait given a timeout runs out (the name is private, the
# behaviour of Connection.wait(timeout=...) is not).
_WAIT_TIMEOUT: type[Exception] = psycopg.errors._WaitTimeout


class DatabaseNotReadyError(RuntimeError):
    """The database cannot serve the application: unreachable or not migrated."""


def normalize_database_url(database_url: str) -> str:
    """Pin PostgreSQL URLs to the psycopg 3 driver (the one installed)."""
    for prefix in ("postgresql://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url[len(prefix) :]
    return database_url


def safe_url(database_url: str) -> str:
    """The URL with its password masked, for messages and logs."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except SQLAlchemyError:
        return "<unparsable database URL>"


def create_db_engine(database_url: str, limits: DatabaseLimits | None = None) -> Engine:
    """An engine whose every wait on the database is bounded by ``limits`` (the defaults when
    not given), so that a database gone away makes requests fail fast, never hang."""
    limits = limits or DatabaseLimits()
    url = make_url(normalize_database_url(database_url))
    kwargs: dict[str, Any] = {"pool_pre_ping": True, "json_serializer": json_text}
    if url.get_backend_name() == "sqlite":
        # Requests run in worker threads; a session never crosses threads while in use.
        kwargs["connect_args"] = {"check_same_thread": False}
        if url.database in (None, "", ":memory:"):
            kwargs["poolclass"] = StaticPool  # one shared connection, or every one is empty
        else:
            kwargs["pool_timeout"] = limits.pool_timeout_s
    elif url.get_backend_name() == "postgresql":
        kwargs["pool_timeout"] = limits.pool_timeout_s
        kwargs["connect_args"] = _postgres_connect_args(url.query, limits)
    engine = create_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
    elif url.get_backend_name() == "postgresql" and url.get_driver_name() == "psycopg":
        event.listen(engine, "do_connect", _bounded_connect(limits.answer_within_s))
    return engine


# Lists longer than this are encoded a slice at a time.
_JSON_SLICE = 1_000


def json_text(value: Any) -> str:
    """``json.dumps(value)``, with long lists encoded a slice at a time: a request of 100,000
    creators is 20 MB of JSON, and one call of the C encoder over it would hold every other
    thread (the event loop answering health checks included) for most of a second."""
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{json.dumps(str(k))}: {json_text(v)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, list) and len(value) > _JSON_SLICE:
        slices = (value[i : i + _JSON_SLICE] for i in range(0, len(value), _JSON_SLICE))
        return "[" + ", ".join(json.dumps(part)[1:-1] for part in slices) + "]"
    return json.dumps(value)


def _postgres_connect_args(given: Mapping[str, Any], limits: DatabaseLimits) -> dict[str, Any]:
    """libpq options from ``limits``; those the URL sets itself are left to it."""
    interval = max(1, limits.tcp_keepalive_idle_s // 2)
    wanted: dict[str, Any] = {
        "connect_timeout": limits.connect_timeout_s,
        "keepalives": 1,
        "keepalives_idle": limits.tcp_keepalive_idle_s,
        "keepalives_interval": interval,
        "keepalives_count": 3,
        "tcp_user_timeout": round(limits.tcp_user_timeout_s * 1000),
        "options": f"-c statement_timeout={round(limits.statement_timeout_s * 1000)}",
    }
    return {name: value for name, value in wanted.items() if name not in given}


class _BoundedConnection(psycopg.Connection[Any]):
    """A psycopg connection that waits at most ``answer_within_s`` for any answer.

    psycopg waits on the socket for as long as it takes, and the kernel's TCP settings only
    notice a peer that stops acknowledging: a peer that acknowledges but never answers (a
    proxy that stopped forwarding, a server frozen mid-statement) would hold the request
    forever. Past the bound the connection is closed, so the pool drops it, and the caller
    gets an OperationalError: a 503.
    """

    answer_within_s: float | None = None

    def wait(
        self, gen: PQGen[RV], interval: float = _WAIT_INTERVAL_S, timeout: float | None = None
    ) -> RV:
        bound = timeout if timeout is not None else self.answer_within_s
        try:
            return super().wait(gen, interval, bound)
        except _WAIT_TIMEOUT:
            if timeout is not None:
                raise
            self.pgconn.finish()  # state unknown mid-statement: never reuse it
            raise psycopg.OperationalError(
                f"the database sent no answer within {bound:g} s; connection closed"
            ) from None


def _bounded_connect(answer_within_s: float) -> Callable[..., Any]:
    def connect(
        _dialect: Any, _record: Any, cargs: tuple[Any, ...], cparams: dict[str, Any]
    ) -> _BoundedConnection:
        connection = _BoundedConnection.connect(*cargs, **cparams)
        connection.answer_within_s = answer_within_s
        return connection

    return connect


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys (and so ON DELETE CASCADE) unless asked on every connection.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_AFTER_COMMIT = "after_commit"


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` once the session's transaction is committed (by its owner), e.g. to hand
    a job to a worker that must be able to read its row."""
    session.info.setdefault(_AFTER_COMMIT, []).append(action)


def run_after_commit(session: Session) -> None:
    """Run, in order, what was registered with ``after_commit``; the owner of the
    transaction calls this right after committing it."""
    actions: list[Callable[[], None]] = session.info.pop(_AFTER_COMMIT, [])
    for action in actions:
        action()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # Objects stay readable after commit: answers are built after the transaction ends.
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(database_url: str | None = None) -> Config:
    """An Alembic configuration pointing at this project's migrations.

    Built in code rather than from alembic.ini so that programmatic upgrades leave the
    process's logging setup alone.
    """
    if not (MIGRATIONS_DIR / "env.py").is_file():
        raise DatabaseNotReadyError(f"migration scripts not found in {MIGRATIONS_DIR}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if database_url is not None:
        config.attributes["database_url"] = normalize_database_url(database_url)
    return config


def run_migrations(database_url: str) -> None:
    """Bring the database at ``database_url`` to the latest schema revision."""
    upgrade(alembic_config(database_url), "head")


@lru_cache(maxsize=1)
def _expected_heads() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def assert_migrated(engine: Engine) -> None:
    """Raise DatabaseNotReadyError unless the database is reachable and fully migrated."""
    where = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as exc:
        reason = type(getattr(exc, "orig", None) or exc).__name__
        raise DatabaseNotReadyError(f"cannot reach the database at {where} ({reason})") from exc
    expected = _expected_heads()
    if current != expected:
        found = ", ".join(sorted(current)) or "none (empty database)"
        raise DatabaseNotReadyError(
            f"the database at {where} is not migrated (schema revision {found}, "
            f"expected {', '.join(sorted(expected))}); "
            f"run `{MIGRATE_COMMAND}` first, with the same DATABASE_URL"
        )
