"""Catalog use cases: add, read, list, change, remove and import creators; and the candidates
of a plan drawn from the catalog.

The caller owns the session's transaction: these functions flush but never commit, so an
invalid import leaves nothing behind.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    cast,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    UnsupportedMediaTypeError,
    field_problem,
)
from app.schemas.influencers import (
    ImportSummary,
    InfluencerCreate,
    InfluencerPage,
    InfluencerPublic,
    InfluencerUpdate,
    check_handle,
    handle_key,
    normalize_tags,
)
from app.schemas.plans import CandidateIn, CatalogFilters, CatalogSelection, PlanCreate
from app.schemas.problem import FieldProblem
from app.services import spreadsheets
from app.services.scope import WorkspaceScope
from app.services.spreadsheets import (
    Columns,
    Roster,
    RowValues,
    UnreadableFileError,
    UnsupportedFormatError,
)
from models import Base, Influencer
from models.base import new_uuid7, utcnow
from optimizer.prepare import tier_of
from optimizer.problem import DEFAULT_TIERS, Platform, Tier

logger = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# Rows per IN (...) list: below the bound-parameter limits of SQLite and PostgreSQL.
_CHUNK = 5_000
_ROWS = TypeAdapter(list[InfluencerCreate])
_TABLE = Base.metadata.tables[Influencer.__tablename__]

# Columns a catalog row shares with InfluencerCreate (handle aside: the key is derived).
_FIELDS = (
    "platform",
    "display_name",
    "followers",
    "engagement_rate",
    "price_per_post",
    "fixed_fee",
    "min_posts",
    "max_posts",
    "audience_quality",
    "tags",
    "notes",
)
# Fractions a sheet may write as percentages.
_PERCENT_FIELDS = frozenset({"engagement_rate", "audience_quality"})
# What an import reads back to merge into and compare with.
_STORED = ("id", "handle", "display_handle", *_FIELDS)
# What an empty cell restores on an existing row; followers and price are kept instead.
_CLEARED: dict[str, Any] = {
    "display_name": None,
    "engagement_rate": None,
    "fixed_fee": 0.0,
    "min_posts": 1,
    "max_posts": 1,
    "audience_quality": 1.0,
    "tags": [],
    "notes": None,
}


# --- one creator -----------------------------------------------------------------------------


def create_influencer(
    session: Session, scope: WorkspaceScope, data: InfluencerCreate
) -> InfluencerPublic:
    _ensure_free(session, scope, data.platform, data.key)
    now = utcnow()
    row = Influencer(
        id=new_uuid7(),
        workspace_id=scope.workspace_id,
        created_at=now,
        updated_at=now,
        **_columns(data),
    )
    session.add(row)
    _flush_or_conflict(session, data)
    return to_public(row)


def get_influencer(session: Session, scope: WorkspaceScope, influencer_id: str) -> InfluencerPublic:
    return to_public(_get(session, scope, influencer_id))


def get_by_handle(
    session: Session, scope: WorkspaceScope, platform: Platform, handle: str
) -> InfluencerPublic:
    """The entry for ``handle`` on ``platform``, in any case, with or without ``@``."""
    row = session.scalar(
        scope.select(Influencer).where(
            Influencer.platform == platform, Influencer.handle == handle_key(handle)
        )
    )
    if row is None:
        raise NotFoundError(f"no influencer with handle {handle!r} on {platform.value}")
    return to_public(row)


def update_influencer(
    session: Session, scope: WorkspaceScope, influencer_id: str, patch: InfluencerUpdate
) -> InfluencerPublic:
    """Apply the fields sent; the result is checked as a whole, as a new entry would be."""
    row = _get(session, scope, influencer_id)
    merged = {**_create_fields(row), **patch.model_dump(exclude_unset=True)}
    try:
        data = InfluencerCreate.model_validate(merged)
    except ValidationError as exc:
        raise InvalidRequestError(
            [field_problem(("body", *e["loc"]), e["msg"], e["type"]) for e in exc.errors()]
        ) from None
    if (data.platform, data.key) != (row.platform, row.handle):
        _ensure_free(session, scope, data.platform, data.key)
    for name, value in _columns(data).items():
        setattr(row, name, value)
    _flush_or_conflict(session, data)
    return to_public(row)


def delete_influencer(session: Session, scope: WorkspaceScope, influencer_id: str) -> None:
    # Stored plans keep their own copy of every candidate, so none of them changes.
    session.delete(_get(session, scope, influencer_id))
    session.flush()


def _get(session: Session, scope: WorkspaceScope, influencer_id: str) -> Influencer:
    row = scope.get(session, Influencer, influencer_id)
    if row is None:
        raise NotFoundError(f"no influencer with id {influencer_id!r}")
    return row


def _ensure_free(session: Session, scope: WorkspaceScope, platform: Platform, key: str) -> None:
    taken = session.scalar(
        select(Influencer.id).where(
            scope.owns(Influencer), Influencer.platform == platform, Influencer.handle == key
        )
    )
    if taken is not None:
        raise _conflict(platform, key, taken)


def _flush_or_conflict(session: Session, data: InfluencerCreate) -> None:
    # Another request may take the handle between the check and the write.
    try:
        session.flush()
    except IntegrityError:
        raise _conflict(data.platform, data.key, None) from None


def _conflict(platform: Platform, key: str, taken_by: str | None) -> ConflictError:
    who = f" (id {taken_by})" if taken_by else ""
    message = f"@{key} on {platform.value} is already in the catalog{who}"
    return ConflictError([field_problem(("body", "handle"), message, "duplicate")], message)


def _columns(data: InfluencerCreate) -> dict[str, Any]:
    """The row's columns for a validated entry."""
    return {
        "platform": data.platform,
        "handle": data.key,
        "display_handle": data.handle,
        "display_name": data.display_name,
        "followers": data.followers,
        "engagement_rate": data.engagement_rate,
        "price_per_post": data.price_per_post,
        "fixed_fee": data.fixed_fee,
        "min_posts": data.min_posts,
        "max_posts": data.max_posts,
        "audience_quality": data.audience_quality,
        "tags": list(data.tags),
        "notes": data.notes,
    }


def _create_fields(row: Influencer) -> dict[str, Any]:
    """A stored row in the shape of InfluencerCreate, to merge changes into."""
    fields = {name: getattr(row, name) for name in _FIELDS}
    fields["handle"] = row.display_handle
    fields["tags"] = list(row.tags)
    return fields


def to_public(row: Influencer) -> InfluencerPublic:
    return InfluencerPublic(
        id=row.id,
        handle=row.display_handle,
        platform=row.platform,
        display_name=row.display_name,
        followers=row.followers,
        tier=tier_of(row.followers, DEFAULT_TIERS),
        engagement_rate=row.engagement_rate,
        price_per_post=row.price_per_post,
        fixed_fee=row.fixed_fee,
        min_posts=row.min_posts,
        max_posts=row.max_posts,
        audience_quality=row.audience_quality,
        tags=list(row.tags),
        notes=row.notes,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


# --- listing ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogQuery:
    """Filters shared by the listing and by plans drawn from the catalog."""

    platforms: Sequence[Platform] = ()
    tiers: Sequence[str] = ()
    tags: Sequence[str] = ()
    min_followers: int | None = None
    max_followers: int | None = None
    text: str | None = None


def list_influencers(
    session: Session,
    scope: WorkspaceScope,
    query: CatalogQuery,
    *,
    limit: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> InfluencerPage:
    """Entries by handle, then platform, ``limit`` at a time; tiers are the default ones."""
    conditions = _conditions(session, scope, query, DEFAULT_TIERS, ("query", "tier"))
    if cursor is not None:
        after_handle, after_platform = _decode_cursor(cursor)
        conditions.append(
            or_(
                Influencer.handle > after_handle,
                and_(Influencer.handle == after_handle, Influencer.platform > after_platform),
            )
        )
    statement = (
        scope.select(Influencer)
        .where(*conditions)
        .order_by(Influencer.handle, Influencer.platform)
        .limit(limit + 1)
    )
    rows = list(session.scalars(statement))
    page = rows[:limit]
    more = len(rows) > limit
    return InfluencerPage(
        items=[to_public(row) for row in page],
        next_cursor=_encode_cursor(page[-1]) if more and page else None,
    )


def _conditions(
    session: Session,
    scope: WorkspaceScope,
    query: CatalogQuery,
    tiers: tuple[Tier, ...],
    tier_loc: tuple[str | int, ...],
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [scope.owns(Influencer)]
    if query.platforms:
        conditions.append(Influencer.platform.in_(list(query.platforms)))
    if query.tiers:
        conditions.append(or_(*_tier_ranges(query.tiers, tiers, tier_loc)))
    if query.min_followers is not None:
        conditions.append(Influencer.followers >= query.min_followers)
    if query.max_followers is not None:
        conditions.append(Influencer.followers <= query.max_followers)
    tags = normalize_tags(list(query.tags))
    if tags:
        conditions.append(_has_any_tag(session, tags))
    text = (query.text or "").strip()
    if text:
        conditions.append(
            or_(
                Influencer.handle.like(f"%{_escape_like(handle_key(text))}%", escape="\\"),
                Influencer.display_name.ilike(f"%{_escape_like(text)}%", escape="\\"),
            )
        )
    return conditions


def _tier_ranges(
    names: Sequence[str], tiers: tuple[Tier, ...], loc: tuple[str | int, ...]
) -> Iterator[ColumnElement[bool]]:
    """Follower ranges of the named tiers: a tier runs up to the next one's lower bound."""
    ordered = sorted(tiers, key=lambda t: t.min_followers)
    bounds = {
        tier.name: (tier.min_followers, nxt.min_followers if nxt else None)
        for tier, nxt in zip(ordered, [*ordered[1:], None], strict=True)
    }
    unknown = [(i, name) for i, name in enumerate(names) if name not in bounds]
    if unknown:
        allowed = ", ".join(bounds)
        raise InvalidRequestError(
            [
                field_problem((*loc, i), f"unknown tier {name!r}; the tiers are {allowed}")
                for i, name in unknown
            ]
        )
    for name in dict.fromkeys(names):
        low, high = bounds[name]
        if high is None:
            yield Influencer.followers >= low
        else:
            yield and_(Influencer.followers >= low, Influencer.followers < high)


def _has_any_tag(session: Session, tags: list[str]) -> ColumnElement[bool]:
    """Entries carrying any of ``tags`` (stored lowercase), on the backend in use."""
    if session.get_bind().dialect.name == "postgresql":
        # JSONB's ?| operator: does the array hold any of these strings.
        overlaps: ColumnElement[bool] = cast(Influencer.tags, postgresql.JSONB).has_any(
            postgresql.array(tags)
        )
        return overlaps
    elements = func.json_each(Influencer.tags).table_valued("value")
    return exists(select(1).select_from(elements).where(elements.c.value.in_(tags)))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# The cursor is opaque to clients: the sort key of the last row served, base64-encoded.


def _encode_cursor(row: Influencer) -> str:
    raw = json.dumps([row.handle, row.platform.value], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[str, Platform]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        handle, platform = json.loads(raw)
        if not isinstance(handle, str):
            raise ValueError(cursor)
        return handle, Platform(platform)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidRequestError.at(
            ("query", "cursor"), "invalid cursor: pass next_cursor from a previous page as is"
        ) from exc


# --- import ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Upload:
    data: bytes
    filename: str | None = None
    content_type: str | None = None


_FILE: tuple[str, ...] = ("body", "file")


def import_influencers(
    session: Session,
    scope: WorkspaceScope,
    upload: Upload,
    *,
    dry_run: bool = False,
    max_rows: int = 100_000,
) -> ImportSummary:
    """Create or update (by platform and handle) one entry per row of a CSV or XLSX file.

    All or nothing: any bad row makes the whole file a 422 listing every bad row, and
    nothing is stored. Columns absent from the file keep their stored values; an empty cell
    clears an optional value (followers and price, which have no default, are kept).
    """
    read = read_roster(upload, max_rows=max_rows)
    stored = _stored_rows(session, scope, {key for key, _ in read.keyed if key is not None})
    entries = checked_rows(read, stored, outcome="nothing was stored")
    columns, roster = read.columns, read.roster

    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    now = utcnow()
    for key, data in entries:
        values = _columns(data)
        existing = stored.get(key)
        if existing is None:
            inserts.append(
                {
                    **values,
                    "id": new_uuid7(),
                    "workspace_id": scope.workspace_id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        elif any(existing[name] != value for name, value in values.items()):
            # Named b_*: a bound parameter may not share a name with a column being set.
            updates.append({**values, "b_id": existing["id"], "updated_at": now})
    if not dry_run:
        _write(session, inserts, updates)
    logger.info(
        "catalog import of %s: %d rows, %d created, %d updated%s",
        upload.filename or "a file",
        len(entries),
        len(inserts),
        len(updates),
        " (dry run)" if dry_run else "",
    )
    return ImportSummary(
        dry_run=dry_run,
        file=upload.filename,
        rows=len(entries),
        created=len(inserts),
        updated=len(updates),
        unchanged=len(entries) - len(inserts) - len(updates),
        columns={columns.header[name]: name for name in columns.index},
        ignored_columns=list(columns.ignored),
        notes=roster.notes,
    )


def _check_header(columns: Columns) -> None:
    problems: list[FieldProblem] = []
    for name in ("handle", "platform"):
        if name not in columns.index:
            aliases = ", ".join(spreadsheets.FIELD_ALIASES[name])
            problems.append(
                field_problem(
                    (*_FILE, "header", name),
                    f"no {name} column: name one of the header cells {aliases} (any case)",
                    "missing",
                    row=1,
                    column=name,
                )
            )
    for name, headers in columns.duplicated.items():
        shown = ", ".join(repr(h) for h in headers)
        problems.append(
            field_problem(
                (*_FILE, "header", name),
                f"columns {shown} all mean {name}; keep one",
                "duplicate",
                row=1,
                column=headers[1],
            )
        )
    if problems:
        raise InvalidRequestError(problems, "the file's header cannot be read; nothing was stored")


Key = tuple[Platform, str]


@dataclass(frozen=True, slots=True)
class RosterRead:
    """A roster file read cell by cell, before its rows are checked as creators."""

    filename: str | None
    columns: Columns
    roster: Roster
    keyed: list[tuple[Key | None, RowValues]]
    problems: list[FieldProblem]  # unreadable cells, missing or repeated keys
    reported: set[tuple[int, str]]  # (row, field) already listed in problems


def read_roster(upload: Upload, *, max_rows: int) -> RosterRead:
    """The file's header and rows, each row with its (platform, handle) key.

    Bad cells are collected rather than raised, so that one answer lists all of them; a file
    that cannot be read at all, or whose header lacks handle or platform, raises at once.
    """
    try:
        fmt = spreadsheets.detect_format(upload.data, upload.filename, upload.content_type)
        sheet = spreadsheets.read_sheet(upload.data, fmt)
    except UnsupportedFormatError as exc:
        raise UnsupportedMediaTypeError(str(exc)) from None
    except UnreadableFileError as exc:
        raise InvalidRequestError.at(_FILE, str(exc)) from None
    if len(sheet.rows) > max_rows:
        raise InvalidRequestError.at(
            _FILE,
            f"at most {max_rows:,} rows per file (the file has {len(sheet.rows):,}); "
            "split it into several files",
            "too_long",
        )
    columns = spreadsheets.match_columns(sheet.headers)
    _check_header(columns)
    roster = spreadsheets.read_values(sheet, columns)
    problems = [
        field_problem((*_FILE, bad.row, bad.field), bad.message, row=bad.row, column=bad.column)
        for bad in roster.bad_cells
    ]
    reported = {(bad.row, bad.field) for bad in roster.bad_cells}
    keyed = _keyed_rows(roster, columns, problems, reported)
    return RosterRead(upload.filename, columns, roster, keyed, problems, reported)


def checked_rows(
    read: RosterRead,
    stored: dict[Key, dict[str, Any]],
    *,
    outcome: str,
    missing: str = "a value is required for a new influencer",
) -> list[tuple[Key, InfluencerCreate]]:
    """Every row checked as a catalog entry, merged over its stored entry when ``stored``
    has one. Any bad row raises one 422 listing them all; ``outcome`` ends its summary and
    ``missing`` is the reason given for an empty required cell."""
    entries, validation_problems = _validated(
        read.keyed, stored, read.columns, read.reported, missing
    )
    problems = read.problems + validation_problems
    if problems:
        problems.sort(key=lambda p: p.row or 0)  # stable: a row's problems stay in order
        raise InvalidRequestError(problems, _rows_summary(problems, read.filename, outcome))
    return entries


def _keyed_rows(
    roster: Roster, columns: Columns, problems: list[FieldProblem], reported: set[tuple[int, str]]
) -> list[tuple[Key | None, RowValues]]:
    """Each row with its (platform, handle), or None when it has no usable one (a problem).

    Rows without a key are still checked, so that all of a row's problems are listed at once.
    """

    def problem(row: RowValues, name: str, message: str, type_: str = "value_error") -> None:
        problems.append(_cell_problem(row.row, name, columns, message, type_))
        reported.add((row.row, name))

    first_row: dict[Key, int] = {}
    keyed: list[tuple[Key | None, RowValues]] = []
    for row in roster.rows:
        handle, platform = row.values.get("handle"), row.values.get("platform")
        if handle is None and (row.row, "handle") not in reported:
            problem(row, "handle", "a value is required", "missing")
        if platform is None and (row.row, "platform") not in reported:
            problem(row, "platform", "a value is required", "missing")
        key: Key | None = None
        if handle is not None and platform is not None:
            try:
                check_handle(handle)
                key = (platform, handle_key(handle))
            except ValueError as exc:  # a PydanticCustomError
                problem(row, "handle", str(exc))
        if key is not None and key in first_row:
            problem(
                row,
                "handle",
                f"@{key[1]} on {key[0].value} is already in row {first_row[key]}",
                "duplicate",
            )
            key = None
        elif key is not None:
            first_row[key] = row.row
        keyed.append((key, row))
    return keyed


def _stored_rows(
    session: Session, scope: WorkspaceScope, keys: set[Key]
) -> dict[Key, dict[str, Any]]:
    """The stored entries of the file's creators, by key (one query per 5,000 handles)."""
    table = _TABLE
    columns = [table.c[name] for name in _STORED]
    handles = sorted({handle for _, handle in keys})
    found: dict[Key, dict[str, Any]] = {}
    for start in range(0, len(handles), _CHUNK):
        chunk = handles[start : start + _CHUNK]
        statement = select(*columns).where(
            table.c.workspace_id == scope.workspace_id, table.c.handle.in_(chunk)
        )
        for values in session.execute(statement):
            row = dict(zip(_STORED, values, strict=True))
            key = (row["platform"], row["handle"])
            if key in keys:
                found[key] = row
    return found


def _validated(
    keyed: list[tuple[Key | None, RowValues]],
    stored: dict[Key, dict[str, Any]],
    columns: Columns,
    reported: set[tuple[int, str]],
    missing: str,
) -> tuple[list[tuple[Key, InfluencerCreate]], list[FieldProblem]]:
    """Each row merged over its stored entry (if any), checked as InfluencerCreate."""
    candidates: list[dict[str, Any]] = []
    for key, row in keyed:
        existing = None if key is None else stored.get(key)
        if existing is None:
            candidates.append(row.values)
            continue
        merged = {name: existing[name] for name in _FIELDS}
        merged["handle"] = existing["display_handle"]
        merged["tags"] = list(existing["tags"])
        merged.update({name: _CLEARED[name] for name in row.blank if name in _CLEARED})
        merged.update(row.values)
        candidates.append(merged)
    try:
        entries = _ROWS.validate_python(candidates)
    except ValidationError as exc:
        problems: list[FieldProblem] = []
        for error in exc.errors():
            index, name = error["loc"][0], str(error["loc"][1])
            assert isinstance(index, int)
            row_number = keyed[index][1].row
            if (row_number, name) in reported:  # an unreadable cell, already listed
                continue
            message = error["msg"]
            if error["type"] == "missing":
                message = missing
            elif name in _PERCENT_FIELDS and isinstance(error["input"], float | int):
                message = f"must be between 0% and 100% (read as {error['input'] * 100:.4g}%)"
            problems.append(
                _cell_problem(row_number, name, columns, message, error["type"], error["loc"][2:])
            )
        return [], problems
    valid = [(key, entry) for (key, _), entry in zip(keyed, entries, strict=True) if key]
    return valid, []


def _cell_problem(
    row: int,
    name: str,
    columns: Columns,
    message: str,
    type_: str = "value_error",
    rest: Iterable[str | int] = (),
) -> FieldProblem:
    return field_problem(
        (*_FILE, row, name, *rest),
        message,
        type_,
        row=row,
        column=columns.header.get(name, name),
    )


def _rows_summary(problems: list[FieldProblem], filename: str | None, outcome: str) -> str:
    rows = sorted({p.row for p in problems if p.row is not None})
    shown = ", ".join(str(r) for r in rows[:10]) + (" ..." if len(rows) > 10 else "")
    where = filename or "the file"
    noun = "row" if len(rows) == 1 else "rows"
    verb = "is" if len(rows) == 1 else "are"
    return f"{len(rows)} {noun} of {where} {verb} invalid ({shown}); {outcome}"


def _write(session: Session, inserts: list[dict[str, Any]], updates: list[dict[str, Any]]) -> None:
    # Core statements run as executemany, not one ORM object per row: 50,000 rows in seconds.
    table = _TABLE
    try:
        if inserts:
            session.execute(insert(table), inserts)
        if updates:
            changed = [name for name in updates[0] if name != "b_id"]
            statement = (
                update(table)
                .where(table.c.id == bindparam("b_id"))
                .values({name: bindparam(name) for name in changed})
            )
            session.execute(statement, updates)
    except IntegrityError:
        raise ConflictError(
            [
                field_problem(
                    _FILE, "the catalog changed during the import; send the file again", "conflict"
                )
            ],
            "the catalog changed during the import; nothing was stored",
        ) from None


# --- plans drawn from the catalog ------------------------------------------------------------


_CATALOG: tuple[str, ...] = ("body", "catalog")


def resolve_catalog(
    session: Session, scope: WorkspaceScope, req: PlanCreate, *, max_candidates: int
) -> PlanCreate:
    """The request with ``catalog`` replaced by the candidates it selects, as stored now.

    The result carries the values themselves, so the plan never depends on later edits.
    """
    selection = req.catalog
    if selection is None:
        return req
    tiers = (
        DEFAULT_TIERS
        if req.options.tiers is None
        else tuple(Tier(t.name, t.min_followers) for t in req.options.tiers)
    )
    rows: dict[str, Influencer] = {}
    if selection.filters is not None:
        statement = (
            select(Influencer)
            .where(*_filter_conditions(session, scope, selection.filters, tiers))
            .order_by(Influencer.handle, Influencer.platform)
        )
        rows.update((row.id, row) for row in session.scalars(statement))
    if selection.ids:
        rows.update(_rows_by_id(session, scope, selection.ids))
    if not rows:
        raise InvalidRequestError.at(
            _CATALOG, "no influencer in the catalog matches this selection", "catalog_empty"
        )
    if len(rows) > max_candidates:
        raise InvalidRequestError.at(
            _CATALOG,
            f"the selection matches {len(rows):,} influencers; a plan takes at most "
            f"{max_candidates:,}: narrow the filters",
            "too_long",
        )
    unknown = [
        field_problem(
            (*_CATALOG, "overrides", influencer_id),
            f"{influencer_id!r} is not among the selected influencers",
        )
        for influencer_id in selection.overrides
        if influencer_id not in rows
    ]
    if unknown:
        raise InvalidRequestError(unknown)
    candidates = _candidates(list(rows.values()), selection)
    return req.model_copy(update={"candidates": candidates, "catalog": None})


def _filter_conditions(
    session: Session, scope: WorkspaceScope, filters: CatalogFilters, tiers: tuple[Tier, ...]
) -> list[ColumnElement[bool]]:
    query = CatalogQuery(
        platforms=filters.platforms or (),
        tiers=filters.tiers or (),
        tags=filters.tags or (),
        min_followers=filters.min_followers,
        max_followers=filters.max_followers,
    )
    return _conditions(session, scope, query, tiers, (*_CATALOG, "filters", "tiers"))


def _rows_by_id(session: Session, scope: WorkspaceScope, ids: list[str]) -> dict[str, Influencer]:
    found: dict[str, Influencer] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        statement = scope.select(Influencer).where(Influencer.id.in_(chunk))
        found.update((row.id, row) for row in session.scalars(statement))
    missing = [
        field_problem((*_CATALOG, "ids", i), f"no influencer with id {influencer_id!r}")
        for i, influencer_id in enumerate(ids)
        if influencer_id not in found
    ]
    if missing:
        raise InvalidRequestError(missing)
    # In the order asked, after the filtered ones.
    return {influencer_id: found[influencer_id] for influencer_id in ids}


def _candidates(rows: list[Influencer], selection: CatalogSelection) -> list[CandidateIn]:
    candidates: list[CandidateIn] = []
    problems: list[FieldProblem] = []
    for row in rows:
        values: dict[str, Any] = {
            "id": row.id,
            "handle": row.display_handle,
            "platform": row.platform,
            "followers": row.followers,
            "engagement_rate": row.engagement_rate,
            "price_per_post": row.price_per_post,
            "fixed_fee": row.fixed_fee,
            "min_posts": row.min_posts,
            "max_posts": row.max_posts,
            "audience_quality": row.audience_quality,
            "tags": list(row.tags),
        }
        override = selection.overrides.get(row.id)
        if override is not None:
            values.update(override.model_dump(exclude_unset=True))
        try:
            candidates.append(CandidateIn.model_validate(values))
        except ValidationError as exc:
            # Catalog rows are valid when stored: an override made this one invalid.
            problems += [
                field_problem((*_CATALOG, "overrides", row.id, *e["loc"]), e["msg"], e["type"])
                for e in exc.errors()
            ]
    if problems:
        raise InvalidRequestError(problems)
    return candidates
