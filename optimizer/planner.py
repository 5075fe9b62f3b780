"""The use case: prepare, build, solve, and explain one plan."""

from __future__ import annotations

import time
from contextlib import suppress
from dataclasses import replace

from optimizer.causes import with_causes
from optimizer.constraints import ConstraintKind, ConstraintRef
from optimizer.control import SolveControl, SolveMonitor, SolveStage
from optimizer.errors import SolverError
from optimizer.explain import binding_constraints, plan_figures, relaxations
from optimizer.highs_run import RunListener, listening
from optimizer.model import natural_objective
from optimizer.pipeline import SolveTrace, solve_highs
from optimizer.prepare import Prepared, prepare
from optimizer.problem import Backend, PlanProblem
from optimizer.relax import tighten, with_roles
from optimizer.result import (
    Diagnostics,
    PlanResult,
    PlanStatus,
    Relaxation,
    RelaxationRole,
    SolverReport,
    StopReason,
)
from optimizer.sense import Sense, relative_gap
from optimizer.solve import RawSolution, SolveOutcome, solve_prepared

# The elastic solve that explains infeasibility never gets less than this, even when the
# main solve used up the time limit proving infeasibility.
_MIN_EXPLAIN_TIME_S = 0.5
_ELASTIC_SHARE = 0.3
_ELASTIC_GAP = 1e-2


def _notes(prepared: Prepared) -> tuple[str, ...]:
    priors = sum(1 for e in prepared.eligible if e.rate_source == "tier_prior")
    notes = []
    if priors:
        notes.append(f"{priors} candidate(s) have no engagement rate: their tier prior was used")
    if not prepared.eligible:
        notes.append("no candidate is left after exclude and the quality gates")
    return tuple(notes)


def _stop_reason(monitor: SolveMonitor, until: float) -> StopReason:
    """Why a solve was cut short: a cancel that arrived before ``until`` (the deadline, or the
    moment the cut-short step ended), else the time limit."""
    at = None if monitor.control is None else monitor.control.cancelled_at
    return StopReason.CANCELLED if at is not None and at < until else StopReason.TIME_LIMIT


def _unsolved(
    prepared: Prepared,
    status: PlanStatus,
    raw: RawSolution,
    relaxation: tuple[Relaxation, ...],
    notes: tuple[str, ...] = (),
    stopped_by: StopReason | None = None,
) -> PlanResult:
    return PlanResult(
        status=status,
        allocations=(),
        totals=None,
        by_tier=None,
        by_platform=None,
        risk=None,
        solver=SolverReport(raw.backend.value, raw.wall_time_s, None, None, None, stopped_by),
        diagnostics=Diagnostics(
            relaxation=relaxation,
            excluded=prepared.excluded,
            ignored_exclude_ids=prepared.ignored_exclude_ids,
            notes=_notes(prepared) + notes,
        ),
    )


def _explain_infeasible(
    prepared: Prepared, raw: RawSolution, started: float, deadline: float, monitor: SolveMonitor
) -> PlanResult:
    opts = prepared.problem.options
    # The elastic plan only picks which constraints to relax; tightening finds the amounts, so
    # it need not be proven optimal nor take the whole time left.
    remaining = max((deadline - time.perf_counter()) * _ELASTIC_SHARE, _MIN_EXPLAIN_TIME_S)
    notes: tuple[str, ...] = ()
    relaxation: tuple[Relaxation, ...] = ()
    stopped_by: StopReason | None = None
    elastic_posts: tuple[int, ...] | None = None
    # Checked here as well as inside the solve, since CBC does not stop on a cancel.
    if not monitor.cancelled:
        # Infeasibility is already proven; a solver error only leaves it unexplained.
        with suppress(SolverError):
            elastic_posts = solve_prepared(
                prepared, opts.backend, remaining, _ELASTIC_GAP, opts.threads, elastic=True
            ).posts
    if elastic_posts is None:
        if not monitor.cancelled:
            notes = ("no relaxation could be found within the time limit",)
            stopped_by = StopReason.TIME_LIMIT
    else:
        found = relaxations(prepared, elastic_posts)
        until = max(deadline, time.perf_counter() + 1.0)
        relaxation = tighten(prepared.problem, found, until, stop=lambda: monitor.cancelled)
        relaxation = with_roles(
            prepared.problem, relaxation, found, until, stop=lambda: monitor.cancelled
        )
        relaxation = with_causes(prepared, relaxation)
        if not monitor.cancelled and time.perf_counter() >= until:
            # probes past the deadline count as "no plan", so the amounts may not be the least
            stopped_by = StopReason.TIME_LIMIT
    if monitor.cancelled:
        stopped_by = StopReason.CANCELLED
    wall = time.perf_counter() - started
    return _unsolved(
        prepared,
        PlanStatus.INFEASIBLE,
        replace(raw, wall_time_s=wall),
        relaxation,
        notes,
        stopped_by,
    )


def _without_unavailable_must_include(prepared: Prepared, monitor: SolveMonitor) -> PlanResult:
    """A must_include id that exclude or a gate removed: infeasible as asked. The relaxation drops
    those ids, plus whatever the rest of the request needs."""
    problem = prepared.problem
    gone = {e.id: e.reason for e in prepared.unavailable_must_include}
    kept = tuple(cid for cid in problem.constraints.must_include if cid not in gone)
    monitor.infeasible()
    # the plans of the request without those ids answer nothing that was asked
    monitor.reports_plans = False
    rest = _optimize(
        replace(problem, constraints=replace(problem.constraints, must_include=kept)),
        None,
        time.perf_counter(),
        monitor,
    )
    dropped = tuple(
        Relaxation(
            ConstraintRef(ConstraintKind.MUST_INCLUDE, cid),
            None,
            None,
            f"{cid} is in must_include but was removed ({reason}): drop it from must_include "
            "or relax what removed it",
            RelaxationRole.TOGETHER,
        )
        for cid, reason in gone.items()
    )
    extra = rest.diagnostics.relaxation if rest.status is PlanStatus.INFEASIBLE else ()
    extra = _needed_with_the_drop(extra)
    # Whether the rest found a plan is all that matters here, not how good it is.
    has_plan = rest.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE)
    return replace(
        rest,
        status=PlanStatus.INFEASIBLE,
        allocations=(),
        totals=None,
        by_tier=None,
        by_platform=None,
        risk=None,
        solver=replace(
            rest.solver,
            objective=None,
            bound=None,
            gap=None,
            stopped_by=None if has_plan else rest.solver.stopped_by,
        ),
        diagnostics=replace(rest.diagnostics, binding=(), relaxation=dropped + extra),
    )


def _needed_with_the_drop(extra: tuple[Relaxation, ...]) -> tuple[Relaxation, ...]:
    """What the rest of the request needs, beside dropping the unavailable ids: its entries
    needed together, or else its first alternative, each then needed with the drop."""
    together = tuple(r for r in extra if r.role is not RelaxationRole.ALTERNATIVE)
    return tuple(replace(r, role=RelaxationRole.TOGETHER) for r in together or extra[:1])


def optimize(
    problem: PlanProblem, trace: SolveTrace | None = None, *, control: SolveControl | None = None
) -> PlanResult:
    """Solve one planning problem. Raises ProblemValidationError for malformed input; an
    infeasible request is an answer (status ``infeasible`` with a relaxation), not an error.

    ``trace``, if given, is filled with where the time went (HiGHS backend).

    ``control``, if given, can cancel the solve from another thread (the answer is then the best
    plan so far, as when the time limit arrives, with ``solver.stopped_by`` "cancelled") and
    receives its progress. HiGHS stops within moments of a cancel; CBC only looks before and
    after its solve, so a cancel during a CBC solve takes effect when it ends."""
    started = time.perf_counter()
    monitor = SolveMonitor(control, started, Sense.of(problem.objective.kind))
    with listening(RunListener(control)):
        result = _optimize(problem, trace, started, monitor)
    if result.solver.stopped_by is StopReason.CANCELLED:
        result = replace(
            result,
            diagnostics=replace(
                result.diagnostics,
                notes=(*result.diagnostics.notes, cancel_note(result, started, control)),
            ),
        )
    solver = result.solver
    monitor.finish(solver.objective, solver.bound, solver.gap)
    return result


def cancel_note(result: PlanResult, started: float, control: SolveControl | None) -> str:
    at = None if control is None else control.cancelled_at
    when = (
        "cancelled before the solve started"
        if at is None or at <= started
        else f"cancelled after {at - started:.1f} s"
    )
    if result.status is PlanStatus.FEASIBLE:
        gap = result.solver.gap
        proven = "gap unknown" if gap is None else f"gap {gap:.1%}"
        return f"{when}; the best plan found so far is kept ({proven})"
    if result.status is PlanStatus.INFEASIBLE:
        if result.diagnostics.relaxation:
            return (
                f"{when} while explaining why no plan exists; the relaxation shown is what was "
                "known by then and may not be the smallest"
            )
        return f"{when} before a relaxation was found"
    return f"{when}, before any plan was found"


def _optimize(
    problem: PlanProblem, trace: SolveTrace | None, started: float, monitor: SolveMonitor
) -> PlanResult:
    opts = problem.options
    deadline = started + opts.time_limit_s
    monitor.enter(SolveStage.PREPARE)
    prepared = prepare(problem)
    if trace is not None:
        trace.prepare_s = time.perf_counter() - started
    if prepared.unavailable_must_include:
        return _without_unavailable_must_include(prepared, monitor)

    if opts.backend is Backend.HIGHS:
        raw = solve_highs(prepared, deadline, opts.mip_gap, opts.threads, trace, monitor)
        cancel_window_end = min(deadline, time.perf_counter())
    else:
        monitor.enter(SolveStage.MIP)
        # CBC cannot be interrupted: a cancel counts only if it came before the solve started.
        cancel_window_end = min(deadline, time.perf_counter())
        if monitor.cancelled:
            raw = RawSolution(SolveOutcome.NO_SOLUTION, None, None, opts.backend, 0.0)
        else:
            raw = solve_prepared(
                prepared, opts.backend, opts.time_limit_s, opts.mip_gap, opts.threads
            )

    monitor.enter(SolveStage.EXPLAIN)
    if raw.outcome is SolveOutcome.INFEASIBLE:
        monitor.infeasible()
        return _explain_infeasible(prepared, raw, started, deadline, monitor)
    if raw.posts is None:
        reason = _stop_reason(monitor, cancel_window_end)
        notes = (
            ("the time limit ran out before any plan was found",)
            if reason is StopReason.TIME_LIMIT
            else ()
        )
        return _unsolved(prepared, PlanStatus.FAILED, raw, (), notes, reason)

    proven = raw.outcome is SolveOutcome.OPTIMAL
    return _planned(
        prepared,
        raw.posts,
        raw,
        started,
        stopped_by=None if proven else _stop_reason(monitor, cancel_window_end),
    )


def _planned(
    prepared: Prepared,
    posts: tuple[int, ...],
    raw: RawSolution,
    started: float,
    stopped_by: StopReason | None,
    notes: tuple[str, ...] = (),
) -> PlanResult:
    """The answer for a plan: ``optimal`` when ``raw`` proved it, else ``feasible`` with the gap
    to ``raw.bound``."""
    objective = natural_objective(prepared, posts)
    proven = raw.outcome is SolveOutcome.OPTIMAL
    bound = objective if proven and raw.bound is None else raw.bound
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
            gap=relative_gap(objective, bound),
            stopped_by=stopped_by,
        ),
        diagnostics=Diagnostics(
            binding=binding_constraints(prepared, posts),
            excluded=prepared.excluded,
            ignored_exclude_ids=prepared.ignored_exclude_ids,
            notes=_notes(prepared) + notes,
            overlapping_pairs=() if figures.overlap is None else figures.overlap.pairs,
        ),
    )


def ended_answer(
    problem: PlanProblem,
    *,
    posts: tuple[int, ...] | None,
    bound: float | None,
    infeasible: bool,
    stopped_by: StopReason | None,
    started: float,
    notes: tuple[str, ...],
) -> PlanResult:
    """The answer for a solve that had to be ended from outside (its process stopped), from
    what it reported before: its best plan (posts per eligible candidate, already checked
    against every constraint) with the best bound, else ``infeasible`` if it had proven so,
    else ``failed``. ``notes`` say why it was ended."""
    prepared = prepare(problem)
    backend = problem.options.backend
    wall = time.perf_counter() - started
    if posts is not None:
        raw = RawSolution(SolveOutcome.FEASIBLE, posts, bound, backend, wall)
        return _planned(prepared, posts, raw, started, stopped_by, notes)
    status = PlanStatus.INFEASIBLE if infeasible else PlanStatus.FAILED
    raw = RawSolution(SolveOutcome.NO_SOLUTION, None, None, backend, wall)
    return _unsolved(prepared, status, raw, (), notes, stopped_by)
