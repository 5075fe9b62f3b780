"""Fuzzing the whole OpenAPI surface: no request, however odd, gets a 5xx or an answer that
breaks the documented schema.

Bounded to keep CI quick: a few examples per operation, solves capped at 2 s, and the same
examples on every run (derandomized), so a CI failure replays on a developer's machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.openapi import from_asgi
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from models import Role
from tests.support.app import built_app, make_settings, new_key, sessions_of

MAX_EXAMPLES = 25
# What the API promises for any request. Not "schema-valid data is accepted": a schema cannot
# say everything (a tier min above its max is a 422 by contract), so that check is left out.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def fuzzed_app(database_url: str) -> Iterator[FastAPI]:
    with built_app(make_settings(database_url, solve_time_limit_s=2.0)) as app:
        yield app


def operations(app: FastAPI) -> list[APIOperation[Any, Any, Any, Any]]:
    found = []
    for result in from_asgi("/openapi.json", app).get_all_operations():
        assert isinstance(result, Ok), result  # the document itself is valid
        found.append(result.ok())
    return found


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_survives_fuzzing_with_a_valid_key(
    fuzzed_app: FastAPI, mode: GenerationMode
) -> None:
    headers = {"Authorization": f"Bearer {new_key(sessions_of(fuzzed_app), Role.ADMIN)}"}
    fuzzed = []
    for operation in operations(fuzzed_app):

        @given(case=operation.as_strategy(mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def survives(case: Case[Any]) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            survives()
        except Unsatisfiable:
            # Nothing to get wrong (no parameters, no body): no negative case exists.
            assert mode is GenerationMode.NEGATIVE
            continue
        fuzzed.append(operation.label)
    assert len(fuzzed) >= 15
