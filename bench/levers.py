"""What levers cost: a plan solved as the service solves it (solver processes, the default
pool and time box), with ``options.levers`` on and off, interleaved.

Requests: the demo request (examples/demo_request.json, 30 creators) and 1,000 creators of
the ``bench.instances`` family. Medians over the rounds after a warm-up; the ratio is the time
with levers over the time without, both measured in this run. Goal: levers add at most 2x the
solve time (a ratio of at most 3). Also shown: how many levers were proven in the box, how many
skipped, and the top lever.

Results replace this benchmark's section of docs/benchmarks.md.

    .venv/bin/python -m bench.levers [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime

from app.core.config import Settings
from app.schemas.plans import PlanCreate
from app.services import planning
from app.services.demo import DEMO_REQUEST_PATH
from bench.instances import instance
from bench.report import machine, write_section
from optimizer import PlanProblem
from optimizer.result import LeverStatus, PlanResult

GOAL = 3.0  # with levers / without: levers add at most 2x the solve time


def demo_problem(settings: Settings) -> PlanProblem:
    request = PlanCreate.model_validate_json(DEMO_REQUEST_PATH.read_bytes())
    return planning.problem_from_request(request, settings)


def timed(problem: PlanProblem, settings: Settings, levers: bool) -> tuple[float, PlanResult]:
    started = time.perf_counter()
    result = planning.solve(problem, settings, levers=levers)
    return time.perf_counter() - started, result


def measure(name: str, problem: PlanProblem, settings: Settings, repeat: int) -> str:
    timed(problem, settings, True)  # warm-up: processes started, imports done
    plain: list[float] = []
    levered: list[float] = []
    last: PlanResult | None = None
    for _ in range(repeat):
        plain.append(timed(problem, settings, False)[0])
        seconds, last = timed(problem, settings, True)
        levered.append(seconds)
    assert last is not None
    levers = last.diagnostics.levers
    solved = sum(1 for lever in levers if lever.status is LeverStatus.SOLVED)
    skipped = len(levers) - solved
    top = levers[0].message if levers else "none"
    without, with_levers = statistics.median(plain), statistics.median(levered)
    ratio = with_levers / without
    verdict = "meets" if ratio <= GOAL else "misses"
    print(f"{name}: {without:.3f} s without, {with_levers:.3f} s with, {ratio:.2f}x ({verdict})")
    return (
        f"| {name} | {without * 1000:.0f} ms | {with_levers * 1000:.0f} ms | {ratio:.2f}x "
        f"({verdict}) | {solved} | {skipped} | {top} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = Settings()
    large = instance(1_000, 1)
    large = replace(large, options=replace(large.options, time_limit_s=10.0))
    rows = [
        measure("demo request (30)", demo_problem(settings), settings, args.repeat),
        measure("1,000 creators", large, settings, args.repeat),
    ]
    planning.close_solver_pools()
    section = "\n".join(
        [
            "## Levers: what they add to a solve",
            "",
            "A plan solved as the service solves it (solver processes, "
            f"{settings.solver_processes} of them; levers box {settings.lever_time_box_s:g} s), "
            "with `options.levers` on and off, interleaved; medians over "
            f"{args.repeat} rounds after a warm-up. Goal: levers add at most 2x the solve time "
            f"(with / without at most {GOAL:g}x).",
            "",
            "Levers run side by side on all but one of the solver processes (the one left idle "
            "serves other requests), so with two processes they run one at a time, each a MIP "
            "about as long as the plan's own; the box ends what the plan's time limit leaves.",
            "",
            "| request | without levers | with levers | ratio | levers proven | skipped | top |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
            f"- Command: `make bench` (`.venv/bin/python -m bench.levers --repeat {args.repeat}`)",
            f"- Machine: {machine()}, loaded by other work (ratios, not seconds, compare)",
            f"- Date: {datetime.now(UTC).date().isoformat()}",
        ]
    )
    write_section("levers", section)


if __name__ == "__main__":
    main()
