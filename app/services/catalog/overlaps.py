"""Audience overlaps between catalog entries (PRODUCT.md section 7): a sheet of pairs
imported all or nothing, the listing, deletes, and the pairs a plan drawn from the catalog
takes among its candidates.

A pair is stored once, its catalog ids in order, so a file may name it either way round.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.errors import InvalidRequestError, NotFoundError
from app.schemas.influencers import check_handle, handle_key
from app.schemas.overlaps import OverlapImportSummary, OverlapPage, OverlapPublic
from app.schemas.problem import FieldProblem
from app.services import pagination, spreadsheets
from app.services.catalog.entries import CHUNK
from app.services.catalog.imports import (
    Key,
    SheetRead,
    Upload,
    Writes,
    cell_problem,
    finish_import,
    missing_column,
    read_table,
    rows_summary,
    stored_rows,
)
from app.services.scope import WorkspaceScope
from app.services.spreadsheets import Columns, RowValues
from models import Base, InfluencerOverlap
from models.base import new_uuid7, utcnow

Pair = tuple[str, str]  # catalog ids, the smaller first
_TABLE = Base.metadata.tables[InfluencerOverlap.__tablename__]
_SIDES = ("a", "b")


@dataclass(frozen=True, slots=True)
class _PairRow:
    """One row of an overlap sheet: its creators' keys (None when unusable) and share."""

    row: int
    keys: tuple[Key | None, Key | None]
    share: float | None


def import_overlaps(
    session: Session,
    scope: WorkspaceScope,
    upload: Upload,
    *,
    dry_run: bool = False,
    max_rows: int = 100_000,
) -> OverlapImportSummary:
    """Create or update (by its two creators) one overlap per row of a CSV or XLSX file.

    Both creators must be in the catalog already. All or nothing: any bad row (an unknown
    creator, a creator paired with itself, a pair given twice, a share outside 0-100%) makes
    the whole file a 422 listing every bad row, and nothing is stored.
    """
    sheet = read_table(upload, spreadsheets.OVERLAPS, max_rows=max_rows, header=_header)
    rows = [_pair_row(sheet, row) for row in sheet.values.rows]
    keys = {key for row in rows for key in row.keys if key is not None}
    ids = {key: row["id"] for key, row in stored_rows(session, scope, keys, _KEY_NAMES).items()}
    pairs = _checked_pairs(sheet, rows, ids, upload.filename)
    stored = {pair: (pid, share) for pid, pair, share in _stored(session, scope, pairs)}

    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for (a, b), share in pairs.items():
        existing = stored.get((a, b))
        if existing is None:
            inserts.append(
                {
                    "id": new_uuid7(),
                    "workspace_id": scope.workspace_id,
                    "influencer_a_id": a,
                    "influencer_b_id": b,
                    "share": share,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        elif existing[1] != share:
            updates.append({"b_id": existing[0], "share": share, "updated_at": now})
    return finish_import(
        session,
        _TABLE,
        sheet.columns,
        sheet.values.notes,
        Writes(len(pairs), inserts, updates),
        upload=upload,
        dry_run=dry_run,
        summary=OverlapImportSummary,
    )


_KEY_NAMES = ("id", "platform", "handle")


def _header(columns: Columns) -> list[FieldProblem]:
    """Both handles and the share are needed, and each side's platform: its own column, or
    one platform column for both."""
    layout = spreadsheets.OVERLAPS
    problems = [
        missing_column(layout, name)
        for name in ("handle_a", "handle_b", "share")
        if name not in columns.index
    ]
    sides_without = [s for s in _SIDES if f"platform_{s}" not in columns.index]
    if sides_without and "platform" not in columns.index:
        if len(sides_without) == len(_SIDES):
            problems.append(missing_column(layout, "platform"))
        else:
            problems += [missing_column(layout, f"platform_{side}") for side in sides_without]
    return problems


def _pair_row(sheet: SheetRead, row: RowValues) -> _PairRow:
    """The row's two keys and share; its problems are added to the sheet's."""
    first, second = (_side_key(sheet, row, side) for side in _SIDES)
    share: float | None = row.values.get("share")
    if share is None and (row.row, "share") not in sheet.reported:
        _problem(sheet, row.row, "share", "a value is required", "missing")
    elif share is not None and not 0 <= share <= 1:
        message = f"must be between 0% and 100% (read as {share * 100:.4g}%)"
        _problem(sheet, row.row, "share", message, "out_of_range")
        share = None
    return _PairRow(row.row, (first, second), share)


def _side_key(sheet: SheetRead, row: RowValues, side: str) -> Key | None:
    handle_field = f"handle_{side}"
    own_platform = f"platform_{side}"
    platform_field = own_platform if own_platform in sheet.columns.index else "platform"
    handle, platform = row.values.get(handle_field), row.values.get(platform_field)
    for name, value in ((handle_field, handle), (platform_field, platform)):
        if value is None and (row.row, name) not in sheet.reported:
            _problem(sheet, row.row, name, "a value is required", "missing")
    if handle is None or platform is None:
        return None
    try:
        check_handle(handle)
    except ValueError as exc:  # a PydanticCustomError
        _problem(sheet, row.row, handle_field, str(exc))
        return None
    return (platform, handle_key(handle))


def _checked_pairs(
    sheet: SheetRead, rows: list[_PairRow], ids: dict[Key, str], filename: str | None
) -> dict[Pair, float]:
    """Each row's pair of catalog ids and its share; any bad row raises one 422 listing all."""
    first_row: dict[Pair, int] = {}
    pairs: dict[Pair, float] = {}
    for row in rows:
        found: list[str] = []
        for side, key in zip(_SIDES, row.keys, strict=True):
            if key is not None and key not in ids:
                message = f"no @{key[1]} on {key[0].value} in the catalog: import it first"
                _problem(sheet, row.row, f"handle_{side}", message, "not_found")
            elif key is not None:
                found.append(ids[key])
        if len(found) < len(_SIDES) or row.share is None:
            continue
        a, b = sorted(found)
        if a == b:
            message = "a creator does not overlap with itself: name two creators"
            _problem(sheet, row.row, "handle_b", message, "same_creator")
        elif (a, b) in first_row:
            message = f"this pair is already in row {first_row[(a, b)]}"
            _problem(sheet, row.row, "handle_b", message, "duplicate")
        else:
            first_row[(a, b)] = row.row
            pairs[(a, b)] = row.share
    if sheet.problems:
        problems = sorted(sheet.problems, key=lambda p: p.row or 0)  # stable within a row
        raise InvalidRequestError(problems, rows_summary(problems, filename, "nothing was stored"))
    return pairs


def _problem(
    sheet: SheetRead, row: int, name: str, message: str, type_: str = "value_error"
) -> None:
    sheet.problems.append(cell_problem(row, name, sheet.columns, message, type_))
    sheet.reported.add((row, name))


def _stored(
    session: Session, scope: WorkspaceScope, pairs: Collection[Pair]
) -> Iterator[tuple[str, Pair, float]]:
    wanted = set(pairs)
    return _pairs_from(session, scope, {a for a, _ in wanted}, wanted.__contains__)


def overlaps_among(
    session: Session, scope: WorkspaceScope, ids: Collection[str]
) -> list[tuple[str, str, float]]:
    """The stored pairs whose two creators are both in ``ids``: (a, b, share), by ids."""
    among = set(ids)
    found = _pairs_from(session, scope, among, lambda pair: pair[1] in among)
    return sorted((a, b, share) for _, (a, b), share in found)


def _pairs_from(
    session: Session,
    scope: WorkspaceScope,
    first_ids: Collection[str],
    keep: Callable[[Pair], bool],
) -> Iterator[tuple[str, Pair, float]]:
    """(id, pair, share) of the stored pairs whose first creator is one of ``first_ids``
    and that ``keep`` keeps (one query per 5,000 ids)."""
    table = _TABLE
    ordered = sorted(first_ids)
    for start in range(0, len(ordered), CHUNK):
        statement = select(
            table.c.id, table.c.influencer_a_id, table.c.influencer_b_id, table.c.share
        ).where(
            table.c.workspace_id == scope.workspace_id,
            table.c.influencer_a_id.in_(ordered[start : start + CHUNK]),
        )
        for pid, a, b, share in session.execute(statement):
            if keep((a, b)):
                yield pid, (a, b), share


def list_overlaps(
    session: Session,
    scope: WorkspaceScope,
    *,
    influencer_id: str | None = None,
    limit: int,
    cursor: str | None = None,
) -> OverlapPage:
    """The workspace's pairs, largest share first (``influencer_id``: only that creator's)."""
    statement = scope.select(InfluencerOverlap)
    if influencer_id is not None:
        statement = statement.where(
            or_(
                InfluencerOverlap.influencer_a_id == influencer_id,
                InfluencerOverlap.influencer_b_id == influencer_id,
            )
        )
    if cursor is not None:
        share, after_id = pagination.decode_cursor(cursor, _cursor_key)
        statement = statement.where(
            pagination.after(
                InfluencerOverlap.share, share, InfluencerOverlap.id, after_id, descending=True
            )
        )
    statement = statement.order_by(InfluencerOverlap.share.desc(), InfluencerOverlap.id.desc())
    page, next_cursor = pagination.keyset_page(
        session, statement, limit, lambda row: (repr(row.share), row.id)
    )
    return OverlapPage(items=[_public(row) for row in page], next_cursor=next_cursor)


def _cursor_key(key: Any) -> tuple[float, str]:
    share, overlap_id = key
    if not isinstance(share, str) or not isinstance(overlap_id, str):
        raise TypeError(key)
    return float(share), overlap_id


def delete_overlap(session: Session, scope: WorkspaceScope, overlap_id: str) -> None:
    row = scope.get(session, InfluencerOverlap, overlap_id)
    if row is None:
        raise NotFoundError(f"no overlap with id {overlap_id!r}")
    session.delete(row)
    session.flush()


def _public(row: InfluencerOverlap) -> OverlapPublic:
    a, b = row.influencer_a, row.influencer_b
    return OverlapPublic(
        id=row.id,
        a=a.id,
        a_handle=a.display_handle,
        a_platform=a.platform,
        b=b.id,
        b_handle=b.display_handle,
        b_platform=b.platform,
        share=row.share,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
