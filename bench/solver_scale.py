"""Solver speed at scale: influmix against two baselines, on the seeded catalogs of
bench/instances.py (1,000, 10,000 and 100,000 creators), all in one run.

- ``influmix``: ``optimize()`` as the service calls it (greedy plan, LP, reductions, MIP).
- ``pulp+highs``: the PuLP model of optimizer/model.py handed to HiGHS through PuLP with
  HiGHS's default settings (only the time limit set): the careful model a user writes in PuLP.
- ``naive pulp+cbc``: one binary per post and share rows against the full spend sum, on CBC:
  the model a user writes first. It is built at 1,000 creators only (its share rows alone hold
  about n^2 terms).

Each method, size and variant runs in a child process of its own, so the peak resident memory it
reports belongs to that group (it includes the interpreter and its libraries, ~150 MiB), and a
baseline that overruns its time limit can be stopped. Times are medians and 95th percentiles
(nearest rank) over the seeds; objectives are ratios to the best any method found on the same
instance. Results replace this benchmark's section of docs/benchmarks.md.

    .venv/bin/python -m bench.solver_scale [--seeds 5] [--big-seeds 1] [--quick]
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import resource
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from multiprocessing.connection import Connection

import highspy
import pulp

from bench.instances import VARIANTS, Variant, instance
from bench.report import machine, write_section
from optimizer import PlanProblem, PlanStatus, optimize
from optimizer.model import build_model, natural_objective
from optimizer.pipeline import SolveTrace
from optimizer.prepare import prepare

SECTION = "solver_scale"
INFLUMIX = "influmix"
PULP_HIGHS = "pulp+highs"
NAIVE_CBC = "naive pulp+cbc"
METHODS = (INFLUMIX, PULP_HIGHS, NAIVE_CBC)
# time limit per size: the service default up to 10k, the 100k target above it
LIMITS = {1_000: 10.0, 10_000: 10.0, 100_000: 30.0}
NAIVE_LIMIT_S = 30.0
GAP = 1e-4
BASELINE_VARIANTS = (
    Variant(decay=0.85, binding="budget", max_influencers=50),
    Variant(decay=0.85, binding="capacity", max_influencers=50),
)
# A run (of one seed) is stopped this long past its time limit, with what it spends outside the
# solver (generating the catalog, building a PuLP model) on top.
_OVERRUN_S = {INFLUMIX: 20.0, PULP_HIGHS: 60.0, NAIVE_CBC: 60.0}


@dataclass(frozen=True, slots=True)
class Run:
    method: str
    size: int
    variant: str
    seed: int
    limit_s: float
    status: str  # optimal, feasible, none (no plan), stopped (killed past the limit)
    build_s: float | None = None
    first_s: float | None = None
    final_s: float | None = None
    objective: float | None = None
    gap: float | None = None


# --- the three methods ----------------------------------------------------------------------


def run_influmix(problem: PlanProblem, seed: int, variant: Variant) -> Run:
    trace = SolveTrace()
    started = time.perf_counter()
    result = optimize(problem, trace=trace)
    final = time.perf_counter() - started
    prepare_s = trace.prepare_s or 0.0
    return Run(
        method=INFLUMIX,
        size=len(problem.candidates),
        variant=variant.label,
        seed=seed,
        limit_s=problem.options.time_limit_s,
        status=result.status.value,
        build_s=trace.build_s,
        first_s=None if trace.first_plan_s is None else prepare_s + trace.first_plan_s,
        final_s=final,
        objective=result.solver.objective if result.status is not PlanStatus.FAILED else None,
        gap=result.solver.gap,
    )


@dataclass(frozen=True, slots=True)
class PulpAnswer:
    status: str  # optimal, feasible, none (no plan)
    build_s: float
    first_s: float | None
    final_s: float
    objective: float | None
    gap: float | None
    reached: tuple[float | None, ...]  # seconds to each gap asked of ``solve_pulp_highs``


def solve_pulp_highs(problem: PlanProblem, gaps: Sequence[float] = ()) -> PulpAnswer:
    """The PuLP model of optimizer/model.py on HiGHS at its defaults (only the time limit set);
    times since the call, with when HiGHS first reported a gap at most each of ``gaps``."""
    started = time.perf_counter()
    prepared = prepare(problem)
    building = time.perf_counter()
    built = build_model(prepared)
    solver = pulp.HiGHS(msg=False, timeLimit=problem.options.time_limit_s)
    solver.createAndConfigureSolver(built.prob)
    solver.buildSolverModel(built.prob)
    highs: highspy.Highs = built.prob.solverModel
    build = time.perf_counter() - building
    first: list[float] = []
    reached: list[float | None] = [None] * len(gaps)

    def progress(event: highspy.HighsCallbackEvent) -> None:
        now = time.perf_counter() - started
        if event.callback_type == highspy.cb.HighsCallbackType.kCallbackMipImprovingSolution:
            first.append(now)
        _mark(reached, gaps, float(event.data_out.mip_gap), now)

    highs.cbMipImprovingSolution += progress
    if gaps:
        highs.cbMipInterrupt += progress
    solver.callSolver(built.prob)
    status, solution_status = solver.findSolutionValues(built.prob)
    built.prob.assignStatus(status, solution_status)
    final = time.perf_counter() - started
    info = highs.getInfo()
    has_plan = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    objective = gap = None
    if has_plan:
        posts = [
            round(n.varValue or 0) if round(y.varValue or 0) == 1 else 0
            for n, y in zip(built.posts, built.used, strict=True)
        ]
        objective = natural_objective(prepared, posts)
        gap = info.mip_gap if math.isfinite(info.mip_gap) else None
        if gap is not None:
            _mark(reached, gaps, gap, final)
    proven = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    status_name = "optimal" if proven else ("feasible" if has_plan else "none")
    return PulpAnswer(
        status_name, build, first[0] if first else None, final, objective, gap, tuple(reached)
    )


def _mark(reached: list[float | None], gaps: Sequence[float], gap: float, now: float) -> None:
    for i, asked in enumerate(gaps):
        if reached[i] is None and gap <= asked:
            reached[i] = now


def run_pulp_highs(problem: PlanProblem, seed: int, variant: Variant) -> Run:
    answer = solve_pulp_highs(problem)
    return Run(
        method=PULP_HIGHS,
        size=len(problem.candidates),
        variant=variant.label,
        seed=seed,
        limit_s=problem.options.time_limit_s,
        status=answer.status,
        build_s=answer.build_s,
        first_s=answer.first_s,
        final_s=answer.final_s,
        objective=answer.objective,
        gap=answer.gap,
    )


def naive_model(problem: PlanProblem) -> tuple[pulp.LpProblem, list[list[pulp.LpVariable]]]:
    """Per-post binaries z_ik (the k-th post is bought), share and mix rows written against
    the full spend sum, as a first PuLP model reads."""
    prepared = prepare(problem)
    con = problem.constraints
    decay = prepared.decay
    prob = pulp.LpProblem("naive", pulp.LpMaximize)
    spends, values, used, posts = [], [], [], []
    for i, e in enumerate(prepared.eligible):
        c = e.candidate
        z = [pulp.LpVariable(f"z_{i}_{k}", cat=pulp.LpBinary) for k in range(c.max_posts)]
        y = pulp.LpVariable(f"y_{i}", cat=pulp.LpBinary)
        prob += z[0] == y
        for k in range(1, len(z)):
            prob += z[k] <= z[k - 1]
        prob += pulp.lpSum(z) >= c.min_posts * y
        spends.append(pulp.lpSum(c.price_per_post * zk for zk in z) + c.fixed_fee * y)
        values.append(pulp.lpSum(e.first_post_engagement * decay**k * zk for k, zk in enumerate(z)))
        used.append(y)
        posts.append(z)
    total = pulp.lpSum(spends)
    prob += pulp.lpSum(values)
    prob += total <= problem.budget
    cap = con.max_share_per_influencer
    if cap is not None:
        for s in spends:
            prob += s <= cap * total
    tiers = [e.tier for e in prepared.eligible]
    for name, bounds in con.tier_share.items():
        group = pulp.lpSum(s for s, t in zip(spends, tiers, strict=True) if t == name)
        if bounds.min is not None:
            prob += group >= bounds.min * total
        if bounds.max is not None:
            prob += group <= bounds.max * total
    if con.max_influencers is not None:
        prob += pulp.lpSum(used) <= con.max_influencers
    return prob, posts


def run_naive_cbc(problem: PlanProblem, seed: int, variant: Variant) -> Run:
    started = time.perf_counter()
    prob, posts = naive_model(problem)
    build = time.perf_counter() - started  # prepare included: it is a small part here
    prob.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=NAIVE_LIMIT_S, gapRel=GAP))
    final = time.perf_counter() - started
    proven = prob.sol_status == pulp.LpSolutionOptimal
    has_plan = prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    objective = None
    if has_plan:
        prepared = prepare(problem)
        counts = [sum(round(z.varValue or 0) for z in zs) for zs in posts]
        objective = natural_objective(prepared, counts)
    return Run(
        method=NAIVE_CBC,
        size=len(problem.candidates),
        variant=variant.label,
        seed=seed,
        limit_s=NAIVE_LIMIT_S,
        status="optimal" if proven else ("feasible" if has_plan else "none"),
        build_s=build,
        final_s=final,
        objective=objective,
        gap=GAP if proven else None,
    )


RUNNERS: dict[str, Callable[[PlanProblem, int, Variant], Run]] = {
    INFLUMIX: run_influmix,
    PULP_HIGHS: run_pulp_highs,
    NAIVE_CBC: run_naive_cbc,
}


# --- one group per child process ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Group:
    method: str
    size: int
    variant: Variant
    seeds: tuple[int, ...]

    @property
    def limit_s(self) -> float:
        return NAIVE_LIMIT_S if self.method == NAIVE_CBC else LIMITS[self.size]


def _child(group: Group, conn: Connection) -> None:
    runner = RUNNERS[group.method]
    for seed in group.seeds:
        problem = instance(group.size, seed, group.variant, time_limit_s=group.limit_s)
        problem = replace(problem, options=replace(problem.options, mip_gap=GAP))
        conn.send(runner(problem, seed, group.variant))
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    conn.send(peak_kib / 1024)
    conn.close()


def run_group(group: Group) -> tuple[list[Run], float | None]:
    """The group's runs (seeds cut off by the stop marked ``stopped``) and its peak memory."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(group, send))
    child.start()
    send.close()
    runs: list[Run] = []
    peak: float | None = None
    per_run = group.limit_s + _OVERRUN_S[group.method]
    while True:
        if not receive.poll(per_run):
            child.kill()
            break
        try:
            message = receive.recv()
        except EOFError:
            break
        if isinstance(message, Run):
            runs.append(message)
            print(f"  {_describe(message)}", flush=True)
        else:
            peak = float(message)
            break
    child.join()
    done = {r.seed for r in runs}
    for seed in group.seeds:
        if seed not in done:
            runs.append(
                Run(group.method, group.size, group.variant.label, seed, group.limit_s, "stopped")
            )
            print(f"  {group.method} n={group.size} seed {seed}: stopped after {per_run:.0f} s")
    return runs, peak


def _describe(run: Run) -> str:
    def num(x: float | None, fmt: str) -> str:
        return "-" if x is None else format(x, fmt)

    return (
        f"{run.method} n={run.size} {run.variant} seed {run.seed}: {run.status} "
        f"build {num(run.build_s, '.2f')} first {num(run.first_s, '.2f')} "
        f"final {num(run.final_s, '.2f')} gap {num(run.gap, '.1e')}"
    )


# --- the report -----------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: with 5 samples, p50 is the 3rd and p95 the 5th."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def _pair(values: Sequence[float | None], fmt: str = ".2f") -> str:
    known = [v for v in values if v is not None]
    if not known:
        return "-"
    p50, p95 = percentile(known, 0.5), percentile(known, 0.95)
    missing = len(values) - len(known)
    text = f"{p50:{fmt}} / {p95:{fmt}}"
    return text + (f" ({missing} none)" if missing else "")


def _peak(mib: float | None) -> str:
    return "-" if mib is None else f"{mib:.0f}"


def _most(values: Sequence[float], fmt: str) -> str:
    return format(max(values), fmt) if values else "-"


def _best_objectives(runs: Sequence[Run]) -> dict[tuple[int, str, int], float]:
    best: dict[tuple[int, str, int], float] = {}
    for r in runs:
        if r.objective is not None:
            key = (r.size, r.variant, r.seed)
            best[key] = max(best.get(key, r.objective), r.objective)
    return best


def summary_table(runs: Sequence[Run], peaks: dict[tuple[str, int], float]) -> list[str]:
    best = _best_objectives(runs)
    lines = [
        "| size | method | runs | proven | build s | first plan s | final s "
        "| objective / best | proven gap | peak MiB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size in sorted({r.size for r in runs}):
        for method in METHODS:
            group = [r for r in runs if r.size == size and r.method == method]
            if not group:
                continue
            ratios = [
                r.objective / best[(r.size, r.variant, r.seed)] if r.objective is not None else None
                for r in group
            ]
            known = [x for x in ratios if x is not None]
            objective = f"{percentile(known, 0.5):.4f} (min {min(known):.4f})" if known else "-"
            proven = sum(r.status == "optimal" for r in group)
            gaps = [r.gap for r in group]
            lines.append(
                f"| {size:,} | {method} | {len(group)} | {proven} "
                f"| {_pair([r.build_s for r in group], '.3f')} "
                f"| {_pair([r.first_s for r in group], '.3f')} "
                f"| {_pair([r.final_s for r in group])} | {objective} "
                f"| {_pair(gaps, '.1e')} | {_peak(peaks.get((method, size)))} |"
            )
    return lines


def ratio_table(runs: Sequence[Run]) -> list[str]:
    """influmix against each baseline on the instances both ran: time to answer and to proof."""
    lines = [
        "| size | baseline | instances | final time, baseline / influmix (p50) "
        "| proven: influmix / baseline | first plan, baseline / influmix (p50) |",
        "|---|---|---|---|---|---|",
    ]
    ours = {(r.size, r.variant, r.seed): r for r in runs if r.method == INFLUMIX}
    for size in sorted({r.size for r in runs}):
        for method in (PULP_HIGHS, NAIVE_CBC):
            pairs = [
                (ours[(r.size, r.variant, r.seed)], r)
                for r in runs
                if r.method == method and r.size == size and (r.size, r.variant, r.seed) in ours
            ]
            if not pairs:
                continue
            finals = [
                b.final_s / a.final_s
                for a, b in pairs
                if a.final_s is not None and b.final_s is not None
            ]
            # a baseline stopped past its limit took at least that long
            finals += [
                (b.limit_s + _OVERRUN_S[method]) / a.final_s
                for a, b in pairs
                if b.status == "stopped" and a.final_s is not None
            ]
            firsts = [
                b.first_s / a.first_s
                for a, b in pairs
                if a.first_s is not None and b.first_s is not None
            ]
            proven_a = sum(a.status == "optimal" for a, _ in pairs)
            proven_b = sum(b.status == "optimal" for _, b in pairs)
            final = f"{percentile(finals, 0.5):.1f}x" if finals else "-"
            first = f"{percentile(firsts, 0.5):.1f}x" if firsts else "-"
            lines.append(
                f"| {size:,} | {method} | {len(pairs)} | {final} "
                f"| {proven_a} / {proven_b} | {first} |"
            )
    return lines


def variant_table(runs: Sequence[Run]) -> list[str]:
    lines = [
        "| size | variant | runs | proven | first plan s (max) | final s p50 / p95 "
        "| largest gap | most past limit s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size in sorted({r.size for r in runs}):
        for variant in VARIANTS:
            group = [
                r
                for r in runs
                if r.method == INFLUMIX and r.size == size and r.variant == variant.label
            ]
            if not group:
                continue
            firsts = [r.first_s for r in group if r.first_s is not None]
            gaps = [r.gap for r in group if r.gap is not None]
            over = [r.final_s - r.limit_s for r in group if r.final_s is not None]
            proven = sum(r.status == "optimal" for r in group)
            lines.append(
                f"| {size:,} | {variant.label} | {len(group)} | {proven} "
                f"| {_most(firsts, '.2f')} | {_pair([r.final_s for r in group])} "
                f"| {_most(gaps, '.1e')} | {_most(over, '+.2f')} |"
            )
    return lines


def render(
    runs: Sequence[Run],
    peaks: dict[tuple[str, int], float],
    command: str,
    load: tuple[tuple[float, float, float], tuple[float, float, float]],
    elapsed_s: float,
) -> str:
    before, after = load
    parts = [
        "## Solver at scale",
        "",
        _wrap(
            "Seeded catalogs of bench/instances.py (followers log-uniform 1k-5M, tier "
            "engagement rates with noise, price = followers x rate x a cost per engagement, "
            "half with fixed fees, 1-4 posts; share cap 0.25, micro >= 40%, mega <= 20%) in the "
            "variants decay 0.85 / 1.0, budget- / capacity-binding, max 50 / 500 creators. "
            f"Time limits: {LIMITS[1_000]:g} s at 1k and 10k, {LIMITS[100_000]:g} s at 100k, "
            f"gap {GAP:g}. `influmix` is `optimize()`; `pulp+highs` the PuLP model of "
            "optimizer/model.py on HiGHS with its default settings; `naive pulp+cbc` per-post "
            "binaries and share rows against the full spend sum on CBC "
            f"({NAIVE_LIMIT_S:g} s limit), built at 1k only. Times are p50 / p95 in seconds: "
            "build is the model of every creator made ready for the solver (influmix: the "
            "array model; pulp+highs: the PuLP model and its transfer to HiGHS; validation, "
            "tiers and gates before it are not counted), first plan and final are from the "
            "call until a plan exists and until the answer. Objectives are ratios to the best "
            "plan any method found on the same instance; the gap is the proven one (a "
            "baseline's as HiGHS reports it; CBC through PuLP reports none). Peak memory is the "
            "resident peak of the process that ran the group (interpreter included)."
        ),
        "",
        *summary_table(runs, peaks),
        "",
        _wrap(
            "influmix against the baselines on the same instances in this run (ratios above 1: "
            "influmix is faster; a baseline stopped past its limit counts at the time it was "
            "stopped):"
        ),
        "",
        *ratio_table(runs),
        "",
        "influmix by variant:",
        "",
        *variant_table(runs),
        "",
        _wrap(
            "Notes: with the budget binding the plan holds about 35 creators, so max 50 and max "
            "500 give the same plans there; the capacity-binding max-500 variant (about 500 "
            "creators chosen) is the hardest to prove. The PuLP model that `pulp+highs` solves "
            "has the tangent rows scaled by y_i (optimizer/model.py), so this baseline is "
            "stronger than a plain tangent model. CBC runs as a separate program, whose memory "
            "the peak column does not include."
        ),
        "",
        _wrap(f"- Command: `make bench` (`{command}`), {elapsed_s / 60:.1f} min", "  "),
        _wrap(f"- Machine: {machine()}", "  "),
        _wrap(
            f"- Load average (1, 5, 15 min) at start {before[0]:.2f}, {before[1]:.2f}, "
            f"{before[2]:.2f}; at end {after[0]:.2f}, {after[1]:.2f}, {after[2]:.2f}. Other "
            "test suites share this machine, so absolute times drift between runs; the ratios "
            "compare methods measured side by side.",
            "  ",
        ),
        f"- Date: {datetime.now(UTC).date().isoformat()}",
    ]
    return "\n".join(parts)


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(text, width=100, break_on_hyphens=False, subsequent_indent=indent)


def plan_groups(seeds: int, big_seeds: int, quick: bool) -> list[Group]:
    small = tuple(range(1, seeds + 1))
    big = tuple(range(1, big_seeds + 1))
    variants = VARIANTS[:2] if quick else VARIANTS
    sizes = (1_000, 10_000) if quick else (1_000, 10_000, 100_000)
    groups: list[Group] = []
    for size in sizes:
        for variant in variants:
            groups.append(Group(INFLUMIX, size, variant, big if size >= 100_000 else small))
    for size in sizes:
        for variant in BASELINE_VARIANTS[:1] if size >= 100_000 else BASELINE_VARIANTS:
            groups.append(Group(PULP_HIGHS, size, variant, big if size >= 100_000 else small))
    groups.append(Group(NAIVE_CBC, 1_000, BASELINE_VARIANTS[0], small))
    return groups


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seeds", type=int, default=5, help="seeds at 1k and 10k")
    parser.add_argument("--big-seeds", type=int, default=1, help="seeds at 100k")
    parser.add_argument("--quick", action="store_true", help="two variants, no 100k")
    parser.add_argument("--no-write", action="store_true", help="print, leave the docs alone")
    args = parser.parse_args(argv)
    command = " ".join([".venv/bin/python -m bench.solver_scale", *(argv or sys.argv[1:])])
    started = time.perf_counter()
    load_before = os.getloadavg()
    runs: list[Run] = []
    peaks: dict[tuple[str, int], float] = {}
    for group in plan_groups(args.seeds, args.big_seeds, args.quick):
        print(f"{group.method} n={group.size} {group.variant.label}", flush=True)
        found, peak = run_group(group)
        runs.extend(found)
        if peak is not None:
            key = (group.method, group.size)
            peaks[key] = max(peaks.get(key, 0.0), peak)
    text = render(
        runs, peaks, command, (load_before, os.getloadavg()), time.perf_counter() - started
    )
    print(text)
    if not args.no_write:
        write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
