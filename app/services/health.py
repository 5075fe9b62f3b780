"""Readiness: can the database serve requests right now, answered within a bound."""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import Future

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


class ReadinessProbe:
    """Checks the database for /readyz, answering within ``timeout_s`` whatever the database
    does.

    A check that hangs (a partition) keeps its thread until the engine's own bounds end it;
    meanwhile every probe waits on that same check rather than starting another, so an
    orchestrator polling /readyz never piles up threads, and gets "unready" in time.
    """

    def __init__(self, engine: Engine, timeout_s: float) -> None:
        self._engine = engine
        self._timeout_s = timeout_s
        self._lock = threading.Lock()
        self._running: Future[None] | None = None

    async def check(self) -> None:
        """Return if the database is ready; raise DatabaseUnavailableError otherwise."""
        running = asyncio.wrap_future(self._current_check())
        try:
            await asyncio.wait_for(asyncio.shield(running), self._timeout_s)
        except TimeoutError:
            logger.warning("not ready: the database did not answer within %g s", self._timeout_s)
            raise DatabaseUnavailableError(
                f"the database did not answer within {self._timeout_s:g} s"
            ) from None

    def _current_check(self) -> Future[None]:
        with self._lock:
            if self._running is None or self._running.done():
                self._running = Future()
                threading.Thread(
                    target=self._run, args=(self._running,), name="readiness", daemon=True
                ).start()
            return self._running

    def _run(self, outcome: Future[None]) -> None:
        try:
            check_database(self._engine)
        except BaseException as exc:
            outcome.set_exception(exc)
        else:
            outcome.set_result(None)
