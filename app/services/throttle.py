"""Per-key request rate, per-workspace concurrent solves and failed-key throttling.

Without a shared store each is counted in the process's memory: with several service
processes, each enforces the limits on its own share of the traffic. With
``INFLUMIX_LIMITS_REDIS_URL`` set, all three are held in Redis, so every ``serve`` process that
points at it enforces one limit between them.

Redis unreachable: the limits fail open, with one warning log line per outage. A limit
guards capacity, not access (the key check is the database's), and refusing every request
because the limit's bookkeeping is away would turn a Redis blip into an outage. The solve cap
falls back to this process's own count meanwhile, so a process never runs more than the cap.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import redis
from limits import RateLimitItem, RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from app.core.config import Settings
from app.errors import TooManyRequestsError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# A request never waits longer than this on Redis: past it the limit fails open.
REDIS_TIMEOUT_S = 0.25
# After a failure, Redis is left alone this long (each request would pay the timeout).
REDIS_RETRY_AFTER_S = 5.0


class SharedStore:
    """A Redis connection for the limits, and whether it is usable right now."""

    def __init__(self, url: str, key_prefix: str) -> None:
        self.url = url
        self.key_prefix = key_prefix
        self.client = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_S, socket_connect_timeout=REDIS_TIMEOUT_S
        )
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._down = False

    def key(self, *parts: str) -> str:
        return ":".join((self.key_prefix, *parts))

    def run(self, what: str, action: Callable[[], T], fallback: Callable[[], T]) -> T:
        """``action()`` against Redis, or ``fallback()`` when Redis is known to be away or
        fails now (logged once per outage)."""
        if time.monotonic() < self._down_until:
            return fallback()
        try:
            result = action()
        except (redis.RedisError, StorageError, OSError) as exc:
            with self._lock:
                self._down_until = time.monotonic() + REDIS_RETRY_AFTER_S
                first = not self._down
                self._down = True
            if first:
                logger.warning(
                    "Redis for limits unreachable (%s: %s); limits held in this process "
                    "until it answers",
                    what,
                    exc,
                )
            return fallback()
        if self._down:
            with self._lock:
                was_down, self._down = self._down, False
            if was_down:
                logger.info("Redis for limits answers again; limits shared across processes")
        return result

    def close(self) -> None:
        self.client.close()


class _Window:
    """A moving-window counter: in memory, or in Redis (failing open)."""

    def __init__(self, item: RateLimitItem, shared: SharedStore | None, name: str) -> None:
        self._item = item
        self._name = name
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._shared = shared
        self._remote: MovingWindowRateLimiter | None = None
        if shared is not None:
            storage: Storage = RedisStorage(
                shared.url,
                key_prefix=shared.key(name),
                wrap_exceptions=True,
                socket_timeout=REDIS_TIMEOUT_S,
                socket_connect_timeout=REDIS_TIMEOUT_S,
            )
            self._remote = MovingWindowRateLimiter(storage)

    @property
    def amount(self) -> int:
        return self._item.amount

    def hit(self, key: str) -> int | None:
        """None when counted within the limit; else seconds until a hit would be."""
        if self._shared is None or self._remote is None:
            return self._hit(self._local, key)
        remote = self._remote
        # Fail open: while Redis is away, nothing is refused.
        return self._shared.run(self._name, lambda: self._hit(remote, key), lambda: None)

    def _hit(self, limiter: MovingWindowRateLimiter, key: str) -> int | None:
        if limiter.hit(self._item, key):
            return None
        reset_at = limiter.get_window_stats(self._item, key).reset_time
        return max(1, math.ceil(reset_at - time.time()))


class RequestRateLimiter:
    """At most ``per_minute`` requests per key in any 60-second window."""

    def __init__(self, per_minute: int, shared: SharedStore | None = None) -> None:
        self._window = _Window(RateLimitItemPerMinute(per_minute), shared, "rate")

    def hit(self, key_id: str) -> None:
        retry_after = self._window.hit(key_id)
        if retry_after is not None:
            raise TooManyRequestsError(
                f"more than {self._window.amount} requests per minute with this key; retry later",
                retry_after_s=retry_after,
            )


class FailedKeyThrottle:
    """At most ``failures`` invalid API keys per client address in any ``window_s``.

    Past it, an invalid key from that address is answered 429 (with Retry-After) instead of
    401. A valid key is never counted nor refused: keys are checked first, so a client behind
    the same address (one NAT, one proxy) as a misconfigured one keeps working.
    """

    def __init__(self, failures: int, window_s: int, shared: SharedStore | None = None) -> None:
        self._window = _Window(RateLimitItemPerSecond(failures, window_s), shared, "authfail")
        self._window_s = window_s

    def failed(self, address: str) -> None:
        """Count one invalid key from ``address``; raise 429 once past the limit."""
        retry_after = self._window.hit(address)
        if retry_after is not None:
            raise TooManyRequestsError(
                f"more than {self._window.amount} invalid API keys from this address within "
                f"{self._window_s} s; retry later",
                retry_after_s=retry_after,
            )


# Takes a slot when fewer than the cap are held; expired leases (their process died) are
# dropped first. Redis's clock, so that processes on several machines agree.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = redis.call('ZCARD', KEYS[1])
if held >= tonumber(ARGV[2]) then
    return held
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return -1
"""

# Extends a lease still held (one that expired meanwhile is not taken back).
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[1]) then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
"""


@dataclass(frozen=True, slots=True)
class _Lease:
    key: str
    member: str


class SolveSlots:
    """At most ``per_workspace`` solves running at once for one workspace.

    A solve holds a CPU core for up to the time limit; without a cap one workspace could
    queue enough of them to starve every other. Refused at once (429) rather than queued, so
    a client never waits on a request the server cannot start.

    In Redis each running solve is a lease that expires ``lease_s`` after its last renewal; a
    thread renews this process's leases every third of that, so the slot of a process that
    died is free again within ``lease_s``.
    """

    def __init__(
        self,
        per_workspace: int,
        retry_after_s: int,
        shared: SharedStore | None = None,
        lease_s: float = 15.0,
    ) -> None:
        self._per_workspace = per_workspace
        self._retry_after_s = retry_after_s
        self._shared = shared
        self._lease_ms = max(1, int(lease_s * 1000))
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}
        self._leases: set[_Lease] = set()
        self._renewer: threading.Thread | None = None
        self._stop = threading.Event()
        if shared is not None:
            self._acquire = shared.client.register_script(_ACQUIRE)
            self._renew = shared.client.register_script(_RENEW)

    @contextmanager
    def hold(self, workspace_id: str) -> Iterator[None]:
        lease = self._take_shared(workspace_id) if self._shared is not None else None
        if lease is None:
            self._take_local(workspace_id)
        try:
            yield
        finally:
            if lease is None:
                self._give_back_local(workspace_id)
            else:
                self._give_back_shared(lease)

    def close(self) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(timeout=2)
        # Ready to start again if the application is (tests restart one app several times).
        self._renewer = None
        self._stop = threading.Event()

    def _refuse(self, running: int) -> TooManyRequestsError:
        return TooManyRequestsError(
            f"this workspace already has {running} solve(s) running, the most allowed "
            "at once; retry when one has finished",
            retry_after_s=self._retry_after_s,
        )

    def _take_local(self, workspace_id: str) -> None:
        with self._lock:
            running = self._running.get(workspace_id, 0)
            if running >= self._per_workspace:
                raise self._refuse(running)
            self._running[workspace_id] = running + 1

    def _give_back_local(self, workspace_id: str) -> None:
        with self._lock:
            left = self._running[workspace_id] - 1
            if left:
                self._running[workspace_id] = left
            else:
                del self._running[workspace_id]

    def _take_shared(self, workspace_id: str) -> _Lease | None:
        """The lease taken in Redis, or None when Redis is away (counted locally then)."""
        shared = self._shared
        assert shared is not None
        lease = _Lease(shared.key("solves", workspace_id), uuid.uuid4().hex)

        def acquire() -> int:
            return int(
                self._acquire(
                    keys=[lease.key], args=[lease.member, self._per_workspace, self._lease_ms]
                )
            )

        held = shared.run("solve slots", acquire, lambda: None)
        if held is None:
            return None
        if held >= 0:
            raise self._refuse(held)
        with self._lock:
            self._leases.add(lease)
            self._start_renewer()
        return lease

    def _give_back_shared(self, lease: _Lease) -> None:
        shared = self._shared
        assert shared is not None
        with self._lock:
            self._leases.discard(lease)
        # Not released now (Redis away): the lease expires on its own.
        shared.run("solve slots", lambda: shared.client.zrem(lease.key, lease.member), lambda: 0)

    def _start_renewer(self) -> None:
        if self._renewer is None:
            self._renewer = threading.Thread(
                target=self._renew_leases, name="solve-slot-leases", daemon=True
            )
            self._renewer.start()

    def _renew_leases(self) -> None:
        shared = self._shared
        assert shared is not None
        while not self._stop.wait(self._lease_ms / 3000):
            with self._lock:
                leases = list(self._leases)
            for lease in leases:
                shared.run("solve slots", self._renewal(lease), lambda: None)

    def _renewal(self, lease: _Lease) -> Callable[[], None]:
        def renew() -> None:
            self._renew(keys=[lease.key], args=[lease.member, self._lease_ms])

        return renew


@dataclass(frozen=True, slots=True)
class Throttles:
    """The limits of one application instance."""

    rate: RequestRateLimiter
    solves: SolveSlots
    failed_keys: FailedKeyThrottle
    shared: SharedStore | None

    def close(self) -> None:
        self.solves.close()
        if self.shared is not None:
            self.shared.close()


def make_throttles(settings: Settings) -> Throttles:
    shared = (
        SharedStore(settings.limits_redis_url, settings.limits_key_prefix)
        if settings.limits_redis_url
        else None
    )
    return Throttles(
        rate=RequestRateLimiter(settings.rate_limit_per_minute, shared),
        solves=SolveSlots(
            settings.max_concurrent_solves,
            retry_after_s=1,
            shared=shared,
            lease_s=settings.solve_slot_lease_s,
        ),
        failed_keys=FailedKeyThrottle(
            settings.failed_key_limit, settings.failed_key_window_s, shared
        ),
        shared=shared,
    )
