"""Names of a test's own in the shared Redis, cleared after it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis


@contextmanager
def redis_names(url: str, stem: str) -> Iterator[str]:
    """A name no other test uses, for keys or a queue in the Redis at ``url``; every key that
    starts with it is deleted afterwards. No Redis is a failure here, not a skip."""
    name = f"{stem}-{uuid.uuid4().hex}"
    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    client.ping()
    try:
        yield name
    finally:
        keys = list(client.scan_iter(match=f"{name}*"))
        if keys:
            client.delete(*keys)
        client.close()
