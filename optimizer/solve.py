"""Running a built model on a backend and reading the backend's own verdict.

``solve_arrays`` runs the array model on HiGHS directly (the default backend). ``solve_model``
runs the PuLP model on CBC, whose solution status tells "proven optimal" from "stopped at the
time limit with a plan" (PuLP's status alone cannot).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import highspy
import pulp

from optimizer.arrays import ArrayModel, FloatArray, IntArray, build_arrays
from optimizer.errors import SolverError
from optimizer.highs_run import HighsOutcome, run_highs, silence_highs_banner
from optimizer.model import BuiltModel, build_model, objective_scale
from optimizer.prepare import Prepared
from optimizer.problem import Backend


class SolveOutcome(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # stopped early with a plan
    INFEASIBLE = "infeasible"
    NO_SOLUTION = "no_solution"  # stopped early without a plan


@dataclass(frozen=True, slots=True)
class RawSolution:
    outcome: SolveOutcome
    posts: tuple[int, ...] | None
    # the solver's dual bound, in natural units (None when the backend cannot say)
    bound: float | None
    backend: Backend
    wall_time_s: float


def raw_solution(
    outcome: SolveOutcome,
    posts: Iterable[int] | None,
    bound: float | None,
    backend: Backend,
    started: float,
) -> RawSolution:
    """The answer of a run that started at ``started`` (``time.perf_counter``)."""
    return RawSolution(
        outcome=outcome,
        posts=None if posts is None else tuple(int(k) for k in posts),
        bound=bound,
        backend=backend,
        wall_time_s=time.perf_counter() - started,
    )


_GAP_MARGIN = 0.99

_HIGHS_INFEASIBLE = {
    highspy.HighsModelStatus.kInfeasible,
    highspy.HighsModelStatus.kUnboundedOrInfeasible,
}


def _read_posts(built: BuiltModel) -> tuple[int, ...]:
    posts = []
    for n, y in zip(built.posts, built.used, strict=True):
        value = n.varValue
        used = y.varValue
        if value is None or used is None:
            raise SolverError("the solver reported a plan without values")
        k = round(value)
        posts.append(k if round(used) == 1 else 0)
    return tuple(posts)


def _solve_cbc(
    built: BuiltModel, time_limit_s: float, gap: float, threads: int | None
) -> tuple[SolveOutcome, float | None]:
    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit_s, gapRel=gap, threads=threads)
    try:
        built.prob.solve(solver)
    except pulp.PulpSolverError as exc:
        raise SolverError(f"CBC failed: {exc}") from exc
    sol = built.prob.sol_status
    if sol == pulp.LpSolutionOptimal:
        return SolveOutcome.OPTIMAL, None
    if sol == pulp.LpSolutionIntegerFeasible:
        return SolveOutcome.FEASIBLE, None
    if sol == pulp.LpSolutionInfeasible or built.prob.status == pulp.LpStatusInfeasible:
        return SolveOutcome.INFEASIBLE, None
    if sol == pulp.LpSolutionNoSolutionFound:
        return SolveOutcome.NO_SOLUTION, None
    raise SolverError(f"CBC ended with status {pulp.LpStatus[built.prob.status]}")


def _lp_relaxation_bound(built: BuiltModel, time_limit_s: float) -> float | None:
    """A valid (if loose) bound when the MIP backend cannot give one."""
    silence_highs_banner()
    solver = pulp.HiGHS(msg=False, mip=False, timeLimit=max(time_limit_s, 0.1))
    built.prob.solve(solver)
    h: highspy.Highs = built.prob.solverModel
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    value = float(h.getInfo().objective_function_value)
    return -value if built.prob.sense == pulp.LpMaximize else value


def solve_model(
    built: BuiltModel,
    time_limit_s: float,
    mip_gap: float,
    threads: int | None = None,
) -> RawSolution:
    """Solve once on CBC; the model object is spent afterwards."""
    started = time.perf_counter()
    outcome, scaled_bound = _solve_cbc(built, time_limit_s, mip_gap, threads)
    posts = _read_posts(built) if outcome in (SolveOutcome.OPTIMAL, SolveOutcome.FEASIBLE) else None
    if outcome is SolveOutcome.FEASIBLE and scaled_bound is None:
        remaining = time_limit_s - (time.perf_counter() - started)
        scaled_bound = _lp_relaxation_bound(built, remaining)
    bound = None if scaled_bound is None else scaled_bound * objective_scale(built)
    return raw_solution(outcome, posts, bound, Backend.CBC, started)


def _array_outcome(run: HighsOutcome) -> SolveOutcome:
    status = run.status
    if status == highspy.HighsModelStatus.kOptimal:
        return SolveOutcome.OPTIMAL
    if status in _HIGHS_INFEASIBLE:
        return SolveOutcome.INFEASIBLE
    if run.stopped_early:
        return SolveOutcome.FEASIBLE if run.x is not None else SolveOutcome.NO_SOLUTION
    raise SolverError(f"HiGHS ended with status {status}")


def solve_arrays(
    model: ArrayModel,
    deadline: float,
    mip_gap: float,
    threads: int | None = None,
    start: IntArray | None = None,
) -> RawSolution:
    """Solve the array model once on HiGHS; ``start`` is a plan (posts per model candidate)
    known to meet every constraint, handed to HiGHS as its first incumbent."""
    started = time.perf_counter()
    x0: FloatArray | None = None if start is None else model.column_values(start)
    # HiGHS proves its gap on its own objective value; the answer's gap is recomputed from the
    # integer posts, which can differ in the last digits, so HiGHS is asked for slightly less.
    run = run_highs(model, deadline, mip_gap * _GAP_MARGIN, threads=threads, start=x0, retry=True)
    outcome = _array_outcome(run)
    posts = None
    if outcome in (SolveOutcome.OPTIMAL, SolveOutcome.FEASIBLE) and run.x is not None:
        posts = tuple(int(k) for k in model.full_posts(model.posts_of(run.x)))
    bound = None if run.bound is None else run.bound * model.objective_scale()
    return raw_solution(outcome, posts, bound, Backend.HIGHS, started)


def solve_prepared(
    prepared: Prepared,
    backend: Backend,
    time_limit_s: float,
    mip_gap: float,
    threads: int | None = None,
    elastic: bool = False,
) -> RawSolution:
    """Build the model of ``prepared`` for ``backend`` and solve it once."""
    if backend is Backend.HIGHS:
        model = build_arrays(prepared, elastic=elastic)
        return solve_arrays(model, time.perf_counter() + time_limit_s, mip_gap, threads)
    return solve_model(build_model(prepared, elastic), time_limit_s, mip_gap, threads)
