"""What the /v1 routers share: their set-up, documented error responses, and JSON bodies
built once."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel

from app.api.deps import require
from app.schemas.problem import Problem, ValidationProblem
from models.states import Role

Responses = dict[int | str, dict[str, Any]]

_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "integer"},
    }
}

# Every /v1 route: the key is checked first, then its role, then its rate; a body that is not
# even text (not UTF-8, a broken multipart) is a 400 before any field can be named.
AUTH_RESPONSES: Responses = {
    400: {"model": Problem, "description": "The body could not be parsed at all."},
    401: {
        "model": Problem,
        "description": "No API key, or an unknown or revoked one.",
        "headers": {
            "WWW-Authenticate": {
                "description": "The bearer challenge.",
                "schema": {"type": "string"},
            }
        },
    },
    403: {"model": Problem, "description": "The key's role does not allow this."},
    429: {
        "model": Problem,
        "description": "Too many requests with this key, or too many solves at once.",
        "headers": _RETRY_AFTER,
    },
}

# Any route can fail on the server's side; documented, so clients parse these as problems too
# instead of meeting a status code they were never told about.
SERVER_RESPONSES: Responses = {
    500: {"model": Problem, "description": "An unexpected error; it has been logged."},
    503: {
        "model": Problem,
        "description": "The database cannot serve requests, or the service is shutting down "
        "(another instance takes over); retry after Retry-After.",
        "headers": _RETRY_AFTER,
    },
}

# What every /v1 router answers besides its own routes' outcomes.
ROUTER_RESPONSES: Responses = {
    **AUTH_RESPONSES,
    422: {
        "model": ValidationProblem,
        "description": "Invalid request; the bad fields listed (at most 100).",
    },
    **SERVER_RESPONSES,
}

# Routes that take a body: the size limit is checked before anything else reads it.
BODY_RESPONSES: Responses = {
    413: {"model": Problem, "description": "The body is larger than the server accepts."},
}

IDEMPOTENCY_RESPONSES: Responses = {
    409: {
        "model": Problem,
        "description": "A request with the same Idempotency-Key is still being processed.",
        "headers": _RETRY_AFTER,
    },
}

# A route that creates from a body and honours Idempotency-Key.
CREATE_RESPONSES: Responses = {**BODY_RESPONSES, **IDEMPOTENCY_RESPONSES}


def json_answer(
    model: BaseModel, status_code: int, headers: dict[str, str] | None = None
) -> Response:
    """The model as JSON bytes: built once, so the answer to replay is the answer sent."""
    return Response(
        content=model.model_dump_json().encode(),
        status_code=status_code,
        media_type="application/json",
        headers=headers,
    )


def v1_router(resource: str, role: Role) -> APIRouter:
    """The router of ``/v1/<resource>``, open to keys of ``role`` and above.

    Every route also names the role it needs; the router's own check catches one that would
    forget.
    """
    return APIRouter(
        prefix=f"/v1/{resource}",
        tags=[resource],
        dependencies=[Depends(require(role))],
        responses=ROUTER_RESPONSES,
    )


def not_found(what: str) -> Responses:
    """The documented 404 of a route on one ``what`` (e.g. "plan with this id")."""
    return {404: {"model": Problem, "description": f"No {what}."}}
