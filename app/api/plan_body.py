"""Decoding a large plan request in slices, so that other threads keep running meanwhile.

``PlanCreate.model_validate_json`` over a 100,000-creator body is one call of about a second
that holds the interpreter: the event loop (health checks included) stalls for all of it. A
large body is read instead one candidate at a time to find where each lies, and validated a
slice of candidates at a time, in JSON mode as the whole body would be: the same model, or the
same errors at the same places. Anything unexpected in the body's shape falls back to the one
call, which reports it as it always has.
"""

from __future__ import annotations

import gc
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from app.schemas.plans import MAX_CANDIDATES, CandidateIn, PlanCreate

# Bodies from this size on are decoded in slices.
SLICED_FROM_BYTES = 1 << 20
# Candidates validated in one call.
SLICE = 1_000

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_CANDIDATES = TypeAdapter(list[CandidateIn])
_FIELD_ORDER = {name: position for position, name in enumerate(PlanCreate.model_fields)}


_paused = 0
_paused_lock = threading.Lock()
_RESUME_AFTER_S = 1.0


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (in any thread).

    While a request of 100,000 candidates is alive, the collector walks its million objects
    every time it looks at the oldest generation: each a pause of up to half a second for every
    thread. They hold no cycles, and reference counting frees everything else meanwhile, so a
    large request pauses the collector from when it is read until it is answered.
    """
    global _paused
    with _paused_lock:
        _paused += 1
        if _paused == 1:
            gc.disable()
    try:
        yield
    finally:
        # Resumed a little later, once the request's objects are freed: right away, the first
        # collection would walk them all once more.
        resume = threading.Timer(_RESUME_AFTER_S, _resume)
        resume.daemon = True
        resume.start()


def release_in_slices(items: list[Any]) -> None:
    """Empty ``items`` a slice at a time: freeing 100,000 candidates at once holds every other
    thread for a tenth of a second."""
    while items:
        del items[-SLICE:]


def _resume() -> None:
    global _paused
    with _paused_lock:
        _paused -= 1
        if _paused == 0:
            gc.enable()


class _UnexpectedShapeError(Exception):
    """The body is not shaped as a plain object with a candidates array."""


def decode_plan(
    raw: bytes, *, sliced_from: int = SLICED_FROM_BYTES, slice_size: int = SLICE
) -> PlanCreate:
    """The body as a PlanCreate; raises ``ValidationError`` as ``model_validate_json`` does."""
    if len(raw) < sliced_from:
        return PlanCreate.model_validate_json(raw)
    try:
        text = raw.decode("utf-8")
        start, end, spans = _candidates(text)
    except (_UnexpectedShapeError, UnicodeDecodeError, ValueError, IndexError):
        return PlanCreate.model_validate_json(raw)
    if not 0 < len(spans) <= MAX_CANDIDATES:
        return PlanCreate.model_validate_json(raw)  # it says what is wrong with the length
    return _validate(text, start, end, spans, slice_size)


def _validate(
    text: str, start: int, end: int, spans: list[tuple[int, int]], slice_size: int
) -> PlanCreate:
    # The rest of the body, with the first candidate standing in for the list.
    first = text[spans[0][0] : spans[0][1]]
    errors: list[Any] = []
    rest: PlanCreate | None = None
    try:
        rest = PlanCreate.model_validate_json(text[:start] + "[" + first + "]" + text[end:])
    except ValidationError as exc:
        # errors of the stand-in candidate are found again with the others
        errors += [e for e in exc.errors() if tuple(e["loc"][:2]) != ("candidates", 0)]
    candidates: list[CandidateIn] = []
    for offset in range(0, len(spans), slice_size):
        part = spans[offset : offset + slice_size]
        try:
            candidates += _CANDIDATES.validate_json(
                "[" + ",".join(text[a:b] for a, b in part) + "]"
            )
        except ValidationError as exc:
            for error in exc.errors():
                index, *inner = error["loc"]
                errors.append({**error, "loc": ("candidates", offset + int(index), *inner)})
    if errors or rest is None:
        raise _validation_error(errors)
    return rest.model_copy(update={"candidates": candidates})


def _candidates(text: str) -> tuple[int, int, list[tuple[int, int]]]:
    """Where the top-level ``candidates`` array starts and ends, and each of its items."""
    found: tuple[int, int, list[tuple[int, int]]] | None = None
    i = _skip(text, 0)
    _expect(text, i, "{")
    i = _skip(text, i + 1)
    if text[i] == "}":
        raise _UnexpectedShapeError
    while True:
        key, i = _DECODER.raw_decode(text, i)
        i = _skip(text, i)
        _expect(text, i, ":")
        i = _skip(text, i + 1)
        if key == "candidates":
            if found is not None or text[i] != "[":
                raise _UnexpectedShapeError
            found = _array(text, i)
            i = found[1]
        else:
            _, i = _DECODER.raw_decode(text, i)
        i = _skip(text, i)
        if text[i] == "}":
            break
        _expect(text, i, ",")
        i = _skip(text, i + 1)
    if found is None or _skip(text, i + 1) != len(text):
        raise _UnexpectedShapeError
    return found


def _array(text: str, i: int) -> tuple[int, int, list[tuple[int, int]]]:
    start, spans = i, list[tuple[int, int]]()
    i = _skip(text, i + 1)
    if text[i] == "]":
        return start, i + 1, spans
    while True:
        _, after = _DECODER.raw_decode(text, i)
        spans.append((i, after))
        i = _skip(text, after)
        if text[i] == "]":
            return start, i + 1, spans
        _expect(text, i, ",")
        i = _skip(text, i + 1)


def _skip(text: str, i: int) -> int:
    match = _WHITESPACE.match(text, i)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _expect(text: str, i: int, char: str) -> None:
    if text[i] != char:
        raise _UnexpectedShapeError


def _validation_error(errors: list[Any]) -> ValidationError:
    """One ValidationError of every error, in the order of the model's fields."""
    errors.sort(key=lambda e: _FIELD_ORDER.get(str(e["loc"][0]), len(_FIELD_ORDER)))
    details: list[InitErrorDetails] = [
        {
            "type": PydanticCustomError(e["type"], e["msg"].replace("{", "{{").replace("}", "}}")),
            "loc": tuple(e["loc"]),
            "input": e.get("input"),
        }
        for e in errors
    ]
    return ValidationError.from_exception_data("PlanCreate", details, input_type="json")
