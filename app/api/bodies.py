"""JSON request bodies decoded and validated in a worker thread, not on the event loop.

A 100,000-creator request takes about a second to validate, and an invalid one builds an error
per bad value: on the event loop either would stall every other request, health checks
included. Routes whose bodies can be that large take them through ``json_body``; list lengths
are capped in the models themselves, so an oversized list fails at once, without its elements
being looked at.

Even that failure costs: the parser reads the whole list, and the error it raises carries the
list again as Python objects, about 70 ms for a million numbers during which no other thread
runs. So a body with more commas than any list may hold items is first scanned, with a few
byte operations, for an array of plain values (no nested array or object) longer than any
list of the API, then, chunk by chunk, for a run of objects longer than any list could
hold: found, it is refused without being parsed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio.to_thread
from fastapi import Request
from pydantic import BaseModel, ValidationError
from pydantic_core import from_json

from app.api.problems import ListedValidationError
from app.errors import MAX_LISTED_ERRORS
from app.schemas.plans import MAX_CANDIDATES, MAX_ID_LIST

ModelT = TypeVar("ModelT", bound=BaseModel)

# No list of any request model may hold more items than this.
MAX_LIST_ITEMS = max(MAX_CANDIDATES, MAX_ID_LIST)
# An array holding no array and no object: the shape of a cheap, huge body.
_PLAIN_ARRAY = re.compile(rb"\[[^\[\]{}]*\]")
_OVERSIZED = "\x00oversized list"
_MARKER = json.dumps(_OVERSIZED).encode()
# Objects between two square brackets past which a body holds a list too long (see
# _oversized_object_list), and the bytes scanned at a time for them.
_OBJECT_RUN_LIMIT = 2 * MAX_LIST_ITEMS
_SCAN_CHUNK = 64 * 1024


async def parse_json_body(
    request: Request, model: type[ModelT], decode: Callable[[bytes], ModelT] | None = None
) -> ModelT:
    """The body as ``model`` (read by ``decode``, ``model.model_validate_json`` by default),
    or a ListedValidationError naming the bad fields."""
    raw = await request.body()
    try:
        return await anyio.to_thread.run_sync(_validate, model, raw, decode)
    except ValidationError as exc:
        raise await anyio.to_thread.run_sync(_listed, exc) from None


def _validate(
    model: type[ModelT], raw: bytes, decode: Callable[[bytes], ModelT] | None = None
) -> ModelT:
    if raw.count(b",") >= MAX_LIST_ITEMS:  # else too few commas for any long list
        plain = _oversized_plain_array(raw)
        if plain is not None:
            start, end, items = plain
            marked = raw[:start] + _MARKER + raw[end:]
            raise _too_long(_path_of(marked), f"not {items}")
        objects = _oversized_object_list(raw)
        if objects is not None:
            start, count = objects
            # The body up to the list, the marker in its place: parsed as an incomplete
            # document, it gives the list's path.
            path = _path_of(raw[:start] + _MARKER, partial=True) if raw[start] == ord("[") else ()
            raise _too_long(path, f"this one holds about {count} objects")
    return model.model_validate_json(raw) if decode is None else decode(raw)


def _too_long(path: tuple[str | int, ...], how_many: str) -> ListedValidationError:
    error = {
        "type": "too_long",
        "loc": ("body", *path),
        "msg": f"List should have at most {MAX_LIST_ITEMS} items; {how_many}",
        "ctx": {"max_length": MAX_LIST_ITEMS},
    }
    return ListedValidationError([error], total=1)


def _oversized_plain_array(raw: bytes) -> tuple[int, int, int] | None:
    """Where the first array of plain values longer than MAX_LIST_ITEMS is, and its length."""
    for match in _PLAIN_ARRAY.finditer(raw):
        start, end = match.span()
        if raw.count(b",", start, end) < MAX_LIST_ITEMS:
            continue
        # A value, not text inside a string that happens to hold brackets.
        before = raw[max(0, start - 64) : start].rstrip()
        if before[-1:] not in (b":", b",", b"["):
            continue
        items = _count_items(raw[start:end])
        if items > MAX_LIST_ITEMS:
            return start, end, items
    return None


def _count_items(array: bytes) -> int:
    """Items of a JSON array of plain values (or a lower bound, when that is over the limit)."""
    text = array.replace(b"\\\\", b"").replace(b'\\"', b"")  # escapes cannot end a string
    strings = text.count(b'"') // 2
    if strings > MAX_LIST_ITEMS:
        return strings  # enough said, without cutting a million strings apart
    # Few strings: the commas outside them separate the items.
    outside = b"".join(text.split(b'"')[::2]) if strings else text
    return outside.count(b",") + 1


def _oversized_object_list(raw: bytes) -> tuple[int, int] | None:
    """Where a list of far more objects than any list may hold seems to start (the offset of
    the last square bracket before them), and how many objects follow it.

    Counted chunk by chunk, so that other threads run between chunks: the objects outside
    strings between two square brackets. A request's largest run of objects is its
    candidates or its catalog overrides, at most MAX_LIST_ITEMS and a few enclosing objects:
    a run of twice that is a list too long, whatever the objects hold.
    """
    in_string = False
    run, run_start = 0, 0
    for offset in range(0, len(raw), _SCAN_CHUNK):
        chunk = raw[offset : offset + _SCAN_CHUNK]
        parts = chunk.replace(b"\\\\", b"").replace(b'\\"', b"").split(b'"')
        outside = b"".join(parts[1::2] if in_string else parts[0::2])
        in_string ^= len(parts) % 2 == 0
        first = min((i for i in (outside.find(b"["), outside.find(b"]")) if i >= 0), default=-1)
        if first < 0:
            run += outside.count(b"{")
        else:
            if run + outside.count(b"{", 0, first) > _OBJECT_RUN_LIMIT:
                return run_start, run + outside.count(b"{", 0, first)
            last = max(outside.rfind(b"["), outside.rfind(b"]"))
            run = outside.count(b"{", last)
            run_start = offset + max(chunk.rfind(b"["), chunk.rfind(b"]"))
        if run > _OBJECT_RUN_LIMIT:
            return run_start, run
    return None


def _path_of(marked: bytes, *, partial: bool = False) -> tuple[str | int, ...]:
    """The path to the marker string in a body where it replaced the oversized array (empty
    when the rest of the body is not JSON: the error then names the body). ``partial``: the
    body ends with the marker, its open objects and arrays unclosed."""
    try:
        document = from_json(marked, allow_partial=True) if partial else json.loads(marked)
    except ValueError:
        return ()
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), document)]
    while stack:
        path, value = stack.pop()
        if value == _OVERSIZED:
            return path
        if isinstance(value, dict):
            stack += [((*path, key), item) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [((*path, index), item) for index, item in enumerate(value)]
    return ()


def _listed(exc: ValidationError) -> ListedValidationError:
    # Only the errors a problem document lists are kept; the count says how many there were.
    errors = exc.errors(include_url=False, include_input=False)[:MAX_LISTED_ERRORS]
    located = [{**error, "loc": ("body", *error["loc"])} for error in errors]
    return ListedValidationError(located, total=exc.error_count())


def json_body(model: type[ModelT]) -> Callable[[Request], Awaitable[ModelT]]:
    """A dependency giving the request's body as ``model`` (see ``request_body_openapi``)."""

    async def body(request: Request) -> ModelT:
        return await parse_json_body(request, model)

    return body


# Models documented through request_body_openapi: the OpenAPI document must define them even
# when no other schema refers to them (app.main adds those missing).
DOCUMENTED_BODIES: list[type[BaseModel]] = []


def request_body_openapi(model: type[BaseModel]) -> dict[str, Any]:
    """The ``openapi_extra`` of a route taking ``json_body(model)``, which FastAPI cannot see
    as a body: documented exactly as a plain body parameter would be."""
    if model not in DOCUMENTED_BODIES:
        DOCUMENTED_BODIES.append(model)
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}
