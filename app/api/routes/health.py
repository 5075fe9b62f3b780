"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from app.api.deps import ResourcesDep
from app.schemas.problem import Problem

router = APIRouter(tags=["health"])


class HealthStatus(BaseModel):
    # An answer always carries its defaults: documented as required, so that clients do not
    # type them as possibly missing.
    model_config = ConfigDict(
        json_schema_mode_override="serialization",
        json_schema_serialization_defaults_required=True,
        json_schema_extra={"examples": [{"status": "ok"}]},
    )

    status: Literal["ok"] = "ok"


@router.get("/healthz", summary="The process is up")
async def healthz() -> HealthStatus:
    # async and free of I/O: answers even while every worker thread is busy solving.
    return HealthStatus()


@router.get(
    "/readyz",
    summary="The database is reachable and migrated",
    description="Answers within a second whatever the database does (503 past that).",
    responses={
        503: {
            "model": Problem,
            "description": "The database cannot serve requests.",
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before retrying.",
                    "schema": {"type": "integer"},
                }
            },
        }
    },
)
async def readyz(resources: ResourcesDep) -> HealthStatus:
    # async: the check runs in a thread of its own and is awaited with a timeout, so a
    # database that hangs cannot hold a worker thread per probe.
    resources.shutdown.refuse_new_work()  # shutting down: the load balancer moves on
    await resources.readiness.check()
    return HealthStatus()
