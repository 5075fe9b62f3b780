"""The use case: prepare, build, solve, and explain one plan."""

from __future__ import annotations

import time
from dataclasses import replace

from optimizer.errors import SolverError
from optimizer.explain import binding_constraints, plan_figures, relaxations
from optimizer.model import natural_objective
from optimizer.pipeline import SolveTrace, solve_highs
from optimizer.prepare import Prepared, prepare
from optimizer.problem import Backend, PlanProblem
from optimizer.relax import tighten
from optimizer.result import (
    Diagnostics,
    PlanResult,
    PlanStatus,
    Relaxation,
    SolverReport,
)
from optimizer.solve import RawSolution, SolveOutcome, solve_prepared

# The elastic solve that explains infeasibility never gets less than this, even when the
# main solve used up the time limit proving infeasibility.
_MIN_EXPLAIN_TIME_S = 0.5
_ELASTIC_SHARE = 0.3
_ELASTIC_GAP = 1e-2


def _gap(objective: float, bound: float | None) -> float | None:
    if bound is None:
        return None
    diff = abs(bound - objective)
    if diff <= 1e-12 * max(1.0, abs(objective)):
        return 0.0
    return diff / max(abs(objective), 1e-12)


def _notes(prepared: Prepared) -> tuple[str, ...]:
    priors = sum(1 for e in prepared.eligible if e.rate_source == "tier_prior")
    notes = []
    if priors:
        notes.append(f"{priors} candidate(s) have no engagement rate: their tier prior was used")
    if not prepared.eligible:
        notes.append("no candidate is left after exclude and the quality gates")
    return tuple(notes)


def _unsolved(
    prepared: Prepared,
    status: PlanStatus,
    raw: RawSolution,
    relaxation: tuple[Relaxation, ...],
    notes: tuple[str, ...] = (),
) -> PlanResult:
    return PlanResult(
        status=status,
        allocations=(),
        totals=None,
        by_tier=None,
        by_platform=None,
        risk=None,
        solver=SolverReport(raw.backend.value, raw.wall_time_s, None, None, None),
        diagnostics=Diagnostics(
            relaxation=relaxation,
            excluded=prepared.excluded,
            ignored_exclude_ids=prepared.ignored_exclude_ids,
            notes=_notes(prepared) + notes,
        ),
    )


def _explain_infeasible(
    prepared: Prepared, raw: RawSolution, started: float, deadline: float
) -> PlanResult:
    opts = prepared.problem.options
    # The elastic plan only picks which constraints to relax; tightening finds the amounts, so
    # it need not be proven optimal nor take the whole time left.
    remaining = max((deadline - time.perf_counter()) * _ELASTIC_SHARE, _MIN_EXPLAIN_TIME_S)
    notes: tuple[str, ...] = ()
    relaxation: tuple[Relaxation, ...] = ()
    try:
        phase_one = solve_prepared(
            prepared, opts.backend, remaining, _ELASTIC_GAP, opts.threads, elastic=True
        )
    except SolverError:
        # Infeasibility is already proven; only its explanation is missing.
        phase_one = replace(raw, posts=None)
    if phase_one.posts is None:
        notes = ("no relaxation could be found within the time limit",)
    else:
        found = relaxations(prepared, phase_one.posts)
        relaxation = tighten(prepared.problem, found, max(deadline, time.perf_counter() + 1.0))
    wall = time.perf_counter() - started
    return _unsolved(
        prepared, PlanStatus.INFEASIBLE, replace(raw, wall_time_s=wall), relaxation, notes
    )


def _without_unavailable_must_include(prepared: Prepared) -> PlanResult:
    """A must_include id that exclude or a gate removed: infeasible as asked. The relaxation drops
    those ids, plus whatever the rest of the request needs."""
    problem = prepared.problem
    gone = {e.id: e.reason for e in prepared.unavailable_must_include}
    kept = tuple(cid for cid in problem.constraints.must_include if cid not in gone)
    rest = optimize(replace(problem, constraints=replace(problem.constraints, must_include=kept)))
    dropped = tuple(
        Relaxation(
            f"must_include:{cid}",
            None,
            None,
            f"{cid} is in must_include but was removed ({reason}): drop it from must_include "
            "or relax what removed it",
        )
        for cid, reason in gone.items()
    )
    extra = rest.diagnostics.relaxation if rest.status is PlanStatus.INFEASIBLE else ()
    return replace(
        rest,
        status=PlanStatus.INFEASIBLE,
        allocations=(),
        totals=None,
        by_tier=None,
        by_platform=None,
        risk=None,
        solver=replace(rest.solver, objective=None, bound=None, gap=None),
        diagnostics=replace(rest.diagnostics, binding_constraints=(), relaxation=dropped + extra),
    )


def optimize(problem: PlanProblem, trace: SolveTrace | None = None) -> PlanResult:
    """Solve one planning problem. Raises ProblemValidationError for malformed input; an
    infeasible request is an answer (status ``infeasible`` with a relaxation), not an error.

    ``trace``, if given, is filled with where the time went (HiGHS backend)."""
    started = time.perf_counter()
    opts = problem.options
    deadline = started + opts.time_limit_s
    prepared = prepare(problem)
    if trace is not None:
        trace.prepare_s = time.perf_counter() - started
    if prepared.unavailable_must_include:
        return _without_unavailable_must_include(prepared)

    if opts.backend is Backend.HIGHS:
        raw = solve_highs(prepared, deadline, opts.mip_gap, opts.threads, trace)
    else:
        raw = solve_prepared(prepared, opts.backend, opts.time_limit_s, opts.mip_gap, opts.threads)

    if raw.outcome is SolveOutcome.INFEASIBLE:
        return _explain_infeasible(prepared, raw, started, deadline)
    if raw.posts is None:
        return _unsolved(
            prepared,
            PlanStatus.FAILED,
            raw,
            (),
            ("the time limit ran out before any plan was found",),
        )

    posts = raw.posts
    objective = natural_objective(prepared, posts)
    bound = objective if raw.outcome is SolveOutcome.OPTIMAL and raw.bound is None else raw.bound
    gap = _gap(objective, bound)
    proven = raw.outcome is SolveOutcome.OPTIMAL
    figures = plan_figures(prepared, posts)
    return PlanResult(
        status=PlanStatus.OPTIMAL if proven else PlanStatus.FEASIBLE,
        allocations=figures.allocations,
        totals=figures.totals,
        by_tier=figures.by_tier,
        by_platform=figures.by_platform,
        risk=figures.risk,
        solver=SolverReport(
            backend=raw.backend.value,
            wall_time_s=time.perf_counter() - started,
            objective=objective,
            bound=bound,
            gap=gap,
        ),
        diagnostics=Diagnostics(
            binding_constraints=binding_constraints(prepared, posts),
            excluded=prepared.excluded,
            ignored_exclude_ids=prepared.ignored_exclude_ids,
            notes=_notes(prepared),
        ),
    )
