"""What the HTTP service adds on top of the optimizer, for one large request.

Times the bare ``optimize()`` call against ``POST /v1/plans`` served by a real Uvicorn process
on 127.0.0.1 (parsing, validation, solving, storing and serializing), interleaving the two so
machine drift hits both alike, and reports medians as ratios to the bare call. The goal is at
most 1.15x. Results replace this benchmark's section of docs/benchmarks.md.

    .venv/bin/python -m bench.http_overhead [--candidates 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from app.core.config import get_settings
from app.schemas.plans import PlanCreate
from app.services.planning import problem_from_request
from bench.report import machine, write_section
from bench.workspace import bench_workspace
from optimizer import optimize

GOAL = 1.15
STARTUP_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 300.0

TIERS = (  # (followers range, engagement-rate range, fixed-fee range, share of the roster)
    ((1_000, 9_999), (0.04, 0.09), (0.0, 0.0), 0.35),
    ((10_000, 99_999), (0.025, 0.07), (0.0, 200.0), 0.40),
    ((100_000, 999_999), (0.012, 0.03), (300.0, 2_000.0), 0.18),
    ((1_000_000, 5_000_000), (0.008, 0.02), (2_000.0, 8_000.0), 0.07),
)
PLATFORMS = ("instagram", "tiktok", "youtube", "x")


def make_request(n: int, seed: int) -> dict[str, Any]:
    """A realistic roster: price = followers x rate x cost per engagement ($0.05-0.5)."""
    rng = random.Random(seed)
    weights = [t[3] for t in TIERS]
    candidates = []
    for i in range(n):
        (f_lo, f_hi), (e_lo, e_hi), (fee_lo, fee_hi), _ = rng.choices(TIERS, weights)[0]
        followers = rng.randint(f_lo, f_hi)
        rate = rng.uniform(e_lo, e_hi)
        price = max(20.0, round(followers * rate * rng.uniform(0.05, 0.5), 2))
        candidates.append(
            {
                "id": f"c{i:05d}",
                "handle": f"@creator{i:05d}",
                "platform": rng.choice(PLATFORMS),
                "followers": followers,
                "engagement_rate": round(rate, 4),
                "price_per_post": price,
                "fixed_fee": round(rng.uniform(fee_lo, fee_hi), 2),
                "max_posts": rng.randint(1, 4),
                "audience_quality": round(rng.uniform(0.6, 1.0), 2),
            }
        )
    return {
        "name": f"bench {n} candidates",
        "budget": 250_000,
        "currency": "USD",
        "candidates": candidates,
        "constraints": {
            "tier_share": {"micro": {"min": 0.4}, "mega": {"max": 0.2}},
            "max_share_per_influencer": 0.1,
            "max_influencers": 30,
        },
        "options": {"repeat_post_decay": 0.85, "time_limit_s": 60},
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(port: int, database_url: str) -> subprocess.Popen[bytes]:
    # The per-key rate limit would otherwise throttle the timed rounds.
    env = {**os.environ, "DATABASE_URL": database_url, "INFLUMIX_RATE_LIMIT_PER_MINUTE": "100000"}
    influmix = Path(sys.executable).with_name("influmix")
    server = subprocess.Popen(
        [str(influmix), "serve", "--host", "127.0.0.1", "--port", str(port), "--no-demo"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with code {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1.0).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not answer /healthz in time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()

    body = make_request(args.candidates, args.seed)
    problem = problem_from_request(PlanCreate.model_validate(body), get_settings())

    bare: list[float] = []
    http: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        database_url = f"sqlite:///{tmp}/bench.db"
        _, key = bench_workspace(database_url)
        server = start_server(port, database_url)
        try:
            with httpx.Client(
                base_url=f"http://127.0.0.1:{port}",
                timeout=REQUEST_TIMEOUT_S,
                headers={"Authorization": f"Bearer {key}"},
            ) as c:
                # One untimed round of each, so imports and solver loading are not measured.
                warm = optimize(problem)
                c.post("/v1/plans", json=body).raise_for_status()
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    result = optimize(problem)
                    bare.append(time.perf_counter() - t0)

                    t0 = time.perf_counter()
                    response = c.post("/v1/plans", json=body)
                    http.append(time.perf_counter() - t0)
                    if response.status_code != 201:
                        raise RuntimeError(f"POST /v1/plans answered {response.status_code}")
                    served = response.json()["status"]
                    if served != result.status.value:
                        raise RuntimeError(f"status differs: bare {result.status}, http {served}")
        finally:
            server.terminate()
            server.wait(timeout=30)

    ratio = statistics.median(http) / statistics.median(bare)
    # The fastest round of each is the least disturbed by other work on the machine.
    best_ratio = min(http) / min(bare)
    per_round = ", ".join(f"{h / b:.3f}" for b, h in zip(bare, http, strict=True))
    verdict = "meets" if ratio <= GOAL else "misses"
    section = f"""## HTTP overhead

`POST /v1/plans` through a real Uvicorn process on 127.0.0.1 against the bare `optimize()` call,
on one seeded request of {args.candidates:,} candidates (status `{warm.status.value}`), in
{args.repeat} interleaved rounds after one untimed warm-up round. Times are ratios to the bare
call measured in the same run. Goal: `POST /v1/plans` at most {GOAL:.2f}x.

| path | median | fastest round |
|---|---|---|
| `optimize(problem)` | 1.000x | 1.000x |
| `POST /v1/plans` (parse, validate, solve, store, serialize) | {ratio:.3f}x | {best_ratio:.3f}x |

Round by round: {per_round}.

Single rounds scatter by the solver's own run-to-run variation (the branch-and-bound wall time of
the same model differs by several percent between runs, more when other work shares the
machine), so the goal is judged on the median: this run {verdict} it.

- Command: `make bench` (`.venv/bin/python -m bench.http_overhead --candidates {args.candidates}
  --repeat {args.repeat} --seed {args.seed}`)
- Machine: {machine()}
- Date: {datetime.now(UTC):%Y-%m-%d}
"""
    print(
        f"bare optimize(): median {statistics.median(bare):.3f} s; "
        f"POST /v1/plans: median {statistics.median(http):.3f} s"
    )
    print(section)
    if not args.no_write:
        write_section("http_overhead", section)
        print("written to docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
