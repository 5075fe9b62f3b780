"""Uvicorn with a shutdown fit for redeploys (``influmix serve``).

Uvicorn on SIGTERM stops listening at once and then waits, without a bound unless told one,
for the requests in flight. Here SIGTERM first runs the application's own shutdown
(``app.services.lifecycle``) while the server still answers, so probes see it unready and new
solves get 503 rather than a refused connection; then uvicorn's shutdown runs, bounded.
A second SIGTERM, or SIGINT, skips the wait.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

import uvicorn

from app.api.deps import Resources

logger = logging.getLogger(__name__)

# Uvicorn's own wait for connections once the application's shutdown is done: the answers of
# the solves cut at the end of the grace are being sent; nothing else is worth waiting for.
CLOSE_CONNECTIONS_S = 5


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, resources: Resources) -> None:
        super().__init__(config)
        self._resources = resources
        self._draining: threading.Thread | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if sig == signal.SIGTERM and self._draining is None:
            # Signal handlers must return at once: the shutdown waits on solves, in a thread.
            self._draining = threading.Thread(target=self._drain, name="shutdown", daemon=True)
            self._draining.start()
            return
        super().handle_exit(sig, frame)

    def _drain(self) -> None:
        try:
            self._resources.stop()
        except Exception:
            logger.exception("shutdown failed; exiting anyway")
        finally:
            self.should_exit = True


def run(host: str, port: int, log_config: dict[str, Any]) -> None:
    """Serve ``app.main:app`` until SIGTERM or SIGINT."""
    from app.main import app

    resources = app.state.resources
    assert isinstance(resources, Resources)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=log_config,
        access_log=False,  # influmix writes its own access line, with the request id
        timeout_graceful_shutdown=CLOSE_CONNECTIONS_S,
    )
    DrainingServer(config, resources).run()
