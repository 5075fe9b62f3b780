"""A client that goes away mid-request is logged as such, not as a server error."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.types import Message

from app.core.logs import ACCESS_LOGGER
from tests.support.app import serving
from tests.support.payloads import small_request

pytestmark = pytest.mark.anyio


async def _post_then_vanish(app: FastAPI, path: str, key: str) -> list[Message]:
    """POST ``path`` with half a body, then disconnect, as a client that gave up would."""
    half = json.dumps(small_request()).encode()[:40]
    incoming: list[dict[str, Any]] = [
        {"type": "http.request", "body": half, "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"authorization", key.encode()),
            (b"content-type", b"application/json"),
            (b"content-length", b"4000"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    await app(scope, receive, send)
    return sent


@pytest.mark.parametrize("path", ["/v1/plans", "/v1/frontiers", "/v1/influencers"])
async def test_a_client_that_disconnects_mid_body_is_logged_as_gone_not_as_an_error(
    app: FastAPI, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    async with serving(app) as client:
        key = client.headers["authorization"]
        with caplog.at_level(logging.INFO):
            sent = await _post_then_vanish(app, path, key)

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    gone = [r for r in caplog.records if "disconnected" in r.getMessage()]
    assert len(gone) == 1
    assert gone[0].levelno == logging.INFO
    access = [r for r in caplog.records if r.name == ACCESS_LOGGER]
    assert [getattr(r, "status", None) for r in access] == [499]
    assert all(m.get("status") != 500 for m in sent)
