"""``GET /``: the planner's page, and its script, style sheet and icon.

The page is a form over the public /v1 API (it holds no data of its own), so it is left out of
the OpenAPI document. Assets are a fixed set of files: no path from the request ever reaches
the file system.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.errors import NotFoundError
from app.schemas.plans import MAX_BUDGET
from optimizer.problem import DEFAULT_TIERS, Platform

_HERE = Path(__file__).parent
_STATIC = _HERE / "static"
_MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
ASSETS = ("planner.js", "planner.css", "icon.svg")
# Common ISO 4217 codes; the API takes any three capitals, these are what planners pick from.
CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "SEK", "NOK", "DKK", "BRL", "INR")

templates = Jinja2Templates(directory=_HERE / "templates")
router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=len(ASSETS))
def _asset(name: str) -> tuple[bytes, str]:
    """The file's bytes and a short digest of them (the cache-busting version in URLs)."""
    data = (_STATIC / name).read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:12]


def asset_url(name: str) -> str:
    return f"/static/{name}?v={_asset(name)[1]}"


@router.get("/", response_class=HTMLResponse)
def planner_page(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "planner.html",
        {
            "asset_url": asset_url,
            "platforms": [p.value for p in Platform],
            "tiers": [(t.name, t.min_followers) for t in DEFAULT_TIERS],
            "currencies": CURRENCIES,
            "max_budget": int(MAX_BUDGET),
        },
        # The page holds no data, but a stale copy would run an old script against a newer API.
        headers={"Cache-Control": "no-cache"},
    )


@router.get("/static/{name}")
def planner_asset(name: str) -> Response:
    if name not in ASSETS:
        raise NotFoundError(f"no file {name!r}")
    data, _ = _asset(name)
    return Response(
        content=data,
        media_type=_MEDIA_TYPES[Path(name).suffix],
        # URLs carry the digest of the content, so a changed file gets a new URL.
        headers={"Cache-Control": "public, max-age=86400"},
    )
