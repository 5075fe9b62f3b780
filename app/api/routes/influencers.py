"""/v1/influencers: thin HTTP adapters over app.services.catalog."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import File, Query, Request, Response, UploadFile
from fastapi import status as http_status
from pydantic import BaseModel, Field

from app.api.deps import (
    Idempotency,
    IdempotencyDep,
    PageCursor,
    PlannerDep,
    SessionDep,
    SettingsDep,
    ViewerDep,
)
from app.api.responses import IDEMPOTENCY_RESPONSES, Responses, json_answer, not_found, v1_router
from app.schemas.influencers import (
    ImportSummary,
    InfluencerCreate,
    InfluencerPage,
    InfluencerPublic,
    InfluencerUpdate,
    ParsedRoster,
)
from app.schemas.plans import MAX_FOLLOWERS
from app.schemas.problem import Problem, ValidationProblem
from app.services import catalog, rosters
from app.services.catalog import CatalogQuery, Upload
from models.states import Role
from optimizer.problem import DEFAULT_TIERS, Platform

router = v1_router("influencers", Role.VIEWER)

NOT_FOUND = not_found("influencer with this id")
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {
        "model": ValidationProblem,
        "description": "Another entry already has this handle on this platform.",
    }
}
# Routes that take a roster file.
FILE_RESPONSES: Responses = {
    413: {"model": Problem, "description": "The file is larger than the server accepts."},
    415: {"model": Problem, "description": "Not a CSV or XLSX file."},
}
RosterFile = Annotated[UploadFile, File(description="The roster, .csv or .xlsx.")]
TIER_NAMES = ", ".join(t.name for t in DEFAULT_TIERS)
# A query parameter is text by nature: read as a number here, unlike a JSON body's numbers.
FollowersQuery = Annotated[int, Field(ge=0, le=MAX_FOLLOWERS)]


@router.post(
    "",
    status_code=http_status.HTTP_201_CREATED,
    summary="Add an influencer to the catalog",
    response_model=InfluencerPublic,
    responses={
        **IDEMPOTENCY_RESPONSES,
        201: {
            "description": "The stored entry.",
            "headers": {
                "Location": {"description": "Path of the new entry.", "schema": {"type": "string"}}
            },
        },
        **CONFLICT,
    },
)
def create_influencer(
    principal: PlannerDep,
    body: InfluencerCreate,
    idem: IdempotencyDep,
    session: SessionDep,
    request: Request,
) -> Response:
    replay = idem.begin("create_influencer", body)
    if replay is not None:
        return replay
    entry = catalog.create_influencer(session, principal.scope, body)
    location = request.app.url_path_for("get_influencer", influencer_id=entry.id)
    return idem.respond(
        session, json_answer(entry, http_status.HTTP_201_CREATED, {"Location": location})
    )


@router.get("", summary="List the catalog by handle")
def list_influencers(
    principal: ViewerDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=catalog.MAX_PAGE_SIZE)] = catalog.DEFAULT_PAGE_SIZE,
    cursor: PageCursor = None,
    platform: Annotated[
        list[Platform] | None, Query(description="Any of these platforms (repeatable).")
    ] = None,
    tier: Annotated[
        list[str] | None,
        Query(description=f"Any of these tiers by followers (repeatable): {TIER_NAMES}."),
    ] = None,
    tag: Annotated[
        list[str] | None, Query(description="Carrying any of these tags (repeatable, any case).")
    ] = None,
    min_followers: Annotated[FollowersQuery | None, Query()] = None,
    max_followers: Annotated[FollowersQuery | None, Query()] = None,
    q: Annotated[
        str | None,
        Query(max_length=256, description="Text in the handle or the display name (any case)."),
    ] = None,
) -> InfluencerPage:
    query = CatalogQuery(
        platforms=platform or (),
        tiers=tier or (),
        tags=tag or (),
        min_followers=min_followers,
        max_followers=max_followers,
        text=q,
    )
    return catalog.list_influencers(session, principal.scope, query, limit=limit, cursor=cursor)


@router.post(
    "/import",
    summary="Create or update influencers from a CSV or XLSX file",
    description=(
        "One row per creator, matched on (platform, handle): new creators are added, known "
        "ones updated. Headers are matched in any case, with aliases (`followers`, "
        "`follower_count`; `er`, `engagement_rate`; `price`, `rate`, `cost`; `username`, "
        "`account`; ...). Values may read `4.5%`, `12,400`, `12.4k`, `1.2M`, `$350`. "
        "All or nothing: if any row is invalid nothing is stored and the answer lists every "
        "bad row (numbered as in the file, the header being row 1), column and reason. "
        "Columns absent from the file keep their stored values. `dry_run=true` only checks."
    ),
    response_model=ImportSummary,
    responses={
        409: {
            "model": ValidationProblem,
            "description": (
                "The catalog changed meanwhile, or a request with the same Idempotency-Key "
                "is still being processed."
            ),
        },
        **FILE_RESPONSES,
    },
)
def import_influencers(
    principal: PlannerDep,
    file: RosterFile,
    idem: IdempotencyDep,
    session: SessionDep,
    settings: SettingsDep,
    dry_run: Annotated[bool, Query(description="Check the file; store nothing.")] = False,
) -> Response:
    return file_import(
        idem,
        session,
        "import_influencers",
        upload_of(file),
        dry_run,
        lambda upload: catalog.import_influencers(
            session, principal.scope, upload, dry_run=dry_run, max_rows=settings.max_import_rows
        ),
    )


@router.post(
    "/parse",
    summary="Read a CSV or XLSX roster as plan candidates",
    description=(
        "Reads the file as `POST /v1/influencers/import` does (same headers, aliases, value "
        "formats and row errors) but stores nothing: the answer's `candidates` go as they are "
        "into the `candidates` of `POST /v1/plans`. All or nothing: if any row is invalid the "
        "answer lists every bad row (numbered as in the file, the header being row 1), column "
        "and reason."
    ),
    response_model=ParsedRoster,
    responses=FILE_RESPONSES,
)
def parse_roster(
    principal: PlannerDep,
    file: RosterFile,
    settings: SettingsDep,
) -> ParsedRoster:
    # Planner role: the answer only feeds plan requests, which need that role anyway.
    upload = upload_of(file)
    return rosters.parse_roster(upload, max_rows=settings.max_import_rows)


@router.get(
    "/by-handle/{platform}/{handle}",
    summary="Find an influencer by platform and handle",
    description="The handle is matched in any case, with or without a leading @.",
    responses={404: {"model": Problem, "description": "No such handle on this platform."}},
)
def get_influencer_by_handle(
    platform: Platform, handle: str, principal: ViewerDep, session: SessionDep
) -> InfluencerPublic:
    return catalog.get_by_handle(session, principal.scope, platform, handle)


@router.get("/{influencer_id}", summary="Fetch an influencer", responses=NOT_FOUND)
def get_influencer(
    influencer_id: str, principal: ViewerDep, session: SessionDep
) -> InfluencerPublic:
    return catalog.get_influencer(session, principal.scope, influencer_id)


@router.patch(
    "/{influencer_id}",
    summary="Change an influencer",
    description="Only the fields sent change; `null` clears an optional one.",
    responses={**NOT_FOUND, **CONFLICT},
)
def update_influencer(
    influencer_id: str, principal: PlannerDep, body: InfluencerUpdate, session: SessionDep
) -> InfluencerPublic:
    return catalog.update_influencer(session, principal.scope, influencer_id, body)


@router.delete(
    "/{influencer_id}",
    status_code=http_status.HTTP_204_NO_CONTENT,
    summary="Remove an influencer",
    description="Stored plans keep their copy of the creator and do not change.",
    responses=NOT_FOUND,
)
def delete_influencer(influencer_id: str, principal: PlannerDep, session: SessionDep) -> Response:
    catalog.delete_influencer(session, principal.scope, influencer_id)
    return Response(status_code=http_status.HTTP_204_NO_CONTENT)


def file_import(
    idem: Idempotency,
    session: SessionDep,
    operation: str,
    upload: Upload,
    dry_run: bool,
    run: Callable[[Upload], BaseModel],
) -> Response:
    """The summary of ``run`` on the upload, once per Idempotency-Key."""
    # The file's bytes, not the multipart body: its boundary changes from one retry to the next.
    replay = idem.begin(
        operation,
        {
            "file": hashlib.sha256(upload.data).hexdigest(),
            "filename": upload.filename,
            "dry_run": dry_run,
        },
    )
    if replay is not None:
        return replay
    return idem.respond(session, json_answer(run(upload), http_status.HTTP_200_OK))


def upload_of(file: UploadFile) -> Upload:
    # A sync route runs in a worker thread, so reading the spooled upload does not block.
    return Upload(data=file.file.read(), filename=file.filename, content_type=file.content_type)
