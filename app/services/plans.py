"""Plan use cases: solve and store, fetch, list, delete.

The caller owns the session's transaction: these functions flush but never commit, so a
failure anywhere leaves nothing behind.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from datetime import datetime

from sqlalchemy import and_, or_
from sqlalchemy.orm import Session, load_only

from app.core.config import Settings
from app.errors import InvalidRequestError, NotFoundError
from app.schemas.plans import PlanAnswer, PlanCreate, PlanPage, PlanPublic, PlanSummary
from app.services.influencers import resolve_catalog
from app.services.planning import answer_from_result, problem_from_request, solve
from app.services.scope import WorkspaceScope
from models import Plan, PlanAllocation
from optimizer.result import PlanStatus

logger = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def create_plan(
    session: Session, settings: Settings, scope: WorkspaceScope, req: PlanCreate
) -> PlanPublic:
    """Solve a request and store the plan, whatever its status (infeasible included).

    A request drawing from the catalog is stored with the candidates it drew, as they were.
    """
    from_catalog = req.catalog is not None
    req = resolve_catalog(session, scope, req, max_candidates=settings.max_candidates)
    problem = problem_from_request(req, settings)
    result = solve(problem)  # blocking: the caller runs this use case in a worker thread
    answer = answer_from_result(result)
    if from_catalog:
        answer.diagnostics.notes.append(
            f"{len(problem.candidates)} candidate(s) drawn from the catalog; "
            "the stored request holds their values as solved"
        )
    asked, used = req.options.time_limit_s, problem.options.time_limit_s
    if asked is not None and asked > used:
        answer.diagnostics.notes.append(
            f"time_limit_s {asked:g} was capped at the server's limit of {used:g} s"
        )

    plan = Plan(
        workspace_id=scope.workspace_id,
        name=req.name,
        status=answer.status,
        currency=req.currency,
        budget=req.budget,
        objective_kind=req.objective.kind,
        # Only what was sent, so the stored request keeps absent and null apart; a catalog
        # selection is stored as the candidates it drew.
        request=req.model_dump(mode="json", exclude_unset=True, exclude={"catalog"}),
        answer=answer.model_dump(mode="json"),
        solver_backend=answer.solver.backend,
        wall_time_s=answer.solver.wall_time_s,
        objective=answer.solver.objective,
        bound=answer.solver.bound,
        gap=answer.solver.gap,
        total_spend=answer.totals.spend if answer.totals else None,
        expected_engagement=answer.totals.expected_engagement if answer.totals else None,
        influencers=answer.totals.influencers if answer.totals else None,
        allocations=[
            PlanAllocation(position=position, influencer_id=a.id, **a.model_dump(exclude={"id"}))
            for position, a in enumerate(answer.allocations)
        ],
    )
    session.add(plan)
    session.flush()
    logger.info(
        "plan %s stored: %s, %d candidates, %.3f s",
        plan.id,
        plan.status,
        len(problem.candidates),
        plan.wall_time_s,
    )
    return _public(plan, answer)


def get_plan(
    session: Session, scope: WorkspaceScope, plan_id: str, *, include_request: bool = False
) -> PlanPublic:
    plan = scope.get(session, Plan, plan_id)
    if plan is None:
        raise NotFoundError(f"no plan with id {plan_id!r}")
    answer = PlanAnswer.model_validate(plan.answer)
    request = PlanCreate.model_validate(plan.request) if include_request else None
    return _public(plan, answer, request)


def list_plans(
    session: Session,
    scope: WorkspaceScope,
    *,
    limit: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
    name: str | None = None,
    status: PlanStatus | None = None,
) -> PlanPage:
    """Plans newest first, ``limit`` at a time; ``cursor`` continues after a previous page."""
    query = scope.select(Plan).options(
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
    if name:
        query = query.where(Plan.name.ilike(f"%{_escape_like(name)}%", escape="\\"))
    if status is not None:
        query = query.where(Plan.status == status)
    if cursor is not None:
        after_created, after_id = _decode_cursor(cursor)
        query = query.where(
            or_(
                Plan.created_at < after_created,
                and_(Plan.created_at == after_created, Plan.id < after_id),
            )
        )
    query = query.order_by(Plan.created_at.desc(), Plan.id.desc()).limit(limit + 1)
    rows = list(session.scalars(query))

    page = rows[:limit]
    more = len(rows) > limit
    return PlanPage(
        items=[_summary(plan) for plan in page],
        next_cursor=_encode_cursor(page[-1]) if more and page else None,
    )


def delete_plan(session: Session, scope: WorkspaceScope, plan_id: str) -> None:
    plan = scope.get(session, Plan, plan_id)
    if plan is None:
        raise NotFoundError(f"no plan with id {plan_id!r}")
    session.delete(plan)  # allocations go with it (ON DELETE CASCADE)
    session.flush()


def _public(plan: Plan, answer: PlanAnswer, request: PlanCreate | None = None) -> PlanPublic:
    return PlanPublic(
        id=plan.id,
        name=plan.name,
        created_at=plan.created_at,
        currency=plan.currency,
        budget=plan.budget,
        request=request,
        **answer.model_dump(),
    )


def _summary(plan: Plan) -> PlanSummary:
    return PlanSummary(
        id=plan.id,
        name=plan.name,
        created_at=plan.created_at,
        status=plan.status,
        currency=plan.currency,
        budget=plan.budget,
        objective_kind=plan.objective_kind,
        spend=plan.total_spend,
        expected_engagement=plan.expected_engagement,
        influencers=plan.influencers,
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# The cursor is opaque to clients: the sort key of the last row served, base64-encoded.


def _encode_cursor(plan: Plan) -> str:
    raw = json.dumps([plan.created_at.isoformat(), plan.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created, plan_id = json.loads(raw)
        created_at = datetime.fromisoformat(created)
        if not isinstance(plan_id, str) or created_at.tzinfo is None:
            raise ValueError(cursor)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidRequestError.at(
            ("query", "cursor"), "invalid cursor: pass next_cursor from a previous page as is"
        ) from exc
    return created_at, plan_id
