"""Readiness: can the database serve requests right now."""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from app.db import DatabaseNotReadyError, assert_migrated
from app.errors import DatabaseUnavailableError

logger = logging.getLogger(__name__)


def check_database(engine: Engine) -> None:
    """Raise DatabaseUnavailableError unless the database answers and is fully migrated."""
    try:
        assert_migrated(engine)
    except DatabaseNotReadyError as exc:
        logger.warning("not ready: %s", exc)
        # The reason stays in the log: it names the database host.
        raise DatabaseUnavailableError("the database is unreachable or not migrated") from exc
