"""The database going away: a partition (connections open, no packets) and an outage
(connections refused), through a TCP proxy the test starts in front of PostgreSQL.

The shared PostgreSQL is never touched: only the proxy's state changes. Every wait is a
bounded poll with an explicit deadline.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager

import anyio
import httpx
import psycopg
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url

import optimizer
from app.core.config import Settings
from app.db import create_db_engine
from app.services import planning
from models import Plan
from optimizer import SolveControl
from optimizer.problem import PlanProblem
from optimizer.result import PlanResult
from tests.support.app import built_app, make_settings, serving
from tests.support.payloads import small_request
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.anyio

# The promises under test.
FAIL_WITHIN_S = 5.0
READY_WITHIN_S = 1.0
RECOVER_WITHIN_S = 5.0
# How long the test itself waits before calling a request hung (well past the promises).
HUNG_AFTER_S = 20.0


@pytest.fixture
def proxy(postgres_url: str) -> Iterator[TcpProxy]:
    url = make_url(postgres_url)
    with TcpProxy((url.host or "127.0.0.1", url.port or 5432)) as running:
        yield running


def settings_through(proxy: TcpProxy, database_url: str) -> Settings:
    proxied = make_url(database_url).set(host="127.0.0.1", port=proxy.port)
    return make_settings(
        proxied.render_as_string(hide_password=False),
        # Short bounds, so the test is quick; the defaults are in app.core.config.
        db_statement_timeout_s=0.75,
        db_connect_timeout_s=2,
        db_pool_timeout_s=2.0,
        idempotency_wait_s=0.5,
    )


@asynccontextmanager
async def served(settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    with built_app(settings) as app:
        async with serving(app, raise_app_exceptions=False) as client:
            yield app, client


async def timed(call: Awaitable[httpx.Response]) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    answer = await call
    return answer, time.monotonic() - started


@contextmanager
def cut_if_hung(proxy: TcpProxy) -> Iterator[None]:
    """Cut every proxied connection if the block lasts past HUNG_AFTER_S.

    A request stuck on the database sits in a worker thread that no cancellation reaches:
    cutting its connection is what ends it, so a service that hangs fails the test's timing
    assertions instead of hanging the test.
    """
    timer = threading.Timer(HUNG_AFTER_S, proxy.outage)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


async def poll_until(
    probe: Callable[[], Awaitable[httpx.Response]], expected: int, within_s: float
) -> tuple[httpx.Response, float]:
    """Call ``probe`` until it answers ``expected`` or ``within_s`` has passed."""
    started = time.monotonic()
    deadline = started + within_s
    while True:
        answer, _ = await timed(probe())
        if answer.status_code == expected or time.monotonic() >= deadline:
            return answer, time.monotonic() - started
        await anyio.sleep(0.1)


def assert_unavailable(answer: httpx.Response) -> None:
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert int(answer.headers["retry-after"]) >= 1
    assert answer.json()["type"].endswith("database-unavailable")


def stored_plans(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(Plan)) or 0)


async def during_fault(client: httpx.AsyncClient) -> dict[str, tuple[httpx.Response, float]]:
    """Requests of every kind at once, each with the time it took to answer."""
    answers: dict[str, tuple[httpx.Response, float]] = {}

    async def record(name: str, call: Awaitable[httpx.Response]) -> None:
        answers[name] = await timed(call)

    async with anyio.create_task_group() as group:
        group.start_soon(record, "list", client.get("/v1/plans"))
        group.start_soon(record, "solve", client.post("/v1/plans", json=small_request()))
        group.start_soon(record, "catalog", client.get("/v1/influencers"))
        group.start_soon(record, "ready", client.get("/readyz"))
        group.start_soon(record, "alive", client.get("/healthz"))
    return answers


@pytest.mark.parametrize("fault", ["partition", "outage"])
async def test_requests_during_a_fault_get_503_with_retry_after_and_recover_after_it(
    proxy: TcpProxy, database_url: str, fault: str
) -> None:
    async with served(settings_through(proxy, database_url)) as (_, client):
        assert (await client.get("/v1/plans")).status_code == 200  # the pool holds connections
        getattr(proxy, fault)()

        with cut_if_hung(proxy):
            answers = await during_fault(client)

        proxy.forward()
        recovered, recovered_after = await poll_until(
            lambda: client.get("/v1/plans"), 200, RECOVER_WITHIN_S
        )
        ready, ready_after = await poll_until(lambda: client.get("/readyz"), 200, RECOVER_WITHIN_S)

    for name in ("list", "solve", "catalog"):
        answer, took = answers[name]
        assert_unavailable(answer)
        assert took < FAIL_WITHIN_S, f"{name}: 503 after {took:.2f} s"
    ready_answer, ready_took = answers["ready"]
    assert_unavailable(ready_answer)
    assert ready_took < READY_WITHIN_S, f"/readyz answered after {ready_took:.2f} s"
    assert answers["alive"][0].status_code == 200
    assert answers["alive"][1] < READY_WITHIN_S
    assert recovered.status_code == 200, f"not recovered after {recovered_after:.2f} s"
    assert ready.status_code == 200, f"not ready again after {ready_after:.2f} s"


async def test_a_retried_idempotency_key_proceeds_soon_after_a_partition_failed_its_request(
    proxy: TcpProxy,
    database_url: str,
    db_engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = optimizer.optimize
    solves = 0

    def partition_during_first_solve(
        problem: PlanProblem, *, control: SolveControl | None, **_: object
    ) -> PlanResult:
        # The key is claimed by now; storing the plan will meet the partition.
        nonlocal solves
        solves += 1
        if solves == 1:
            proxy.partition()
        return real(problem, control=control)

    monkeypatch.setattr(planning, "run_solver", partition_during_first_solve)
    key = {"Idempotency-Key": "retry-after-a-blip"}
    request = small_request()
    async with served(settings_through(proxy, database_url)) as (_, client):
        with cut_if_hung(proxy):
            failed, failed_after = await timed(client.post("/v1/plans", json=request, headers=key))
        proxy.forward()
        retried, retried_after = await poll_until(
            lambda: client.post("/v1/plans", json=request, headers=key), 201, RECOVER_WITHIN_S
        )
        replayed = await client.post("/v1/plans", json=request, headers=key)

    assert_unavailable(failed)
    assert failed_after < FAIL_WITHIN_S, f"503 after {failed_after:.2f} s"
    assert retried.status_code == 201, (
        f"still {retried.status_code} {retried.text} {retried_after:.2f} s after the partition"
    )
    assert replayed.headers.get("idempotent-replayed") == "true"
    assert replayed.json()["id"] == retried.json()["id"]
    assert stored_plans(db_engine) == 1


def test_database_connections_carry_keepalives_and_a_statement_timeout(postgres_url: str) -> None:
    settings = make_settings(postgres_url)  # the defaults of app.core.config
    engine = create_db_engine(postgres_url, settings.database_limits)
    try:
        with engine.connect() as connection:
            statement_timeout = connection.scalar(text("SHOW statement_timeout"))
            raw = connection.connection.dbapi_connection
            assert isinstance(raw, psycopg.Connection)
            parameters = raw.info.get_parameters()
    finally:
        engine.dispose()

    limits = settings.database_limits
    assert statement_timeout == f"{limits.statement_timeout_s:g}s"
    assert parameters["keepalives"] == "1"
    assert parameters["keepalives_idle"] == str(limits.tcp_keepalive_idle_s)
    assert parameters["tcp_user_timeout"] == str(round(limits.tcp_user_timeout_s * 1000))
    assert parameters["connect_timeout"] == str(limits.connect_timeout_s)
