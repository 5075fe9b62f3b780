"""Budget frontiers: one request solved at several budgets, each budget a plan (a job).

The caller owns the session's transaction; jobs are handed to the executor once it commits.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.db import after_commit
from app.errors import NotFoundError
from app.schemas.frontiers import FrontierCreate, FrontierPublic, FrontierSweep
from app.schemas.plans import PlanAnswer
from app.services.catalog import resolve_catalog
from app.services.frontier_chart import render_frontier_svg
from app.services.frontier_points import PointOutcome, frontier_points, frontier_status
from app.services.jobs import request_cancel
from app.services.plans import queue_plan
from app.services.scope import WorkspaceScope
from models import Frontier, Plan


def submit_frontier(
    session: Session,
    settings: Settings,
    scope: WorkspaceScope,
    body: FrontierCreate,
    submit: Callable[[str], None],
) -> FrontierPublic:
    """Store the frontier and queue one plan per point; every point solves the same
    candidates, drawn from the catalog once."""
    base = resolve_catalog(session, scope, body.request, max_candidates=settings.max_candidates)
    frontier = Frontier(
        workspace_id=scope.workspace_id,
        name=body.name,
        currency=base.currency,
        budgets=body.budget_points(),
        risk_aversions=body.risk_aversions(),
    )
    session.add(frontier)
    session.flush()
    for point in body.model_copy(update={"request": base}).point_requests():
        # a frontier compares its points itself; levers on each point would cost solves
        point.options.levers = False
        plan = queue_plan(session, settings, scope, point, frontier_id=frontier.id)
        after_commit(session, partial(submit, plan.id))
    return _public(session, frontier)


def get_frontier(session: Session, scope: WorkspaceScope, frontier_id: str) -> FrontierPublic:
    return _public(session, _find(session, scope, frontier_id))


def frontier_chart(session: Session, scope: WorkspaceScope, frontier_id: str) -> str:
    """The frontier as an SVG document."""
    frontier = get_frontier(session, scope, frontier_id)
    return render_frontier_svg(frontier.points, frontier.currency, frontier.name, frontier.sweep)


def cancel_frontier(session: Session, scope: WorkspaceScope, frontier_id: str) -> FrontierPublic:
    """Cancel the frontier's queued plans and ask its running ones to stop; solved points
    stay."""
    frontier = _find(session, scope, frontier_id)
    request_cancel(session, Plan.frontier_id == frontier.id)
    return _public(session, frontier)


def _find(session: Session, scope: WorkspaceScope, frontier_id: str) -> Frontier:
    frontier = scope.get(session, Frontier, frontier_id)
    if frontier is None:
        raise NotFoundError(f"no frontier with id {frontier_id!r}")
    return frontier


def _public(session: Session, frontier: Frontier) -> FrontierPublic:
    rows = session.execute(
        select(Plan.id, Plan.budget, Plan.status, Plan.answer, Plan.request)
        .where(Plan.frontier_id == frontier.id)
        .order_by(Plan.budget)
    ).all()
    outcomes = [
        PointOutcome(
            plan_id,
            status.value,
            None if answer is None else PlanAnswer.model_validate(answer),
        )
        for plan_id, _budget, status, answer, _request in rows
    ]
    sweep = FrontierSweep.BUDGET if frontier.risk_aversions is None else FrontierSweep.RISK_AVERSION
    # Every point of a risk sweep has the one budget: each plan's request names its aversion.
    aversions = (
        None
        if sweep is FrontierSweep.BUDGET
        else [float(request["objective"]["risk_aversion"]) for *_, request in rows]
    )
    return FrontierPublic(
        id=frontier.id,
        name=frontier.name,
        created_at=frontier.created_at,
        currency=frontier.currency,
        status=frontier_status(outcome.status for outcome in outcomes),
        sweep=sweep,
        points=frontier_points([row.budget for row in rows], outcomes, aversions),
        chart_url=f"/v1/frontiers/{frontier.id}/chart.svg",
    )
