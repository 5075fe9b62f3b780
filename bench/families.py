"""The solver on every family of requests of bench/instances.py, at the sizes asked for.

Each solve runs in a child process of its own (``optimize()`` as the service calls it, with a
``SolveTrace``), so that its peak memory is its own and a run far past its limit can be stopped.
With ``--baseline DIR`` (a directory holding another ``optimizer`` package, e.g. an older
version), every instance is solved by that code right before this one, in the same run, and the
table gives both side by side.

Reported per family and size: status counts, final gap (p50 / max), time to the answer
(p50 / max), and where the time went (medians over the seeds, seconds since the call): first
plan, end of the bound step (LP and Lagrangian), end of the kernel MIP, the final MIP's own time,
and how many creators the final MIP kept.

    .venv/bin/python -m bench.families [--sizes 10000 50000] [--limits 10 20] [--seeds 3]
        [--families tier_platform reach] [--held-out] [--baseline /path/to/old] [--no-write]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.instances import FAMILIES, HELD_OUT_SEEDS, TUNING_SEEDS
from bench.report import machine, write_section

SECTION = "families"
ROOT = Path(__file__).resolve().parent.parent
GAP = 1e-4
# A child is stopped this long past its time limit (generating a 100k catalog takes a few s).
_OVERRUN_S = 30.0
NEW = "new"
BASELINE = "baseline"


@dataclass(frozen=True, slots=True)
class Run:
    code: str  # NEW or BASELINE
    family: str
    size: int
    seed: int
    limit_s: float
    status: str  # optimal, feasible, infeasible, failed, or stopped (killed past the limit)
    wall_s: float
    gap: float | None = None
    objective: float | None = None
    bound: float | None = None
    peak_mib: float | None = None
    trace: dict[str, Any] | None = None


def child(family: str, size: int, seed: int, limit_s: float, gap: float) -> None:
    """Solve one instance and print its Run as JSON (run inside the child process)."""
    from bench.instances import family_instance
    from optimizer import SolveTrace, optimize

    problem = family_instance(family, size, seed, time_limit_s=limit_s, mip_gap=gap)
    trace = SolveTrace()
    started = time.perf_counter()
    result = optimize(problem, trace=trace)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    run = Run(
        code="",
        family=family,
        size=size,
        seed=seed,
        limit_s=limit_s,
        status=result.status.value,
        wall_s=wall,
        gap=result.solver.gap,
        objective=result.solver.objective,
        bound=result.solver.bound,
        peak_mib=peak,
        trace=dataclasses.asdict(trace),
    )
    print(json.dumps(dataclasses.asdict(run)), flush=True)


def run_one(
    code: str, path: Path, family: str, size: int, seed: int, limit_s: float, gap: float
) -> Run:
    """One solve in a child process whose ``optimizer`` package is the one under ``path``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys([str(path), str(ROOT)]))
    command = [sys.executable, "-m", "bench.families", "--child", family, str(size), str(seed)]
    command += [str(limit_s), str(gap)]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            env=env,
            # run from the code's own directory: ``-m`` puts the working directory first on
            # the path, before PYTHONPATH
            cwd=path,
            capture_output=True,
            text=True,
            timeout=limit_s + _OVERRUN_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        wall = time.perf_counter() - started
        return Run(code, family, size, seed, limit_s, "stopped", wall)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        sys.stderr.write(done.stderr[-2000:])
        return Run(code, family, size, seed, limit_s, "failed", time.perf_counter() - started)
    fields = json.loads(lines[-1])
    fields["code"] = code
    return Run(**fields)


# --- the report ------------------------------------------------------------------------------


def _fmt(value: float | None, spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _trace_median(runs: list[Run], key: str) -> float | None:
    values = []
    for r in runs:
        if r.trace is None or r.trace.get(key) is None:
            continue
        value = float(r.trace[key])
        if key != "kept" and key != "mip_s" and key != "prepare_s":
            value += float(r.trace.get("prepare_s") or 0.0)
        values.append(value)
    return _median(values)


def _statuses(runs: list[Run]) -> str:
    counts: dict[str, int] = {}
    for r in runs:
        counts[r.status] = counts.get(r.status, 0) + 1
    return ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))


def _gaps(runs: list[Run]) -> tuple[float | None, float | None]:
    gaps = [r.gap if r.gap is not None else float("inf") for r in runs]
    if not gaps:
        return None, None
    return statistics.median(gaps), max(gaps)


def _floored(gap: float | None) -> float:
    """A gap for ratios: none is infinite, and gaps under 1e-6 count as 1e-6."""
    return float("inf") if gap is None else max(gap, 1e-6)


def _row(family: str, runs: list[Run]) -> str:
    gap50, gapmax = _gaps(runs)
    walls = [r.wall_s for r in runs]
    kept = _trace_median(runs, "kept")
    return (
        f"| {family} | {_statuses(runs)} | {_fmt(gap50, '.1e')} / {_fmt(gapmax, '.1e')} "
        f"| {_fmt(_median(walls))} / {_fmt(max(walls) if walls else None)} "
        f"| {_fmt(_trace_median(runs, 'first_plan_s'))} | {_fmt(_trace_median(runs, 'lp_s'))} "
        f"| {_fmt(_trace_median(runs, 'kernel_s'))} | {_fmt(_trace_median(runs, 'mip_s'))} "
        f"| {_fmt(kept, ',.0f')} | {_fmt(max((r.peak_mib or 0.0) for r in runs), '.0f')} |"
    )


def render(
    runs: list[Run], command: str, load: tuple[float, ...], baseline: bool, held_out: bool
) -> str:
    seeds = sorted({r.seed for r in runs})
    which = "held-out seeds (never looked at while tuning)" if held_out else "tuning seeds"
    parts = [
        "## The solver on every family of requests" + (": held-out seeds" if held_out else ""),
        "",
        f"Seeds {', '.join(map(str, seeds))}: {which}.",
        "",
        "Families of bench/instances.py (`FAMILIES`) on the catalogs of `instance()`; gap asked "
        f"{GAP:g}. Gap and time are p50 / max over the seeds (a run with no bound counts as an "
        "infinite gap). first plan, bound and kernel are medians of when each step ended, in "
        "seconds since the call; final MIP is the median of its own time; kept is the median "
        "number of creators the final MIP was given; peak is the largest resident memory of a "
        "child process (interpreter included).",
    ]
    sizes = sorted({r.size for r in runs})
    families = [f for f in FAMILIES if any(r.family == f for r in runs)]
    header = (
        "| family | status | gap | time s | first plan s | bound s | kernel s | final MIP s "
        "| kept | peak MiB |\n|---|---|---|---|---|---|---|---|---|---|"
    )
    for size in sizes:
        limit = next(r.limit_s for r in runs if r.size == size)
        codes = [NEW, BASELINE] if baseline else [NEW]
        for code in codes:
            title = "this code" if code == NEW else "baseline (the code before, same run)"
            parts += ["", f"### {size:,} creators, {limit:g} s limit: {title}", "", header]
            for family in families:
                group = [
                    r for r in runs if r.size == size and r.family == family and r.code == code
                ]
                if group:
                    parts.append(_row(family, group))
        if baseline:
            parts += ["", f"{size:,} creators, ratios (baseline / this code, p50 over seeds):", ""]
            parts += ["| family | gap ratio | time ratio |", "|---|---|---|"]
            for family in families:
                pairs = [
                    (b, n)
                    for n in runs
                    for b in runs
                    if n.code == NEW
                    and b.code == BASELINE
                    and n.size == size == b.size
                    and n.family == family == b.family
                    and n.seed == b.seed
                ]
                if not pairs:
                    continue
                gap_ratio = _median([_floored(b.gap) / _floored(n.gap) for b, n in pairs])
                time_ratio = _median([b.wall_s / n.wall_s for b, n in pairs])
                parts.append(f"| {family} | {_fmt(gap_ratio, '.3g')} | {_fmt(time_ratio, '.2f')} |")
    parts += [
        "",
        f"- Command: `{command}`",
        f"- Machine: {machine()}",
        f"- Load average (1, 5, 15 min) at start: {', '.join(f'{x:.2f}' for x in load)}",
        f"- Date: {datetime.now(UTC).date().isoformat()}",
    ]
    return "\n".join(parts) + "\n"


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        name, count, number, seconds, asked = sys.argv[2:7]
        child(name, int(count), int(number), float(seconds), float(asked))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument(
        "--limits", type=float, nargs="+", default=[10.0, 20.0], help="one per size, seconds"
    )
    parser.add_argument("--seeds", type=int, default=3, help="how many seeds per family")
    parser.add_argument("--held-out", action="store_true", help="the held-out seeds")
    parser.add_argument("--families", nargs="+", choices=list(FAMILIES), default=list(FAMILIES))
    parser.add_argument("--baseline", type=Path, help="a directory holding another optimizer")
    parser.add_argument(
        "--code", type=Path, default=ROOT, help="the directory of the optimizer measured"
    )
    parser.add_argument("--gap", type=float, default=GAP)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    if len(args.limits) != len(args.sizes):
        parser.error("give one time limit per size")
    seeds = (HELD_OUT_SEEDS if args.held_out else TUNING_SEEDS)[: args.seeds]
    load = os.getloadavg()
    runs: list[Run] = []
    for size, limit in zip(args.sizes, args.limits, strict=True):
        for family in args.families:
            for seed in seeds:
                if args.baseline is not None:
                    old = run_one(BASELINE, args.baseline, family, size, seed, limit, args.gap)
                    print(_line(old), flush=True)
                    runs.append(old)
                new = run_one(NEW, args.code, family, size, seed, limit, args.gap)
                print(_line(new), flush=True)
                runs.append(new)
    command = "python -m bench.families " + " ".join(sys.argv[1:])
    section = render(runs, command, load, args.baseline is not None, args.held_out)
    print(section)
    if not args.no_write:
        write_section(f"{SECTION}_held_out" if args.held_out else SECTION, section)
    return 0


def _line(run: Run) -> str:
    trace = run.trace or {}
    return (
        f"{run.code:8} {run.family:22} {run.size:>7,} seed {run.seed:>3}: {run.status:10} "
        f"gap {_fmt(run.gap, '.1e')} in {run.wall_s:.2f} s, kept {trace.get('kept')}, "
        f"lp {_fmt(trace.get('lp_s'))}, kernel {_fmt(trace.get('kernel_s'))}, "
        f"mip {_fmt(trace.get('mip_s'))}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
