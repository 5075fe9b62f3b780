"""A long run of mixed, moderate load against a real ``influmix serve``, watching its resources.

A few planners (threads) post small plans, post 1,000-creator plans as jobs and poll them,
list, fetch and export plans, each pausing between requests. Every 10 s the serve process
and its solver processes are sampled: resident memory, open files, threads, and the database
connections the service holds. At the end: first, last and largest value of each, and a
verdict on growth (the last third of the run against the second: a resource that keeps
growing there is not warming up, it is leaking).

    .venv/bin/python -m bench.soak --minutes 30 --backend postgresql > soak.out

Results replace this benchmark's section of docs/benchmarks.md (``--no-write`` to skip).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg

from bench.http_overhead import make_request
from bench.report import machine, write_section
from bench.service import Service, running_service

SAMPLE_EVERY_S = 10.0
REQUEST_TIMEOUT_S = 120.0
# Growth past both of these (last third against the second) is reported as growing.
GROWTH_SHARE = 0.10
GROWTH_FLOOR = {"rss_mb": 25.0, "open_files": 5.0, "db_connections": 2.0, "threads": 4.0}


def small_plan(rng: random.Random) -> dict[str, Any]:
    body = make_request(rng.randint(20, 60), rng.randrange(1_000_000))
    body["name"] = "soak small"
    body["options"]["time_limit_s"] = 5
    return body


def large_plan(rng: random.Random) -> dict[str, Any]:
    body = make_request(1_000, rng.randrange(1_000_000))
    body["name"] = "soak 1k"
    body["options"]["time_limit_s"] = 5
    return body


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0

    def count(self, status: int) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def failed(self) -> None:
        with self.lock:
            self.errors += 1


def planner(base_url: str, key: str, seed: int, stop: threading.Event, tally: Tally) -> None:
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {key}"}
    plan_ids: list[str] = []
    with httpx.Client(base_url=base_url, headers=headers, timeout=REQUEST_TIMEOUT_S) as client:
        while not stop.is_set():
            try:
                _one_round(client, rng, plan_ids, stop, tally)
            except httpx.HTTPError:
                tally.failed()
            stop.wait(rng.uniform(0.5, 1.5))


def _one_round(
    client: httpx.Client,
    rng: random.Random,
    plan_ids: list[str],
    stop: threading.Event,
    tally: Tally,
) -> None:
    kind = rng.choices(["small", "large", "list", "export", "get"], [4, 1, 3, 2, 3])[0]
    if kind == "small":
        answer = client.post("/v1/plans", json=small_plan(rng))
        tally.count(answer.status_code)
        if answer.status_code == 201:
            plan_ids.append(answer.json()["id"])
    elif kind == "large":
        answer = client.post("/v1/plans", json=large_plan(rng), headers={"Prefer": "respond-async"})
        tally.count(answer.status_code)
        if answer.status_code == 202:
            plan_id = answer.json()["id"]
            plan_ids.append(plan_id)
            deadline = time.monotonic() + REQUEST_TIMEOUT_S
            while not stop.is_set() and time.monotonic() < deadline:
                polled = client.get(f"/v1/plans/{plan_id}")
                tally.count(polled.status_code)
                if polled.status_code != 200 or polled.json()["status"] not in (
                    "queued",
                    "running",
                ):
                    break
                stop.wait(0.5)
    elif kind == "list":
        tally.count(client.get("/v1/plans", params={"limit": 20}).status_code)
    elif plan_ids:
        plan_id = rng.choice(plan_ids[-50:])
        path = f"/v1/plans/{plan_id}/export.csv" if kind == "export" else f"/v1/plans/{plan_id}"
        tally.count(client.get(path).status_code)
    # A planner keeps its latest plans in mind, not all of them (that would be the
    # benchmark's own growth).
    del plan_ids[:-50]


def sample(service: Service) -> dict[str, float]:
    """Resources of the serve process and its children (the solver processes)."""
    parent = psutil.Process(service.process.pid)
    processes = [parent, *parent.children(recursive=True)]
    rss = files = threads = 0
    for process in processes:
        try:
            with process.oneshot():
                rss += process.memory_info().rss
                files += process.num_fds()
                threads += process.num_threads()
        except psutil.NoSuchProcess:
            continue  # a solver process replaced between listing and reading
    return {
        "t_s": time.monotonic(),
        "serve_rss_mb": parent.memory_info().rss / 2**20,
        "rss_mb": rss / 2**20,
        "open_files": files,
        "threads": threads,
        "processes": len(processes),
        "db_connections": db_connections(service, parent),
    }


def db_connections(service: Service, parent: psutil.Process) -> float:
    if service.pg_database is None:
        # SQLite: the service's open handles on the database file (and its journal).
        path = service.database_url.removeprefix("sqlite:///")
        return sum(1 for f in parent.open_files() if f.path.startswith(path))
    with psycopg.connect(service.admin_url, autocommit=True) as admin:
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (service.pg_database,)
        ).fetchone()
    return float(row[0]) if row else 0.0


def verdict(name: str, samples: list[dict[str, float]]) -> str:
    values = [s[name] for s in samples]
    if len(values) < 6:
        return "too short to tell"
    third = len(values) // 3
    middle = statistics.median(values[third : 2 * third])
    last = statistics.median(values[2 * third :])
    growth = last - middle
    floor = GROWTH_FLOOR.get(name.removeprefix("serve_"), 0.0)
    if growth > max(floor, GROWTH_SHARE * abs(middle)):
        return f"grows (+{growth:.1f} from the middle third to the last)"
    return "flat"


def report(
    samples: list[dict[str, float]], tally: Tally, args: argparse.Namespace, load: str
) -> str:
    started = datetime.fromtimestamp(time.time() - args.minutes * 60, UTC)
    lines = [
        f"## Soak: {args.minutes:g} minutes of mixed load ({args.backend})",
        "",
        f"`python -m bench.soak --minutes {args.minutes:g} --backend {args.backend} "
        f"--planners {args.planners}`, started {started:%Y-%m-%d %H:%M} UTC, on {machine()}; "
        f"load average during the run {load} (the machine is shared with other work).",
        "",
        f"{args.planners} planners, each pausing 0.5-1.5 s between requests: small plans "
        "(20-60 creators) solved in the request, 1,000-creator plans as jobs polled to their "
        "end, lists, fetches and CSV exports; /metrics scraped every 10 s. Sampled every "
        "10 s: the serve process and its solver processes together (RSS of the serve process "
        "alone in its own row).",
        "",
        "| resource | first | last | max | verdict |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name in ("serve_rss_mb", "rss_mb", "open_files", "threads", "db_connections"):
        values = [s[name] for s in samples]
        lines.append(
            f"| {name} | {values[0]:.1f} | {values[-1]:.1f} | {max(values):.1f} | "
            f"{verdict(name, samples)} |"
        )
    answered = sum(tally.statuses.values())
    by_status = ", ".join(f"{code}: {n}" for code, n in sorted(tally.statuses.items()))
    lines += [
        "",
        f"{answered} answers ({by_status}); {tally.errors} transport errors; "
        f"{len(samples)} samples.",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--planners", type=int, default=4)
    parser.add_argument("--samples", type=Path, help="write every sample here, one JSON a line")
    parser.add_argument("--no-write", action="store_true", help="print only, leave the docs")
    args = parser.parse_args()
    env = {"INFLUMIX_RATE_LIMIT_PER_MINUTE": "100000", "INFLUMIX_METRICS_ENABLED": "true"}
    log = Path(tempfile.gettempdir()) / f"influmix-soak-{os.getpid()}.log"
    samples: list[dict[str, float]] = []
    loads: list[float] = []
    tally = Tally()
    stop = threading.Event()
    with running_service(args.backend, "soak", keys=args.planners, env=env, log=log) as service:
        threads = [
            threading.Thread(
                target=planner, args=(service.base_url, key, seed, stop, tally), daemon=True
            )
            for seed, key in enumerate(service.keys)
        ]
        for thread in threads:
            thread.start()
        end = time.monotonic() + args.minutes * 60
        out = args.samples.open("w") if args.samples else None
        try:
            for tick in itertools.count():
                # Scraped as Prometheus would, so the metrics' own cost is in the figures.
                scraped = httpx.get(f"{service.base_url}/metrics", timeout=REQUEST_TIMEOUT_S)
                tally.count(scraped.status_code)
                now = sample(service)
                samples.append(now)
                loads.append(os.getloadavg()[0])
                if out is not None:
                    out.write(json.dumps(now) + "\n")
                    out.flush()
                print(
                    f"[{tick * SAMPLE_EVERY_S:6.0f} s] rss {now['rss_mb']:.0f} MB "
                    f"(serve {now['serve_rss_mb']:.0f}), files {now['open_files']:.0f}, "
                    f"threads {now['threads']:.0f}, db {now['db_connections']:.0f}",
                    flush=True,
                )
                if time.monotonic() >= end:
                    break
                stop.wait(max(0.0, min(SAMPLE_EVERY_S, end - time.monotonic())))
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=REQUEST_TIMEOUT_S)
            if out is not None:
                out.close()
    load = f"{min(loads):.1f}-{max(loads):.1f} (mean {statistics.mean(loads):.1f})"
    text = report(samples, tally, args, load)
    print(text)
    if not args.no_write:
        write_section(f"soak-{args.backend}", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
