"""Translation between the wire shapes and the optimizer, and the solve call itself.

Shared by the HTTP service and the command line, so both read a request the same way.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Mapping
from types import MappingProxyType

from app.core.config import Settings
from app.errors import InvalidRequestError, SolveFailedError, SolversBusyError, field_problem
from app.schemas.plans import (
    CandidateIn,
    PlanAnswer,
    PlanCreate,
    RiskIn,
    ShareBoundsIn,
)
from app.schemas.problem import FieldProblem
from app.services import counters
from app.services.levers import with_levers
from optimizer import SolveControl
from optimizer.contained import SolverPool
from optimizer.errors import (
    FieldError,
    NoFreeSolverError,
    OptimizerError,
    ProblemValidationError,
)
from optimizer.prepare import validate
from optimizer.problem import (
    DEFAULT_TIERS,
    Candidate,
    Constraints,
    Objective,
    Overlap,
    PlanProblem,
    RiskOptions,
    ShareBounds,
    SolveOptions,
    Tier,
)
from optimizer.result import PlanResult


def problem_from_request(req: PlanCreate, settings: Settings) -> PlanProblem:
    """The optimizer's problem for a validated request, within the server's limits.

    Explicit nulls become "no limit" here; the optimizer never sees absent-versus-null.
    """
    if req.candidates is None:
        raise InvalidRequestError.at(
            ("body", "catalog"),
            "candidates from the catalog are drawn by the service (POST /v1/plans); "
            "give candidates inline here",
        )
    if len(req.candidates) > settings.max_candidates:
        raise InvalidRequestError.at(
            ("body", "candidates"),
            f"at most {settings.max_candidates} candidates per request (got {len(req.candidates)})",
            "too_long",
        )
    limits = req.constraints
    constraints = Constraints(
        min_budget_use=limits.min_budget_use or 0.0,
        max_share_per_influencer=limits.max_share_per_influencer,
        max_spend_per_influencer=limits.max_spend_per_influencer,
        max_engagement_share_per_influencer=limits.max_engagement_share_per_influencer,
        tier_share=_share_bounds(limits.tier_share or {}),
        platform_share=_share_bounds({str(k): v for k, v in (limits.platform_share or {}).items()}),
        min_influencers=limits.min_influencers or 0,
        max_influencers=limits.max_influencers,
        must_include=tuple(limits.must_include or ()),
        exclude=tuple(limits.exclude or ()),
        min_audience_quality=limits.min_audience_quality,
        min_engagement_rate=limits.min_engagement_rate,
        min_followers=limits.min_followers,
        max_followers=limits.max_followers,
        min_cvar_engagement=limits.min_cvar_engagement,
        max_overlap_share=limits.max_overlap_share,
    )
    opts = req.options
    options = SolveOptions(
        repeat_post_decay=opts.repeat_post_decay,
        time_limit_s=effective_time_limit(req, settings),
        mip_gap=opts.mip_gap,
        tiers=(
            DEFAULT_TIERS
            if opts.tiers is None
            else tuple(Tier(t.name, t.min_followers) for t in opts.tiers)
        ),
        engagement_priors=MappingProxyType(dict(opts.engagement_priors or {})),
        threads=settings.solver_threads,
        risk=_risk_options(opts.risk),
    )
    return PlanProblem(
        budget=req.budget,
        candidates=tuple(_candidate(c) for c in req.candidates),
        constraints=constraints,
        objective=Objective(
            kind=req.objective.kind,
            target_engagement=req.objective.target_engagement,
            risk_aversion=req.objective.risk_aversion,
        ),
        options=options,
        currency=req.currency,
        name=req.name,
        overlaps=tuple(Overlap(o.a, o.b, o.share) for o in req.overlaps or ()),
    )


def effective_time_limit(req: PlanCreate, settings: Settings) -> float:
    """The request's time limit, capped by the server's (null asks for the server's)."""
    asked = req.options.time_limit_s
    cap = settings.solve_time_limit_s
    return cap if asked is None else min(asked, cap)


def solve(
    problem: PlanProblem,
    settings: Settings,
    control: SolveControl | None = None,
    deadline: float | None = None,
    seconds_per_creator: float = 0.0,
    *,
    levers: bool = False,
) -> PlanResult:
    """Run the optimizer in a solver process (blocking: call it from a worker thread),
    answered by ``deadline`` (``time.perf_counter`` clock; default: the problem's time limit
    from now) plus the grace, whatever the solver does; the solver leaves the caller
    ``seconds_per_creator`` per creator of its plan to store the answer by then. With
    ``levers``, the plan's levers are re-solved in what is left of the time (app.services.levers).

    A malformed problem is the client's error (422, with the field paths of the request);
    a solver that cannot run is ours (500). Infeasibility is not an error: it is a result, and
    so is a solve that crashed or outgrew its memory (``failed``, saying why).
    """
    if deadline is None:
        deadline = time.perf_counter() + problem.options.time_limit_s
    try:
        result = run_solver(
            problem,
            control=control,
            settings=settings,
            deadline=deadline,
            seconds_per_creator=seconds_per_creator,
        )
    except ProblemValidationError as exc:
        raise InvalidRequestError([_body_field_problem(e) for e in exc.errors]) from exc
    except NoFreeSolverError as exc:
        raise SolversBusyError(str(exc)) from exc
    except OptimizerError as exc:
        raise SolveFailedError("the solver failed to run; no plan was stored") from exc
    counters.observe_solve(result)
    if levers and (control is None or not control.cancelled):
        pool = solver_pool(settings)
        result = with_levers(problem, result, pool, settings, deadline=deadline, control=control)
    return result


def run_solver(
    problem: PlanProblem,
    *,
    control: SolveControl | None,
    settings: Settings,
    deadline: float | None,
    seconds_per_creator: float,
) -> PlanResult:
    """The solve proper, in one of this process's solver processes (tests stand in for it to
    hold a solve or make it fail)."""
    return solver_pool(settings).solve(
        problem, control=control, deadline=deadline, seconds_per_creator=seconds_per_creator
    )


_pools: dict[tuple[int, int | None, float, int], SolverPool] = {}
_pools_lock = threading.Lock()


def solver_pool(settings: Settings) -> SolverPool:
    """This process's solver pool for ``settings``, started on first use.

    One per process, shared by every app instance in it; a forked worker process (Celery's
    prefork pool) makes its own rather than talking to its parent's processes.
    """
    key = (settings.solver_processes, settings.solve_memory_mb, settings.solve_grace_s, os.getpid())
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = SolverPool(
                settings.solver_processes,
                memory_mb=settings.solve_memory_mb,
                grace_s=settings.solve_grace_s,
            )
            pool.start()
            _pools[key] = pool
    return pool


@atexit.register
def close_solver_pools() -> None:
    """End this process's solver processes (at exit; a command may do it sooner)."""
    with _pools_lock:
        pools = [pool for (*_, pid), pool in _pools.items() if pid == os.getpid()]
        _pools.clear()
    for pool in pools:
        pool.close()


def check(problem: PlanProblem) -> None:
    """The optimizer's own checks without solving, so a job is refused (422) before it is
    queued rather than failing later in a worker."""
    try:
        validate(problem)
    except ProblemValidationError as exc:
        raise InvalidRequestError([_body_field_problem(e) for e in exc.errors]) from exc


def answer_from_result(result: PlanResult) -> PlanAnswer:
    """The wire answer of a solve, read from the result's attributes in one validation (a plan
    of 60,000 creators takes a tenth of the time it takes one model at a time); figures are
    copied unrounded."""
    return PlanAnswer.model_validate(result, from_attributes=True)


def _candidate(c: CandidateIn) -> Candidate:
    return Candidate(
        id=c.id,
        handle=c.handle,
        platform=c.platform.value,
        followers=c.followers,
        price_per_post=c.price_per_post,
        engagement_rate=c.engagement_rate,
        fixed_fee=c.fixed_fee,
        min_posts=c.min_posts,
        max_posts=c.max_posts,
        audience_quality=c.audience_quality,
        tags=tuple(c.tags),
        engagement_scenarios=(
            None if c.engagement_scenarios is None else tuple(c.engagement_scenarios)
        ),
        engagement_rate_sd=c.engagement_rate_sd,
    )


def _risk_options(risk: RiskIn | None) -> RiskOptions | None:
    if risk is None:
        return None
    return RiskOptions(
        scenarios=risk.scenarios,
        seed=risk.seed,
        alpha=risk.alpha,
        platform_shock_sd=risk.platform_shock_sd,
        tier_relative_sd=MappingProxyType(dict(risk.tier_relative_sd or {})),
    )


def _share_bounds(given: Mapping[str, ShareBoundsIn]) -> Mapping[str, ShareBounds]:
    return MappingProxyType({name: ShareBounds(b.min, b.max) for name, b in given.items()})


def _body_field_problem(error: FieldError) -> FieldProblem:
    loc: list[str | int] = ["body"]
    loc += [int(part) if part.isdigit() else part for part in error.field.split(".") if part]
    return field_problem(loc, error.message)
