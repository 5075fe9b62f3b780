"""The service's one configuration object, read from the environment."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, ClassVar

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class ExecutorKind(StrEnum):
    INPROCESS = "inprocess"  # a thread pool in the service process: nothing else to run
    CELERY = "celery"  # workers started with `influmix worker`, sharing a Redis queue


@dataclass(frozen=True, slots=True)
class DatabaseLimits:
    """How long the service waits on the database before it answers 503 instead.

    PostgreSQL only (SQLite is a file: nothing to time out but the pool wait). A partition (a
    connection that stays open but carries no packets) is noticed by the kernel through TCP
    keepalives and ``tcp_user_timeout``; a server that keeps the connection but never answers
    (or a proxy in between that stopped forwarding) by the bound on waiting for an answer,
    ``statement_timeout_s`` plus ``ANSWER_GRACE_S``: the server cancels a statement at its
    timeout and says so, so an answer later than that is not coming.
    """

    connect_timeout_s: int = 5
    statement_timeout_s: float = 10.0
    pool_timeout_s: float = 5.0
    tcp_keepalive_idle_s: int = 5
    tcp_user_timeout_s: float = 10.0

    ANSWER_GRACE_S: ClassVar[float] = 1.0

    @property
    def answer_within_s(self) -> float:
        return self.statement_timeout_s + self.ANSWER_GRACE_S


_DB = DatabaseLimits()


class Settings(BaseSettings):
    """Every knob of the service.

    Variables carry the ``INFLUMIX_`` prefix, except ``DATABASE_URL`` which is read as-is
    because that is the name hosting platforms and container setups already provide.
    """

    model_config = SettingsConfigDict(
        env_prefix="INFLUMIX_",
        extra="ignore",
        populate_by_name=True,
    )

    database_url: str = Field(
        default="sqlite:///./influmix.db",
        validation_alias=AliasChoices("DATABASE_URL", "INFLUMIX_DATABASE_URL"),
        description="SQLAlchemy URL; postgresql:// is rewritten to the psycopg 3 driver.",
    )
    solve_time_limit_s: float = Field(
        default=60.0,
        gt=0,
        description="Upper bound on a request's options.time_limit_s (larger values are capped).",
    )
    solver_threads: int | None = Field(
        default=None,
        gt=0,
        le=256,
        description=(
            "Threads HiGHS may use per solve (unset: its own choice, all cores). 1 lets "
            "several workers on one machine each keep a core busy."
        ),
    )
    solver_processes: int = Field(
        default_factory=lambda: max(1, len(os.sched_getaffinity(0))),
        gt=0,
        le=256,
        description=(
            "Solver processes kept ready in each service or worker process (default: the CPUs "
            "it may use); a solve that finds all busy waits for one until its time limit."
        ),
    )
    solve_memory_mb: int | None = Field(
        default=8192,
        gt=0,
        description=(
            "Resident memory one solve may use; past it the solve ends as failed and the "
            "service lives on (unset: no cap)."
        ),
    )
    solve_grace_s: float = Field(
        default=0.5,
        gt=0,
        le=30,
        description=(
            "How long past its time limit a solve may take to answer before its process is "
            "ended and the best plan it reported is kept."
        ),
    )
    lever_time_box_s: float = Field(
        default=5.0,
        gt=0,
        le=60,
        description=(
            "Longest time a plan's levers (diagnostics.levers) may add to its solve, within the "
            "request's own time limit; levers not re-solved by then are listed as skipped."
        ),
    )
    max_request_bytes: int = Field(
        default=64 * 1024 * 1024,
        gt=0,
        description="Largest accepted request body; a full 100,000-creator request fits.",
    )
    max_small_request_bytes: int = Field(
        default=1024 * 1024,
        gt=0,
        description=(
            "Largest accepted body on routes other than plans, frontiers and imports (a "
            "catalog entry, a key): those are a few hundred bytes."
        ),
    )
    max_candidates: int = Field(
        default=100_000,
        gt=0,
        # The request model refuses longer lists while parsing (app.schemas.plans
        # MAX_CANDIDATES); this setting may lower the limit, not raise it.
        le=100_000,
        description="Most candidates in one plan request (at most 100,000).",
    )
    max_import_rows: int = Field(
        default=100_000, gt=0, description="Most data rows in one catalog import file."
    )
    rate_limit_per_minute: int = Field(
        default=600, gt=0, description="Requests per minute one API key may make (429 past it)."
    )
    max_concurrent_solves: int = Field(
        default=4, gt=0, description="Solves one workspace may run at once (429 past it)."
    )
    limits_redis_url: str | None = Field(
        default=None,
        description=(
            "Redis holding the rate limits and solve caps, so that every process pointing at "
            "it enforces one limit (unset: each process counts in its own memory)."
        ),
    )
    limits_key_prefix: str = Field(
        default="influmix",
        min_length=1,
        max_length=64,
        description="Prefix of the limits' keys in Redis (one per deployment sharing a Redis).",
    )
    solve_slot_lease_s: float = Field(
        default=15.0,
        ge=1,
        le=600,
        description=(
            "With Redis: a running solve's slot is a lease renewed while it runs; the slot of "
            "a process that died is free again after this long."
        ),
    )
    failed_key_limit: int = Field(
        default=20,
        gt=0,
        description="Invalid API keys one client address may send per window (429 past it).",
    )
    failed_key_window_s: int = Field(
        default=60, gt=0, le=86_400, description="The window of failed_key_limit, in seconds."
    )
    metrics_enabled: bool = Field(
        default=False, description="Serve Prometheus metrics at /metrics (off: a 404)."
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="When set, /metrics asks for `Authorization: Bearer <token>`.",
    )
    idempotency_ttl_s: float = Field(
        default=24 * 3600.0, gt=0, description="How long an Idempotency-Key's answer is kept."
    )
    idempotency_wait_s: float = Field(
        default=30.0,
        ge=0,
        description="How long a retry waits for the first request's answer before a 409.",
    )
    executor: ExecutorKind = Field(
        default=ExecutorKind.INPROCESS,
        description="Where asynchronous plans (Prefer: respond-async) and frontiers are solved.",
    )
    job_workers: int = Field(
        default=2, gt=0, le=64, description="Solves the in-process executor runs at once."
    )
    broker_url: str = Field(
        default="redis://127.0.0.1:6379/0", description="Celery broker, for executor=celery."
    )
    job_queue: str = Field(
        default="influmix",
        min_length=1,
        max_length=64,
        description="Celery queue the service sends jobs to and workers take them from.",
    )
    job_heartbeat_s: float = Field(
        default=1.0,
        gt=0,
        description="How often a running job saves its progress and looks for a cancel.",
    )
    job_stale_after_s: float = Field(
        default=15.0,
        gt=0,
        description="A running job silent this long is taken over by another worker.",
    )
    broker_visibility_timeout_s: float = Field(
        default=120.0,
        gt=0,
        description=(
            "Seconds before the broker hands an unacknowledged job (its worker died) to "
            "another worker; a job still running then is left to its worker."
        ),
    )
    db_connect_timeout_s: int = Field(
        default=_DB.connect_timeout_s,
        ge=2,  # libpq counts whole seconds and treats less than 2 as 2
        description="PostgreSQL: seconds to open a connection (TCP and handshake).",
    )
    db_statement_timeout_s: float = Field(
        default=_DB.statement_timeout_s,
        gt=0,
        description=(
            "PostgreSQL: the server cancels a statement running longer; the service waits at "
            "most one second more for any answer, then drops the connection and answers 503."
        ),
    )
    db_pool_timeout_s: float = Field(
        default=_DB.pool_timeout_s,
        gt=0,
        description="Seconds a request waits for a free database connection before a 503.",
    )
    db_tcp_keepalive_idle_s: int = Field(
        default=_DB.tcp_keepalive_idle_s,
        ge=1,
        description="PostgreSQL: idle seconds before TCP keepalive probes check the peer.",
    )
    db_tcp_user_timeout_s: float = Field(
        default=_DB.tcp_user_timeout_s,
        gt=0,
        description="PostgreSQL: seconds sent data may stay unacknowledged before the "
        "kernel drops the connection (a partition).",
    )
    shutdown_grace_s: float = Field(
        default=15.0,
        ge=0,
        le=600,
        description=(
            "On SIGTERM: how long solves in flight may go on to finish (new ones get 503 "
            "meanwhile); those still running then answer with their best plan so far. The "
            "process exits at most this plus the solve grace and a few seconds later."
        ),
    )
    readiness_timeout_s: float = Field(
        default=0.8,
        gt=0,
        description="/readyz answers 503 when the database check takes longer than this.",
    )
    log_level: str = Field(default="INFO", description="Level of the JSON logs on stderr.")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Allowed browser origins, comma-separated or a JSON list; empty = CORS off.",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)

    @property
    def database_limits(self) -> DatabaseLimits:
        return DatabaseLimits(
            connect_timeout_s=self.db_connect_timeout_s,
            statement_timeout_s=self.db_statement_timeout_s,
            pool_timeout_s=self.db_pool_timeout_s,
            tcp_keepalive_idle_s=self.db_tcp_keepalive_idle_s,
            tcp_user_timeout_s=self.db_tcp_user_timeout_s,
        )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                return json.loads(value)
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
