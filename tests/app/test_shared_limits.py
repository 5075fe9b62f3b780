"""Limits held in Redis: two application instances (each with its own memory, as two processes
have) sharing one Redis enforce one limit; failed-key throttling per client address.

Needs the Redis at 127.0.0.1:6379 (as the Celery tests do): without it these tests fail.
Each test has a key prefix of its own in database 14, removed afterwards.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

from app.core.config import Settings
from app.errors import TooManyRequestsError
from app.services import planning
from app.services.throttle import SharedStore, SolveSlots
from tests.support.app import BASE_URL, bearer, built_app, make_settings, serving
from tests.support.holds import HeldSolves
from tests.support.payloads import small_request
from tests.support.scratch import redis_names

pytestmark = pytest.mark.anyio

REDIS_URL = "redis://127.0.0.1:6379/14"
# Nothing listens there: a Redis that is away.
UNREACHABLE_REDIS_URL = "redis://127.0.0.1:1/14"
# Bounds a wait for a lease to expire; the lease itself is a second.
LEASE_DEADLINE_S = 30.0


@pytest.fixture
def prefix() -> Iterator[str]:
    with redis_names(REDIS_URL, "test") as name:
        yield name


def shared_settings(database_url: str, prefix: str, **overrides: object) -> Settings:
    return make_settings(
        database_url, limits_redis_url=REDIS_URL, limits_key_prefix=prefix, **overrides
    )


@asynccontextmanager
async def client_of(
    app: FastAPI, key: str | None, address: str = "127.0.0.1"
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a started ``app`` sending ``key``, from the client ``address``."""
    transport = httpx.ASGITransport(app=app, client=(address, 40_000))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client,
    ):
        if key is not None:
            client.headers.update(bearer(key))
        yield client


def key_of(client: httpx.AsyncClient) -> str:
    return client.headers["authorization"].removeprefix("Bearer ")


async def test_two_instances_share_one_request_rate(database_url: str, prefix: str) -> None:
    settings = shared_settings(database_url, prefix, rate_limit_per_minute=3)
    with built_app(settings) as first, built_app(settings) as second:
        async with serving(first) as one:
            async with client_of(second, key_of(one)) as two:
                answers = [
                    await one.get("/v1/plans"),
                    await two.get("/v1/plans"),
                    await one.get("/v1/plans"),
                    await two.get("/v1/plans"),
                ]
            async with serving(first) as other_key:
                other = await other_key.get("/v1/plans")

    # Each instance alone saw two requests, under its limit of three: the fourth is refused
    # because the count is shared.
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert 1 <= int(answers[-1].headers["retry-after"]) <= 60
    assert other.status_code == 200  # still counted per key


async def test_two_instances_share_one_solve_cap(
    database_url: str, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    solves = HeldSolves()
    monkeypatch.setattr(planning, "run_solver", solves)
    settings = shared_settings(database_url, prefix, max_concurrent_solves=1)
    with built_app(settings) as first, built_app(settings) as second:
        async with serving(first) as one, client_of(second, key_of(one)) as two:
            running = asyncio.create_task(one.post("/v1/plans", json=small_request()))
            await solves.started()
            refused = await two.post("/v1/plans", json=small_request())
            solves.release.set()
            done = await running
            after = await two.post("/v1/plans", json=small_request())

    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert done.status_code == 201
    assert after.status_code == 201  # the slot was given back in Redis


def test_a_dead_holders_slot_is_free_once_its_lease_expires(prefix: str) -> None:
    dying = SolveSlots(1, retry_after_s=1, shared=SharedStore(REDIS_URL, prefix), lease_s=1)
    survivor = SolveSlots(1, retry_after_s=1, shared=SharedStore(REDIS_URL, prefix), lease_s=1)
    held = dying.hold("ws")
    held.__enter__()
    with pytest.raises(TooManyRequestsError), survivor.hold("ws"):
        pass
    # The holder "dies": its slot is neither given back nor renewed any more.
    dying.close()

    deadline = time.monotonic() + LEASE_DEADLINE_S
    taken = False
    while not taken and time.monotonic() < deadline:
        try:
            with survivor.hold("ws"):
                taken = True
        except TooManyRequestsError:
            time.sleep(0.1)  # polling the lease's expiry, bounded by the deadline
    assert taken
    survivor.close()


def test_a_held_slot_is_renewed_past_its_lease(prefix: str) -> None:
    holder = SolveSlots(1, retry_after_s=1, shared=SharedStore(REDIS_URL, prefix), lease_s=1)
    other = SolveSlots(1, retry_after_s=1, shared=SharedStore(REDIS_URL, prefix), lease_s=1)
    with holder.hold("ws"):
        # Three lease lengths: without renewal the slot would have been free twice over.
        until = time.monotonic() + 3.0
        while time.monotonic() < until:
            with pytest.raises(TooManyRequestsError), other.hold("ws"):
                pass
            time.sleep(0.2)
    with other.hold("ws"):
        pass
    holder.close()
    other.close()


async def test_limits_fail_open_when_redis_is_away(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(
        database_url,
        limits_redis_url=UNREACHABLE_REDIS_URL,
        limits_key_prefix=f"test-{uuid.uuid4().hex}",
        rate_limit_per_minute=1,
    )
    with caplog.at_level(logging.WARNING), built_app(settings) as app:
        async with serving(app) as client:
            listed = [await client.get("/v1/plans") for _ in range(3)]
            solved = await client.post("/v1/plans", json=small_request())

    assert [a.status_code for a in listed] == [200, 200, 200]
    assert solved.status_code == 201  # the solve cap is counted in the process meanwhile
    warnings = [r for r in caplog.records if "Redis for limits unreachable" in r.getMessage()]
    assert len(warnings) == 1  # once per outage, not once per request


# --- failed-key throttling --------------------------------------------------------------------


async def test_repeated_invalid_keys_from_one_address_get_429(database_url: str) -> None:
    settings = make_settings(database_url, failed_key_limit=3, failed_key_window_s=60)
    with built_app(settings) as app:
        async with serving(app) as valid:
            key = key_of(valid)
        async with client_of(app, "imx_not-a-key", address="10.0.0.1") as guesser:
            answers = [await guesser.get("/v1/plans") for _ in range(5)]
        async with client_of(app, key, address="10.0.0.1") as same_address_valid:
            valid_answer = await same_address_valid.get("/v1/plans")
        async with client_of(app, "imx_not-a-key", address="10.0.0.2") as elsewhere:
            other_address = await elsewhere.get("/v1/plans")

    assert [a.status_code for a in answers] == [401, 401, 401, 429, 429]
    refused = answers[3]
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert valid_answer.status_code == 200  # a valid key from that address is not refused
    assert other_address.status_code == 401  # nor is another address


async def test_a_missing_key_is_not_counted_as_a_failed_key(database_url: str) -> None:
    settings = make_settings(database_url, failed_key_limit=1)
    with built_app(settings) as app:
        async with client_of(app, None, address="10.0.0.3") as anonymous:
            answers = [await anonymous.get("/v1/plans") for _ in range(3)]

    assert [a.status_code for a in answers] == [401, 401, 401]


async def test_failed_keys_are_counted_across_instances_in_redis(
    database_url: str, prefix: str
) -> None:
    settings = shared_settings(database_url, prefix, failed_key_limit=3)
    with built_app(settings) as first, built_app(settings) as second:
        async with (
            client_of(first, "imx_wrong", address="10.0.0.4") as one,
            client_of(second, "imx_wrong", address="10.0.0.4") as two,
        ):
            answers = [
                await one.get("/v1/plans"),
                await two.get("/v1/plans"),
                await one.get("/v1/plans"),
                await two.get("/v1/plans"),
            ]

    assert [a.status_code for a in answers] == [401, 401, 401, 429]
