"""Where jobs run: one small interface, two executors chosen by ``Settings.executor``.

- ``InProcessExecutor``: a thread pool in the service process, nothing else to start (the
  embedded default). Each thread waits on a solve that runs in a solver process. When the
  service stops, its running jobs go back to the queue unsolved and its waiting ones are
  marked as held by no one, for another service or its restart to take.
- ``CeleryExecutor``: a task on a Celery queue with the Redis broker; ``influmix worker``
  starts workers on any number of machines. Tasks are acknowledged late and requeued when
  their worker dies; a sweep beside each worker sends again the jobs no worker holds (their
  worker died, or the queue was down when they were queued). The claim in
  ``app.services.jobs`` keeps a job from being stored twice.

Executors only carry job ids: the request, the state and the answer live in the database.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import cache, partial
from typing import Any, Protocol

from celery import Celery, Task
from celery.signals import worker_process_init
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import ExecutorKind, Settings
from app.db import create_db_engine, make_session_factory
from app.services.jobs import (
    JobOutcome,
    hand_back_here,
    mark_submitted,
    orphaned_jobs,
    run_plan_job,
    unsubmit,
)
from app.services.planning import solver_pool

logger = logging.getLogger(__name__)

SOLVE_PLAN_TASK = "influmix.solve_plan"


class JobExecutor(Protocol):
    def start(self) -> None:
        """Begin looking after jobs no worker holds (called when the service starts)."""

    def submit(self, plan_id: str) -> None:
        """Hand a stored, queued job to a worker (after its row is committed)."""

    def drain(self) -> None:
        """Stop taking jobs and give back those of this process, without waiting for them to
        be solved (the service is stopping); safe to call more than once."""

    def shutdown(self) -> None:
        """Stop taking jobs and release what this executor holds."""


class InProcessExecutor:
    def __init__(self, session_factory: sessionmaker[Session], settings: Settings) -> None:
        self._session_factory = session_factory
        self._settings = settings
        self._pool = ThreadPoolExecutor(settings.job_workers, thread_name_prefix="job")
        self._lock = threading.Lock()
        self._pending: dict[str, Future[JobOutcome]] = {}
        self._sweeper = _Sweeper(settings, self._sweep)
        self._stopping = threading.Event()

    def start(self) -> None:
        """Resume the jobs a previous run of the service left, then sweep for orphans."""
        with self._session_factory() as session:
            left = orphaned_jobs(session, self._settings, at_startup=True)
        for plan_id in left:
            self.submit(plan_id)
        if left:
            logger.info("resumed %d job(s)", len(left))
        self._sweeper.start()

    def submit(self, plan_id: str) -> None:
        with self._lock:
            if self._stopping.is_set():
                return  # stays queued and unsubmitted: another service's sweep takes it
            if plan_id in self._pending:
                return  # already waiting for a thread of this pool
            future = self._pool.submit(
                run_plan_job,
                self._session_factory,
                self._settings,
                plan_id,
                stopping=self._stopping,
            )
            self._pending[plan_id] = future
        future.add_done_callback(partial(self._done, plan_id))
        mark_submitted(self._session_factory, [plan_id])

    def _done(self, plan_id: str, future: Future[JobOutcome]) -> None:
        with self._lock:
            self._pending.pop(plan_id, None)
        if not future.cancelled() and future.exception() is not None:
            logger.error("job %s crashed", plan_id, exc_info=future.exception())

    def _sweep(self) -> None:
        with self._session_factory() as session:
            orphans = orphaned_jobs(session, self._settings)
        for plan_id in orphans:
            self.submit(plan_id)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every submitted job has run; False if ``timeout`` passed first."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                pending = list(self._pending.values())
            if not pending:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            wait(pending, timeout=remaining)

    def drain(self) -> None:
        with self._lock:
            if self._stopping.is_set():
                return  # drained already (on SIGTERM, then again at shutdown)
            self._stopping.set()
            held = list(self._pending)
        self._sweeper.stop()
        # Running solves are cancelled and handed back (run_plan_job), so the wait is short:
        # the solver's grace and one update.
        hand_back_here(held)
        self._pool.shutdown(wait=True, cancel_futures=True)
        try:
            unsubmit(self._session_factory, held)
        except Exception:  # still picked up: as jobs of a dead service, once stale
            logger.exception("could not mark %d waiting job(s) as unsubmitted", len(held))
        if held:
            logger.info("gave back %d job(s) to the queue", len(held))

    def shutdown(self) -> None:
        self.drain()


class CeleryExecutor:
    def __init__(self, settings: Settings, session_factory: sessionmaker[Session]) -> None:
        self._app = celery_app(settings)
        self._session_factory = session_factory

    def start(self) -> None:
        """Nothing to do: workers sweep for orphaned jobs (``run_worker``)."""

    def drain(self) -> None:
        """Nothing to give back: jobs run on the workers."""

    def submit(self, plan_id: str) -> None:
        try:
            self._app.send_task(SOLVE_PLAN_TASK, args=[plan_id])
        except Exception:  # kombu raises its own connection errors
            # The job is stored: a worker's sweep sends it once the queue is back.
            logger.warning("job %s: the queue is not reachable; left for a sweep", plan_id)
            return
        mark_submitted(self._session_factory, [plan_id])

    def shutdown(self) -> None:
        self._app.close()


def make_executor(settings: Settings, session_factory: sessionmaker[Session]) -> JobExecutor:
    if settings.executor is ExecutorKind.CELERY:
        return CeleryExecutor(settings, session_factory)
    return InProcessExecutor(session_factory, settings)


class _Sweeper:
    """Runs ``sweep`` every ``job_stale_after_s`` on a thread of its own, until stopped."""

    def __init__(self, settings: Settings, sweep: Callable[[], None]) -> None:
        self._interval = settings.job_stale_after_s
        self._sweep = sweep
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="job-sweeper", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._sweep()
            except Exception:  # the next sweep tries again
                logger.exception("sweep for orphaned jobs failed")


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


def _warm_solver_processes(settings: Settings, concurrency: int) -> None:
    """Start the solver processes before the first job: in this process when it solves (the
    solo pool), else in each forked child as it starts (a child must not share its parent's)."""
    if concurrency == 1:
        solver_pool(settings)
        return

    def warm(**_: object) -> None:
        solver_pool(settings)

    worker_process_init.connect(warm, weak=False)


def run_worker(settings: Settings, *, concurrency: int = 1, hostname: str | None = None) -> None:
    """Run a Celery worker until it is stopped (``influmix worker``).

    Beside it, a sweep sends again the jobs no worker holds: queued while the queue was down,
    or left running by a worker that died.
    """
    # A worker runs the jobs queued for Celery, whatever the environment says of the service.
    settings = settings.model_copy(update={"executor": ExecutorKind.CELERY})
    app = celery_app(settings)
    sessions = _worker_sessions(settings.database_url)

    def sweep() -> None:
        with sessions() as session:
            orphans = orphaned_jobs(session, settings)
        for plan_id in orphans:
            app.send_task(SOLVE_PLAN_TASK, args=[plan_id])
        if orphans:
            mark_submitted(sessions, orphans)
            logger.info("sent %d job(s) no worker held", len(orphans))

    sweeper = _Sweeper(settings, sweep)
    sweeper.start()
    _warm_solver_processes(settings, concurrency)
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
    try:
        app.worker_main(argv)
    finally:
        sweeper.stop()
