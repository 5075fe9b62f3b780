"""Planners on the API, for locust (run by bench.load, which starts the service and sets
``INFLUMIX_LOAD_KEYS``: one API key per simulated planner, comma-separated).

Each planner posts small plans (solved in the request) and 1,000-creator plans (as jobs,
polled to their end), lists its workspace's plans and exports one. An answer counts as a
success when it is a 2xx; a 429 or 503 with Retry-After is the service refusing load as it
should (reported as "<status> with Retry-After"); anything else, a 429/503 without
Retry-After or another 5xx, is a fault.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser, ResponseContextManager

from bench.http_overhead import make_request

POLL_EVERY_S = 0.5
POLL_FOR_S = 120.0
PENDING = ("queued", "running")


def _bodies(creators: int, count: int, time_limit_s: float) -> list[str]:
    """A few distinct requests, encoded once (the load generator shares the machine)."""
    bodies = []
    for seed in range(count):
        body = make_request(creators, seed)
        body["name"] = f"load {creators} creators"
        body["options"]["time_limit_s"] = time_limit_s
        bodies.append(json.dumps(body))
    return bodies


SMALL = _bodies(30, 8, 5.0)
LARGE = _bodies(1_000, 4, 10.0)
_keys = itertools.cycle(k for k in os.environ.get("INFLUMIX_LOAD_KEYS", "").split(",") if k)


def judge(response: ResponseContextManager) -> None:
    status = response.status_code
    # locust's success/failure are untyped.
    if 200 <= status < 300:
        response.success()  # type: ignore[no-untyped-call]
    elif status in (429, 503):
        retry_after = response.headers.get("Retry-After") if response.headers else None
        given = "with" if retry_after else "WITHOUT"
        response.failure(f"{status} {given} Retry-After")  # type: ignore[no-untyped-call]
    else:
        response.failure(f"{status}")  # type: ignore[no-untyped-call]


class Planner(FastHttpUser):
    wait_time = between(0.5, 2.0)
    network_timeout = 180.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        self.headers = {
            "Authorization": f"Bearer {next(_keys)}",
            "Content-Type": "application/json",
        }
        self.plan_ids: list[str] = []

    @task(4)
    def small_plan(self) -> None:
        with self.client.post(
            "/v1/plans",
            data=random.choice(SMALL),
            headers=self.headers,
            name="POST /v1/plans (30 creators)",
            catch_response=True,
        ) as response:
            judge(response)
            if response.status_code == 201:
                self._keep(response.json()["id"])

    @task(1)
    def large_job(self) -> None:
        with self.client.post(
            "/v1/plans",
            data=random.choice(LARGE),
            headers={**self.headers, "Prefer": "respond-async"},
            name="POST /v1/plans (1,000 creators, job)",
            catch_response=True,
        ) as response:
            judge(response)
            if response.status_code != 202:
                return
            plan_id = response.json()["id"]
        self._keep(plan_id)
        deadline = time.monotonic() + POLL_FOR_S
        while time.monotonic() < deadline:
            with self.client.get(
                f"/v1/plans/{plan_id}",
                headers=self.headers,
                name="GET /v1/plans/{id} (poll)",
                catch_response=True,
            ) as polled:
                judge(polled)
                if polled.status_code != 200 or polled.json()["status"] not in PENDING:
                    return
            time.sleep(POLL_EVERY_S)  # gevent's sleep: other planners go on meanwhile

    @task(3)
    def list_plans(self) -> None:
        with self.client.get(
            "/v1/plans?limit=20", headers=self.headers, name="GET /v1/plans", catch_response=True
        ) as response:
            judge(response)

    @task(2)
    def export(self) -> None:
        if not self.plan_ids:
            return
        plan_id = random.choice(self.plan_ids)
        with self.client.get(
            f"/v1/plans/{plan_id}/export.csv",
            headers=self.headers,
            name="GET /v1/plans/{id}/export.csv",
            catch_response=True,
        ) as response:
            judge(response)

    def _keep(self, plan_id: str) -> None:
        self.plan_ids = [*self.plan_ids[-19:], plan_id]
