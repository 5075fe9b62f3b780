"""Catalog imports: a CSV or XLSX roster read, checked row by row, and stored all or nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import (
    ConflictError,
    InvalidRequestError,
    UnsupportedMediaTypeError,
    field_problem,
)
from app.schemas.influencers import ImportSummary, InfluencerCreate, check_handle, handle_key
from app.schemas.problem import FieldProblem
from app.services import spreadsheets
from app.services.catalog.entries import CHUNK, FIELDS, entry_columns
from app.services.scope import WorkspaceScope
from app.services.spreadsheets import (
    Columns,
    Layout,
    Roster,
    RowValues,
    UnreadableFileError,
    UnsupportedFormatError,
)
from models import Base, Influencer
from models.base import new_uuid7, utcnow
from optimizer.problem import Platform

logger = logging.getLogger(__name__)

_ROWS = TypeAdapter(list[InfluencerCreate])
_TABLE = Base.metadata.tables[Influencer.__tablename__]
# Fractions a sheet may write as percentages.
_PERCENT_FIELDS = frozenset({"engagement_rate", "engagement_rate_sd", "audience_quality"})
# What an import reads back to merge into and compare with.
_STORED = ("id", "handle", "display_handle", *FIELDS)
# What an empty cell restores on an existing row; followers and price are kept instead.
_CLEARED: dict[str, Any] = {
    "display_name": None,
    "engagement_rate": None,
    "engagement_rate_sd": None,
    "fixed_fee": 0.0,
    "min_posts": 1,
    "max_posts": 1,
    "audience_quality": 1.0,
    "tags": [],
    "notes": None,
}
# Fields a row may leave out; each import says for how many rows their default applied.
_DEFAULTED = ("min_posts", "max_posts", "fixed_fee", "audience_quality")


@dataclass(frozen=True, slots=True)
class Upload:
    data: bytes
    filename: str | None = None
    content_type: str | None = None


FILE: tuple[str, ...] = ("body", "file")


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
    stored = stored_rows(session, scope, {key for key, _ in read.keyed if key is not None})
    entries = checked_rows(read, stored, outcome="nothing was stored")

    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    now = utcnow()
    for key, data in entries:
        values = entry_columns(data)
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
    return finish_import(
        session,
        _TABLE,
        read.columns,
        [*read.roster.notes, *default_notes(read, stored)],
        Writes(len(entries), inserts, updates),
        upload=upload,
        dry_run=dry_run,
        summary=ImportSummary,
    )


@dataclass(frozen=True, slots=True)
class Writes:
    """What an import writes: of its ``rows``, the new ones and the changed ones (each
    keyed by ``b_id``)."""

    rows: int
    inserts: list[dict[str, Any]]
    updates: list[dict[str, Any]]


SummaryT = TypeVar("SummaryT", bound=ImportSummary)


def finish_import(
    session: Session,
    table: Table,
    columns: Columns,
    notes: list[str],
    writes: Writes,
    *,
    upload: Upload,
    dry_run: bool,
    summary: type[SummaryT],
) -> SummaryT:
    """Write the rows into ``table`` (unless ``dry_run``) and say what was, or would be,
    stored."""
    if not dry_run:
        write_rows(session, table, writes.inserts, writes.updates)
    created, updated = len(writes.inserts), len(writes.updates)
    logger.info(
        "import of %s into %s: %d rows, %d created, %d updated%s",
        upload.filename or "a file",
        table.name,
        writes.rows,
        created,
        updated,
        " (dry run)" if dry_run else "",
    )
    return summary(
        dry_run=dry_run,
        file=upload.filename,
        rows=writes.rows,
        created=created,
        updated=updated,
        unchanged=writes.rows - created - updated,
        columns={columns.header[name]: name for name in columns.index},
        ignored_columns=list(columns.ignored),
        notes=notes,
    )


def default_notes(read: RosterRead, stored: Mapping[Key, object]) -> list[str]:
    """A note naming each default applied, to a new row without a value or to any row whose
    cell was empty: ``max_posts \N{RIGHTWARDS ARROW} 1 for 3 rows``; none when none was."""
    counts = dict.fromkeys(_DEFAULTED, 0)
    for key, row in read.keyed:
        new = key is None or key not in stored
        for name in _DEFAULTED:
            if name not in row.values and (new or name in row.blank):
                counts[name] += 1
    applied = [
        f"{name} \N{RIGHTWARDS ARROW} {_CLEARED[name]:g} for {n:,} row{'' if n == 1 else 's'}"
        for name, n in counts.items()
        if n
    ]
    return [f"Defaults applied where no value was given: {', '.join(applied)}"] if applied else []


def _roster_header(columns: Columns) -> list[FieldProblem]:
    return [
        missing_column(spreadsheets.ROSTER, name)
        for name in ("handle", "platform")
        if name not in columns.index
    ]


def missing_column(layout: Layout, name: str) -> FieldProblem:
    """The header problem of a required column the file lacks."""
    aliases = ", ".join(layout.aliases[name])
    message = f"no {name} column: name one of the header cells {aliases} (any case)"
    return _header_problem(name, message, "missing", column=name)


def _header_problem(name: str, message: str, type_: str, *, column: str) -> FieldProblem:
    return field_problem((*FILE, "header", name), message, type_, row=1, column=column)


@dataclass(frozen=True, slots=True)
class SheetRead:
    """A file's columns and values, with its unreadable cells as problems."""

    columns: Columns
    values: Roster
    problems: list[FieldProblem]  # unreadable cells, so far
    reported: set[tuple[int, str]]  # (row, field) already listed in problems


def read_table(
    upload: Upload,
    layout: Layout,
    *,
    max_rows: int,
    header: Callable[[Columns], list[FieldProblem]],
) -> SheetRead:
    """The file read as ``layout`` says. A file that cannot be read at all, holds more than
    ``max_rows`` rows, or whose ``header`` has problems raises at once; bad cells are
    collected, so that one answer lists all of them."""
    try:
        fmt = spreadsheets.detect_format(upload.data, upload.filename, upload.content_type)
        sheet = spreadsheets.read_sheet(upload.data, fmt, layout)
    except UnsupportedFormatError as exc:
        raise UnsupportedMediaTypeError(str(exc)) from None
    except UnreadableFileError as exc:
        raise InvalidRequestError.at(FILE, str(exc)) from None
    if len(sheet.rows) > max_rows:
        raise InvalidRequestError.at(
            FILE,
            f"at most {max_rows:,} rows per file (the file has {len(sheet.rows):,}); "
            "split it into several files",
            "too_long",
        )
    columns = spreadsheets.match_columns(sheet.headers, layout)
    problems = header(columns)
    for name, headers in columns.duplicated.items():
        shown = ", ".join(repr(h) for h in headers)
        message = f"columns {shown} all mean {name}; keep one"
        problems.append(_header_problem(name, message, "duplicate", column=headers[1]))
    if problems:
        raise InvalidRequestError(problems, "the file's header cannot be read; nothing was stored")
    values = spreadsheets.read_values(sheet, columns, layout)
    problems = [
        field_problem((*FILE, bad.row, bad.field), bad.message, row=bad.row, column=bad.column)
        for bad in values.bad_cells
    ]
    reported = {(bad.row, bad.field) for bad in values.bad_cells}
    return SheetRead(columns, values, problems, reported)


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
    table = read_table(upload, spreadsheets.ROSTER, max_rows=max_rows, header=_roster_header)
    keyed = _keyed_rows(table.values, table.columns, table.problems, table.reported)
    return RosterRead(
        upload.filename, table.columns, table.values, keyed, table.problems, table.reported
    )


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
        raise InvalidRequestError(problems, rows_summary(problems, read.filename, outcome))
    return entries


def _keyed_rows(
    roster: Roster, columns: Columns, problems: list[FieldProblem], reported: set[tuple[int, str]]
) -> list[tuple[Key | None, RowValues]]:
    """Each row with its (platform, handle), or None when it has no usable one (a problem).

    Rows without a key are still checked, so that all of a row's problems are listed at once.
    """

    def problem(row: RowValues, name: str, message: str, type_: str = "value_error") -> None:
        problems.append(cell_problem(row.row, name, columns, message, type_))
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


def stored_rows(
    session: Session,
    scope: WorkspaceScope,
    keys: set[Key],
    names: tuple[str, ...] = _STORED,
) -> dict[Key, dict[str, Any]]:
    """The ``names`` columns of the stored entries of ``keys``, by key (one query per 5,000
    handles)."""
    table = _TABLE
    columns = [table.c[name] for name in names]
    handles = sorted({handle for _, handle in keys})
    found: dict[Key, dict[str, Any]] = {}
    for start in range(0, len(handles), CHUNK):
        chunk = handles[start : start + CHUNK]
        statement = select(*columns).where(
            table.c.workspace_id == scope.workspace_id, table.c.handle.in_(chunk)
        )
        for values in session.execute(statement):
            row = dict(zip(names, values, strict=True))
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
        merged = {name: existing[name] for name in FIELDS}
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
                cell_problem(row_number, name, columns, message, error["type"], error["loc"][2:])
            )
        return [], problems
    valid = [(key, entry) for (key, _), entry in zip(keyed, entries, strict=True) if key]
    return valid, []


def cell_problem(
    row: int,
    name: str,
    columns: Columns,
    message: str,
    type_: str = "value_error",
    rest: Iterable[str | int] = (),
) -> FieldProblem:
    return field_problem(
        (*FILE, row, name, *rest),
        message,
        type_,
        row=row,
        column=columns.header.get(name, name),
    )


def rows_summary(problems: list[FieldProblem], filename: str | None, outcome: str) -> str:
    rows = sorted({p.row for p in problems if p.row is not None})
    shown = ", ".join(str(r) for r in rows[:10]) + (" ..." if len(rows) > 10 else "")
    where = filename or "the file"
    noun = "row" if len(rows) == 1 else "rows"
    verb = "is" if len(rows) == 1 else "are"
    return f"{len(rows)} {noun} of {where} {verb} invalid ({shown}); {outcome}"


def write_rows(
    session: Session, table: Table, inserts: list[dict[str, Any]], updates: list[dict[str, Any]]
) -> None:
    """Insert ``inserts`` and apply ``updates`` (each keyed by ``b_id``) to ``table``."""
    # Core statements run as executemany, not one ORM object per row: 50,000 rows in seconds.
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
                    FILE, "the catalog changed during the import; send the file again", "conflict"
                )
            ],
            "the catalog changed during the import; nothing was stored",
        ) from None
