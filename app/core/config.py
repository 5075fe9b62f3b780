"""The service's one configuration object, read from the environment."""

from __future__ import annotations

import json
from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class ExecutorKind(StrEnum):
    INPROCESS = "inprocess"  # a thread pool in the service process: nothing else to run
    CELERY = "celery"  # workers started with `influmix worker`, sharing a Redis queue


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
    log_level: str = Field(default="INFO", description="Level of the JSON logs on stderr.")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Allowed browser origins, comma-separated or a JSON list; empty = CORS off.",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)

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
