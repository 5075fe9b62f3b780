"""Decoding a large plan request: the JSON body to a validated request and on to the optimizer's
problem, against the floor of ``json.loads`` on the same bytes, measured in the same run.

    .venv/bin/python -m bench.decode_speed [--candidates 10000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from app.core.config import get_settings
from app.schemas.plans import PlanCreate
from app.services.planning import problem_from_request
from bench.http_overhead import make_request
from bench.report import machine, write_section

GOAL_S = 0.060


def median_time(work: Callable[[], Any], repeat: int) -> float:
    work()  # warm-up: imports and schema caches are not what is measured
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()

    raw = json.dumps(make_request(args.candidates, seed=7)).encode()
    settings = get_settings()
    floor = median_time(lambda: json.loads(raw), args.repeat)
    validate = median_time(lambda: PlanCreate.model_validate_json(raw), args.repeat)
    request = PlanCreate.model_validate_json(raw)
    convert = median_time(lambda: problem_from_request(request, settings), args.repeat)
    total = validate + convert
    verdict = "meets" if validate <= GOAL_S else "misses"
    section = f"""## Request decoding

A seeded request of {args.candidates:,} candidates ({len(raw) / 1e6:.1f} MB of JSON), decoded
{args.repeat} times after a warm-up; medians, as ratios to `json.loads` of the same bytes in the
same run. Goal: decoding (`model_validate_json`) in at most {GOAL_S * 1000:.0f} ms; the conversion
to the optimizer's frozen problem that follows it is shown apart.

| step | median | ratio to json.loads |
|---|---|---|
| `json.loads` (floor) | {floor * 1000:.1f} ms | 1.00x |
| `PlanCreate.model_validate_json` | {validate * 1000:.1f} ms | {validate / floor:.2f}x |
| `problem_from_request` (frozen problem) | {convert * 1000:.1f} ms | {convert / floor:.2f}x |
| body to problem | {total * 1000:.1f} ms | {total / floor:.2f}x |

By decoding alone, this run {verdict} the goal; body to problem takes {total * 1000:.1f} ms.

- Command: `make bench` (`.venv/bin/python -m bench.decode_speed --candidates {args.candidates}
  --repeat {args.repeat}`)
- Machine: {machine()}
- Date: {datetime.now(UTC).date().isoformat()}
"""
    print(section)
    if not args.no_write:
        write_section("decode_speed", section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
