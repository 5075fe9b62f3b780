"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from app.api.deps import ResourcesDep
from app.schemas.problem import Problem
from app.services.health import check_database

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
    responses={503: {"model": Problem, "description": "The database cannot serve requests."}},
)
def readyz(resources: ResourcesDep) -> HealthStatus:
    check_database(resources.engine)
    return HealthStatus()
