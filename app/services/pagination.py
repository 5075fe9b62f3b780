"""Keyset pagination and text search, shared by the listings (the catalog, plans).

A page is read one row past its limit to know whether another follows; the cursor is opaque
to clients: the sort key of the last row served, as base64 JSON.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.errors import InvalidRequestError

RowT = TypeVar("RowT")
KeyT = TypeVar("KeyT")


def encode_cursor(key: Sequence[str]) -> str:
    raw = json.dumps(list(key), separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, parse: Callable[[Any], KeyT]) -> KeyT:
    """The sort key in ``cursor``, read by ``parse`` (which raises ValueError or TypeError on
    a key of the wrong shape); a 422 on ``query.cursor`` when it is not one this served."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return parse(json.loads(raw))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidRequestError.at(
            ("query", "cursor"), "invalid cursor: pass next_cursor from a previous page as is"
        ) from exc


def after(
    first: InstrumentedAttribute[Any],
    first_value: object,
    second: InstrumentedAttribute[Any],
    second_value: object,
    *,
    descending: bool = False,
) -> ColumnElement[bool]:
    """Rows past (``first_value``, ``second_value``) in the order of (``first``, ``second``)."""
    if descending:
        return or_(first < first_value, and_(first == first_value, second < second_value))
    return or_(first > first_value, and_(first == first_value, second > second_value))


def keyset_page(
    session: Session,
    statement: Select[RowT],
    limit: int,
    sort_key: Callable[[RowT], Sequence[str]],
) -> tuple[list[RowT], str | None]:
    """Up to ``limit`` rows of the ordered ``statement``, and the cursor of the next page
    (None on the last one)."""
    rows = list(session.scalars(statement.limit(limit + 1)))
    page = rows[:limit]
    more = len(rows) > limit and bool(page)
    return page, encode_cursor(sort_key(page[-1])) if more else None


def contains(column: InstrumentedAttribute[str | None], text: str) -> ColumnElement[bool]:
    """Rows whose ``column`` holds ``text`` in any case; % and _ in it match themselves."""
    return column.icontains(text, autoescape=True)
