"""Load: simulated planners (bench/locustfile.py) against a real ``influmix serve``, headless.

For each database (SQLite, and PostgreSQL on a fresh database of its own) and each number of
planners, a new service is started with the default limits, locust runs for the given time,
and the answers are summed up per request kind: p50/p95/p99, requests, refusals (429/503 with
Retry-After, the service shedding load as it should) and faults (5xx other than 503, 429/503
without Retry-After, timeouts and dropped connections), which must stay at zero.

    .venv/bin/python -m bench.load [--users 10,40] [--seconds 60] [--backends sqlite,postgresql]

Results replace this benchmark's section of docs/benchmarks.md. Exit code 1 when any fault
was seen.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.report import machine, write_section
from bench.service import running_service

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
SPAWN_RATE = 5


@dataclass(frozen=True)
class Kind:
    name: str
    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    refused: int  # 429/503 with Retry-After
    faults: int  # everything else that is not a 2xx
    server_errors: int  # of the faults, 5xx other than 503


@dataclass(frozen=True)
class Run:
    backend: str
    users: int
    kinds: list[Kind]
    fault_lines: list[str]
    load_before: float
    load_after: float

    @property
    def faults(self) -> int:
        return sum(k.faults for k in self.kinds)

    @property
    def server_errors(self) -> int:
        return sum(k.server_errors for k in self.kinds)


def run_locust(base_url: str, keys: tuple[str, ...], users: int, seconds: int, out: Path) -> Path:
    prefix = out / f"locust-{users}"
    command = [
        str(Path(sys.executable).with_name("locust")),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(SPAWN_RATE),
        "-t",
        f"{seconds}s",
        "--host",
        base_url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "30",
        "--loglevel",
        "WARNING",
    ]
    env = {
        **os.environ,
        "INFLUMIX_LOAD_KEYS": ",".join(keys),
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }
    # Exit code 1 means "some requests failed", which the summary below sorts out.
    with (out / f"locust-{users}.log").open("wb") as log:
        subprocess.run(command, env=env, check=False, stdout=log, stderr=log, timeout=seconds + 300)
    return prefix


def summarize(prefix: Path) -> tuple[list[Kind], list[str]]:
    failures: dict[str, tuple[int, int, int]] = {}
    fault_lines = []
    with Path(f"{prefix}_failures.csv").open() as f:
        for row in csv.DictReader(f):
            count = int(row["Occurrences"])
            refused, faults, server_errors = failures.get(row["Name"], (0, 0, 0))
            # locust keeps the repr of the failure: CatchResponseError('429 with Retry-After')
            error = re.sub(r"^CatchResponseError\('(.*)'\)$", r"\1", row["Error"])
            if error.endswith(" with Retry-After"):
                refused += count
            else:
                faults += count
                fault_lines.append(f"{row['Name']}: {error} x{count}")
                if error.isdigit() and 500 <= int(error) < 600 and int(error) != 503:
                    server_errors += count
            failures[row["Name"]] = (refused, faults, server_errors)
    kinds = []
    with Path(f"{prefix}_stats.csv").open() as f:
        for row in csv.DictReader(f):
            name = row["Name"]
            if name == "Aggregated":
                continue
            refused, faults, server_errors = failures.get(name, (0, 0, 0))
            kinds.append(
                Kind(
                    name,
                    int(row["Request Count"]),
                    float(row["50%"] or 0),
                    float(row["95%"] or 0),
                    float(row["99%"] or 0),
                    refused,
                    faults,
                    server_errors,
                )
            )
    return sorted(kinds, key=lambda k: k.name), fault_lines


def report(runs: list[Run], seconds: int, command: str) -> str:
    lines = [
        "## Load: planners on a real service (locust)",
        "",
        f"`{command}`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, on {machine()}; the load "
        "generator runs on the same machine, which other work shares (load average before "
        "and after each run below).",
        "",
        f"Each run: a fresh `influmix serve` (default limits: 600 requests a minute per key, "
        f"4 solves at once per workspace; one key per planner, one workspace), {seconds} s of "
        f"locust with planners added {SPAWN_RATE} a second, each waiting 0.5-2 s between "
        "tasks: small plans (30 creators, solved in the request), 1,000-creator plans as "
        "jobs polled every 0.5 s, lists, CSV exports. Times in ms. *Refused*: 429/503 with "
        "Retry-After (the service shedding load); *faults*: any other non-2xx (a 5xx other "
        "than 503, a refusal without Retry-After) or a timeout.",
    ]
    for run in runs:
        lines += [
            "",
            f"### {run.backend}, {run.users} planners "
            f"(load average {run.load_before:.1f} before, {run.load_after:.1f} after)",
            "",
            "| request | count | p50 | p95 | p99 | refused | faults | of which 5xx (not 503) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for k in run.kinds:
            lines.append(
                f"| {k.name} | {k.requests} | {k.p50_ms:.0f} | {k.p95_ms:.0f} | "
                f"{k.p99_ms:.0f} | {k.refused} | {k.faults} | {k.server_errors} |"
            )
        for line in run.fault_lines:
            lines.append(f"\nFault: {line}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", default="10,40", help="planners per run, comma-separated")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--no-write", action="store_true", help="print only, leave the docs")
    args = parser.parse_args()
    command = "python -m bench.load " + " ".join(sys.argv[1:])
    runs = []
    with tempfile.TemporaryDirectory(prefix="influmix-load-") as folder:
        out = Path(folder)
        for backend in args.backends.split(","):
            for users in (int(u) for u in args.users.split(",")):
                env = {"INFLUMIX_METRICS_ENABLED": "true"}
                log = out / f"serve-{backend}-{users}.log"
                load_before = os.getloadavg()[0]
                with running_service(backend, "load", keys=users, env=env, log=log) as service:
                    prefix = run_locust(service.base_url, service.keys, users, args.seconds, out)
                kinds, fault_lines = summarize(prefix)
                run = Run(backend, users, kinds, fault_lines, load_before, os.getloadavg()[0])
                runs.append(run)
                print(
                    f"{backend}, {users} planners: {run.faults} faults, "
                    f"{run.server_errors} 5xx other than 503",
                    flush=True,
                )
                if fault_lines:
                    kept = Path(tempfile.gettempdir()) / f"influmix-load-{backend}-{users}.log"
                    kept.write_bytes(log.read_bytes())
                    print(f"  server log kept at {kept}", flush=True)
    text = report(runs, args.seconds, command.strip())
    print(text)
    if not args.no_write:
        write_section("load", text)
    return 1 if any(run.faults for run in runs) else 0


if __name__ == "__main__":
    raise SystemExit(main())
