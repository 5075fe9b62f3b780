"""Structured logs: one JSON object per line, each carrying the id of the request it is about.

The request context lives in a context variable set by the outermost middleware; worker threads
get a copy of the context, and so the same (mutable) RequestContext object.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

ACCESS_LOGGER = "influmix.access"


@dataclass(slots=True)
class RequestContext:
    request_id: str
    workspace_id: str | None = None


_current: ContextVar[RequestContext | None] = ContextVar("influmix_request", default=None)


def current_request() -> RequestContext | None:
    return _current.get()


def bind_request(context: RequestContext) -> object:
    """Make ``context`` the current request's; returns the token to unbind it."""
    return _current.set(context)


def unbind_request(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


class RequestContextFilter(logging.Filter):
    """Stamps every record with the current request's id and workspace (None outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get()
        if not hasattr(record, "request_id"):
            record.request_id = context.request_id if context else None
        if not hasattr(record, "workspace_id"):
            record.workspace_id = context.workspace_id if context else None
        return True


# Attributes every LogRecord has; anything else was passed through ``extra=`` and is logged.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # Uvicorn's ANSI-coloured copy of the message
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def log_config(level: str = "INFO") -> dict[str, Any]:
    """A logging.config dictionary: every logger (Uvicorn's too) as JSON lines on stderr."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": RequestContextFilter}},
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["request"],
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # Uvicorn's own access line is replaced by influmix.access (it lacks the request id).
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
        },
    }
