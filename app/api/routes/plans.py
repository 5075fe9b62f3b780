"""/v1/plans: thin HTTP adapters over app.services.plans."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import nullcontext
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request, Response
from fastapi import status as http_status

from app.api.bodies import parse_json_body
from app.api.deps import (
    IdempotencyDep,
    PageCursor,
    PlannerDep,
    ResourcesDep,
    SessionDep,
    ViewerDep,
    refuse_when_stopping,
)
from app.api.plan_body import SLICED_FROM_BYTES, collection_paused, decode_plan, release_in_slices
from app.api.responses import CREATE_RESPONSES, json_answer, not_found, v1_router
from app.schemas.comparisons import MAX_IDS_PARAMETER, PlanComparison
from app.schemas.plans import PlanCreate, PlanPage, PlanPublic
from app.schemas.problem import Problem
from app.services import comparisons, exports, jobs, plans
from app.services.exports import ExportFormat
from app.services.spreadsheets import MEDIA_TYPES
from models.states import PlanState, Role

router = v1_router("plans", Role.VIEWER)

NOT_FOUND = not_found("plan with this id")


class PlanInclude(StrEnum):
    REQUEST = "request"


# Routes are sync on purpose: FastAPI runs them in a worker thread, so the CPU-bound solve and
# the database calls never block the event loop (health checks keep answering during a solve).


async def plan_request(request: Request) -> AsyncIterator[PlanCreate]:
    """The body, parsed and validated in a worker thread (a large one in slices,
    ``app.api.plan_body``).

    A 100,000-creator request takes about a second to validate; on the event loop that second
    would stall every other request, health checks included. When it arrived is kept: the
    request's time limit counts from then.
    """
    request.state.received_at = time.perf_counter()
    raw = await request.body()
    large = len(raw) >= SLICED_FROM_BYTES
    with collection_paused() if large else nullcontext():
        body = await parse_json_body(request, PlanCreate, decode=decode_plan)
        yield body
        if large and body.candidates:
            release_in_slices(body.candidates)


PLAN_REQUEST_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PlanCreate"}}},
}


@router.post(
    "",
    status_code=http_status.HTTP_201_CREATED,
    summary="Solve and store a plan",
    description=(
        "Solves the request and stores the plan, whatever its status (201): an `infeasible` "
        "plan carries the relaxation that would make it feasible, and a `failed` one (no plan "
        "found within the time limit) says why in its notes. Nothing is stored when the "
        "request is invalid or the solver crashes (500).\n\n"
        "With `Prefer: respond-async` the request is checked, stored as a job and answered "
        "at once (202, status `queued`); `GET` the `Location` to follow it through `running` "
        "(with progress) to its answer, and `POST {id}:cancel` to stop it."
    ),
    openapi_extra={"requestBody": PLAN_REQUEST_BODY},
    dependencies=[Depends(refuse_when_stopping)],
    response_model=PlanPublic,
    responses={
        **CREATE_RESPONSES,
        201: {
            "description": "The stored plan.",
            "headers": {
                "Location": {"description": "Path of the new plan.", "schema": {"type": "string"}}
            },
        },
        202: {
            "model": PlanPublic,
            "description": "Queued as a job (`Prefer: respond-async`); follow `Location`.",
            "headers": {
                "Location": {"description": "Path of the new plan.", "schema": {"type": "string"}},
                "Preference-Applied": {
                    "description": "`respond-async`.",
                    "schema": {"type": "string"},
                },
            },
        },
        500: {
            "model": Problem,
            "description": "The solver crashed while solving in the request; nothing was stored.",
        },
    },
)
def create_plan(
    # The key first: an unauthenticated body is never parsed.
    principal: PlannerDep,
    body: Annotated[PlanCreate, Depends(plan_request)],
    idem: IdempotencyDep,
    session: SessionDep,
    resources: ResourcesDep,
    request: Request,
    prefer: Annotated[
        str | None,
        Header(
            alias="Prefer",
            description="`respond-async` queues the plan as a job and answers 202 at once.",
            examples=["respond-async"],
            max_length=256,
        ),
    ] = None,
) -> Response:
    replay = idem.begin("create_plan", body)
    if replay is not None:
        return replay
    if _prefers_async(prefer):
        plan = jobs.submit_plan(
            session, resources.settings, principal.scope, body, resources.executor.submit
        )
        status, headers = http_status.HTTP_202_ACCEPTED, {"Preference-Applied": "respond-async"}
    else:
        with (
            resources.throttles.solves.hold(principal.workspace_id),
            resources.shutdown.solving() as control,
        ):
            plan = plans.create_plan(
                session,
                resources.settings,
                principal.scope,
                body,
                received_at=request.state.received_at,
                control=control,
            )
        status, headers = http_status.HTTP_201_CREATED, {}
    location = request.app.url_path_for("get_plan", plan_id=plan.id)
    answer = json_answer(plan, status, {"Location": location, **headers})
    return idem.respond(session, answer)


def _prefers_async(prefer: str | None) -> bool:
    # RFC 7240: comma-separated preferences, each possibly with parameters after ';'.
    if not prefer:
        return False
    return any(p.split(";")[0].strip().lower() == "respond-async" for p in prefer.split(","))


@router.post(
    "/{plan_id}:cancel",
    summary="Cancel a queued or running plan",
    description=(
        "A queued plan is cancelled at once (status `cancelled`). A running one is asked to "
        "stop: it keeps the best plan found so far (status `feasible`, with its gap, and "
        "`solver.stopped_by` `cancelled`) within about a second; follow it with GET. "
        "Cancelling again changes nothing; a plan that has finished is a 409."
    ),
    status_code=http_status.HTTP_202_ACCEPTED,
    responses={
        **NOT_FOUND,
        409: {"model": Problem, "description": "The plan has already finished."},
    },
)
def cancel_plan(plan_id: str, principal: PlannerDep, session: SessionDep) -> PlanPublic:
    return jobs.cancel_plan(session, principal.scope, plan_id)


@router.get(
    "/{plan_id}",
    summary="Fetch a plan",
    responses=NOT_FOUND,
)
def get_plan(
    plan_id: str,
    principal: ViewerDep,
    session: SessionDep,
    include: Annotated[
        PlanInclude | None,
        Query(description="`request` adds the request as it was sent to the answer."),
    ] = None,
) -> PlanPublic:
    return plans.get_plan(
        session, principal.scope, plan_id, include_request=include is PlanInclude.REQUEST
    )


@router.get("", summary="List plans, newest first")
def list_plans(
    principal: ViewerDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=plans.MAX_PAGE_SIZE)] = plans.DEFAULT_PAGE_SIZE,
    cursor: PageCursor = None,
    name: Annotated[
        str | None,
        Query(max_length=256, description="Only plans whose name contains this (any case)."),
    ] = None,
    status: Annotated[PlanState | None, Query()] = None,
) -> PlanPage:
    return plans.list_plans(
        session, principal.scope, limit=limit, cursor=cursor, name=name, status=status
    )


@router.delete(
    "/{plan_id}",
    status_code=http_status.HTTP_204_NO_CONTENT,
    summary="Delete a plan",
    responses=NOT_FOUND,
)
def delete_plan(plan_id: str, principal: PlannerDep, session: SessionDep) -> Response:
    plans.delete_plan(session, principal.scope, plan_id)
    return Response(status_code=http_status.HTTP_204_NO_CONTENT)


def _export_responses(fmt: ExportFormat) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": f"The plan as {fmt.value.upper()}, as a download.",
            "content": {MEDIA_TYPES[fmt]: {"schema": {"type": "string", "format": "binary"}}},
            "headers": {
                "Content-Disposition": {
                    "description": "attachment, with the file name.",
                    "schema": {"type": "string"},
                }
            },
        },
        **NOT_FOUND,
        409: {"model": Problem, "description": "The plan is not solved (yet)."},
    }


def _download(export: exports.PlanExport) -> Response:
    return Response(
        content=export.content,
        media_type=export.media_type,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


@router.get(
    "/{plan_id}/export.csv",
    summary="Download a plan as CSV",
    description=(
        "One row per allocation and a total row, then the totals, by-tier and by-platform "
        "blocks; for an infeasible plan, the relaxation that would make it feasible. "
        "UTF-8 with a byte order mark, so spreadsheets read accents right."
    ),
    response_class=Response,
    responses=_export_responses(ExportFormat.CSV),
)
def export_plan_csv(plan_id: str, principal: ViewerDep, session: SessionDep) -> Response:
    return _download(exports.export_plan(session, principal.scope, plan_id, ExportFormat.CSV))


@router.get(
    "/{plan_id}/export.xlsx",
    summary="Download a plan as an Excel workbook",
    description=(
        "Sheet Plan: one row per allocation, a total row and the totals; sheets By tier and "
        "By platform. Cells hold exact figures, formatted as currency, percentages and "
        "counts. For an infeasible plan, the relaxation that would make it feasible."
    ),
    response_class=Response,
    responses=_export_responses(ExportFormat.XLSX),
)
def export_plan_xlsx(plan_id: str, principal: ViewerDep, session: SessionDep) -> Response:
    return _download(exports.export_plan(session, principal.scope, plan_id, ExportFormat.XLSX))


CompareIds = Annotated[
    str,
    Query(
        min_length=1,
        max_length=MAX_IDS_PARAMETER,
        description="2 to 5 plan ids of this workspace, separated by commas; the first is the "
        "baseline the differences are taken to.",
        examples=["019ab2c4-5e1f-7a3b-8c2d-4e5f6a7b8c9d,019ab2c9-0d11-7f02-9a41-77c1e0b5d210"],
    ),
]


@router.get(
    ":compare",
    summary="Compare plans side by side",
    description=(
        "2 to 5 plans of the workspace, in the order given: their totals, risk (with the "
        "CVaR figures when the plans have scenarios), tier and platform mix, each with its "
        "difference to the first plan, and every creator any of them uses with the posts and "
        "spend per plan (`only_in` names the plan of a creator used by one plan only). "
        "An id that is unknown or of another workspace is a 404."
    ),
    responses=NOT_FOUND,
)
def compare_plans(ids: CompareIds, principal: ViewerDep, session: SessionDep) -> PlanComparison:
    return comparisons.compare_plans(session, principal.scope, comparisons.parse_ids(ids))


@router.get(
    ":compare.xlsx",
    summary="Download a plan comparison as an Excel workbook",
    description=(
        "Sheet Compare: one row per figure and per tier and platform share, one column per "
        "plan, then the differences to the first plan (columns `B - A` ...). Sheet Creators: "
        "posts and spend per plan and the plan a creator is only in. Cells hold exact figures."
    ),
    response_class=Response,
    responses={
        200: {**_export_responses(ExportFormat.XLSX)[200], "description": "The workbook."},
        **NOT_FOUND,
    },
)
def export_comparison_xlsx(ids: CompareIds, principal: ViewerDep, session: SessionDep) -> Response:
    ids_list = comparisons.parse_ids(ids)
    return _download(comparisons.export_comparison(session, principal.scope, ids_list))
