"""A small roster whose tail and expectation pull apart: the risk frontier's test case.

Four creators, one post at 500 each, a budget of 1,000 (two creators), and four explicit
scenarios with alpha 0.25, so the CVaR is the worst scenario:

- ``ig1`` and ``ig2`` (Instagram, 1,000 each) boom and bust together: 1.6, 1.6, 0.4, 0.4;
- ``tt`` (TikTok, 900) moves the other way: 0.4, 0.4, 1.6, 1.6;
- ``yt`` (YouTube, 800) is steady.

Pairs (expected engagement, worst scenario): ig1+ig2 (2,000, 800), ig+tt (1,900, 1,840),
ig+yt (1,800, 1,200), tt+yt (1,700, 1,160). Maximizing (1 - λ)·E + λ·CVaR picks ig1+ig2 while
2,000 - 1,200·λ > 1,900 - 60·λ, that is for λ below 100/1,140 (about 0.088), and an Instagram
creator with the TikTok one above it.
"""

from __future__ import annotations

from typing import Any

from tests.support.payloads import creator

BOOM_BUST = [1.6, 1.6, 0.4, 0.4]
BUST_BOOM = [0.4, 0.4, 1.6, 1.6]
STEADY = [1.0, 1.0, 1.0, 1.0]


def hedge_request(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Hedge",
        "budget": 1_000,
        "candidates": [
            creator("ig1", engagement_scenarios=BOOM_BUST),
            creator("ig2", engagement_scenarios=BOOM_BUST),
            creator("tt", platform="tiktok", followers=18_000, engagement_scenarios=BUST_BOOM),
            creator("yt", platform="youtube", followers=16_000, engagement_scenarios=STEADY),
        ],
        "constraints": {"max_share_per_influencer": None},
        "options": {"mip_gap": 0.0, "risk": {"alpha": 0.25}},
        **fields,
    }


def generated_risk_request() -> dict[str, Any]:
    """The same four creators without their own scenarios: 200 are generated (seed 5), so the
    answer has out-of-sample figures too."""
    request = hedge_request(objective={"kind": "cvar_engagement", "risk_aversion": 0.5})
    for candidate in request["candidates"]:
        del candidate["engagement_scenarios"]
    request["candidates"][0]["engagement_rate_sd"] = 0.03
    request["options"]["risk"] = {"scenarios": 200, "seed": 5, "alpha": 0.1}
    return request
