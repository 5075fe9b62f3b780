"""Where jobs run: one small interface, two executors chosen by ``Settings.executor``.

- ``InProcessExecutor``: a thread pool in the service process, nothing else to start (the
  embedded default). HiGHS releases the GIL while it solves, so threads do run side by side.
- ``CeleryExecutor``: a task on a Celery queue with the Redis broker; ``influmix worker``
  starts workers on any number of machines. Tasks are acknowledged late and requeued when
  their worker dies, so a job is never lost; the claim in ``app.services.jobs`` keeps it from
  being stored twice.

Executors only carry job ids: the request, the state and the answer live in the database.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from http import HTTPStatus
from typing import Any, Protocol

from celery import Celery, Task
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import ExecutorKind, Settings
from app.db import create_db_engine, make_session_factory
from app.errors import AppError
from app.services.jobs import JobOutcome, requeue_candidates, run_plan_job

logger = logging.getLogger(__name__)

SOLVE_PLAN_TASK = "influmix.solve_plan"


class QueueUnavailableError(AppError):
    """The job could not be handed to the queue (the broker is down)."""

    status = HTTPStatus.SERVICE_UNAVAILABLE
    kind = "queue-unavailable"


class JobExecutor(Protocol):
    def submit(self, plan_id: str) -> None:
        """Hand a stored, queued job to a worker (after its row is committed)."""

    def shutdown(self) -> None:
        """Stop taking jobs; jobs already running finish first."""


class InProcessExecutor:
    def __init__(self, session_factory: sessionmaker[Session], settings: Settings) -> None:
        self._session_factory = session_factory
        self._settings = settings
        self._pool = ThreadPoolExecutor(settings.job_workers, thread_name_prefix="job")
        self._lock = threading.Lock()
        self._pending: set[Future[JobOutcome]] = set()

    def submit(self, plan_id: str) -> None:
        future = self._pool.submit(run_plan_job, self._session_factory, self._settings, plan_id)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: Future[JobOutcome]) -> None:
        with self._lock:
            self._pending.discard(future)
        if future.exception() is not None:
            logger.error("job crashed", exc_info=future.exception())

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every submitted job has run; False if ``timeout`` passed first."""
        with self._lock:
            pending = list(self._pending)
        done = threading.Event()
        remaining = len(pending)
        if not remaining:
            return True
        lock = threading.Lock()

        def one_done(_: Future[JobOutcome]) -> None:
            nonlocal remaining
            with lock:
                remaining -= 1
                if remaining == 0:
                    done.set()

        for future in pending:
            future.add_done_callback(one_done)
        return done.wait(timeout)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class CeleryExecutor:
    def __init__(self, settings: Settings) -> None:
        self._app = celery_app(settings)

    def submit(self, plan_id: str) -> None:
        try:
            self._app.send_task(SOLVE_PLAN_TASK, args=[plan_id])
        except Exception as exc:  # kombu raises its own connection errors
            raise QueueUnavailableError(
                "the job queue is not reachable; the plan is stored as queued and runs when "
                "a worker starts"
            ) from exc

    def shutdown(self) -> None:
        self._app.close()


def make_executor(settings: Settings, session_factory: sessionmaker[Session]) -> JobExecutor:
    if settings.executor is ExecutorKind.CELERY:
        return CeleryExecutor(settings)
    return InProcessExecutor(session_factory, settings)


# --- Celery ------------------------------------------------------------------------------------


def celery_app(settings: Settings) -> Celery:
    """The Celery application of the service (producer) and of ``influmix worker``."""
    app = Celery("influmix", broker=settings.broker_url, set_as_current=False)
    visibility = settings.broker_visibility_timeout_s
    app.conf.update(
        # Acknowledged when done, requeued when the worker dies mid-solve.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # One job at a time per worker process: a solve is long and CPU-bound.
        worker_prefetch_multiplier=1,
        # The database holds every job's state and answer.
        task_ignore_result=True,
        broker_transport_options={
            "visibility_timeout": visibility,
            # Look for jobs of dead workers often enough to requeue them soon after.
            "unacked_restore_interval": max(1, int(visibility / 4)),
            "unacked_restore_throttle": 1,
        },
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        task_default_queue=settings.job_queue,
    )
    app.task(name=SOLVE_PLAN_TASK, bind=True, max_retries=None)(_solve_plan_task(settings))
    return app


def _solve_plan_task(settings: Settings) -> Callable[..., str]:
    def solve_plan(task: Task[Any, Any], plan_id: str) -> str:
        outcome = run_plan_job(_worker_sessions(settings.database_url), settings, plan_id)
        if outcome is JobOutcome.BUSY:
            # Another worker holds it. Look again once it could have gone silent, so that if
            # it dies this job is still in the queue.
            raise task.retry(countdown=settings.job_stale_after_s)
        return outcome.value

    return solve_plan


@cache
def _sessions_of_process(database_url: str, pid: int) -> sessionmaker[Session]:
    return make_session_factory(create_db_engine(database_url))


def _worker_sessions(database_url: str) -> sessionmaker[Session]:
    # Per process: a forked pool child must not reuse its parent's connections.
    return _sessions_of_process(database_url, os.getpid())


def run_worker(settings: Settings, *, concurrency: int = 1, hostname: str | None = None) -> None:
    """Run a Celery worker until it is stopped (``influmix worker``).

    First, jobs that no worker holds go back on the queue: queued while the broker was down,
    or left by a worker that died.
    """
    app = celery_app(settings)
    sessions = _worker_sessions(settings.database_url)
    with sessions() as session:
        orphans = requeue_candidates(session, settings, queued_for_s=settings.job_stale_after_s)
    for plan_id in orphans:
        app.send_task(SOLVE_PLAN_TASK, args=[plan_id])
    if orphans:
        logger.info("requeued %d job(s) no worker held", len(orphans))
    argv = [
        "worker",
        f"--concurrency={concurrency}",
        # One solve per process: solo for one, forked children for more.
        f"--pool={'solo' if concurrency == 1 else 'prefork'}",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
    ]
    if hostname:
        argv.append(f"--hostname={hostname}")
    app.worker_main(argv)
