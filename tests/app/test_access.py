"""API keys, roles and workspaces: who may call what, and whose rows they can reach."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, func, select

from models import Plan, Role
from tests.support.app import bearer, new_key, serving, sessions_of
from tests.support.catalog import CSV_TYPE, csv_bytes, influencer
from tests.support.payloads import small_request

pytestmark = pytest.mark.anyio


@dataclass(frozen=True)
class Rows:
    """One of each resource, in the workspace ``home``, and keys of every role there."""

    keys: dict[Role, str]
    plan_id: str
    influencer_id: str
    key_id: str
    frontier_id: str


@pytest.fixture
async def raw(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A started app's client that sends no key unless told to."""
    async with serving(app, role=None) as client:
        yield client


@pytest.fixture
async def rows(app: FastAPI, raw: httpx.AsyncClient) -> Rows:
    sessions = sessions_of(app)
    keys = {role: new_key(sessions, role, "home") for role in Role}
    admin = bearer(keys[Role.ADMIN])
    plan = await raw.post("/v1/plans", json=small_request(), headers=admin)
    entry = await raw.post("/v1/influencers", json=influencer("@ana"), headers=admin)
    key = await raw.post("/v1/keys", json={"role": "viewer"}, headers=admin)
    for answer in (plan, entry, key):
        assert answer.status_code == 201, answer.text
    frontier = await raw.post("/v1/frontiers", json=FRONTIER, headers=admin)
    assert frontier.status_code == 202, frontier.text
    return Rows(
        keys, plan.json()["id"], entry.json()["id"], key.json()["id"], frontier.json()["id"]
    )


FRONTIER = {"request": small_request(), "budgets": [1_000, 2_000]}


def roster() -> dict[str, Any]:
    return {
        "files": {
            "file": (
                "r.csv",
                csv_bytes(
                    [["handle", "platform", "followers", "price"], ["@ana", "ig", "9000", "80"]]
                ),
                CSV_TYPE,
            )
        }
    }


# Each route, the least role it needs, and a request that the role gets through with.
ROUTES: list[tuple[str, str, Role, dict[str, Any]]] = [
    ("GET", "/v1/plans", Role.VIEWER, {}),
    ("GET", "/v1/plans/{plan}", Role.VIEWER, {}),
    ("GET", "/v1/plans/{plan}/export.csv", Role.VIEWER, {}),
    ("GET", "/v1/plans/{plan}/export.xlsx", Role.VIEWER, {}),
    # unknown ids: a 404 past the role check
    ("GET", "/v1/plans:compare", Role.VIEWER, {"params": {"ids": "a,b"}}),
    ("GET", "/v1/plans:compare.xlsx", Role.VIEWER, {"params": {"ids": "a,b"}}),
    ("POST", "/v1/plans", Role.PLANNER, {"json": small_request()}),
    ("DELETE", "/v1/plans/{plan}", Role.PLANNER, {}),
    ("POST", "/v1/plans/{plan}:cancel", Role.PLANNER, {}),
    ("POST", "/v1/frontiers", Role.PLANNER, {"json": FRONTIER}),
    ("GET", "/v1/frontiers/{frontier}", Role.VIEWER, {}),
    ("GET", "/v1/frontiers/{frontier}/chart.svg", Role.VIEWER, {}),
    ("POST", "/v1/frontiers/{frontier}:cancel", Role.PLANNER, {}),
    ("GET", "/v1/influencers", Role.VIEWER, {}),
    ("GET", "/v1/influencers/{influencer}", Role.VIEWER, {}),
    ("GET", "/v1/influencers/by-handle/instagram/ana", Role.VIEWER, {}),
    ("POST", "/v1/influencers", Role.PLANNER, {"json": influencer("@new")}),
    ("PATCH", "/v1/influencers/{influencer}", Role.PLANNER, {"json": {"notes": "x"}}),
    ("POST", "/v1/influencers/import", Role.PLANNER, {"params": {"dry_run": "true"}}),
    ("POST", "/v1/influencers/parse", Role.PLANNER, {}),
    ("DELETE", "/v1/influencers/{influencer}", Role.PLANNER, {}),
    ("GET", "/v1/influencers/overlaps", Role.VIEWER, {}),
    ("POST", "/v1/influencers/overlaps/import", Role.PLANNER, {"params": {"dry_run": "true"}}),
    ("DELETE", "/v1/influencers/overlaps/{overlap}", Role.PLANNER, {}),
    ("GET", "/v1/keys", Role.ADMIN, {}),
    ("POST", "/v1/keys", Role.ADMIN, {"json": {"role": "viewer"}}),
    ("DELETE", "/v1/keys/{key}", Role.ADMIN, {}),
]


def target(path: str, rows: Rows) -> str:
    return path.format(
        plan=rows.plan_id,
        influencer=rows.influencer_id,
        key=rows.key_id,
        frontier=rows.frontier_id,
        overlap="none-stored",  # the overlap tests cover real pairs and other workspaces
    )


@pytest.mark.parametrize(("method", "path", "needed", "kwargs"), ROUTES)
async def test_each_role_is_allowed_or_refused_on_each_route(
    raw: httpx.AsyncClient,
    rows: Rows,
    method: str,
    path: str,
    needed: Role,
    kwargs: dict[str, Any],
) -> None:
    if path.endswith("/overlaps/import"):
        kwargs = {**kwargs, "files": {"file": ("o.csv", b"handle_a,handle_b,platform,share\n")}}
    elif path.endswith(("/import", "/parse")):
        kwargs = {**kwargs, **roster()}
    # Refusals first: they change nothing, so every role then meets the same rows.
    for role in sorted(Role, key=lambda r: r.allows(needed)):
        if (method, path) == ("POST", "/v1/influencers"):
            kwargs = {"json": influencer(f"@{role.value}")}  # each needs a free handle
        response = await raw.request(
            method, target(path, rows), headers=bearer(rows.keys[role]), **kwargs
        )

        if role.allows(needed):
            # A second delete finds nothing, and a solved plan cannot be cancelled: allowed,
            # and nothing left to do.
            assert response.status_code < 300 or response.status_code in (404, 409), response.text
        else:
            assert response.status_code == 403, (role, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert needed.value in response.json()["detail"]


def test_the_table_covers_every_v1_route(app: FastAPI) -> None:
    documented = {
        (method.upper(), path)
        for path, item in app.openapi()["paths"].items()
        if path.startswith("/v1/")
        for method in item
    }
    names = {
        "{plan}": "{plan_id}",
        "{influencer}": "{influencer_id}",
        "{key}": "{key_id}",
        "{frontier}": "{frontier_id}",
        "{overlap}": "{overlap_id}",
        "instagram/ana": "{platform}/{handle}",
    }
    listed = set()
    for method, path, _, _ in ROUTES:
        for short, name in names.items():
            path = path.replace(short, name)
        listed.add((method, path))
    assert documented == listed


@pytest.mark.parametrize(("method", "path", "needed", "kwargs"), ROUTES)
async def test_every_v1_route_needs_a_key(
    raw: httpx.AsyncClient, method: str, path: str, needed: Role, kwargs: dict[str, Any]
) -> None:
    # The key is checked before anything is looked up, so any id will do.
    url = path.format(plan="p", influencer="i", key="k", frontier="f", overlap="o")

    missing = await raw.request(method, url, **kwargs)
    unknown = await raw.request(method, url, headers=bearer("imx_" + "0" * 43), **kwargs)

    for response in (missing, unknown):
        assert response.status_code == 401, response.text
        assert response.headers["content-type"] == "application/problem+json"
    assert missing.headers["www-authenticate"] == 'Bearer realm="influmix"'
    assert unknown.headers["www-authenticate"] == 'Bearer realm="influmix", error="invalid_token"'


@pytest.mark.parametrize(
    ("authorization", "challenge"),
    [
        ("Bearer imx_" + "0" * 43, 'Bearer realm="influmix", error="invalid_token"'),
        ("Bearer not-a-key", 'Bearer realm="influmix", error="invalid_token"'),
        ("Bearer " + "imx_" + "x" * 500, 'Bearer realm="influmix", error="invalid_token"'),
        ("Basic dXNlcjpwYXNz", 'Bearer realm="influmix"'),
        ("Bearer", 'Bearer realm="influmix"'),
    ],
)
async def test_malformed_or_unknown_keys_get_the_bearer_challenge(
    raw: httpx.AsyncClient, authorization: str, challenge: str
) -> None:
    response = await raw.get("/v1/plans", headers={"Authorization": authorization})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == challenge


async def test_an_unauthenticated_body_is_refused_before_it_is_read(
    raw: httpx.AsyncClient,
) -> None:
    response = await raw.post(
        "/v1/plans", content=b"{not json", headers={"content-type": "application/json"}
    )

    assert response.status_code == 401


async def test_a_revoked_key_stops_working_at_once(raw: httpx.AsyncClient, rows: Rows) -> None:
    admin = bearer(rows.keys[Role.ADMIN])
    created = (
        await raw.post("/v1/keys", json={"role": "planner", "name": "ci"}, headers=admin)
    ).json()
    key = bearer(created["key"])
    assert (await raw.get("/v1/plans", headers=key)).status_code == 200

    revoked = await raw.delete(f"/v1/keys/{created['id']}", headers=admin)

    assert revoked.status_code == 204
    refused = await raw.get("/v1/plans", headers=key)
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused.headers["www-authenticate"]


async def test_key_listing_shows_prefixes_never_keys_or_hashes(
    raw: httpx.AsyncClient, rows: Rows
) -> None:
    admin = bearer(rows.keys[Role.ADMIN])
    created = (await raw.post("/v1/keys", json={"role": "viewer"}, headers=admin)).json()

    listed = await raw.get("/v1/keys", headers=admin)

    assert listed.status_code == 200
    assert created["key"].startswith(created["prefix"])
    assert created["key"] not in listed.text
    entry = next(k for k in listed.json() if k["id"] == created["id"])
    assert set(entry) == {
        "id",
        "name",
        "prefix",
        "role",
        "created_at",
        "last_used_at",
        "revoked_at",
    }
    assert len(listed.json()) == len(Role) + 2  # the fixture's keys, its viewer key, this one


async def test_last_use_of_a_key_is_recorded(raw: httpx.AsyncClient, rows: Rows) -> None:
    admin = bearer(rows.keys[Role.ADMIN])

    listed = (await raw.get("/v1/keys", headers=admin)).json()

    used = [k for k in listed if k["last_used_at"] is not None]
    assert [k["role"] for k in used] == ["admin"]


# --- workspaces ------------------------------------------------------------------------------


@pytest.fixture
async def rival(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An admin of another workspace: it can do anything, but only in its own."""
    async with serving(app, role=Role.ADMIN, workspace="rival") as client:
        yield client


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", "/v1/plans/{plan}", {}),
        ("GET", "/v1/plans/{plan}/export.csv", {}),
        ("GET", "/v1/plans/{plan}/export.xlsx", {}),
        ("DELETE", "/v1/plans/{plan}", {}),
        ("GET", "/v1/influencers/{influencer}", {}),
        ("GET", "/v1/influencers/by-handle/instagram/ana", {}),
        ("PATCH", "/v1/influencers/{influencer}", {"json": {"notes": "mine now"}}),
        ("DELETE", "/v1/influencers/{influencer}", {}),
        ("DELETE", "/v1/keys/{key}", {}),
    ],
)
async def test_another_workspaces_rows_are_not_found(
    rival: httpx.AsyncClient,
    raw: httpx.AsyncClient,
    rows: Rows,
    method: str,
    path: str,
    kwargs: dict[str, Any],
) -> None:
    response = await rival.request(method, target(path, rows), **kwargs)

    assert response.status_code == 404, response.text
    # Untouched, and still there for its owner.
    owner = bearer(rows.keys[Role.ADMIN])
    assert (await raw.get(f"/v1/plans/{rows.plan_id}", headers=owner)).status_code == 200
    entry = await raw.get(f"/v1/influencers/{rows.influencer_id}", headers=owner)
    assert entry.json()["notes"] is None
    keys = (await raw.get("/v1/keys", headers=owner)).json()
    assert all(k["revoked_at"] is None for k in keys)


async def test_listings_show_only_the_workspaces_own_rows(
    rival: httpx.AsyncClient, rows: Rows
) -> None:
    plans = await rival.get("/v1/plans")
    catalog = await rival.get("/v1/influencers")
    keys = await rival.get("/v1/keys")

    assert plans.json()["items"] == []
    assert catalog.json()["items"] == []
    assert [k["role"] for k in keys.json()] == ["admin"]  # its own key only


async def test_a_plan_cannot_draw_on_another_workspaces_catalog(
    rival: httpx.AsyncClient, rows: Rows
) -> None:
    by_id = small_request(catalog={"ids": [rows.influencer_id]})
    del by_id["candidates"]
    by_filter = small_request(catalog={"filters": {}})
    del by_filter["candidates"]

    named = await rival.post("/v1/plans", json=by_id)
    filtered = await rival.post("/v1/plans", json=by_filter)

    assert named.status_code == 422
    assert rows.influencer_id in named.text
    assert filtered.status_code == 422
    assert "no influencer in the catalog" in filtered.text


async def test_handles_and_imports_are_per_workspace(
    rival: httpx.AsyncClient, rows: Rows, db_engine: Engine
) -> None:
    same_handle = await rival.post("/v1/influencers", json=influencer("@ana"))
    imported = await rival.post("/v1/influencers/import", **roster())

    assert same_handle.status_code == 201, same_handle.text
    assert imported.status_code == 200, imported.text
    # The rival's import updated its own @ana, not the home workspace's.
    assert imported.json()["created"] == 0


async def test_a_plan_belongs_to_the_workspace_of_the_key_that_made_it(
    rival: httpx.AsyncClient, rows: Rows, db_engine: Engine
) -> None:
    created = (await rival.post("/v1/plans", json=small_request())).json()

    with db_engine.connect() as conn:
        owners = conn.scalar(select(func.count(func.distinct(Plan.workspace_id))))
        theirs = conn.scalar(select(Plan.workspace_id).where(Plan.id == created["id"]))
        home = conn.scalar(select(Plan.workspace_id).where(Plan.id == rows.plan_id))
    assert owners == 2
    assert theirs != home


async def test_health_probes_need_no_key(raw: httpx.AsyncClient) -> None:
    assert (await raw.get("/healthz")).status_code == 200
    assert (await raw.get("/readyz")).status_code == 200
    assert (await raw.get("/openapi.json")).status_code == 200
