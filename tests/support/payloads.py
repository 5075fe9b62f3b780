"""Plan requests: small ones whose optimum is obvious, the shipped examples, and long ones
for tests that need a solve still running."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from app.schemas.examples import EXAMPLE_PLAN_REQUEST

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"


def creator(creator_id: str, **fields: Any) -> dict[str, Any]:
    """A candidate of a plan request: a micro creator on Instagram, one post at 500."""
    return {
        "id": creator_id,
        "handle": f"@{creator_id}",
        "platform": "instagram",
        "followers": 20_000,
        "engagement_rate": 0.05,
        "price_per_post": 500.0,
        **fields,
    }


def small_request(creators: int = 5, **fields: Any) -> dict[str, Any]:
    """``creators`` identical micro creators, one post each at 500: all are funded."""
    return {
        "name": "Small test plan",
        "budget": 10_000,
        "candidates": [creator(f"c{i}") for i in range(1, creators + 1)],
        **fields,
    }


def with_candidate(
    index: int = 0, *, request: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """``request`` (a small one by default) with ``fields`` set on its candidate at ``index``."""
    request = small_request() if request is None else request
    request["candidates"][index].update(fields)
    return request


def example_request() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE_PLAN_REQUEST)


def demo_request() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EXAMPLES_DIR / "demo_request.json").read_text())
    return loaded


def long_request(time_limit_s: float = 60.0) -> dict[str, Any]:
    """A request that takes HiGHS well over ten seconds to prove (10,000 creators with room
    for 500 of them), for tests that need a solve still running when they act on it."""
    return roster_request(10_000, time_limit_s)


def roster_request(creators: int, time_limit_s: float = 60.0) -> dict[str, Any]:
    """A seeded agency roster of ``creators`` with room for 500 of them in the plan."""
    from bench.instances import Variant, instance, wire_candidates

    problem = instance(creators, 1, Variant(decay=0.85, binding="capacity", max_influencers=500))
    limits = problem.constraints
    return {
        "name": "Long test plan",
        "budget": problem.budget,
        "candidates": wire_candidates(problem.candidates),
        "constraints": {
            "max_share_per_influencer": limits.max_share_per_influencer,
            "tier_share": {"micro": {"min": 0.4}, "mega": {"max": 0.2}},
            "max_influencers": limits.max_influencers,
        },
        "options": {"repeat_post_decay": 0.85, "time_limit_s": time_limit_s},
    }
