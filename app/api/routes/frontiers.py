"""/v1/frontiers: thin HTTP adapters over app.services.frontiers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi import status as http_status

from app.api.bodies import json_body, request_body_openapi
from app.api.deps import (
    IdempotencyDep,
    PlannerDep,
    ResourcesDep,
    SessionDep,
    ViewerDep,
    refuse_when_stopping,
)
from app.api.responses import CREATE_RESPONSES, json_answer, not_found, v1_router
from app.schemas.frontiers import FrontierCreate, FrontierPublic
from app.services import frontiers
from models.states import Role

router = v1_router("frontiers", Role.VIEWER)

NOT_FOUND = not_found("frontier with this id")


@router.post(
    "",
    status_code=http_status.HTTP_202_ACCEPTED,
    summary="Solve a request at several budgets",
    description=(
        "Stores the frontier and queues one plan per budget, solved in parallel as jobs "
        "(202). `GET` the `Location` to see each point's engagement, spend, creators and tier "
        "mix as it is solved, with the engagement each extra currency unit of budget buys "
        "between points; the chart is at `chart_url`."
    ),
    openapi_extra=request_body_openapi(FrontierCreate),
    dependencies=[Depends(refuse_when_stopping)],
    response_model=FrontierPublic,
    responses={
        **CREATE_RESPONSES,
        202: {
            "description": "The frontier, its points queued.",
            "headers": {
                "Location": {
                    "description": "Path of the new frontier.",
                    "schema": {"type": "string"},
                }
            },
        },
    },
)
def create_frontier(
    # The key first: an unauthenticated body is never parsed.
    principal: PlannerDep,
    # Decoded in a worker thread: the request inside may hold 100,000 creators.
    body: Annotated[FrontierCreate, Depends(json_body(FrontierCreate))],
    idem: IdempotencyDep,
    session: SessionDep,
    resources: ResourcesDep,
    request: Request,
) -> Response:
    replay = idem.begin("create_frontier", body)
    if replay is not None:
        return replay
    frontier = frontiers.submit_frontier(
        session, resources.settings, principal.scope, body, resources.executor.submit
    )
    location = request.app.url_path_for("get_frontier", frontier_id=frontier.id)
    answer = json_answer(frontier, http_status.HTTP_202_ACCEPTED, {"Location": location})
    return idem.respond(session, answer)


@router.get("/{frontier_id}", summary="Fetch a frontier and its points", responses=NOT_FOUND)
def get_frontier(frontier_id: str, principal: ViewerDep, session: SessionDep) -> FrontierPublic:
    return frontiers.get_frontier(session, principal.scope, frontier_id)


@router.get(
    "/{frontier_id}/chart.svg",
    summary="The frontier as an SVG chart",
    description="Engagement against budget, what each extra 1,000 buys, and the tier mix.",
    response_class=Response,
    responses={
        200: {
            "description": "An SVG image.",
            "content": {"image/svg+xml": {"schema": {"type": "string"}}},
        },
        **NOT_FOUND,
    },
)
def frontier_chart(frontier_id: str, principal: ViewerDep, session: SessionDep) -> Response:
    svg = frontiers.frontier_chart(session, principal.scope, frontier_id)
    return Response(content=svg, media_type="image/svg+xml")


@router.post(
    "/{frontier_id}:cancel",
    status_code=http_status.HTTP_202_ACCEPTED,
    summary="Cancel a frontier's unfinished points",
    description="Queued points are cancelled, running ones stop with their best plan so far.",
    responses=NOT_FOUND,
)
def cancel_frontier(frontier_id: str, principal: PlannerDep, session: SessionDep) -> FrontierPublic:
    return frontiers.cancel_frontier(session, principal.scope, frontier_id)
