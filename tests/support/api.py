"""What the HTTP tests check of answers: problem documents, stored rows, listings and jobs."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import anyio
import httpx
from sqlalchemy import Engine, func, select

from models import Plan, PlanAllocation

# Seconds a test waits for a queued or running job to reach the state it expects.
DEADLINE_S = 60.0


PROBLEM_JSON = "application/problem+json"


def stored_rows(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        plans = conn.scalar(select(func.count()).select_from(Plan))
        allocations = conn.scalar(select(func.count()).select_from(PlanAllocation))
    return plans or 0, allocations or 0


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert {"type", "title"} <= body.keys()
    text = response.text.lower()
    for leak in ("traceback", "select ", "insert ", "sqlite", "psycopg", 'file "'):
        assert leak not in text
    return body


def error_fields(body: dict[str, Any]) -> list[str]:
    return [error["field"] for error in body["errors"]]


async def poll(
    client: httpx.AsyncClient,
    plan_id: str,
    until: Callable[[dict[str, Any]], bool],
    *,
    deadline_s: float = DEADLINE_S,
) -> dict[str, Any]:
    """GET the plan until ``until`` holds; fails after ``deadline_s``."""
    deadline = time.monotonic() + deadline_s
    while True:
        response = await client.get(f"/v1/plans/{plan_id}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if until(body):
            return body
        assert time.monotonic() < deadline, f"gave up waiting; last seen: {body['status']}"
        await anyio.sleep(0.05)


async def post_plan(client: httpx.AsyncClient, request: dict[str, Any]) -> dict[str, Any]:
    """The plan the service stored for ``request`` (solved at once: a 201)."""
    response = await client.post("/v1/plans", json=request)
    assert response.status_code == 201, response.text
    plan: dict[str, Any] = response.json()
    return plan


async def all_pages(
    client: httpx.AsyncClient, path: str, **params: Any
) -> list[list[dict[str, Any]]]:
    """Every page of the listing at ``path``, following next_cursor to the end."""
    pages: list[list[dict[str, Any]]] = []
    cursor: str | None = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get(path, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 50, "pagination does not end"


def finished(plan: dict[str, Any]) -> bool:
    return plan["status"] not in ("queued", "running")


def running_with(figure: str) -> Callable[[dict[str, Any]], bool]:
    """For poll: the plan is running and its progress reports ``figure`` (objective, gap)."""

    def holds(plan: dict[str, Any]) -> bool:
        progress = plan["job"]["progress"] if plan["status"] == "running" else None
        return progress is not None and progress[figure] is not None

    return holds
