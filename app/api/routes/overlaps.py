"""/v1/influencers/overlaps: thin HTTP adapters over the catalog's audience overlaps."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Query, Response, UploadFile
from fastapi import status as http_status

from app.api.deps import IdempotencyDep, PageCursor, PlannerDep, SessionDep, SettingsDep, ViewerDep
from app.api.responses import not_found, v1_router
from app.api.routes.influencers import FILE_RESPONSES, file_import, upload_of
from app.schemas.overlaps import OverlapImportSummary, OverlapPage
from app.schemas.problem import ValidationProblem
from app.services import catalog
from models.states import Role

# The catalog's tag: overlaps are pairs of its entries.
router = v1_router("influencers", Role.VIEWER)

OverlapFile = Annotated[
    UploadFile,
    File(description="The pairs, .csv or .xlsx: two handles, their platforms, a share."),
]


@router.post(
    "/overlaps/import",
    summary="Create or update audience overlaps from a CSV or XLSX file",
    description=(
        "One row per pair of catalog creators: `handle_a`, `handle_b` (also `Creator A`, "
        "`Influencer 1`, `username_b`, ...), their platforms (`platform_a` and `platform_b`, "
        "or one `platform` column for both) and the share of the smaller audience that "
        "follows both (`overlap`, `share`, `Audience overlap (%)`, ...), written `23%`, "
        "`23 %` or `0.23`. A pair is matched in either order: a known one is updated. "
        "All or nothing: if any row is invalid (a creator not in the catalog, a creator "
        "paired with itself, a pair given twice, a share outside 0-100%) nothing is stored and "
        "the answer lists every bad row (numbered as in the file, the header being row 1), "
        "column and reason. `dry_run=true` only checks."
    ),
    response_model=OverlapImportSummary,
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
def import_overlaps(
    principal: PlannerDep,
    file: OverlapFile,
    idem: IdempotencyDep,
    session: SessionDep,
    settings: SettingsDep,
    dry_run: Annotated[bool, Query(description="Check the file; store nothing.")] = False,
) -> Response:
    return file_import(
        idem,
        session,
        "import_overlaps",
        upload_of(file),
        dry_run,
        lambda upload: catalog.import_overlaps(
            session, principal.scope, upload, dry_run=dry_run, max_rows=settings.max_import_rows
        ),
    )


@router.get("/overlaps", summary="List audience overlaps, largest share first")
def list_overlaps(
    principal: ViewerDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=catalog.MAX_PAGE_SIZE)] = catalog.DEFAULT_PAGE_SIZE,
    cursor: PageCursor = None,
    influencer_id: Annotated[
        str | None, Query(max_length=36, description="Only the pairs of this catalog creator.")
    ] = None,
) -> OverlapPage:
    return catalog.list_overlaps(
        session, principal.scope, influencer_id=influencer_id, limit=limit, cursor=cursor
    )


@router.delete(
    "/overlaps/{overlap_id}",
    status_code=http_status.HTTP_204_NO_CONTENT,
    summary="Remove an audience overlap",
    description="Stored plans keep the overlaps they were solved with and do not change.",
    responses=not_found("overlap with this id"),
)
def delete_overlap(overlap_id: str, principal: PlannerDep, session: SessionDep) -> Response:
    catalog.delete_overlap(session, principal.scope, overlap_id)
    return Response(status_code=http_status.HTTP_204_NO_CONTENT)
