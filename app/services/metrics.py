"""Prometheus metrics: request latency by route, solves, jobs, queue depth, database pool.

Counters and histograms (requests, solves) live in this process's memory: with several
service processes, each serves its own at /metrics and Prometheus scrapes each (its
``instance`` label tells them apart). Solves run by Celery workers are counted in the worker
processes, which do not serve /metrics. Jobs by state and the queue depth are read from the
database at each scrape, so every process reports the same, global, figures; the pool is
this process's own.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Iterator

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.errors import NotFoundError, UnauthorizedError
from models import Plan, PlanState

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class ServiceCollector(Collector):
    """Figures read when scraped: jobs from the database, the pool from the engine."""

    def __init__(self, engine: Engine, sessions: sessionmaker[Session]) -> None:
        self._engine = engine
        self._sessions = sessions

    def collect(self) -> Iterable[Metric]:
        yield from self._pool()
        yield from self._jobs()

    def _pool(self) -> Iterator[Metric]:
        pool = self._engine.pool
        size = getattr(pool, "size", None)
        checked_out = getattr(pool, "checkedout", None)
        if callable(size) and callable(checked_out):
            yield GaugeMetricFamily(
                "influmix_db_pool_size", "Connections the pool keeps open.", value=size()
            )
            yield GaugeMetricFamily(
                "influmix_db_pool_checked_out",
                "Connections in use by this process (past the size: overflow).",
                value=checked_out(),
            )

    def _jobs(self) -> Iterator[Metric]:
        pending = (PlanState.QUEUED, PlanState.RUNNING)
        try:
            with self._sessions() as session:
                rows = session.execute(
                    select(Plan.status, func.count())
                    .where(Plan.status.in_(pending))
                    .group_by(Plan.status)
                ).all()
        except SQLAlchemyError:
            return  # the database is away: /readyz says so; the other figures still serve
        counts = dict.fromkeys(pending, 0)
        counts.update({PlanState(status): count for status, count in rows})
        jobs = GaugeMetricFamily(
            "influmix_jobs", "Plans waiting or being solved, by state.", labels=["state"]
        )
        for state, count in counts.items():
            jobs.add_metric([state.value], count)
        yield jobs
        yield GaugeMetricFamily(
            "influmix_job_queue_depth",
            "Plans queued and not yet started, in every process.",
            value=counts[PlanState.QUEUED],
        )


class Exposition:
    """What /metrics serves for one application instance."""

    def __init__(self, settings: Settings, engine: Engine, sessions: sessionmaker[Session]):
        self._settings = settings
        self._own = CollectorRegistry(auto_describe=False)
        self._own.register(ServiceCollector(engine, sessions))

    def check_access(self, authorization: str | None) -> None:
        """404 when metrics are off; 401 without the token when one is set."""
        if not self._settings.metrics_enabled:
            raise NotFoundError("not found")
        token = self._settings.metrics_token
        if token is None:
            return
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.get_secret_value().encode()):
            raise UnauthorizedError(
                "send the metrics token as `Authorization: Bearer <token>`",
                key_given=bool(given),
            )

    def render(self) -> bytes:
        # The process-wide registry (requests, solves, the process's own figures) and this
        # instance's (jobs, pool): their names never overlap, so the texts concatenate.
        return generate_latest(REGISTRY) + generate_latest(self._own)
