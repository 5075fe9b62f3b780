"""CVaR plans at scale: 1k and 10k creators x 500 generated scenarios, against the same request
without risk, in one run.

Each seed plans the bench catalog (bench/instances.py, decay 0.85, budget-bound, at most 50
creators) twice: for expected engagement without scenarios (the baseline), and for the
``cvar_engagement`` objective with risk aversion 0.5 over 500 generated scenarios (seeded like
the catalog). The risk solve's progress gives the time at which a gap of 1e-2 and 1e-4 was
first proven; the cost is its wall time over the baseline's. Seeds 1-2 were looked at while
tuning the solver; 101-103 were not.

    .venv/bin/python -m bench.risk [--sizes 1000 10000] [--seeds 1 2 101 102 103]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bench.instances import Variant, instance
from bench.report import machine, write_section
from optimizer import Objective, ObjectiveKind, PlanProblem, Progress, SolveControl, optimize
from optimizer.problem import RiskOptions

SECTION = "risk"
SCENARIOS = 500
AVERSION = 0.5
# Per size: the time limit of both solves and the gap asked for (the goals of the risk plans:
# 1k proven 1e-4 within 5 s, 10k within 1% in 30 s).
LIMITS = {1_000: (10.0, 1e-4), 10_000: (30.0, 1e-2)}
TUNING = (1, 2)


@dataclass(frozen=True, slots=True)
class Row:
    size: int
    seed: int
    base_s: float
    base_gap: float | None
    risk_s: float
    risk_status: str
    risk_gap: float | None
    to_1e2_s: float | None
    to_1e4_s: float | None


def _problem(size: int, seed: int, limit_s: float, gap: float) -> PlanProblem:
    base = instance(size, seed, Variant(decay=0.85), time_limit_s=limit_s)
    return replace(base, options=replace(base.options, mip_gap=gap))


def _first_within(progress: list[Progress], gap: float) -> float | None:
    for p in progress:
        if p.gap is not None and p.gap <= gap:
            return p.elapsed_s
    return None


def measure(size: int, seed: int) -> Row:
    limit_s, gap = LIMITS[size]
    plain = _problem(size, seed, limit_s, gap)
    mark = time.perf_counter()
    base = optimize(plain)
    base_s = time.perf_counter() - mark
    risky = replace(
        plain,
        objective=Objective(ObjectiveKind.CVAR_ENGAGEMENT, risk_aversion=AVERSION),
        options=replace(plain.options, risk=RiskOptions(scenarios=SCENARIOS, seed=seed)),
    )
    progress: list[Progress] = []
    mark = time.perf_counter()
    result = optimize(risky, control=SolveControl(on_progress=progress.append))
    risk_s = time.perf_counter() - mark
    seen = list(progress)
    if progress:  # the answer's own gap, at its time
        seen.append(Progress(risk_s, progress[-1].stage, None, None, result.solver.gap))
    return Row(
        size,
        seed,
        base_s,
        base.solver.gap,
        risk_s,
        result.status.value,
        result.solver.gap,
        _first_within(seen, 1e-2),
        _first_within(seen, 1e-4),
    )


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _g(value: float | None) -> str:
    return "-" if value is None else f"{value:.1e}"


def render(rows: list[Row], command: str, load: tuple[float, ...]) -> str:
    lines = [
        "| creators | seed | no risk s (gap) | CVaR s | status | final gap | proven 1e-2 s "
        "| proven 1e-4 s | cost |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        seed = f"{r.seed}" if r.seed in TUNING else f"{r.seed} (held out)"
        lines.append(
            f"| {r.size:,} | {seed} | {r.base_s:.1f} ({_g(r.base_gap)}) | {r.risk_s:.1f} "
            f"| {r.risk_status} | {_g(r.risk_gap)} | {_s(r.to_1e2_s)} | {_s(r.to_1e4_s)} "
            f"| {r.risk_s / r.base_s:.1f}x |"
        )
    medians = []
    for size in sorted({r.size for r in rows}):
        ratio = statistics.median(r.risk_s / r.base_s for r in rows if r.size == size)
        medians.append(f"{size:,} creators {ratio:.1f}x")
    table = "\n".join(lines)
    return f"""## CVaR plans at scale

The bench catalog (bench/instances.py: decay 0.85, budget-bound, at most 50 creators) planned
for expected engagement without risk, then for `cvar_engagement` with risk aversion
{AVERSION} over {SCENARIOS} generated scenarios, in the same run. Both solves have the same
limit and gap: {", ".join(f"{s:,} creators {t:.0f} s to {g:g}" for s, (t, g) in LIMITS.items())}.
"proven" is the first time the solve's progress (or its answer) showed that gap; "cost" is the
CVaR solve's time over the one without risk. Seeds 1-2 were looked at while tuning.

{table}

Median cost: {", ".join(medians)}.

- Command: `{command}`
- Machine: {machine()}
- Load average (1, 5, 15 min) at start: {", ".join(f"{x:.2f}" for x in load)}
- Date: {datetime.now(UTC).date().isoformat()}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 101, 102, 103])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    load = os.getloadavg()
    rows = []
    for size in args.sizes:
        for seed in args.seeds:
            row = measure(size, seed)
            print(row, flush=True)
            rows.append(row)
    sizes = " ".join(str(s) for s in args.sizes)
    seeds = " ".join(str(s) for s in args.seeds)
    command = f".venv/bin/python -m bench.risk --sizes {sizes} --seeds {seeds}"
    section = render(rows, command, load)
    print(section)
    if not args.no_write:
        write_section(SECTION, section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
