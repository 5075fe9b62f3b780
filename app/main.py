"""The ASGI application: ``uvicorn app.main:app``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.models import Schema as OpenAPISchema
from fastapi.routing import APIRoute
from pydantic.json_schema import models_json_schema
from starlette.types import ASGIApp

from app.api.bodies import DOCUMENTED_BODIES
from app.api.deps import Resources, refuse_nul_in_parameters
from app.api.problems import install_error_handlers
from app.api.routes import frontiers, health, influencers, keys, overlaps, plans
from app.api.routes import metrics as metrics_routes
from app.core.config import Settings, get_settings
from app.db import DatabaseNotReadyError, assert_migrated, create_db_engine, make_session_factory
from app.errors import PROBLEM_MEDIA_TYPE
from app.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from app.services import counters
from app.services.planning import solver_pool
from app.web import pages

logger = logging.getLogger(__name__)

# Routes whose body may hold a whole roster; every other body is small (settings).
BULK_PATHS = frozenset(
    {
        "/v1/plans",
        "/v1/frontiers",
        "/v1/influencers/import",
        "/v1/influencers/parse",
        "/v1/influencers/overlaps/import",
    }
)

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
    # Set by create_app: request latencies go to /metrics when it is served.
    observe_requests = False

    def build_middleware_stack(self) -> ASGIApp:
        # Outside Starlette's error layer, so that 500 answers carry the request id and the
        # security headers too.
        return RequestContextMiddleware(
            super().build_middleware_stack(),
            observe=counters.observe_request if self.observe_requests else None,
        )

    def openapi(self) -> dict[str, Any]:
        first_build = self.openapi_schema is None
        schema = super().openapi()
        # FastAPI caches the document it builds: fix it once, in place.
        if first_build:
            _define_body_models(schema)
            _serve_errors_as_problems(schema)
            _drop_null_from_parameters(schema)
            _name_upload_forms(schema)
        return schema


def _define_body_models(schema: dict[str, Any]) -> None:
    """Bodies decoded in a worker thread (app.api.bodies) are invisible to FastAPI: their
    models are defined here, as FastAPI would have, when nothing else refers to them."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    missing = [model for model in DOCUMENTED_BODIES if model.__name__ not in components]
    if not missing:
        return
    _, definitions = models_json_schema(
        [(model, "validation") for model in missing],
        ref_template="#/components/schemas/{model}",
    )
    for name, definition in definitions.get("$defs", {}).items():
        # Through FastAPI's own model of a schema, so it is written as the others are.
        components.setdefault(
            name, jsonable_encoder(OpenAPISchema(**definition), by_alias=True, exclude_none=True)
        )
    schema["components"]["schemas"] = dict(sorted(components.items()))


def _serve_errors_as_problems(schema: dict[str, Any]) -> None:
    """Error answers are documented under application/problem+json, as they are served."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for code, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if code[0] in "45" and "application/json" in content:
                    content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")


def _drop_null_from_parameters(schema: dict[str, Any]) -> None:
    """A query or header parameter is sent or not; it cannot be null.

    FastAPI documents an optional ``str | None`` parameter as "string or null", which clients
    turn into a three-way ``None | str | Unset`` argument. Documented as an optional string.
    """
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                parameter["schema"] = _without_null(parameter.get("schema", {}))


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    choices = schema.get("anyOf", [])
    kept = [choice for choice in choices if choice != {"type": "null"}]
    if len(kept) != 1 or len(kept) == len(choices):
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**kept[0], **rest}


# FastAPI names a multipart body after its operation (Body_import_influencers), a name that
# generated clients would make their users type. Operations not listed get <Operation>Form;
# routes taking the same form share its model.
UPLOAD_FORM_NAMES = {
    "import_influencers": "RosterUpload",
    "parse_roster": "RosterUpload",
    "import_overlaps": "OverlapUpload",
}
_FORM_NAME_PREFIX = "Body_"


def _name_upload_forms(schema: dict[str, Any]) -> None:
    """Give multipart bodies real names, and mark their file fields as binary."""
    components = schema.get("components", {})
    renamed: dict[str, str] = {}
    named: dict[str, Any] = {}
    for name, body in components.get("schemas", {}).items():
        if not name.startswith(_FORM_NAME_PREFIX):
            named[name] = body
            continue
        operation_id = name.removeprefix(_FORM_NAME_PREFIX)
        new_name = UPLOAD_FORM_NAMES.get(operation_id, _pascal_case(operation_id) + "Form")
        form = _with_binary_files({**body, "title": new_name})
        if named.get(new_name, form) != form:
            # Two different forms were given one name: each keeps a name of its own.
            new_name = _pascal_case(operation_id) + "Form"
            form = {**form, "title": new_name}
        named[new_name] = form
        renamed[f"#/components/schemas/{name}"] = f"#/components/schemas/{new_name}"
    if not renamed:
        return
    components["schemas"] = dict(sorted(named.items()))
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                ref = media.get("schema", {}).get("$ref")
                if ref in renamed:
                    media["schema"]["$ref"] = renamed[ref]


def _with_binary_files(form: dict[str, Any]) -> dict[str, Any]:
    properties = {}
    for name, field in form.get("properties", {}).items():
        # OpenAPI 3.1 says "a file" with contentMediaType alone; generators still look for
        # the 3.0 spelling, without which they send the file as a string.
        if field.get("type") == "string" and "contentMediaType" in field:
            field = {**field, "format": "binary"}
        properties[name] = field
    return {**form, "properties": properties}


def _pascal_case(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new application bound to ``settings`` (by default, read from the environment)."""
    settings = settings or get_settings()
    engine = create_db_engine(settings.database_url, settings.database_limits)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            await anyio.to_thread.run_sync(assert_migrated, engine)
        except DatabaseNotReadyError as exc:
            logger.error("refusing to start: %s", exc)
            raise
        # Solver processes start in the background now, so the first solve need not wait.
        solver_pool(settings)
        await anyio.to_thread.run_sync(resources.executor.start)
        yield
        await anyio.to_thread.run_sync(resources.executor.shutdown)
        resources.throttles.close()
        engine.dispose()

    app = InflumixAPI(
        title="influmix",
        version=_version(),
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(refuse_nul_in_parameters)],
        generate_unique_id_function=_operation_id,
        # One schema per model: generated clients get PlanCreate, not PlanCreate-Input/-Output.
        separate_input_output_schemas=False,
        openapi_tags=[
            {"name": "plans", "description": "Solve, store, list, export and delete plans."},
            {
                "name": "frontiers",
                "description": "One request solved at several budgets: what more budget buys.",
            },
            {
                "name": "influencers",
                "description": "The catalog of creators: CRUD, CSV/XLSX import, and the "
                "audience overlaps between them.",
            },
            {"name": "keys", "description": "The workspace's API keys (admin keys only)."},
            {"name": "health", "description": "Probes for orchestrators."},
        ],
    )
    resources = Resources(
        settings=settings, engine=engine, session_factory=make_session_factory(engine)
    )
    app.state.resources = resources
    app.observe_requests = settings.metrics_enabled
    install_error_handlers(app)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_request_bytes,
        small_max_bytes=min(settings.max_small_request_bytes, settings.max_request_bytes),
        bulk_paths=BULK_PATHS,
    )
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
    app.include_router(metrics_routes.router)
    app.include_router(plans.router)
    app.include_router(frontiers.router)
    # Before the catalog's own routes, whose /{influencer_id} would take "overlaps" as an id.
    app.include_router(overlaps.router)
    app.include_router(influencers.router)
    app.include_router(keys.router)
    app.include_router(pages.router)
    return app


app = create_app()
