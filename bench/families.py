"""The solver on every family of requests of bench/instances.py, at the sizes asked for,
with PuLP's model on HiGHS at its defaults beside it (same instances, same limit, same run).

Each solve runs in a child process of its own (``optimize()`` as the service calls it, with a
``SolveTrace`` and a progress callback; or the PuLP model of optimizer/model.py on HiGHS with only
the time limit set), so that its peak memory is its own and a run far past its limit can be
stopped. With ``--baseline DIR`` (a directory holding another ``optimizer`` package, e.g. an
older version), every instance is also solved by that code, in the same run.

Reported per size, family and solver, p50 / p95 over the seeds (nearest rank): the time to a
proven gap of 1e-2, 1e-3 and 1e-4 (from the progress the solver reports: a bound and a plan
that close), the first plan, the final gap, and the peak resident memory of the child (the
interpreter and the catalog included). For this code, where the time went (medians over the
seeds, seconds since the call): first plan, end of the bound step (LP and Lagrangian), end of
the kernel MIP or windows, the final MIP's own time, and how many creators it kept. Last, the
targets of issue 15 at each size, met or missed.

    .venv/bin/python -m bench.families [--big] [--sizes 1000 10000] [--limits 10 10]
        [--seeds 5] [--families tier_platform reach] [--held-out] [--no-pulp]
        [--baseline /path/to/old] [--no-write]

The default run (1,000 and 10,000 creators, 10 s) is the one of ``make bench``; ``--big`` runs
50,000 and 100,000 creators at 60 s instead.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.instances import FAMILIES, HELD_OUT_SEEDS, TUNING_SEEDS
from bench.report import machine, write_section

SECTION = "families_scale"
ROOT = Path(__file__).resolve().parent.parent
GAP = 1e-4
# The gaps whose time is reported: a plan proven that close.
GAPS = (1e-2, 1e-3, 1e-4)
_GAP_NAMES = ("1e-2", "1e-3", "1e-4")
SIZES = (1_000, 10_000)
LIMITS = (10.0, 10.0)
BIG_SIZES = (50_000, 100_000)
BIG_LIMITS = (60.0, 60.0)
# A child is stopped this long past its time limit (generating a 100k catalog takes a few s,
# building PuLP's model of it up to a minute): it then counts as "stopped".
_OVERRUN_S = 30.0
_PULP_OVERRUN_S = 60.0
NEW = "influmix"
BASELINE = "baseline"
PULP_HIGHS = "pulp+highs"
CODES = (NEW, BASELINE, PULP_HIGHS)


@dataclass(frozen=True, slots=True)
class Run:
    code: str  # one of CODES
    family: str
    size: int
    seed: int
    limit_s: float
    status: str  # optimal, feasible, infeasible, failed, none, or stopped (killed past the limit)
    wall_s: float
    gap: float | None = None
    objective: float | None = None
    bound: float | None = None
    peak_mib: float | None = None
    first_plan_s: float | None = None
    reached: list[float | None] = field(default_factory=list)  # seconds to each of GAPS
    trace: dict[str, Any] | None = None


class _Reached:
    """The progress callback of a solve: when its first plan came, and when its gap first got
    to each of ``GAPS``."""

    def __init__(self) -> None:
        self.first: float | None = None
        self.times: list[float | None] = [None] * len(GAPS)

    def __call__(self, progress: Any) -> None:
        if progress.objective is not None and self.first is None:
            self.first = progress.elapsed_s
        if progress.gap is None:
            return
        for i, asked in enumerate(GAPS):
            if self.times[i] is None and progress.gap <= asked:
                self.times[i] = progress.elapsed_s


def _peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def child(code: str, family: str, size: int, seed: int, limit_s: float, gap: float) -> None:
    """Solve one instance and print its Run as JSON (run inside the child process)."""
    from bench.instances import family_instance

    problem = family_instance(family, size, seed, time_limit_s=limit_s, mip_gap=gap)
    if code == PULP_HIGHS:
        run = _pulp_child(problem, family, seed)
    else:
        run = _influmix_child(problem, family, seed)
    print(json.dumps(dataclasses.asdict(run)), flush=True)


def _influmix_child(problem: Any, family: str, seed: int) -> Run:
    from optimizer import SolveControl, SolveTrace, optimize

    trace = SolveTrace()
    reached = _Reached()
    started = time.perf_counter()
    result = optimize(problem, trace=trace, control=SolveControl(reached))
    wall = time.perf_counter() - started
    solver = result.solver
    return _child_run(
        problem,
        family,
        seed,
        result.status.value,
        wall,
        solver.gap,
        solver.objective,
        reached.first,
        reached.times,
        bound=solver.bound,
        trace=dataclasses.asdict(trace),
    )


def _pulp_child(problem: Any, family: str, seed: int) -> Run:
    from bench.solver_scale import solve_pulp_highs

    answer = solve_pulp_highs(problem, GAPS)
    return _child_run(
        problem,
        family,
        seed,
        answer.status,
        answer.final_s,
        answer.gap,
        answer.objective,
        answer.first_s,
        list(answer.reached),
    )


def _child_run(
    problem: Any,
    family: str,
    seed: int,
    status: str,
    wall: float,
    gap: float | None,
    objective: float | None,
    first: float | None,
    reached: list[float | None],
    **more: Any,
) -> Run:
    return Run(
        code="",
        family=family,
        size=len(problem.candidates),
        seed=seed,
        limit_s=problem.options.time_limit_s,
        status=status,
        wall_s=wall,
        gap=gap,
        objective=objective,
        peak_mib=_peak_mib(),
        first_plan_s=first,
        reached=reached,
        **more,
    )


def run_one(
    code: str, path: Path, family: str, size: int, seed: int, limit_s: float, gap: float
) -> Run:
    """One solve in a child process whose ``optimizer`` package is the one under ``path``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys([str(path), str(ROOT)]))
    command = [sys.executable, "-m", "bench.families", "--child", code, family, str(size)]
    command += [str(seed), str(limit_s), str(gap)]
    overrun = _PULP_OVERRUN_S if code == PULP_HIGHS else _OVERRUN_S
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
            timeout=limit_s + overrun,
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


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest rank: of 5 values, p50 is the 3rd and p95 the 5th."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


def _seconds(values: list[float], limit: float) -> str:
    """p50 / p95 of times, ``>limit`` for a time never reached (infinite)."""

    def one(x: float) -> str:
        return f">{limit:g}" if math.isinf(x) else f"{x:.2f}"

    return f"{one(percentile(values, 0.5))} / {one(percentile(values, 0.95))}"


def _time_to(run: Run, i: int) -> float:
    value = run.reached[i] if i < len(run.reached) else None
    return math.inf if value is None else value


def _gap_of(run: Run) -> float:
    return math.inf if run.gap is None else run.gap


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


def _gap_cell(runs: list[Run]) -> str:
    gaps = [_gap_of(r) for r in runs]
    return f"{percentile(gaps, 0.5):.1e} / {percentile(gaps, 0.95):.1e}"


def _row(family: str, code: str, runs: list[Run]) -> str:
    limit = runs[0].limit_s
    times = [_seconds([_time_to(r, i) for r in runs], limit) for i in range(len(GAPS))]
    firsts = [math.inf if r.first_plan_s is None else r.first_plan_s for r in runs]
    walls = [r.wall_s for r in runs]
    peak = max((r.peak_mib or 0.0) for r in runs)
    return (
        f"| {family} | {code} | {_statuses(runs)} | {' | '.join(times)} "
        f"| {_seconds(firsts, limit)} | {_gap_cell(runs)} | {_seconds(walls, limit)} "
        f"| {peak:.0f} |"
    )


def _trace_row(family: str, runs: list[Run]) -> str:
    kept = _trace_median(runs, "kept")
    return (
        f"| {family} | {_fmt(_trace_median(runs, 'first_plan_s'))} "
        f"| {_fmt(_trace_median(runs, 'lp_s'))} | {_fmt(_trace_median(runs, 'kernel_s'))} "
        f"| {_fmt(_trace_median(runs, 'mip_s'))} | {_fmt(kept, ',.0f')} |"
    )


def _floored(gap: float | None) -> float:
    """A gap for ratios: none is infinite, and gaps under 1e-6 count as 1e-6."""
    return math.inf if gap is None else max(gap, 1e-6)


def _ratio(a: float, b: float) -> float:
    """a / b; NaN when neither reached the gap (left out of the median)."""
    if math.isinf(a) and math.isinf(b):
        return math.nan
    return math.inf if b == 0.0 else a / b


def _median_ratio(values: list[float]) -> float | None:
    return _median([v for v in values if not math.isnan(v)])


def _ratio_rows(runs: list[Run], size: int, families: list[str], code: str) -> list[str]:
    rows = []
    for family in families:
        pairs = [
            (b, n)
            for n in runs
            for b in runs
            if n.code == NEW
            and b.code == code
            and n.size == size == b.size
            and n.family == family == b.family
            and n.seed == b.seed
        ]
        if not pairs:
            continue
        cells = [
            _median_ratio([_ratio(_time_to(b, i), max(_time_to(n, i), 1e-3)) for b, n in pairs])
            for i in range(len(GAPS))
        ]
        gap_ratio = _median([_floored(b.gap) / _floored(n.gap) for b, n in pairs])
        time_ratio = _median([b.wall_s / n.wall_s for b, n in pairs])
        rows.append(
            f"| {family} | {' | '.join(_fmt(c, '.3g') for c in cells)} "
            f"| {_fmt(gap_ratio, '.3g')} | {_fmt(time_ratio, '.2f')} |"
        )
    return rows


def _size_tables(runs: list[Run], size: int, families: list[str]) -> list[str]:
    limit = next(r.limit_s for r in runs if r.size == size)
    gaps = " | ".join(f"to {name} s" for name in _GAP_NAMES)
    parts = [
        "",
        f"### {size:,} creators, {limit:g} s limit",
        "",
        f"| family | solver | status | {gaps} | first plan s | final gap | time s | peak MiB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for family in families:
        for code in CODES:
            group = [r for r in runs if r.size == size and r.family == family and r.code == code]
            if group:
                parts.append(_row(family, code, group))
    parts += [
        "",
        f"Where the time of influmix went at {size:,} (medians, s since the call):",
        "",
        "| family | first plan | bound | kernel or windows | final MIP (own) | kept |",
        "|---|---|---|---|---|---|",
    ]
    for family in families:
        group = [r for r in runs if r.size == size and r.family == family and r.code == NEW]
        if group:
            parts.append(_trace_row(family, group))
    for code in (BASELINE, PULP_HIGHS):
        rows = _ratio_rows(runs, size, families, code)
        if rows:
            parts += ["", f"{size:,} creators, ratios {code} / influmix (p50 over seeds):", ""]
            parts += [f"| family | {gaps} | final gap | time |", "|---|---|---|---|---|---|"]
            parts += rows
    return [*parts, "", *_targets(runs, size, families)]


def _targets(runs: list[Run], size: int, families: list[str]) -> list[str]:
    """Issue 15's targets at this size: which families meet each (p95 over the seeds)."""
    goals: list[tuple[str, Any]] = []
    if size <= 1_000:
        goals.append(("proven 1e-4 within 2 s", lambda g: _p95(g, 2) <= 2.0))
    elif size <= 10_000:
        goals.append(("proven 1e-4 within 10 s", lambda g: _p95(g, 2) <= 10.0))
    else:
        goals.append(("proven 1e-2 within 30 s", lambda g: _p95(g, 0) <= 30.0))
        goals.append(("proven 1e-3 within 60 s", lambda g: _p95(g, 1) <= 60.0))
        goals.append(("first plan within 5 s", lambda g: _p95_first(g) <= 5.0))
    if size >= 100_000:
        goals.append(("peak memory at most 1.5 GiB", lambda g: _peak(g) <= 1536.0))
    goals.append(("wall within the limit + 0.5 s", lambda g: _p100_wall(g) <= g[0].limit_s + 0.5))
    lines = [f"Targets at {size:,} creators (influmix, p95 over the seeds):"]
    for name, met in goals:
        groups = {
            f: [r for r in runs if r.size == size and r.family == f and r.code == NEW]
            for f in families
        }
        hit = [f for f, g in groups.items() if g and met(g)]
        missed = [f for f, g in groups.items() if g and not met(g)]
        verdict = "met" if not missed else f"missed by {', '.join(missed)}"
        lines.append(f"- {name}: {verdict} ({len(hit)} of {len(hit) + len(missed)} families)")
    return lines


def _p95(runs: list[Run], i: int) -> float:
    return percentile([_time_to(r, i) for r in runs], 0.95)


def _p95_first(runs: list[Run]) -> float:
    return percentile([math.inf if r.first_plan_s is None else r.first_plan_s for r in runs], 0.95)


def _peak(runs: list[Run]) -> float:
    return max((r.peak_mib or math.inf) for r in runs)


def _p100_wall(runs: list[Run]) -> float:
    return max(r.wall_s for r in runs)


def render(runs: list[Run], command: str, load: Sequence[tuple[float, ...]], held_out: bool) -> str:
    seeds = sorted({r.seed for r in runs})
    which = "held-out seeds (never looked at while tuning)" if held_out else "tuning seeds"
    parts = [
        "## The solver at scale on every family of requests"
        + (": held-out seeds" if held_out else ""),
        "",
        f"Seeds {', '.join(map(str, seeds))}: {which}. Families of bench/instances.py "
        f"(`FAMILIES`), gap asked {GAP:g}. influmix is `optimize()`; pulp+highs the PuLP model "
        "of optimizer/model.py on HiGHS at its defaults (only the time limit set), on the same "
        "instance with the same limit. Cells are p50 / p95 over the seeds (nearest rank); "
        "`to 1e-2 s` is when the solver first reported a plan and a bound that close "
        "(`>limit`: never), `time s` when the answer came, peak the largest resident memory "
        "of the solve's child process (interpreter and catalog included).",
    ]
    sizes = sorted({r.size for r in runs})
    families = [f for f in FAMILIES if any(r.family == f for r in runs)]
    for size in sizes:
        parts += _size_tables(runs, size, families)
    parts += [
        "",
        f"- Command: `{command}`",
        f"- Machine: {machine()}",
        "- Load average (1, 5, 15 min): "
        + "; ".join(", ".join(f"{x:.2f}" for x in sample) for sample in load)
        + " (at the start; at the end)",
        f"- Date: {datetime.now(UTC).date().isoformat()}",
    ]
    return "\n".join(parts) + "\n"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+")
    parser.add_argument("--limits", type=float, nargs="+", help="one per size, seconds")
    parser.add_argument("--big", action="store_true", help="50,000 and 100,000 creators, 60 s")
    parser.add_argument("--seeds", type=int, default=5, help="how many seeds per family")
    parser.add_argument("--held-out", action="store_true", help="the held-out seeds")
    parser.add_argument("--families", nargs="+", choices=list(FAMILIES), default=list(FAMILIES))
    parser.add_argument("--no-pulp", action="store_true", help="leave pulp+highs out")
    parser.add_argument("--baseline", type=Path, help="a directory holding another optimizer")
    parser.add_argument(
        "--code", type=Path, default=ROOT, help="the directory of the optimizer measured"
    )
    parser.add_argument("--gap", type=float, default=GAP)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--save", type=Path, help="append each run to this file (JSON lines)")
    parser.add_argument(
        "--from", dest="saved", type=Path, nargs="+", help="no solves: the report of saved runs"
    )
    args = parser.parse_args()
    if args.sizes is None:
        args.sizes = list(BIG_SIZES if args.big else SIZES)
        args.limits = args.limits or list(BIG_LIMITS if args.big else LIMITS)
    if args.limits is None or len(args.limits) != len(args.sizes):
        parser.error("give one time limit per size")
    return args


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        code, name, count, number, seconds, asked = sys.argv[2:8]
        child(code, name, int(count), int(number), float(seconds), float(asked))
        return 0
    args = _arguments()
    seeds = (HELD_OUT_SEEDS if args.held_out else TUNING_SEEDS)[: args.seeds]
    solvers: list[tuple[str, Path]] = [(NEW, args.code)]
    if args.baseline is not None:
        solvers.append((BASELINE, args.baseline))
    if not args.no_pulp:
        solvers.append((PULP_HIGHS, args.code))
    load = [os.getloadavg()]
    runs = [] if args.saved is None else _saved(args.saved)
    # one solve at a time: the machine is shared, and the peaks must be each solve's own
    for size, limit in zip(args.sizes, args.limits, strict=True):
        for family in args.families if args.saved is None else []:
            for seed in seeds:
                for code, path in solvers:
                    run = run_one(code, path, family, size, seed, limit, args.gap)
                    print(_line(run), flush=True)
                    runs.append(run)
                    if args.save is not None:
                        with args.save.open("a") as out:
                            out.write(json.dumps(dataclasses.asdict(run)) + "\n")
    load.append(os.getloadavg())
    command = "python -m bench.families " + " ".join(sys.argv[1:])
    section = render(runs, command, load, args.held_out)
    print(section)
    if not args.no_write:
        write_section(f"{SECTION}_held_out" if args.held_out else SECTION, section)
    return 0


def _saved(paths: list[Path]) -> list[Run]:
    """The runs saved by ``--save`` (a later run of the same instance and solver wins)."""
    runs: dict[tuple[str, str, int, int], Run] = {}
    for path in paths:
        for line in path.read_text().splitlines():
            if line.strip():
                run = Run(**json.loads(line))
                runs[(run.code, run.family, run.size, run.seed)] = run
    return list(runs.values())


def _line(run: Run) -> str:
    trace = run.trace or {}
    reached = ", ".join(_fmt(t) for t in run.reached)
    return (
        f"{run.code:10} {run.family:22} {run.size:>7,} seed {run.seed:>3}: {run.status:10} "
        f"gap {_fmt(run.gap, '.1e')} in {run.wall_s:.2f} s, first {_fmt(run.first_plan_s)}, "
        f"to gaps {reached}, peak {_fmt(run.peak_mib, '.0f')} MiB, kept {trace.get('kept')}, "
        f"lp {_fmt(trace.get('lp_s'))}, kernel {_fmt(trace.get('kernel_s'))}, "
        f"mip {_fmt(trace.get('mip_s'))}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
