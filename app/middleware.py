"""ASGI middleware: request ids, security headers and the access log; the body size limit."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from http import HTTPStatus

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.logs import ACCESS_LOGGER, RequestContext, bind_request, unbind_request
from app.errors import PROBLEM_MEDIA_TYPE
from app.services.counters import UNMATCHED_ROUTE

REQUEST_ID_HEADER = "X-Request-ID"
# A client's id is kept if it is short and plain (safe in logs and headers); else a new one.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
# The interactive docs load their scripts and styles; every other answer is data only.
_DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
_API_CSP = "default-src 'none'; frame-ancestors 'none'"
_DOCS_CSP = "frame-ancestors 'none'"
# The planner's page (app.web): its own script, style sheet and icon, and fetch() to this
# origin only; no inline code, no other origin.
_PAGE_PATHS = frozenset({"/"})
_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

access_log = logging.getLogger(ACCESS_LOGGER)


class RequestContextMiddleware:
    """The outermost layer: every answer, 500s included, gets a request id and the security
    headers, and one access log line (never the Authorization header) is written per request.
    """

    def __init__(
        self, app: ASGIApp, observe: Callable[[str, str, int, float], None] | None = None
    ) -> None:
        self.app = app
        # Called with (method, route template, status, seconds) once per answer.
        self.observe = observe

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        context = RequestContext(request_id)
        token = bind_request(context)
        path: str = scope["path"]
        status = HTTPStatus.INTERNAL_SERVER_ERROR.value
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "no-referrer"
                headers["Content-Security-Policy"] = _csp(path)
                if path.startswith("/v1/"):
                    # Plans and budgets are confidential: no cache may keep a copy.
                    headers["Cache-Control"] = "no-store"
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            if self.observe is not None:
                self.observe(
                    scope["method"], route_template(scope), status, time.perf_counter() - started
                )
            access_log.info(
                "%s %s %s",
                scope["method"],
                path,
                status,
                extra={
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 3),
                    "request_id": request_id,
                    "workspace_id": context.workspace_id,
                },
            )
            unbind_request(token)


def route_template(scope: Scope) -> str:
    """The matched route's path template (``/v1/plans/{plan_id}``), never the raw path: one
    series per route, whatever ids the clients send."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


def _csp(path: str) -> str:
    if path in _PAGE_PATHS:
        return _PAGE_CSP
    return _DOCS_CSP if path in _DOCS_PATHS else _API_CSP


class BodySizeLimitMiddleware:
    """Answer 413 to bodies larger than the route's limit: ``max_bytes`` for the routes that
    take a roster (``bulk_paths``: plans, frontiers, imports), ``small_max_bytes`` for every
    other one, whose bodies are a few hundred bytes and are decoded on the event loop.

    A declared Content-Length is refused up front; a streamed body is counted as it arrives,
    and the HTTPException raised mid-read reaches the problem+json handlers.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        small_max_bytes: int | None = None,
        bulk_paths: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.small_max_bytes = max_bytes if small_max_bytes is None else small_max_bytes
        self.bulk_paths = bulk_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes if scope["path"] in self.bulk_paths else self.small_max_bytes
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, send, limit)
            return

        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _detail(limit))
            return message

        await self.app(scope, counted_receive, send)

    async def _refuse(self, scope: Scope, send: Send, limit: int) -> None:
        status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
        body = json.dumps(
            {
                "type": "about:blank",
                "title": status.phrase,
                "status": status.value,
                "detail": _detail(limit),
                "instance": scope.get("path"),
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status.value,
                "headers": [
                    (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _detail(limit: int) -> str:
    return f"the request body exceeds the limit of {limit} bytes for this route"
