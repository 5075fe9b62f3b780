"""A large plan request decoded in slices gives what one call of the model gives: the same
request, or the same errors at the same places."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from app.api.plan_body import decode_plan
from app.schemas.plans import PlanCreate
from tests.support.payloads import creator, small_request, with_candidate


def sliced(raw: bytes) -> PlanCreate:
    # every body is decoded in slices, of three candidates
    return decode_plan(raw, sliced_from=0, slice_size=3)


def errors_of(decode: Any, raw: bytes) -> list[tuple[Any, ...]]:
    with pytest.raises(ValidationError) as caught:
        decode(raw)
    return [(tuple(e["loc"]), e["type"], e["msg"]) for e in caught.value.errors()]


def body(**fields: Any) -> dict[str, Any]:
    return small_request(8, **fields)


VALID = [
    body(),
    body(name="Spring", constraints={"max_influencers": 4, "must_include": ["c1"]}),
    {**body(), "options": {"time_limit_s": 5}},
    small_request(1),
]

INVALID = [
    with_candidate(0, request=body(), followers=-1),
    with_candidate(4, request=body(), price_per_post=-3),
    with_candidate(7, request=body(), platform="myspace", max_posts=0),
    {**with_candidate(5, request=body(), min_posts=3, max_posts=1), "budget": -5},
    {**body(), "catalog": {"filters": {}}},
    {**body(), "budjet": 1},
    {**body(), "candidates": []},
    {**body(), "candidates": "all"},
]


@pytest.mark.parametrize("request_body", VALID)
@pytest.mark.parametrize("indent", [None, 2])
def test_a_valid_body_decodes_to_the_same_request(
    request_body: dict[str, Any], indent: int | None
) -> None:
    raw = json.dumps(request_body, indent=indent).encode()
    whole = PlanCreate.model_validate_json(raw)
    in_slices = sliced(raw)
    assert in_slices == whole
    assert in_slices.model_fields_set == whole.model_fields_set
    assert in_slices.model_dump(mode="json", exclude_unset=True) == whole.model_dump(
        mode="json", exclude_unset=True
    )


@pytest.mark.parametrize("request_body", INVALID)
def test_an_invalid_body_gives_the_same_errors(request_body: dict[str, Any]) -> None:
    raw = json.dumps(request_body).encode()
    assert errors_of(sliced, raw) == errors_of(PlanCreate.model_validate_json, raw)


@pytest.mark.parametrize(
    "raw",
    [
        b"[1, 2]",
        b'{"budget": 5, "candidates": [' + json.dumps(creator("a")).encode() + b"]",
        b'{"candidates": [], "candidates": [1]}',
        b"not json",
    ],
)
def test_a_body_of_another_shape_is_reported_as_one_call_reports_it(raw: bytes) -> None:
    assert errors_of(sliced, raw) == errors_of(PlanCreate.model_validate_json, raw)
