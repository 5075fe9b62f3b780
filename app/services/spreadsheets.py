"""Rosters and overlap sheets read from CSV and XLSX files, the way discovery tools and
planners write them.

Pure reading: no database. Headers are matched without case and with common aliases
(``Follower Count``, ``ER``, ``Price ($)``); values may carry percent signs, currency symbols,
thousands separators and ``k``/``M`` suffixes. Every unreadable cell is reported with its
row (as numbered in the file, header included) and its column, never just the first one.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from optimizer.problem import Platform

Cell = str | int | float | bool | datetime | date | time | None


class SpreadsheetFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


MEDIA_TYPES: Mapping[SpreadsheetFormat, str] = {
    SpreadsheetFormat.CSV: "text/csv",
    SpreadsheetFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_CSV_TYPES = {"text/csv", "application/csv", "text/plain", "text/comma-separated-values"}
_ZIP_MAGIC = b"PK\x03\x04"
_HEADER_SEARCH = 20  # rows looked at for the header
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls


class UnsupportedFormatError(ValueError):
    """The upload is not CSV or XLSX."""


class UnreadableFileError(ValueError):
    """The upload claims a supported format but cannot be read as one (or has no header)."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """A table as read: the header row and the data rows, with the file's row numbers."""

    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    name: str | None = None  # the worksheet's, for XLSX


# --- formats ---------------------------------------------------------------------------------


def detect_format(
    data: bytes, filename: str | None = None, content_type: str | None = None
) -> SpreadsheetFormat:
    """CSV or XLSX, from the bytes first (a ZIP is a workbook), then the name and type."""
    suffix = PurePath(filename).suffix.lower() if filename else ""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if data.startswith(_ZIP_MAGIC):
        return SpreadsheetFormat.XLSX
    if data.startswith(_OLE_MAGIC) or suffix == ".xls" or media == "application/vnd.ms-excel":
        raise UnsupportedFormatError(
            "legacy Excel (.xls) files are not read: save the sheet as .xlsx or .csv"
        )
    if suffix in (".xlsx", ".xlsm") or media == MEDIA_TYPES[SpreadsheetFormat.XLSX]:
        raise UnreadableFileError("the file is named or typed as XLSX but is not a workbook")
    if suffix in (".csv", ".tsv", ".txt") or media in _CSV_TYPES or not (suffix or media):
        return SpreadsheetFormat.CSV
    if media == "application/octet-stream" and not suffix:
        return SpreadsheetFormat.CSV
    raise UnsupportedFormatError(
        f"expected a CSV or XLSX file, got {filename or 'a file'} ({media or 'no type'})"
    )


def read_sheet(data: bytes, fmt: SpreadsheetFormat, layout: Layout) -> Sheet:
    """The file's table: the header is the first row naming at least two of the layout's
    columns (a title or a note above it is skipped), else the first non-blank row."""
    name: str | None = None
    if fmt is SpreadsheetFormat.CSV:
        rows = _csv_rows(data)
    else:
        name, rows = _xlsx_rows(data)
    filled = [(number, cells) for number, cells in rows if not all(map(is_blank, cells))]
    if not filled:
        raise UnreadableFileError("the file has no header row (it is empty)")
    start = next(
        (
            i
            for i, (_, cells) in enumerate(filled[:_HEADER_SEARCH])
            if _names_columns(cells, layout)
        ),
        0,
    )
    headers = tuple("" if cell is None else str(cell).strip() for cell in filled[start][1])
    return Sheet(headers=headers, rows=tuple(filled[start + 1 :]), name=name)


def _names_columns(cells: Sequence[Cell], layout: Layout) -> bool:
    known = {layout.by_alias.get(normalize_header(str(cell))) for cell in cells if cell}
    return len(known - {None}) >= 2


def _csv_rows(data: bytes) -> list[tuple[int, tuple[Cell, ...]]]:
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Spreadsheets set to a decimal comma write ';'; some tools write tabs.
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        return [
            (number, tuple(row))
            for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
        ]
    except csv.Error as exc:
        raise UnreadableFileError(f"the file is not valid CSV: {exc}") from exc


def _decode(data: bytes) -> str:
    # Excel writes UTF-8 with a byte order mark, or the Windows code page when asked for "CSV".
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _xlsx_rows(data: bytes) -> tuple[str, list[tuple[int, tuple[Cell, ...]]]]:
    import openpyxl  # slow to load; only XLSX files need it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFileError("the file is not a readable XLSX workbook") from exc
    try:
        if not workbook.worksheets:
            raise UnreadableFileError("the workbook has no worksheet")
        sheet = workbook.worksheets[0]
        # Some writers record wrong sheet dimensions; read what is there instead.
        sheet.reset_dimensions()
        rows = [
            (number, tuple(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
        ]
        return str(sheet.title), rows
    finally:
        workbook.close()


# --- columns ---------------------------------------------------------------------------------

# Field -> header spellings, after normalize_header. Order is the column order of templates.
FIELD_ALIASES: Mapping[str, tuple[str, ...]] = {
    "handle": ("handle", "username", "user_name", "account", "account_handle"),
    "platform": ("platform", "network", "social_network"),
    "display_name": ("name", "display_name", "full_name", "creator_name"),
    "followers": (
        "followers",
        "follower_count",
        "followers_count",
        "subscribers",
        "subscriber_count",
    ),
    "engagement_rate": ("er", "engagement_rate", "engagement", "eng_rate"),
    "engagement_rate_sd": (
        "er_sd",
        "engagement_rate_sd",
        "er_std",
        "er_stdev",
        "engagement_sd",
        "engagement_rate_std",
    ),
    "price_per_post": ("price", "rate", "price_per_post", "cost", "cost_per_post"),
    "fixed_fee": ("fee", "fixed_fee", "flat_fee"),
    "min_posts": ("min_posts", "minimum_posts"),
    "max_posts": ("max_posts", "maximum_posts"),
    "audience_quality": ("audience_quality", "quality"),
    "tags": ("tags", "tag", "labels"),
    "notes": ("notes", "note", "comments"),
}


def _paired(bases: Sequence[str], sides: Sequence[str]) -> tuple[str, ...]:
    """``Handle A``, ``handle1``, ``A handle``: one side of a pair, however it is named."""
    return tuple(
        spelling
        for base in bases
        for side in sides
        for spelling in (f"{base}_{side}", f"{base}{side}", f"{side}_{base}")
    )


_HANDLE_BASES = ("handle", "username", "account", "creator", "influencer", "profile")
_PLATFORM_BASES = ("platform", "network")
# An overlap sheet: two creators and the share of the smaller audience that follows both.
# One platform column serves both sides; a side's own column wins over it.
OVERLAP_ALIASES: Mapping[str, tuple[str, ...]] = {
    "handle_a": _paired(_HANDLE_BASES, ("a", "1")),
    "platform_a": _paired(_PLATFORM_BASES, ("a", "1")),
    "handle_b": _paired(_HANDLE_BASES, ("b", "2")),
    "platform_b": _paired(_PLATFORM_BASES, ("b", "2")),
    "platform": FIELD_ALIASES["platform"],
    "share": (
        "share",
        "overlap",
        "overlap_share",
        "audience_overlap",
        "audience_overlap_share",
        "shared_audience",
        "shared_audience_share",
        "common_audience",
        "overlap_rate",
        "overlap_percentage",
        "overlap_percent",
        "overlap_pct",
    ),
}


def normalize_header(header: str) -> str:
    """``Engagement Rate (%)`` -> ``engagement_rate``; ``#Followers`` -> ``followers``."""
    without_units = re.sub(r"\(.*?\)|\[.*?\]", " ", header)
    return re.sub(r"[^0-9a-z]+", "_", without_units.lower()).strip("_")


@dataclass(frozen=True, slots=True)
class Columns:
    """Which column of the file holds which field."""

    index: Mapping[str, int]  # field -> column position
    header: Mapping[str, str]  # field -> the header as written
    ignored: tuple[str, ...]
    duplicated: Mapping[str, tuple[str, ...]]  # field -> headers that all claim it


def match_columns(headers: Sequence[str], layout: Layout) -> Columns:
    index: dict[str, int] = {}
    header: dict[str, str] = {}
    claims: dict[str, list[str]] = {}
    ignored: list[str] = []
    for position, text in enumerate(headers):
        name = layout.by_alias.get(normalize_header(text))
        if name is None:
            if text:
                ignored.append(text)
            continue
        claims.setdefault(name, []).append(text)
        if name not in index:
            index[name] = position
            header[name] = text
    duplicated = {name: tuple(texts) for name, texts in claims.items() if len(texts) > 1}
    return Columns(index=index, header=header, ignored=tuple(ignored), duplicated=duplicated)


# --- values ----------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"(?P<sign>[+-]?)(?:[$€£¥₹]|[a-z]{3}(?![a-z]))?"
    r"(?P<digits>\d[\d.,']*|[.,]\d+)"
    r"(?P<scale>[kmb])?"
    r"(?:[$€£¥₹]|[a-z]{3})?"
)
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_SCALES = {"k": 1e3, "m": 1e6, "b": 1e9}
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(,\d{3})+")
_THOUSANDS_DOT = re.compile(r"\d{1,3}(\.\d{3}){2,}")
# How spreadsheets say "unknown" in a numeric column.
_NO_VALUE = frozenset({"", "-", "\u2013", "\u2014", "n/a", "na", "none", "null", "?"})
_PLATFORM_ALIASES = {
    "ig": Platform.INSTAGRAM,
    "insta": Platform.INSTAGRAM,
    "tt": Platform.TIKTOK,
    "tik_tok": Platform.TIKTOK,
    "yt": Platform.YOUTUBE,
    "twitter": Platform.X,
    "x_twitter": Platform.X,
    "fb": Platform.FACEBOOK,
    "linked_in": Platform.LINKEDIN,
}
_URL = re.compile(r"^(?:https?://)?(?:www\.|m\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/", re.I)


class CellError(ValueError):
    """A cell that cannot be read as its column's kind of value."""


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _is_no_value(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip().lower() in _NO_VALUE)


def parse_number(cell: Cell) -> tuple[float, bool, bool]:
    """(value, written with a percent sign, written with a k/M/B suffix).

    Accepts ``350``, ``$350``, ``12,400``, ``12.4k``, ``1.2M``, ``4.5%``, ``4,5%`` and
    ``1.234.567``; a lone comma before one or two digits is a decimal comma.
    """
    if isinstance(cell, bool | datetime | date | time):
        raise CellError(f"expected a number, got {cell!r}")
    if isinstance(cell, int | float):
        return float(cell), False, False
    text = str(cell).strip()
    if _PLAIN_NUMBER.fullmatch(text):  # most cells: no separators, signs or suffixes
        return float(text), False, False
    text = text.lower().replace("\u00a0", "").replace(" ", "")
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise CellError(f"{str(cell).strip()!r} is not a number")
    digits = _plain_digits(match["digits"].replace("'", ""), str(cell).strip())
    value = float(digits) * _SCALES.get(match["scale"] or "", 1.0)
    return (-value if match["sign"] == "-" else value), percent, bool(match["scale"])


def _plain_digits(digits: str, shown: str) -> str:
    if "," in digits and "." in digits:
        # Whichever comes last is the decimal separator: 1,234.5 and 1.234,5.
        if digits.rfind(",") > digits.rfind("."):
            return digits.replace(".", "").replace(",", ".")
        return digits.replace(",", "")
    if "," in digits:
        if _THOUSANDS_COMMA.fullmatch(digits):
            return digits.replace(",", "")
        if digits.count(",") == 1:
            return digits.replace(",", ".")
        raise CellError(f"{shown!r} is not a number")
    if digits.count(".") > 1:
        if _THOUSANDS_DOT.fullmatch(digits):
            return digits.replace(".", "")
        raise CellError(f"{shown!r} is not a number")
    return digits


def parse_count(cell: Cell) -> int:
    """A whole number; ``12.4k`` is rounded (a suffix means the figure is approximate)."""
    value, percent, scaled = parse_number(cell)
    if percent:
        raise CellError(f"expected a whole number, got {str(cell).strip()!r}")
    if not scaled and value != int(value):
        raise CellError(f"expected a whole number, got {str(cell).strip()!r}")
    return round(value)


def parse_platform(cell: Cell) -> Platform:
    return _platform(str(cell))


@lru_cache(maxsize=1024)  # a roster spells its few platforms the same way thousands of times
def _platform(text: str) -> Platform:
    key = normalize_header(text)
    try:
        return _PLATFORM_ALIASES.get(key) or Platform(key)
    except ValueError:
        allowed = ", ".join(p.value for p in Platform)
        raise CellError(f"unknown platform {text.strip()!r}; expected one of {allowed}") from None


def parse_handle(cell: Cell) -> str:
    """The handle, also out of a profile address (``instagram.com/ana.glow/`` -> ``ana.glow``)."""
    text = _text(cell)
    if _URL.match(text):
        path = _URL.sub("", text).split("?", 1)[0].split("#", 1)[0]
        segments = [part for part in path.split("/") if part]
        if segments:
            return segments[-1]
    return text


def parse_tags(cell: Cell) -> list[str]:
    return [tag.strip() for tag in re.split(r"[,;|]", _text(cell)) if tag.strip()]


def _text(cell: Cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a numeric handle typed into a spreadsheet
    return "" if cell is None else str(cell).strip()


@dataclass(frozen=True, slots=True)
class FieldReader:
    parse: Callable[[Cell], Any]
    numeric: bool = False  # "n/a" and "-" mean "no value"
    fraction: bool = False  # 4.5% or 0.045; a column of bare values above 1 holds percents


FIELD_READERS: Mapping[str, FieldReader] = {
    "handle": FieldReader(parse_handle),
    "platform": FieldReader(parse_platform),
    "display_name": FieldReader(_text),
    "followers": FieldReader(parse_count, numeric=True),
    "engagement_rate": FieldReader(parse_number, numeric=True, fraction=True),
    "engagement_rate_sd": FieldReader(parse_number, numeric=True, fraction=True),
    "price_per_post": FieldReader(lambda cell: parse_number(cell)[0], numeric=True),
    "fixed_fee": FieldReader(lambda cell: parse_number(cell)[0], numeric=True),
    "min_posts": FieldReader(parse_count, numeric=True),
    "max_posts": FieldReader(parse_count, numeric=True),
    "audience_quality": FieldReader(parse_number, numeric=True, fraction=True),
    "tags": FieldReader(parse_tags),
    "notes": FieldReader(_text),
}


OVERLAP_READERS: Mapping[str, FieldReader] = {
    "handle_a": FieldReader(parse_handle),
    "platform_a": FieldReader(parse_platform),
    "handle_b": FieldReader(parse_handle),
    "platform_b": FieldReader(parse_platform),
    "platform": FieldReader(parse_platform),
    "share": FieldReader(parse_number, numeric=True, fraction=True),
}


@dataclass(frozen=True, slots=True)
class Layout:
    """A kind of sheet: each field's header spellings (after normalize_header) and how its
    cells are read."""

    aliases: Mapping[str, tuple[str, ...]]
    readers: Mapping[str, FieldReader]
    by_alias: Mapping[str, str] = field(init=False)

    def __post_init__(self) -> None:
        by_alias = {alias: name for name, spellings in self.aliases.items() for alias in spellings}
        object.__setattr__(self, "by_alias", by_alias)


ROSTER = Layout(FIELD_ALIASES, FIELD_READERS)
OVERLAPS = Layout(OVERLAP_ALIASES, OVERLAP_READERS)


@dataclass(frozen=True, slots=True)
class RowValues:
    """One data row: the values read, and the fields whose cell was empty."""

    row: int
    values: dict[str, Any]
    blank: frozenset[str]


@dataclass(frozen=True, slots=True)
class BadCell:
    row: int
    field: str
    column: str
    message: str


@dataclass(slots=True)
class Roster:
    rows: list[RowValues] = field(default_factory=list)
    bad_cells: list[BadCell] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def from_percent(value: float) -> float:
    """``0.7`` percent as the fraction the sheet wrote, 0.007 (``0.7 / 100`` is
    0.006999999999999999): the decimal point moves, the digits stay."""
    return float(Decimal(repr(value)).scaleb(-2))


def read_values(sheet: Sheet, columns: Columns, layout: Layout) -> Roster:
    """Every row's values by field; unreadable cells are collected, not raised."""
    roster = Roster()
    readers = [(name, position, layout.readers[name]) for name, position in columns.index.items()]
    # Raw fractions, kept aside until the whole column is seen: (row values, field, value).
    bare_fractions: dict[str, list[tuple[dict[str, Any], float]]] = {}
    for number, cells in sheet.rows:
        values: dict[str, Any] = {}
        blank: set[str] = set()
        for name, position, reader in readers:
            cell = cells[position] if position < len(cells) else None
            if is_blank(cell) or (reader.numeric and _is_no_value(cell)):
                blank.add(name)
                continue
            try:
                parsed = reader.parse(cell)
            except CellError as exc:
                roster.bad_cells.append(BadCell(number, name, columns.header[name], str(exc)))
                continue
            if reader.fraction:
                value, percent, _ = parsed
                if percent:
                    values[name] = from_percent(value)
                else:
                    values[name] = value
                    bare_fractions.setdefault(name, []).append((values, value))
            else:
                values[name] = parsed
        roster.rows.append(RowValues(number, values, frozenset(blank)))
    for name, bare in bare_fractions.items():
        header = columns.header[name]
        if "%" in header:
            reason = "as its header says"
        elif any(value > 1 for _, value in bare):
            reason = "some are above 1, so 4.5 means 4.5%"
        else:
            continue
        for values, value in bare:
            values[name] = from_percent(value)
        roster.notes.append(
            f"{header}: values without a % sign were read as percentages ({reason})"
        )
    return roster
