"""Stored plans as spreadsheets: CSV for other tools, XLSX for people.

Both hold one row per allocation, a total row, the plan's totals (unique reach too, when the
request gave overlaps) and risk (with the engagement CVaR and quantiles over its scenarios, when
it has some), the by-tier and by-platform summaries (XLSX: one sheet each) and the plan's
overlapping pairs. An infeasible plan exports the relaxation that
would make it feasible instead. XLSX cells hold the figures unrounded (to the 16 significant
digits the format writes) and only display them rounded; CSV values are rounded (cents, a
millionth of a share), as exports are for reading rather than recomputing.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from app.errors import StateConflictError
from app.schemas.plans import (
    AllocationOut,
    EngagementQuantilesOut,
    GroupSummaryOut,
    PlanPublic,
    RiskOut,
)
from app.services.plans import get_plan
from app.services.scope import WorkspaceScope
from app.services.spreadsheets import MEDIA_TYPES, SpreadsheetFormat
from models import PlanState

ExportFormat = SpreadsheetFormat


class Kind(StrEnum):
    """What a value is, which decides its XLSX number format and its CSV rounding."""

    TEXT = "text"
    INTEGER = "integer"
    MONEY = "money"
    COUNT = "count"  # engagement and reach: fractional, shown whole
    SHARE = "share"
    RATE = "rate"
    CPE = "cpe"
    RATIO = "ratio"


NUMBER_FORMATS = {
    Kind.INTEGER: "#,##0",
    Kind.MONEY: "#,##0.00",
    Kind.COUNT: "#,##0",
    Kind.SHARE: "0.0%",
    Kind.RATE: "0.00%",
    Kind.CPE: "#,##0.000",
    Kind.RATIO: "0.000",
}

# Digits CSV keeps per kind (a share of 0.242588 is 24.2588%).
_CSV_DIGITS = {
    Kind.MONEY: 2,
    Kind.COUNT: 2,
    Kind.SHARE: 6,
    Kind.RATE: 6,
    Kind.CPE: 4,
    Kind.RATIO: 6,
}


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    kind: Kind
    width: int
    value: Callable[[AllocationOut], Any]


@dataclass(frozen=True, slots=True)
class PlanExport:
    filename: str
    media_type: str
    content: bytes


def allocation_columns(currency: str) -> tuple[Column, ...]:
    return (
        Column("Handle", Kind.TEXT, 24, lambda a: a.handle),
        Column("Platform", Kind.TEXT, 11, lambda a: a.platform),
        Column("Tier", Kind.TEXT, 8, lambda a: a.tier),
        Column("Posts", Kind.INTEGER, 7, lambda a: a.posts),
        Column(f"Spend ({currency})", Kind.MONEY, 14, lambda a: a.spend),
        Column("Expected engagement", Kind.COUNT, 20, lambda a: a.expected_engagement),
        Column("Reach", Kind.COUNT, 13, lambda a: a.reach),
        Column("Share of spend", Kind.SHARE, 15, lambda a: a.share_of_spend),
        Column("Share of engagement", Kind.SHARE, 20, lambda a: a.share_of_engagement),
        Column("Engagement rate", Kind.RATE, 16, lambda a: a.engagement_rate_used),
        Column("Rate source", Kind.TEXT, 12, lambda a: a.engagement_rate_source.value),
        Column(f"Cost per engagement ({currency})", Kind.CPE, 26, lambda a: a.cost_per_engagement),
        Column("Id", Kind.TEXT, 38, lambda a: a.id),
    )


Cell = tuple[Any, Kind]
Row = list[Cell]


@dataclass(frozen=True, slots=True)
class Table:
    """A block of rows; ``header`` and ``total`` rows are shown bold."""

    title: str
    header: Row
    rows: list[Row]
    total: Row | None = None
    widths: tuple[int, ...] = ()


def export_plan(
    session: Session, scope: WorkspaceScope, plan_id: str, fmt: ExportFormat
) -> PlanExport:
    plan = get_plan(session, scope, plan_id)
    if plan.solver is None or plan.status is PlanState.CANCELLED:
        raise StateConflictError(
            f"plan {plan.id} is {plan.status.value}: there is no plan to export"
        )
    content = _csv(plan) if fmt is ExportFormat.CSV else _xlsx(plan)
    return PlanExport(
        filename=f"{export_stem(plan)}.{fmt.value}",
        media_type=MEDIA_TYPES[fmt] + ("; charset=utf-8" if fmt is ExportFormat.CSV else ""),
        content=content,
    )


def export_stem(plan: PlanPublic) -> str:
    """``spring-launch-<id>``: readable in a downloads folder, unique, and plain ASCII."""
    ascii_name = unicodedata.normalize("NFKD", plan.name or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")
    return f"{slug or 'plan'}-{plan.id}"


# --- content, shared by both formats ---------------------------------------------------------


def _text(value: object) -> Cell:
    return (value, Kind.TEXT)


def _allocations(plan: PlanPublic) -> Table:
    columns = allocation_columns(plan.currency)
    totals = plan.totals
    total: Row | None = None
    if totals is not None:
        by_title: dict[str, Any] = {
            "Handle": "Total",
            "Posts": sum(a.posts for a in plan.allocations),
            f"Spend ({plan.currency})": totals.spend,
            "Expected engagement": totals.expected_engagement,
            "Reach": totals.reach,
            "Share of spend": sum(a.share_of_spend for a in plan.allocations),
            "Share of engagement": sum(a.share_of_engagement for a in plan.allocations),
            f"Cost per engagement ({plan.currency})": totals.cost_per_engagement,
        }
        total = [(by_title.get(c.title), c.kind) for c in columns]
    return Table(
        title="Allocations",
        header=[_text(c.title) for c in columns],
        rows=[[(c.value(a), c.kind) for c in columns] for a in plan.allocations],
        total=total,
        widths=tuple(c.width for c in columns),
    )


def _summary(plan: PlanPublic) -> list[Row]:
    money = Kind.MONEY
    rows: list[Row] = [
        [_text("Plan"), _text(plan.name or "")],
        [_text("Plan id"), _text(plan.id)],
        [_text("Status"), _text(plan.status.value)],
        [_text("Created"), _text(plan.created_at.isoformat())],
        [_text("Currency"), _text(plan.currency)],
        [_text("Budget"), (plan.budget, money)],
    ]
    if plan.totals is not None:
        t = plan.totals
        rows += [
            [_text("Spend"), (t.spend, money)],
            [_text("Budget left"), (t.budget_left, money)],
            [_text("Expected engagement"), (t.expected_engagement, Kind.COUNT)],
            [_text("Reach"), (t.reach, Kind.COUNT)],
        ]
        if t.unique_reach is not None:
            rows += [
                [_text("Unique reach"), (t.unique_reach, Kind.COUNT)],
                [_text("Overlapping audience"), (t.overlapping_audience, Kind.COUNT)],
            ]
        rows += [
            [_text("Creators"), (t.influencers, Kind.INTEGER)],
            [_text("Cost per engagement"), (t.cost_per_engagement, Kind.CPE)],
        ]
    if plan.risk is not None:
        r = plan.risk
        rows += [
            [_text("Largest share of spend"), (r.max_share, Kind.SHARE)],
            [_text("HHI of spend shares"), (r.hhi, Kind.RATIO)],
            [_text("Effective number of creators"), (r.effective_influencers, Kind.RATIO)],
            *_scenario_rows(r),
        ]
    solver = plan.solver
    if solver is not None:
        rows.append([_text("Solver"), _text(solver.backend.value)])
        if solver.gap is not None:
            rows.append([_text("Optimality gap"), (solver.gap, Kind.RATE)])
    rows += [[_text("Note"), _text(note)] for note in plan.diagnostics.notes]
    return rows


def _scenario_rows(risk: RiskOut) -> list[Row]:
    """The engagement risk over the scenarios, when the plan has scenarios."""
    if risk.alpha is None or risk.engagement_cvar is None or risk.engagement_quantiles is None:
        return []
    tail = f"worst {risk.alpha:.0%}"
    rows: list[Row] = [
        [_text("Scenarios"), (risk.scenarios, Kind.INTEGER)],
        [_text("CVaR tail (alpha)"), (risk.alpha, Kind.SHARE)],
        [_text(f"Engagement CVaR ({tail})"), (risk.engagement_cvar, Kind.COUNT)],
        *_quantile_rows("Engagement", risk.engagement_quantiles),
    ]
    fresh = risk.out_of_sample
    if fresh is not None:
        where = f"Out of sample (seed {fresh.seed})"
        rows += [
            [_text(f"{where}: scenarios"), (fresh.scenarios, Kind.INTEGER)],
            [_text(f"{where}: engagement CVaR"), (fresh.engagement_cvar, Kind.COUNT)],
            *_quantile_rows(f"{where}: engagement", fresh.engagement_quantiles),
        ]
    return rows


def _quantile_rows(label: str, quantiles: EngagementQuantilesOut) -> list[Row]:
    return [
        [_text(f"{label} {name}"), (getattr(quantiles, name), Kind.COUNT)]
        for name in ("p05", "p50", "p95")
    ]


def _groups(title: str, groups: Mapping[str, GroupSummaryOut], currency: str) -> Table:
    values = list(groups.values())
    return Table(
        title=title,
        header=[
            _text(title.removeprefix("By ").capitalize()),
            _text(f"Spend ({currency})"),
            _text("Share of spend"),
            _text("Expected engagement"),
            _text("Creators"),
        ],
        rows=[
            [
                _text(name),
                (g.spend, Kind.MONEY),
                (g.share, Kind.SHARE),
                (g.engagement, Kind.COUNT),
                (g.influencers, Kind.INTEGER),
            ]
            for name, g in groups.items()
        ],
        total=[
            _text("Total"),
            (sum(g.spend for g in values), Kind.MONEY),
            (sum(g.share for g in values), Kind.SHARE),
            (sum(g.engagement for g in values), Kind.COUNT),
            (sum(g.influencers for g in values), Kind.INTEGER),
        ],
        widths=(12, 14, 15, 20, 10),
    )


def _relaxation(plan: PlanPublic) -> Table:
    return Table(
        title="To make this plan feasible",
        header=[
            _text("Constraint"),
            _text("Current"),
            _text("Required"),
            _text("What would make the plan feasible"),
        ],
        rows=[
            [
                _text(r.constraint),
                (r.current, Kind.RATIO),
                (r.required, Kind.RATIO),
                _text(r.message),
            ]
            for r in plan.diagnostics.relaxation
        ],
        widths=(28, 12, 12, 70),
    )


def _overlapping_pairs(plan: PlanPublic) -> Table:
    handles = {a.id: a.handle for a in plan.allocations}
    return Table(
        title="Overlapping pairs",
        header=[
            _text("Creator"),
            _text("Creator"),
            _text("Share of the smaller audience"),
            _text("Shared audience"),
        ],
        rows=[
            [
                _text(handles.get(p.a, p.a)),
                _text(handles.get(p.b, p.b)),
                (p.share, Kind.SHARE),
                (p.shared_audience, Kind.COUNT),
            ]
            for p in plan.diagnostics.overlapping_pairs
        ],
        widths=(24, 24, 28, 16),
    )


def _excluded(plan: PlanPublic) -> Table:
    return Table(
        title="Excluded candidates",
        header=[_text("Id"), _text("Reason")],
        rows=[[_text(e.id), _text(e.reason)] for e in plan.diagnostics.excluded],
    )


# --- CSV -------------------------------------------------------------------------------------


def _csv(plan: PlanPublic) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    blocks: list[Table | list[Row]]
    if plan.allocations or plan.totals is not None:
        blocks = [_allocations(plan), _summary(plan)]
        if plan.by_tier:
            blocks.append(_groups("By tier", plan.by_tier, plan.currency))
        if plan.by_platform:
            blocks.append(_groups("By platform", plan.by_platform, plan.currency))
    else:
        blocks = [_summary(plan), _relaxation(plan)]
    if plan.diagnostics.overlapping_pairs:
        blocks.append(_overlapping_pairs(plan))
    if plan.diagnostics.excluded:
        blocks.append(_excluded(plan))
    for number, block in enumerate(blocks):
        if number:
            writer.writerow([])
        if isinstance(block, Table):
            if number:  # the first table's header is the file's header
                writer.writerow([block.title])
            rows = [block.header, *block.rows, *([block.total] if block.total else [])]
        else:
            rows = block
        writer.writerows([_csv_value(value, kind) for value, kind in row] for row in rows)
    # With a byte order mark, Excel reads the file as UTF-8 (handles with accents survive).
    return out.getvalue().encode("utf-8-sig")


def _csv_value(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if kind is Kind.TEXT:
        text = str(value)
        # A leading = + - would run as a formula when the file is opened in a spreadsheet.
        return "'" + text if text[:1] in ("=", "+", "-", "\t", "\r") else text
    if kind is Kind.INTEGER:
        return str(int(value))
    return f"{round(float(value), _CSV_DIGITS[kind]):.{_CSV_DIGITS[kind]}f}"


# --- XLSX ------------------------------------------------------------------------------------

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=12)


def _xlsx(plan: PlanPublic) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Plan"
    if plan.allocations or plan.totals is not None:
        row = _put_table(sheet, 1, _allocations(plan), titled=False)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(allocation_columns('')))}" + str(
            1 + len(plan.allocations)
        )
        _put_rows(sheet, row + 1, _summary(plan), bold_first=True)
        if plan.by_tier:
            _group_sheet(book, "By tier", plan.by_tier, plan.currency)
        if plan.by_platform:
            _group_sheet(book, "By platform", plan.by_platform, plan.currency)
    else:
        row = _put_rows(sheet, 1, _summary(plan), bold_first=True)
        relaxation = _relaxation(plan)
        row = _put_table(sheet, row + 1, relaxation)
        _set_widths(sheet, relaxation.widths)
    if plan.diagnostics.overlapping_pairs:
        _put_table(sheet, sheet.max_row + 2, _overlapping_pairs(plan))
    if plan.diagnostics.excluded:
        _put_table(sheet, sheet.max_row + 2, _excluded(plan))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _group_sheet(
    book: Workbook, title: str, groups: Mapping[str, GroupSummaryOut], currency: str
) -> None:
    sheet = book.create_sheet(title)
    _put_table(sheet, 1, _groups(title, groups, currency), titled=False)
    sheet.freeze_panes = "A2"


def xlsx_workbook(sheets: Mapping[str, Sequence[Table]]) -> bytes:
    """A workbook of the given sheets, each a column of tables with a blank row between them;
    the first table of a sheet goes untitled on row 1, its header row and column frozen."""
    book = Workbook()
    book.remove(book.active)
    for title, tables in sheets.items():
        sheet = book.create_sheet(title)
        row = 1
        for number, table in enumerate(tables):
            row = _put_table(sheet, row + (1 if number else 0), table, titled=bool(number))
        sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put_table(sheet: Any, first_row: int, table: Table, *, titled: bool = True) -> int:
    """Write ``table`` from ``first_row``; returns the row after it."""
    row = first_row
    if titled:
        _put(sheet.cell(row=row, column=1), table.title, Kind.TEXT).font = _TITLE
        row += 1
    for col, (value, kind) in enumerate(table.header, 1):
        _put(sheet.cell(row=row, column=col), value, kind).font = _BOLD
    row += 1
    row = _put_rows(sheet, row, table.rows)
    if table.total is not None:
        for col, (value, kind) in enumerate(table.total, 1):
            _put(sheet.cell(row=row, column=col), value, kind).font = _BOLD
        row += 1
    _set_widths(sheet, table.widths)
    return row


def _put_rows(sheet: Any, first_row: int, rows: Sequence[Row], *, bold_first: bool = False) -> int:
    row = first_row
    for cells in rows:
        for col, (value, kind) in enumerate(cells, 1):
            cell = _put(sheet.cell(row=row, column=col), value, kind)
            if bold_first and col == 1:
                cell.font = _BOLD
        row += 1
    return row


def _put(cell: Any, value: Any, kind: Kind) -> Any:
    cell.value = value
    if kind is Kind.TEXT:
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
    else:
        cell.number_format = NUMBER_FORMATS[kind]
    return cell


def _set_widths(sheet: Any, widths: Sequence[int]) -> None:
    for col, width in enumerate(widths, 1):
        letter = get_column_letter(col)
        current = sheet.column_dimensions[letter].width or 0
        sheet.column_dimensions[letter].width = max(current, width)
