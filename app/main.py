"""The ASGI application: ``uvicorn app.main:app``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from starlette.types import ASGIApp

from app.api.deps import Resources
from app.api.routes import health, influencers, keys, plans
from app.core.config import Settings, get_settings
from app.db import DatabaseNotReadyError, assert_migrated, create_db_engine, make_session_factory
from app.errors import PROBLEM_MEDIA_TYPE, install_error_handlers
from app.middleware import BodySizeLimitMiddleware, RequestContextMiddleware

logger = logging.getLogger(__name__)

DESCRIPTION = """\
Budget allocation for influencer campaigns: post a budget and candidate creators, get the
mix of posts that maximizes expected engagement under concentration, tier and platform limits.

Every `/v1` route needs an API key of a workspace: `Authorization: Bearer <key>`. Keys carry a
role: `viewer` reads, `planner` also solves plans and edits the catalog, `admin` also manages
keys. POST routes accept an `Idempotency-Key` header, so retries do not repeat the work.

Errors are RFC 9457 problem details (`application/problem+json`).
"""


def _version() -> str:
    try:
        return version("influmix")
    except PackageNotFoundError:
        return "0+unknown"


def _operation_id(route: APIRoute) -> str:
    # The function name: stable, and what generated clients show to their users.
    return route.name


class InflumixAPI(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        # Outside Starlette's error layer, so that 500 answers carry the request id and the
        # security headers too.
        return RequestContextMiddleware(super().build_middleware_stack())

    def openapi(self) -> dict[str, Any]:
        schema = super().openapi()
        _serve_errors_as_problems(schema)
        return schema


def _serve_errors_as_problems(schema: dict[str, Any]) -> None:
    """Error answers are documented under application/problem+json, as they are served."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for code, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if code[0] in "45" and "application/json" in content:
                    content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new application bound to ``settings`` (by default, read from the environment)."""
    settings = settings or get_settings()
    engine = create_db_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            await anyio.to_thread.run_sync(assert_migrated, engine)
        except DatabaseNotReadyError as exc:
            logger.error("refusing to start: %s", exc)
            raise
        yield
        engine.dispose()

    app = InflumixAPI(
        title="influmix",
        version=_version(),
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        # One schema per model: generated clients get PlanCreate, not PlanCreate-Input/-Output.
        separate_input_output_schemas=False,
        openapi_tags=[
            {"name": "plans", "description": "Solve, store, list, export and delete plans."},
            {
                "name": "influencers",
                "description": "The catalog of creators: CRUD and CSV/XLSX import.",
            },
            {"name": "keys", "description": "The workspace's API keys (admin keys only)."},
            {"name": "health", "description": "Probes for orchestrators."},
        ],
    )
    app.state.resources = Resources(
        settings=settings, engine=engine, session_factory=make_session_factory(engine)
    )
    install_error_handlers(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["*"],
            expose_headers=[
                "Location",
                "Content-Disposition",
                "Retry-After",
                "X-Request-ID",
                "Idempotent-Replayed",
            ],
        )
    app.include_router(health.router)
    app.include_router(plans.router)
    app.include_router(influencers.router)
    app.include_router(keys.router)
    return app


app = create_app()
