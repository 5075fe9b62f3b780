"""Strict wire types: numbers are JSON numbers, and text never holds NUL.

Every numeric field of every JSON request body in the OpenAPI document gets ``true`` and
``"1"``, which must be a 422 naming that field. NUL in text is a 422 on every database
(PostgreSQL cannot store it: it used to be a 500 there, and stored silently on SQLite).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from models import Role
from tests.support.app import serving
from tests.support.catalog import influencer
from tests.support.payloads import small_request

pytestmark = pytest.mark.anyio

NUL = "\u0000"
Path = tuple[str | int, ...]

# A valid body per operation, to which one bad value at a time is added.
VALID_BODIES: dict[str, dict[str, Any]] = {
    "POST /v1/plans": small_request(),
    "POST /v1/frontiers": {"request": small_request(), "budgets": [5_000, 10_000]},
    "POST /v1/influencers": influencer("@nul.test"),
    "PATCH /v1/influencers/{influencer_id}": {"price_per_post": 100},
    "POST /v1/keys": {"role": "viewer"},
}
# Path parameters of the operations above: unknown ids are fine, a bad body is a 422 first.
PATH_VALUES = {"influencer_id": "01a2127a-3b35-7269-86ef-6464af41e8db"}
# Keys of objects whose keys are free (tier names, catalog ids): one that every model accepts.
FREE_KEY = {"tier_share": "micro", "engagement_priors": "micro", "overrides": "id-1"}


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def numeric_paths(
    document: dict[str, Any], schema: dict[str, Any], path: Path = (), seen: int = 0
) -> Iterator[Path]:
    """Every path to a number or integer in ``schema`` (list items at index 0)."""
    if seen > 8:  # schemas here are not recursive; this only guards the walk
        return
    schema = _resolve(document, schema)
    for branch in schema.get("anyOf", []):
        yield from numeric_paths(document, branch, path, seen + 1)
    kind = schema.get("type")
    if kind in ("number", "integer"):
        yield path
    elif kind == "array" and "items" in schema:
        yield from numeric_paths(document, schema["items"], (*path, 0), seen + 1)
    elif kind == "object":
        for name, field in schema.get("properties", {}).items():
            yield from numeric_paths(document, field, (*path, name), seen + 1)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and path:
            key = FREE_KEY.get(str(path[-1]), "x")
            yield from numeric_paths(document, extra, (*path, key), seen + 1)


def with_value(body: dict[str, Any], path: Path, value: object) -> dict[str, Any]:
    """A copy of ``body`` with ``value`` at ``path``, creating what is missing on the way."""
    changed = copy.deepcopy(body)
    node: Any = changed
    for step, following in itertools.pairwise(path):
        fresh: Any = [{}] if isinstance(following, int) else {}
        if isinstance(step, int):
            if not node:
                node.append(fresh[0] if isinstance(fresh, list) else fresh)
            node = node[step]
            continue
        if not isinstance(node.get(step), dict | list) or (
            isinstance(following, int) and not node[step]
        ):
            node[step] = [fresh[0]] if isinstance(following, int) else fresh
        node = node[step]
    last = path[-1]
    if isinstance(last, int):
        if node:
            node[last] = value
        else:
            node.append(value)
    else:
        node[last] = value
    return changed


async def _request_bodies(client: httpx.AsyncClient) -> list[tuple[str, str, Path]]:
    document = (await client.get("/openapi.json")).json()
    cases = []
    for route, item in document["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            name = f"{method.upper()} {route}"
            assert name in VALID_BODIES, f"{name} takes a JSON body: give it a valid one here"
            schema = content["application/json"]["schema"]
            cases += [(method, route, p) for p in numeric_paths(document, schema)]
    return cases


async def test_every_numeric_request_field_refuses_booleans_and_numbers_in_strings(
    client: httpx.AsyncClient,
) -> None:
    cases = await _request_bodies(client)
    assert len(cases) > 40  # the walk found the fields (plans alone have over 30)

    accepted = []
    for method, route, path in cases:
        url = route.format(**PATH_VALUES)
        base = VALID_BODIES[f"{method.upper()} {route}"]
        for bad in (True, "1"):
            answer = await client.request(method, url, json=with_value(base, path, bad))
            named = answer.status_code == 422 and any(
                tuple(e["loc"]) == ("body", *path) for e in answer.json().get("errors", [])
            )
            if not named:
                accepted.append(f"{method.upper()} {route} {'.'.join(map(str, path))}={bad!r}")
    assert accepted == []


async def test_whole_floats_are_still_integers(client: httpx.AsyncClient) -> None:
    request = small_request(constraints={"max_influencers": 3.0})
    request["candidates"][0].update(followers=20_000.0, max_posts=2.0)

    answer = await client.post("/v1/plans", json=request)

    assert answer.status_code == 201, answer.text


NUL_BODIES: list[tuple[str, str, dict[str, Any], Path]] = [
    ("POST", "/v1/plans", small_request(name=f"Spring{NUL}launch"), ("name",)),
    ("POST", "/v1/plans", with_value(small_request(), ("candidates", 0, "id"), f"c{NUL}"),
     ("candidates", 0, "id")),
    ("POST", "/v1/plans", with_value(small_request(), ("candidates", 0, "handle"), f"@a{NUL}"),
     ("candidates", 0, "handle")),
    ("POST", "/v1/plans", with_value(small_request(), ("candidates", 0, "tags"), [f"x{NUL}"]),
     ("candidates", 0, "tags", 0)),
    ("POST", "/v1/plans",
     with_value(small_request(), ("constraints", "exclude"), [f"c1{NUL}"]),
     ("constraints", "exclude", 0)),
    ("POST", "/v1/frontiers",
     {"name": f"sweep{NUL}", "request": small_request(), "budgets": [5_000, 10_000]},
     ("name",)),
    ("POST", "/v1/influencers", influencer(f"@ana{NUL}"), ("handle",)),
    ("POST", "/v1/influencers", influencer("@ana", display_name=f"Ana{NUL}"),
     ("display_name",)),
    ("POST", "/v1/influencers", influencer("@ana", notes=f"{NUL}"), ("notes",)),
    ("POST", "/v1/influencers", influencer("@ana", tags=[f"beauty{NUL}"]), ("tags", 0)),
    ("POST", "/v1/keys", {"role": "viewer", "name": f"tool{NUL}"}, ("name",)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "url", "body", "path"),
    NUL_BODIES,
    ids=[f"{m} {u} {'.'.join(map(str, p))}" for m, u, _, p in NUL_BODIES],
)
async def test_nul_in_any_text_field_is_a_422_naming_it(
    app: FastAPI, method: str, url: str, body: dict[str, Any], path: Path
) -> None:
    async with serving(app, role=Role.ADMIN) as client:
        answer = await client.request(method, url, json=body)

    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    errors = answer.json()["errors"]
    assert [tuple(e["loc"]) for e in errors] == [("body", *path)]
    assert "NUL" in errors[0]["message"]


@pytest.mark.parametrize(
    ("url", "loc"),
    [
        ("/v1/plans?name=a%00b", ("query", "name")),
        ("/v1/influencers?tag=a%00", ("query", "tag")),
        ("/v1/plans/a%00b", ("path", "plan_id")),
        ("/v1/influencers/by-handle/instagram/a%00", ("path", "handle")),
    ],
)
async def test_nul_in_a_query_or_path_parameter_is_a_422_naming_it(
    client: httpx.AsyncClient, url: str, loc: Path
) -> None:
    answer = await client.get(url)

    assert answer.status_code == 422, answer.text
    assert [tuple(e["loc"]) for e in answer.json()["errors"]] == [loc]
