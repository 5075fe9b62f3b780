"""Per-key request rate and per-workspace concurrent solves.

Both are counted in the process's memory: with several service processes, each enforces the
limits on its own share of the traffic (the effective limit is the setting times the number of
processes). That is what a single-process deployment needs; a shared store (Redis, through the
same `limits` library) would make them global.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from app.errors import TooManyRequestsError


class RequestRateLimiter:
    """At most ``per_minute`` requests per key in any 60-second window."""

    def __init__(self, per_minute: int) -> None:
        self._item = RateLimitItemPerMinute(per_minute)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, key_id: str) -> None:
        if self._limiter.hit(self._item, key_id):
            return
        reset_at = self._limiter.get_window_stats(self._item, key_id).reset_time
        raise TooManyRequestsError(
            f"more than {self._item.amount} requests per minute with this key; retry later",
            retry_after_s=math.ceil(reset_at - time.time()),
        )


class SolveSlots:
    """At most ``per_workspace`` solves running at once for one workspace.

    A solve holds a CPU core for up to the time limit; without a cap one workspace could
    queue enough of them to starve every other. Refused at once (429) rather than queued, so
    a client never waits on a request the server cannot start.
    """

    def __init__(self, per_workspace: int, retry_after_s: int) -> None:
        self._per_workspace = per_workspace
        self._retry_after_s = retry_after_s
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}

    @contextmanager
    def hold(self, workspace_id: str) -> Iterator[None]:
        with self._lock:
            running = self._running.get(workspace_id, 0)
            if running >= self._per_workspace:
                raise TooManyRequestsError(
                    f"this workspace already has {running} solve(s) running, the most allowed "
                    "at once; retry when one has finished",
                    retry_after_s=self._retry_after_s,
                )
            self._running[workspace_id] = running + 1
        try:
            yield
        finally:
            with self._lock:
                left = self._running[workspace_id] - 1
                if left:
                    self._running[workspace_id] = left
                else:
                    del self._running[workspace_id]
