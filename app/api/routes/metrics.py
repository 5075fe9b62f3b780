"""Prometheus metrics, when the operator turns them on (``INFLUMIX_METRICS_ENABLED``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from app.api.deps import ResourcesDep
from app.services import metrics

# Not part of the API: absent from the OpenAPI document and from the generated clients.
router = APIRouter(include_in_schema=False)


@router.get("/metrics")
def serve_metrics(
    resources: ResourcesDep,
    authorization: Annotated[str | None, Header(max_length=512)] = None,
) -> Response:
    resources.metrics.check_access(authorization)
    return Response(content=resources.metrics.render(), media_type=metrics.CONTENT_TYPE)
