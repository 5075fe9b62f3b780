"""The spreadsheet cell readers, one table per kind of value (how agencies write figures)."""

from __future__ import annotations

from datetime import date

import pytest

from app.services.spreadsheets import (
    Cell,
    CellError,
    parse_count,
    parse_handle,
    parse_number,
    parse_platform,
    parse_tags,
)
from optimizer.problem import Platform

# cell, (value, written as a percentage, written with a k/M/B suffix)
NUMBERS: list[tuple[Cell, tuple[float, bool, bool]]] = [
    ("350", (350.0, False, False)),
    ("-3", (-3.0, False, False)),
    ("  7  ", (7.0, False, False)),
    (".5", (0.5, False, False)),
    (3, (3.0, False, False)),
    (2.5, (2.5, False, False)),
    ("$350", (350.0, False, False)),
    ("EUR 99", (99.0, False, False)),
    ("99 usd", (99.0, False, False)),
    ("12,400", (12_400.0, False, False)),
    ("1,234.5", (1_234.5, False, False)),
    ("1.234,5", (1_234.5, False, False)),
    ("1.234.567", (1_234_567.0, False, False)),
    ("1'234", (1_234.0, False, False)),
    ("12.4k", (12_400.0, False, True)),
    ("1.2M", (1_200_000.0, False, True)),
    ("4.5%", (4.5, True, False)),
    ("4,5%", (4.5, True, False)),
]

NOT_NUMBERS: list[Cell] = ["abc", "1,23,4", "1.2.3", "12%3", True, date(2024, 1, 1)]

COUNTS: list[tuple[Cell, int]] = [
    ("3", 3),
    ("1,200", 1_200),
    ("12.4k", 12_400),
    ("1.5M", 1_500_000),
]

NOT_COUNTS: list[Cell] = ["4.5", "2.5", "12.4%"]

PLATFORMS: list[tuple[Cell, Platform]] = [
    ("IG", Platform.INSTAGRAM),
    ("insta", Platform.INSTAGRAM),
    ("TikTok", Platform.TIKTOK),
    ("tik tok", Platform.TIKTOK),
    ("yt", Platform.YOUTUBE),
    ("Twitter", Platform.X),
    ("X / Twitter", Platform.X),
    ("linked in", Platform.LINKEDIN),
    ("Facebook", Platform.FACEBOOK),
]

HANDLES: list[tuple[Cell, str]] = [
    ("@ana", "@ana"),
    ("  bea ", "bea"),
    (123.0, "123"),  # a numeric handle, typed into a spreadsheet
    ("https://www.instagram.com/ana.glow/", "ana.glow"),
    ("instagram.com/ana.glow/?hl=en", "ana.glow"),
    ("m.youtube.com/c/chan#about", "chan"),
]

TAGS: list[tuple[Cell, list[str]]] = [
    ("x", ["x"]),
    ("a, b; c|d", ["a", "b", "c", "d"]),
    (" , ", []),
    (None, []),
]


@pytest.mark.parametrize(("cell", "expected"), NUMBERS)
def test_parse_number(cell: Cell, expected: tuple[float, bool, bool]) -> None:
    assert parse_number(cell) == expected


@pytest.mark.parametrize("cell", NOT_NUMBERS)
def test_parse_number_refuses(cell: Cell) -> None:
    with pytest.raises(CellError):
        parse_number(cell)


@pytest.mark.parametrize(("cell", "expected"), COUNTS)
def test_parse_count(cell: Cell, expected: int) -> None:
    assert parse_count(cell) == expected


@pytest.mark.parametrize("cell", NOT_COUNTS)
def test_parse_count_refuses_fractions_and_percentages(cell: Cell) -> None:
    with pytest.raises(CellError, match="whole number"):
        parse_count(cell)


@pytest.mark.parametrize(("cell", "expected"), PLATFORMS)
def test_parse_platform(cell: Cell, expected: Platform) -> None:
    assert parse_platform(cell) is expected


def test_parse_platform_names_the_platforms_when_it_refuses() -> None:
    with pytest.raises(CellError, match="unknown platform 'myspace'; expected one of instagram"):
        parse_platform("myspace")


@pytest.mark.parametrize(("cell", "expected"), HANDLES)
def test_parse_handle(cell: Cell, expected: str) -> None:
    assert parse_handle(cell) == expected


@pytest.mark.parametrize(("cell", "expected"), TAGS)
def test_parse_tags(cell: Cell, expected: list[str]) -> None:
    assert parse_tags(cell) == expected
