"""Plan use cases: solve and store (or queue), fetch, list, delete.

The caller owns the session's transaction: these functions flush but never commit, so a
failure anywhere leaves nothing behind.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, insert
from sqlalchemy.orm import Session, load_only

from app.core.config import Settings
from app.errors import NotFoundError, StateConflictError
from app.schemas.plans import (
    DiagnosticsOut,
    JobOut,
    JobProgressOut,
    PlanAnswer,
    PlanCreate,
    PlanPage,
    PlanPublic,
    PlanSummary,
)
from app.services import pagination
from app.services.catalog import resolve_catalog
from app.services.planning import answer_from_result, check, problem_from_request, solve
from app.services.scope import WorkspaceScope
from models import Plan, PlanAllocation, PlanState
from models.base import utcnow
from optimizer import SolveControl
from optimizer.problem import PlanProblem
from optimizer.result import RateSource

logger = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def create_plan(
    session: Session,
    settings: Settings,
    scope: WorkspaceScope,
    req: PlanCreate,
    *,
    received_at: float | None = None,
    control: SolveControl | None = None,
) -> PlanPublic:
    """Solve a request and store the plan, whatever its status (infeasible included).

    The time limit counts from ``received_at`` (``time.perf_counter`` clock; default: now), so
    reading the request and drawing from the catalog come out of the solver's time, not on top.
    A request drawing from the catalog is stored with the candidates it drew, as they were.
    ``control`` may cut the solve short (a shutdown's grace ending): the best plan so far is
    stored and answered.
    """
    if received_at is None:
        received_at = time.perf_counter()
    req, problem, notes = prepare_request(session, settings, scope, req)
    deadline = received_at + problem.options.time_limit_s - _storing_time(problem)
    # blocking: the caller runs this use case in a worker thread
    result = solve(
        problem,
        settings,
        control,
        deadline=deadline,
        seconds_per_creator=_STORE_S_PER_CREATOR,
        levers=req.options.levers,
    )
    answer = answer_from_result(result)
    answer.diagnostics.notes.extend(notes)
    plan = _new_plan(scope, req)
    apply_answer(session, plan, answer)
    logger.info(
        "plan %s stored: %s, %d candidates, %.3f s",
        plan.id,
        plan.status,
        len(problem.candidates),
        plan.wall_time_s,
    )
    return public(plan, answer=answer)


# Storing a plan and writing its answer take about this long per candidate (the request
# snapshot) and per creator in the plan (its allocation rows and answer), taken from the
# solver's time so that the request as a whole keeps to its time limit; the first never more
# than this share of the limit.
_STORE_S_PER_CANDIDATE = 1.2e-5
_STORE_S_PER_CREATOR = 1e-4
_STORE_MAX_SHARE = 0.25


def _storing_time(problem: PlanProblem) -> float:
    limit = problem.options.time_limit_s
    return min(_STORE_S_PER_CANDIDATE * len(problem.candidates), _STORE_MAX_SHARE * limit)


def queue_plan(
    session: Session,
    settings: Settings,
    scope: WorkspaceScope,
    req: PlanCreate,
    *,
    frontier_id: str | None = None,
) -> Plan:
    """Store a request as a job in state ``queued``, checked as fully as a solve would check
    it, so that a bad request is a 422 now rather than a failed job later."""
    req, problem, notes = prepare_request(session, settings, scope, req)
    check(problem)
    plan = _new_plan(scope, req)
    plan.status = PlanState.QUEUED
    plan.queued_at = utcnow()
    plan.executor = settings.executor.value
    plan.queue_notes = notes
    plan.frontier_id = frontier_id
    session.add(plan)
    session.flush()
    return plan


def prepare_request(
    session: Session, settings: Settings, scope: WorkspaceScope, req: PlanCreate
) -> tuple[PlanCreate, PlanProblem, list[str]]:
    """The request with its catalog selection resolved, the optimizer's problem, and the
    notes a planner should read with the answer."""
    from_catalog = req.catalog is not None
    req = resolve_catalog(session, scope, req, max_candidates=settings.max_candidates)
    problem = problem_from_request(req, settings)
    notes = []
    if from_catalog:
        notes.append(
            f"{len(problem.candidates)} candidate(s) drawn from the catalog; "
            "the stored request holds their values as solved"
        )
    asked, used = req.options.time_limit_s, problem.options.time_limit_s
    if asked is not None and asked > used:
        notes.append(f"time_limit_s {asked:g} was capped at the server's limit of {used:g} s")
    return req, problem, notes


def _new_plan(scope: WorkspaceScope, req: PlanCreate) -> Plan:
    return Plan(
        workspace_id=scope.workspace_id,
        name=req.name,
        currency=req.currency,
        budget=req.budget,
        objective_kind=req.objective.kind,
        # Only what was sent, so the stored request keeps absent and null apart; a catalog
        # selection is stored as the candidates it drew.
        request=req.model_dump(mode="json", exclude_unset=True, exclude={"catalog"}),
    )


def apply_answer(
    session: Session, plan: Plan, answer: PlanAnswer, *, status: PlanState | None = None
) -> None:
    """Write a solve's answer on its plan row, and its allocation rows beside it."""
    plan.status = status or PlanState.of(answer.status)
    plan.answer = answer.model_dump(mode="json")
    plan.solver_backend = answer.solver.backend.value
    plan.wall_time_s = answer.solver.wall_time_s
    plan.objective = answer.solver.objective
    plan.bound = answer.solver.bound
    plan.gap = answer.solver.gap
    plan.total_spend = answer.totals.spend if answer.totals else None
    plan.expected_engagement = answer.totals.expected_engagement if answer.totals else None
    plan.influencers = answer.totals.influencers if answer.totals else None
    session.add(plan)
    session.flush()
    # One multi-row insert: a plan of thousands of creators would take seconds as ORM objects.
    rows = [
        {
            **{name: value for name, value in a.items() if name != "id"},
            "plan_id": plan.id,
            "position": position,
            "influencer_id": a["id"],
            "engagement_rate_source": RateSource(a["engagement_rate_source"]),
        }
        for position, a in enumerate(plan.answer["allocations"])
    ]
    session.execute(delete(PlanAllocation).where(PlanAllocation.plan_id == plan.id))
    if rows:
        # Core, not the ORM's bulk path, which spends longer collecting rows than inserting
        session.execute(insert(cast(Table, PlanAllocation.__table__)), rows)
    # the rows were written around the ORM: read them back when asked for
    session.expire(plan, ["allocations"])


def get_plan(
    session: Session, scope: WorkspaceScope, plan_id: str, *, include_request: bool = False
) -> PlanPublic:
    plan = find_plan(session, scope, plan_id)
    return public(plan, include_request=include_request)


def find_plan(session: Session, scope: WorkspaceScope, plan_id: str) -> Plan:
    plan = scope.get(session, Plan, plan_id)
    if plan is None:
        raise NotFoundError(f"no plan with id {plan_id!r}")
    return plan


def list_plans(
    session: Session,
    scope: WorkspaceScope,
    *,
    limit: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
    name: str | None = None,
    status: PlanState | None = None,
) -> PlanPage:
    """Plans newest first, ``limit`` at a time; ``cursor`` continues after a previous page."""
    # A frontier's plans are listed with their frontier.
    query = (
        scope.select(Plan)
        .where(Plan.frontier_id.is_(None))
        .options(
            load_only(
                Plan.id,
                Plan.name,
                Plan.created_at,
                Plan.status,
                Plan.currency,
                Plan.budget,
                Plan.objective_kind,
                Plan.total_spend,
                Plan.expected_engagement,
                Plan.influencers,
            )
        )
    )
    if name:
        query = query.where(pagination.contains(Plan.name, name))
    if status is not None:
        query = query.where(Plan.status == status)
    if cursor is not None:
        after_created, after_id = pagination.decode_cursor(cursor, _cursor_key)
        query = query.where(
            pagination.after(Plan.created_at, after_created, Plan.id, after_id, descending=True)
        )
    page, next_cursor = pagination.keyset_page(
        session,
        query.order_by(Plan.created_at.desc(), Plan.id.desc()),
        limit,
        lambda plan: (plan.created_at.isoformat(), plan.id),
    )
    return PlanPage(items=[_summary(plan) for plan in page], next_cursor=next_cursor)


def delete_plan(session: Session, scope: WorkspaceScope, plan_id: str) -> None:
    plan = find_plan(session, scope, plan_id)
    if plan.frontier_id is not None:
        raise StateConflictError(
            f"plan {plan.id} is a point of frontier {plan.frontier_id}; it goes with the frontier"
        )
    session.delete(plan)  # allocations go with it (ON DELETE CASCADE)
    session.flush()


def public(
    plan: Plan, *, include_request: bool = False, answer: PlanAnswer | None = None
) -> PlanPublic:
    """The wire form of a stored plan, solved or still a job; ``answer`` is its answer when
    the caller has it at hand (read back from the row otherwise)."""
    if answer is None and plan.answer is not None:
        answer = PlanAnswer.model_validate(plan.answer)
    return PlanPublic(
        **_plan_head(plan),
        allocations=[] if answer is None else answer.allocations,
        totals=None if answer is None else answer.totals,
        by_tier=None if answer is None else answer.by_tier,
        by_platform=None if answer is None else answer.by_platform,
        risk=None if answer is None else answer.risk,
        solver=None if answer is None else answer.solver,
        diagnostics=DiagnosticsOut() if answer is None else answer.diagnostics,
        job=_job(plan),
        request=PlanCreate.model_validate(plan.request) if include_request else None,
    )


def _job(plan: Plan) -> JobOut | None:
    if plan.queued_at is None:
        return None
    progress = plan.progress
    return JobOut(
        queued_at=plan.queued_at,
        started_at=plan.started_at,
        finished_at=plan.finished_at,
        cancel_requested=plan.cancel_requested_at is not None,
        attempts=plan.attempts,
        progress=None if progress is None else JobProgressOut.model_validate(progress),
    )


_HEAD = ("id", "name", "created_at", "status", "currency", "budget")


def _plan_head(plan: Plan) -> dict[str, Any]:
    """What every view of a plan starts with, whole or in a listing."""
    return {name: getattr(plan, name) for name in _HEAD}


def _summary(plan: Plan) -> PlanSummary:
    return PlanSummary(
        **_plan_head(plan),
        objective_kind=plan.objective_kind,
        spend=plan.total_spend,
        expected_engagement=plan.expected_engagement,
        influencers=plan.influencers,
    )


def _cursor_key(key: Any) -> tuple[datetime, str]:
    created, plan_id = key
    created_at = datetime.fromisoformat(created)
    if not isinstance(plan_id, str) or created_at.tzinfo is None:
        raise ValueError(key)
    return created_at, plan_id
