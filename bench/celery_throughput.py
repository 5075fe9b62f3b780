"""Throughput of asynchronous plans on Celery with one and with two workers.

A real Uvicorn process (executor=celery) takes 200 small plans with `Prefer: respond-async`;
`influmix worker` processes solve them from the Redis queue. Measures the latency of each 202
and the time from the first POST until every plan is solved, with 1 and with 2 workers, on the
same PostgreSQL database (created for the run and dropped after). Results replace this
benchmark's section of docs/benchmarks.md.

    .venv/bin/python -m bench.celery_throughput [--plans 200]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg
import redis
from sqlalchemy import func, select

from app.db import create_db_engine, make_session_factory
from bench.http_overhead import free_port, make_request, start_server
from bench.report import machine, write_section
from bench.workspace import bench_workspace
from models import Plan, PlanState

POSTGRES = "postgresql+psycopg://root@127.0.0.1:5432/"
DATABASE = "influmix_bench_celery"
BROKER_URL = "redis://127.0.0.1:6379/14"
INFLUMIX = Path(sys.executable).with_name("influmix")
DEADLINE_S = 600.0


@contextmanager
def scratch_database() -> Iterator[str]:
    with psycopg.connect("host=127.0.0.1 user=root dbname=postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    try:
        yield POSTGRES + DATABASE
    finally:
        with psycopg.connect("host=127.0.0.1 user=root dbname=postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def job_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "INFLUMIX_EXECUTOR": "celery",
        "INFLUMIX_BROKER_URL": BROKER_URL,
        "INFLUMIX_RATE_LIMIT_PER_MINUTE": "100000",
        # One core per solve, so that each worker adds a core's worth of solving.
        "INFLUMIX_SOLVER_THREADS": "1",
    }


@contextmanager
def workers(count: int, database_url: str) -> Iterator[None]:
    processes = [
        subprocess.Popen(
            [str(INFLUMIX), "worker", "--hostname", f"bench{i}@%h"],
            env=job_env(database_url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for i in range(count)
    ]
    try:
        yield
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)


def solved(database_url: str) -> int:
    engine = create_db_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            done = session.scalar(
                select(func.count())
                .select_from(Plan)
                .where(Plan.status.not_in([PlanState.QUEUED, PlanState.RUNNING]))
            )
            return done or 0
    finally:
        engine.dispose()


def run(count: int, plans: int, body: dict[str, object]) -> tuple[float, list[float]]:
    """Seconds until ``plans`` are solved by ``count`` workers, and each 202's latency."""
    redis.Redis.from_url(BROKER_URL).flushdb()
    with scratch_database() as database_url:
        _, key = bench_workspace(database_url)
        port = free_port()
        os.environ.update(job_env(database_url))
        server = start_server(port, database_url)
        try:
            with (
                workers(count, database_url),
                httpx.Client(
                    base_url=f"http://127.0.0.1:{port}",
                    headers={"Authorization": f"Bearer {key}", "Prefer": "respond-async"},
                    timeout=60,
                ) as client,
            ):
                # One plan first, so worker start-up is not counted.
                client.post("/v1/plans", json=body).raise_for_status()
                wait_for(database_url, 1)
                latencies = []
                start = time.perf_counter()
                for _ in range(plans):
                    t0 = time.perf_counter()
                    response = client.post("/v1/plans", json=body)
                    latencies.append(time.perf_counter() - t0)
                    if response.status_code != 202:
                        raise RuntimeError(f"POST answered {response.status_code}")
                wait_for(database_url, plans + 1)
                return time.perf_counter() - start, latencies
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_for(database_url: str, count: int) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while solved(database_url) < count:
        if time.monotonic() > deadline:
            raise RuntimeError("the workers did not finish in time")
        time.sleep(0.05)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--candidates", type=int, default=30)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    body = make_request(args.candidates, seed=3)
    body["constraints"] = {"max_share_per_influencer": 0.25, "max_influencers": 10}
    body["budget"] = 20_000

    one, latencies_one = run(1, args.plans, body)
    two, latencies_two = run(2, args.plans, body)
    latencies = sorted(latencies_one + latencies_two)
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    section = f"""## Jobs on Celery: throughput with one and two workers

{args.plans} plans of {args.candidates} candidates each, posted one after another with
`Prefer: respond-async` to a real Uvicorn process (executor `celery`, Redis broker, PostgreSQL),
solved by `influmix worker` processes (one solve at a time each, HiGHS on one thread:
`INFLUMIX_SOLVER_THREADS=1`; left to itself HiGHS already spreads one solve over both cores).
Time from the first POST until every plan is stored; one plan solved before the clock starts,
so worker start-up is not counted.

| workers | wall | plans per second | ratio to one worker |
|---|---|---|---|
| 1 | {one:.2f} s | {args.plans / one:.1f} | 1.00x |
| 2 | {two:.2f} s | {args.plans / two:.1f} | {one / two:.2f}x faster |

Latency of the 202 (queue the job, answer), over both runs: median {p50 * 1000:.1f} ms,
p95 {p95 * 1000:.1f} ms, worst {latencies[-1] * 1000:.1f} ms.

The machine has two cores shared by the service, the workers, PostgreSQL and Redis, so two
workers cannot double the rate.

- Command: `.venv/bin/python -m bench.celery_throughput --plans {args.plans}`
- Machine: {machine()}
- Date: {datetime.now(UTC):%Y-%m-%d}
"""
    print(section)
    if not args.no_write:
        write_section("celery_throughput", section)
        print("written to docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
