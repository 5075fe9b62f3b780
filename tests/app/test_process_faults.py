"""Process death, redeploys and deployments sharing a database, with real processes.

`influmix serve` (and `influmix worker`) run as processes of their own on PostgreSQL, each in
its own process group so that SIGKILL takes its solver processes too. Each test counts what
was acknowledged (a 201 or a 202) and checks afterwards, in the database, that each is there
exactly once, finished and complete (a plan with all its allocation rows), that nothing
unacknowledged was stored, and from the logs that each job was stored by one worker only.

On PostgreSQL, which deployments share; the rolling restart runs on a SQLite file too.
Every wait is a bounded poll; the deadlines are generous, not how long things take.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from sqlalchemy import Engine, delete, func, select

from app.db import make_session_factory
from models import IdempotencyRecord, Plan, PlanAllocation
from tests.servers import free_port, wait_until_healthy
from tests.support.app import new_key
from tests.support.payloads import long_request, small_request

INFLUMIX = Path(sys.executable).with_name("influmix")
BROKER_URL = "redis://127.0.0.1:6379/15"
ASYNC = {"Prefer": "respond-async"}
# Bounds on waits (generous: a loaded 2-core machine), not how long things take.
DEADLINE_S = 60.0
# Short job timings, so that a dead worker's job is taken over within seconds.
STALE_S = 1.5
GRACE_S = 3.0
SERVICE_ENV = {
    "INFLUMIX_JOB_HEARTBEAT_S": "0.2",
    "INFLUMIX_JOB_STALE_AFTER_S": str(STALE_S),
    "INFLUMIX_SHUTDOWN_GRACE_S": str(GRACE_S),
    "INFLUMIX_JOB_WORKERS": "2",
    "INFLUMIX_SOLVER_PROCESSES": "2",
    "INFLUMIX_IDEMPOTENCY_WAIT_S": "0",
    "INFLUMIX_RATE_LIMIT_PER_MINUTE": "1000000",
    "INFLUMIX_BROKER_VISIBILITY_TIMEOUT_S": "4",
}
FINISHED = ("optimal", "feasible", "infeasible", "failed", "cancelled")


@pytest.fixture
def key(database_url: str, db_engine: Engine) -> str:
    return new_key(make_session_factory(db_engine))


@pytest.fixture(scope="module")
def job_body() -> dict[str, Any]:
    """A job that runs its whole time limit (HiGHS takes far longer to prove it)."""
    return long_request(3.0)


@dataclass
class Proc:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    base_url: str = ""

    def kill(self) -> None:
        """SIGKILL to the whole process group: the solver processes die with it."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def text(self) -> str:
        return self.log.read_text(errors="replace")


@dataclass
class Acknowledged:
    """What the services said they took: jobs (202) and stored plans (201)."""

    jobs: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)

    @property
    def all(self) -> set[str]:
        return {*self.jobs, *self.plans}


def _env(database_url: str, extra: dict[str, str]) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("INFLUMIX_")}
    return {**clean, **SERVICE_ENV, **extra, "DATABASE_URL": database_url}


@contextmanager
def processes() -> Iterator[Callable[[Proc], Proc]]:
    """Keeps track of the processes a test starts; whatever is still alive at the end is
    killed with its group."""
    started: list[Proc] = []

    def track(proc: Proc) -> Proc:
        started.append(proc)
        return proc

    try:
        yield track
    finally:
        for proc in started:
            if proc.process.poll() is None:
                proc.kill()


def start_service(name: str, database_url: str, log_dir: Path, **extra: str) -> Proc:
    """`influmix serve` on a free port (not waited for: see ``healthy``)."""
    port = free_port()
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(INFLUMIX), "serve", "--no-demo", "--port", str(port)],
            env=_env(database_url, extra),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Proc(name, process, log, f"http://127.0.0.1:{port}")


def start_worker(name: str, database_url: str, log_dir: Path, queue: str) -> Proc:
    log = log_dir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(INFLUMIX), "worker", "--hostname", f"{name}@%h"],
            env=_env(
                database_url,
                {"INFLUMIX_BROKER_URL": BROKER_URL, "INFLUMIX_JOB_QUEUE": queue},
            ),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Proc(name, process, log)


def healthy(*services: Proc) -> None:
    for service in services:
        wait_until_healthy(service.process, service.base_url, service.text, DEADLINE_S)


def wait_for(what: str, condition: Callable[[], bool], timeout_s: float = DEADLINE_S) -> float:
    """Poll ``condition`` until it holds; the seconds it took. Fails past ``timeout_s``."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout_s, f"gave up waiting for {what}"
        time.sleep(0.1)
    return time.monotonic() - started


def http(service: Proc, key: str) -> httpx.Client:
    return httpx.Client(
        base_url=service.base_url,
        headers={"Authorization": f"Bearer {key}"},
        timeout=httpx.Timeout(DEADLINE_S, connect=5.0),
    )


def queue_jobs(service: Proc, key: str, body: dict[str, Any], count: int) -> list[str]:
    with http(service, key) as client:
        answers = [client.post("/v1/plans", json=body, headers=ASYNC) for _ in range(count)]
    assert all(a.status_code == 202 for a in answers), [a.text for a in answers]
    return [a.json()["id"] for a in answers]


def solve_in_background(
    pool: ThreadPoolExecutor,
    service: Proc,
    key: str,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> Future[httpx.Response]:
    def send() -> httpx.Response:
        with http(service, key) as client:
            return client.post("/v1/plans", json=body, headers=headers or {})

    return pool.submit(send)


def solve_started(
    pool: ThreadPoolExecutor, engine: Engine, service: Proc, key: str, body: dict[str, Any]
) -> Future[httpx.Response]:
    """A synchronous solve, returned once the service is solving it: its Idempotency-Key is
    claimed in the database once the request is past its checks, just before the solve."""
    idempotency_key = uuid.uuid4().hex
    in_flight = solve_in_background(pool, service, key, body, {"Idempotency-Key": idempotency_key})

    def claimed() -> bool:
        with engine.connect() as conn:
            found = conn.scalar(
                select(IdempotencyRecord.id).where(IdempotencyRecord.key == idempotency_key)
            )
        return found is not None

    wait_for("the synchronous solve to start", claimed)
    return in_flight


def statuses(engine: Engine, plan_ids: list[str]) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(select(Plan.id, Plan.status).where(Plan.id.in_(plan_ids)))
        return {plan_id: str(status) for plan_id, status in rows}


def all_finished(engine: Engine, plan_ids: list[str]) -> Callable[[], bool]:
    return lambda: all(s in FINISHED for s in statuses(engine, plan_ids).values())


def running(engine: Engine, plan_ids: list[str], at_least: int) -> Callable[[], bool]:
    return lambda: sum(s == "running" for s in statuses(engine, plan_ids).values()) >= at_least


def assert_stored_once_and_complete(
    engine: Engine, acknowledged: Acknowledged, logs: list[Proc]
) -> None:
    """Every acknowledged plan is stored once, finished and whole; nothing else is stored."""
    with engine.connect() as conn:
        plans = {
            row.id: row
            for row in conn.execute(select(Plan.id, Plan.status, Plan.answer, Plan.attempts))
        }
        allocation_rows = dict(
            conn.execute(
                select(PlanAllocation.plan_id, func.count()).group_by(PlanAllocation.plan_id)
            ).all()
        )
    assert set(plans) == acknowledged.all
    for plan_id, plan in plans.items():
        assert plan.status in ("optimal", "feasible"), (plan_id, plan.status)
        assert plan.answer is not None
        assert plan.answer["allocations"], plan_id
        assert allocation_rows.get(plan_id, 0) == len(plan.answer["allocations"]), plan_id
    text = "".join(proc.text() for proc in logs)
    for job_id in acknowledged.jobs:
        assert text.count(f"job {job_id} stored") == 1, job_id
    for plan_id in acknowledged.plans:
        assert text.count(f"plan {plan_id} stored") == 1, plan_id


def report(line: str) -> None:
    print(f"\n[measured] {line}", file=sys.stderr)


def test_serve_killed_mid_solves_finishes_every_acknowledged_job_once_after_restart(
    postgres_url: str, key: str, db_engine: Engine, job_body: dict[str, Any], tmp_path: Path
) -> None:
    acknowledged = Acknowledged()
    with processes() as track, ThreadPoolExecutor(2) as pool:
        first = track(start_service("first", postgres_url, tmp_path))
        healthy(first)
        # Two jobs run (two job threads), the third waits for a thread.
        acknowledged.jobs += queue_jobs(first, key, job_body, 3)
        in_flight = solve_in_background(pool, first, key, long_request(60.0))
        wait_for("two running jobs", running(db_engine, acknowledged.jobs, 2))
        first.kill()
        # The synchronous solve was never answered: it must leave nothing behind.
        with pytest.raises(httpx.TransportError):
            in_flight.result(timeout=DEADLINE_S)

        restarted_at = time.monotonic()
        second = track(start_service("second", postgres_url, tmp_path))
        healthy(second)
        took = wait_for("every job finished", all_finished(db_engine, acknowledged.jobs))
        report(
            f"kill -9 of serve: restart to all 3 jobs finished "
            f"{time.monotonic() - restarted_at:.1f} s ({took:.1f} s after it was healthy)"
        )

        assert_stored_once_and_complete(db_engine, acknowledged, [first, second])
        with db_engine.connect() as conn:
            attempts = dict(conn.execute(select(Plan.id, Plan.attempts)).all())
        # The two killed mid-solve were started twice, the waiting one once.
        assert sorted(attempts[i] for i in acknowledged.jobs) == [1, 2, 2]


def test_sigterm_refuses_new_work_answers_the_solve_in_flight_and_hands_jobs_back(
    postgres_url: str, key: str, db_engine: Engine, tmp_path: Path
) -> None:
    acknowledged = Acknowledged()
    with processes() as track, ThreadPoolExecutor(2) as pool:
        service = track(start_service("service", postgres_url, tmp_path))
        healthy(service)
        jobs = queue_jobs(service, key, long_request(60.0), 2)
        wait_for("two running jobs", running(db_engine, jobs, 2))
        in_flight = solve_started(pool, db_engine, service, key, long_request(60.0))

        signalled = time.monotonic()
        service.process.send_signal(signal.SIGTERM)
        with http(service, key) as client:
            unready_after = wait_for(
                "/readyz to answer 503",
                lambda: client.get("/readyz").status_code == 503,
                timeout_s=5.0,
            )
            refused = client.post("/v1/plans", json=small_request(3))
            refused_async = client.post("/v1/plans", json=small_request(3), headers=ASYNC)
            assert client.get("/healthz").status_code == 200
        for answer in (refused, refused_async):
            assert answer.status_code == 503, answer.text
            assert answer.headers["Retry-After"] == "2"
            assert answer.json()["type"].endswith("service-stopping")

        answer = in_flight.result(timeout=GRACE_S + DEADLINE_S)
        answered_after = time.monotonic() - signalled
        service.process.wait(timeout=GRACE_S + DEADLINE_S)
        exited_after = time.monotonic() - signalled
        report(
            f"SIGTERM with a 60 s solve and 2 jobs in flight, grace {GRACE_S:g} s: unready "
            f"after {unready_after:.2f} s, solve answered after {answered_after:.2f} s, "
            f"exit after {exited_after:.2f} s (code {service.process.returncode})"
        )

    # The solve in flight was cut at the end of the grace and answered with its plan so far.
    assert answer.status_code == 201, answer.text
    plan = answer.json()
    assert plan["status"] == "feasible"
    assert plan["solver"]["stopped_by"] == "time_limit"
    acknowledged.plans.append(plan["id"])
    assert GRACE_S - 0.5 <= answered_after <= GRACE_S + 10
    assert exited_after <= GRACE_S + 15
    assert service.process.returncode == 0
    # The jobs went back to the queue unsolved, free for any service to take.
    with db_engine.connect() as conn:
        rows = conn.execute(
            select(Plan.status, Plan.claim_token, Plan.submitted_at, Plan.attempts).where(
                Plan.id.in_(jobs)
            )
        ).all()
    assert [tuple(r) for r in rows] == [("queued", None, None, 0)] * 2
    text = service.text()
    for job_id in jobs:
        assert f"job {job_id} handed back to the queue" in text
        assert f"job {job_id} stored" not in text

    with db_engine.begin() as conn:  # checked above; the answered plan is what is left
        conn.execute(delete(Plan).where(Plan.id.in_(jobs)))
    assert_stored_once_and_complete(db_engine, acknowledged, [service])


def test_a_rolling_restart_of_two_services_keeps_every_acknowledged_plan_once(
    database_url: str, key: str, db_engine: Engine, job_body: dict[str, Any], tmp_path: Path
) -> None:
    """On both databases: two services on one SQLite file too."""
    acknowledged = Acknowledged()
    with processes() as track, ThreadPoolExecutor(4) as pool:
        a = track(start_service("a1", database_url, tmp_path))
        b = track(start_service("b1", database_url, tmp_path))
        healthy(a, b)
        logs = [a, b]
        acknowledged.jobs += queue_jobs(b, key, job_body, 3)
        # Long enough to be in flight when their service is stopped: cut at the grace's end.
        solves = [solve_started(pool, db_engine, s, key, long_request(60.0)) for s in (b, a)]
        first_jobs = queue_jobs(a, key, job_body, 3)
        acknowledged.jobs += first_jobs
        wait_for("running jobs on the first", running(db_engine, first_jobs, 2))

        started = time.monotonic()
        for name in ("a2", "b2"):
            old = a if name == "a2" else b
            old.process.send_signal(signal.SIGTERM)
            old.process.wait(timeout=GRACE_S + DEADLINE_S)
            assert old.process.returncode == 0
            new = track(start_service(name, database_url, tmp_path))
            healthy(new)
            logs.append(new)
            a, b = (new, b) if name == "a2" else (a, new)
        restarted = time.monotonic() - started
        took = wait_for("every job finished", all_finished(db_engine, acknowledged.jobs))
        report(
            f"rolling restart of 2 services with 6 jobs and 2 solves in flight: restarts "
            f"{restarted:.1f} s, then all jobs finished after {took:.1f} s"
        )
        for solve in solves:
            answer = solve.result(timeout=DEADLINE_S)
            assert answer.status_code == 201, answer.text
            acknowledged.plans.append(answer.json()["id"])
        # The first had jobs running when stopped, and gave them back rather than finish them.
        assert "handed back to the queue" in logs[0].text()

    stored = len(statuses(db_engine, list(acknowledged.all)))
    report(
        f"rolling restart: acknowledged {len(acknowledged.jobs)} jobs + "
        f"{len(acknowledged.plans)} plans; stored {stored}"
    )
    assert_stored_once_and_complete(db_engine, acknowledged, logs)


@pytest.fixture
def queue() -> Iterator[str]:
    """A Redis queue of this test's own, removed after it (no Redis is a failure)."""
    name = f"influmix-test-{uuid.uuid4().hex}"
    client = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=5)
    client.ping()
    yield name
    client.delete(name)
    client.close()


def test_inprocess_service_leaves_celery_jobs_to_workers_and_a_killed_worker_loses_none(
    postgres_url: str,
    key: str,
    db_engine: Engine,
    queue: str,
    tmp_path: Path,
) -> None:
    acknowledged = Acknowledged()
    with processes() as track:
        celery = track(
            start_service(
                "celery-service",
                postgres_url,
                tmp_path,
                INFLUMIX_EXECUTOR="celery",
                INFLUMIX_BROKER_URL=BROKER_URL,
                INFLUMIX_JOB_QUEUE=queue,
            )
        )
        healthy(celery)
        # Shorter than the others: one worker runs them one after the other.
        celery_jobs = queue_jobs(celery, key, long_request(2.0), 2)
        acknowledged.jobs += celery_jobs
        # Started after the Celery jobs were queued: its start resumes every queued job of
        # its own kind, and its sweeps look for more.
        inprocess = track(start_service("inprocess-service", postgres_url, tmp_path))
        healthy(inprocess)
        own = queue_jobs(inprocess, key, small_request(4), 1)
        acknowledged.jobs += own
        wait_for("the in-process job", all_finished(db_engine, own))
        # Several sweeps of the in-process service pass; the Celery jobs stay queued.
        deadline = time.monotonic() + 2 * STALE_S
        while time.monotonic() < deadline:
            assert set(statuses(db_engine, celery_jobs).values()) == {"queued"}
            time.sleep(0.1)

        doomed = track(start_worker("doomed", postgres_url, tmp_path, queue))
        wait_for("a job running on the worker", running(db_engine, celery_jobs, 1))
        doomed.kill()
        killed_at = time.monotonic()
        survivor = track(start_worker("survivor", postgres_url, tmp_path, queue))
        wait_for("every Celery job finished", all_finished(db_engine, celery_jobs))
        report(
            f"kill -9 of a worker: the next worker finished both jobs "
            f"{time.monotonic() - killed_at:.1f} s after the kill"
        )
        logs = [celery, inprocess, doomed, survivor]
        assert_stored_once_and_complete(db_engine, acknowledged, logs)
        assert not any(job_id in inprocess.text() for job_id in celery_jobs)
        with db_engine.connect() as conn:
            executors = dict(conn.execute(select(Plan.id, Plan.executor)).all())
        assert {executors[i] for i in celery_jobs} == {"celery"}
        assert executors[own[0]] == "inprocess"
