"""Small plan requests whose optimum is obvious, for tests that need a real solve."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from app.schemas.examples import EXAMPLE_PLAN_REQUEST

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"


def creator(creator_id: str, **fields: Any) -> dict[str, Any]:
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


def example_request() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE_PLAN_REQUEST)


def demo_request() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EXAMPLES_DIR / "demo_request.json").read_text())
    return loaded
