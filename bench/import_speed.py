"""How fast a roster import is: a 50,000-row CSV through the catalog service.

Writes a seeded CSV with messy headers and values (``Follower Count``, ``12.4k``, ``4.5%``,
``$1,200.00``, platform spellings) to a temporary directory, then times, in each round:

- baseline: reading the file with the ``csv`` module alone, the floor of any import;
- import: ``import_influencers()`` into a fresh, migrated SQLite file, committed (all created);
- re-import with every price changed, committed (all updated);
- an overlap sheet of as many pairs between those creators (``Creator A``, ``23.5%``),
  through ``import_overlaps()``, committed (all created).

Reports medians in seconds, rows per second and as ratios to the baseline of the same run. The
goal is an import under 10 s. Results replace this benchmark's section of docs/benchmarks.md.

    .venv/bin/python -m bench.import_speed [--rows 50000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session

from app.db import create_db_engine, make_session_factory
from app.schemas.influencers import ImportSummary
from app.services.catalog import Upload, import_influencers, import_overlaps
from app.services.scope import WorkspaceScope
from bench.report import machine, write_section
from bench.workspace import bench_workspace

GOAL_S = 10.0
T = TypeVar("T")

HEADER = ["Username", "Network", "Follower Count", "ER", "Price ($)", "Flat Fee", "Tags", "Country"]
PLATFORMS = ["Instagram", "IG", "TikTok", "tt", "YouTube", "Twitter"]
TAGS = ["beauty", "travel", "food", "tech", "fitness", "gaming"]


def make_roster(rows: int, seed: int, price_factor: float = 1.0) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i in range(rows):
        followers = rng.randint(1_000, 3_000_000)
        followers_cell = (f"{followers:,}", f"{followers / 1000:.1f}k", str(followers))[i % 3]
        rate = rng.uniform(0.005, 0.09)
        price = round(rng.uniform(20, 9_000) * price_factor, 2)
        writer.writerow(
            [
                (f"@Creator{i:06d}", f"creator{i:06d}")[i % 2],
                PLATFORMS[i % len(PLATFORMS)],
                followers_cell,
                f"{rate * 100:.2f}%" if i % 2 else f"{rate:.4f}",
                f"${price:,.2f}",
                "" if i % 3 else f"{rng.randint(1, 20) * 25}",
                "; ".join(rng.sample(TAGS, rng.randint(0, 3))),
                rng.choice(["PT", "US", "BR", ""]),
            ]
        )
    return out.getvalue().encode()


OVERLAP_HEADER = ["Creator A", "Network A", "Creator B", "Network B", "Audience overlap"]


def make_overlaps(creators: int, pairs: int, seed: int) -> bytes:
    """``pairs`` distinct pairs of the roster's creators, each with a near neighbour (creators
    of one niche sit close together in a discovery tool's export)."""
    rng = random.Random(seed)
    seen: set[tuple[int, int]] = set()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(OVERLAP_HEADER)
    while len(seen) < pairs:
        a = rng.randrange(creators)
        b = (a + rng.randint(1, 200)) % creators
        if (min(a, b), max(a, b)) in seen:
            continue
        seen.add((min(a, b), max(a, b)))
        share = rng.uniform(0.01, 0.4)
        writer.writerow(
            [
                f"creator{a:06d}",
                PLATFORMS[a % len(PLATFORMS)],
                f"@Creator{b:06d}",
                PLATFORMS[b % len(PLATFORMS)],
                f"{share * 100:.1f}%" if len(seen) % 2 else f"{share:.3f}",
            ]
        )
    return out.getvalue().encode()


def timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def parse_only(data: bytes) -> int:
    return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def import_into(
    database_url: str, scope: WorkspaceScope, data: bytes, run: Importer = import_influencers
) -> ImportSummary:
    engine = create_db_engine(database_url)
    try:
        with make_session_factory(engine).begin() as session:
            return run(session, scope, Upload(data, "roster.csv", "text/csv"), max_rows=10**6)
    finally:
        engine.dispose()


class Importer(Protocol):
    def __call__(
        self, session: Session, scope: WorkspaceScope, upload: Upload, *, max_rows: int
    ) -> ImportSummary: ...


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()

    baseline: list[float] = []
    created: list[float] = []
    updated: list[float] = []
    overlaps: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "roster.csv"
        roster.write_bytes(make_roster(args.rows, args.seed))
        repriced = make_roster(args.rows, args.seed, price_factor=1.1)
        pairs = make_overlaps(args.rows, args.rows, args.seed)
        data = roster.read_bytes()
        for round_ in range(args.repeat):
            database_url = f"sqlite:///{tmp}/bench-{round_}.db"
            scope, _ = bench_workspace(database_url)

            seconds, count = timed(partial(parse_only, data))
            baseline.append(seconds)
            if count != args.rows + 1:
                raise RuntimeError(f"the csv module read {count} rows")

            seconds, summary = timed(partial(import_into, database_url, scope, data))
            created.append(seconds)
            if summary.created != args.rows:
                raise RuntimeError(f"expected {args.rows} created, got {summary}")

            seconds, summary = timed(partial(import_into, database_url, scope, repriced))
            updated.append(seconds)
            if summary.updated != args.rows:
                raise RuntimeError(f"expected {args.rows} updated, got {summary}")

            seconds, summary = timed(
                partial(import_into, database_url, scope, pairs, import_overlaps)
            )
            overlaps.append(seconds)
            if summary.created != args.rows:
                raise RuntimeError(f"expected {args.rows} pairs created, got {summary}")
            print(
                f"round {round_ + 1}: csv {baseline[-1]:.3f} s, "
                f"import {created[-1]:.3f} s, re-import {updated[-1]:.3f} s, "
                f"overlaps {overlaps[-1]:.3f} s",
                flush=True,
            )

    base = statistics.median(baseline)
    create = statistics.median(created)
    update = statistics.median(updated)
    overlap = statistics.median(overlaps)
    size_mb = len(data) / 1e6
    verdict = "meets" if max(create, update, overlap) < GOAL_S else "misses"
    rows = [
        ("`csv.reader` over the file (baseline)", base),
        (f"import, all {args.rows:,} created", create),
        (f"re-import, all {args.rows:,} updated (new prices)", update),
        (f"overlap import, {args.rows:,} pairs of those creators created", overlap),
    ]
    table = "\n".join(
        f"| {step} | {seconds:.3f} s | {args.rows / seconds:,.0f} | {seconds / base:.1f}x |"
        for step, seconds in rows
    )
    section = f"""## Catalog import speed

`import_influencers()` (the service behind `POST /v1/influencers/import` and `influmix import`)
on a seeded CSV of {args.rows:,} rows ({size_mb:.1f} MB; messy headers and values such as
`12.4k`, `4.5%`, `$1,200.00`, `IG`), into a fresh, migrated SQLite file, committed: every row
read, checked, and written in one transaction; then `import_overlaps()` (behind
`POST /v1/influencers/overlaps/import`) on as many pairs of those creators, each row's two
handles looked up in the catalog. Medians of {args.repeat} rounds; ratios are to
reading the same file with the `csv` module alone, measured in the same run. Goal: under
{GOAL_S:.0f} s for 50,000 rows; this run {verdict} it.

| step | median | rows/s | ratio to `csv` alone |
|---|---|---|---|
{table}

- Command: `.venv/bin/python -m bench.import_speed --rows {args.rows} --repeat {args.repeat}
  --seed {args.seed}`
- Machine: {machine()}, 1-minute load average {os.getloadavg()[0]:.1f} at the end of the run
- Date: {datetime.now(UTC):%Y-%m-%d}
"""
    print(section)
    if not args.no_write:
        write_section("import_speed", section)
        print("written to docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
