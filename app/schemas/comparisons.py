"""Wire shapes of a plan comparison (PRODUCT.md section 8).

Plans are listed in the order asked for; every difference is "this plan minus the first", so
the first plan is the baseline the others are read against. Figures are not rounded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.plans import ALWAYS_SENT, GroupSummaryOut
from models.states import PlanState
from optimizer.problem import Platform

MIN_COMPARED = 2
MAX_COMPARED = 5
# five ids of at most 128 characters, with their commas
MAX_IDS_PARAMETER = MAX_COMPARED * 129


class PlanFiguresOut(BaseModel):
    """One plan's totals and risk in one flat list, so that two plans subtract field by field.

    null where the plan has no such figure: no totals (infeasible, failed, not yet solved),
    no engagement (cost per engagement), no scenarios (the CVaR figures).
    """

    model_config = ALWAYS_SENT

    budget: float
    spend: float | None
    budget_left: float | None
    expected_engagement: float | None
    reach: float | None
    influencers: float | None = Field(
        description="Creators used (a count; a difference of counts)."
    )
    cost_per_engagement: float | None
    max_share: float | None = Field(description="Largest share of spend one creator takes.")
    hhi: float | None = Field(description="Sum of squared spend shares.")
    effective_influencers: float | None = Field(description="1 / hhi.")
    engagement_cvar: float | None = Field(
        description="Mean engagement over the worst alpha share of scenarios, when scenarios exist."
    )
    engagement_p05: float | None
    engagement_p50: float | None
    engagement_p95: float | None


class PlanDifferencesOut(BaseModel):
    """This plan minus the first; a figure either plan lacks is null, a tier or platform one
    plan leaves out counts as nothing spent there."""

    model_config = ALWAYS_SENT

    figures: PlanFiguresOut
    by_tier: dict[str, GroupSummaryOut]
    by_platform: dict[str, GroupSummaryOut]


class ComparedPlanOut(BaseModel):
    model_config = ALWAYS_SENT

    id: str
    name: str | None
    created_at: datetime
    status: PlanState
    currency: str
    figures: PlanFiguresOut
    by_tier: dict[str, GroupSummaryOut] = Field(
        description="Every tier any compared plan spends on (zero where this one does not)."
    )
    by_platform: dict[str, GroupSummaryOut] = Field(
        description="Every platform any compared plan spends on (zero where this one does not)."
    )
    differences: PlanDifferencesOut | None = Field(
        description="To the first plan; null for the first plan itself."
    )


class CreatorInPlanOut(BaseModel):
    model_config = ALWAYS_SENT

    posts: int
    spend: float
    expected_engagement: float


class ComparedCreatorOut(BaseModel):
    """One creator used by at least one of the plans, matched by platform and handle (without
    case or ``@``), so a typed-in plan and a catalog plan name the same creator once."""

    model_config = ALWAYS_SENT

    id: str = Field(description="The creator's id in the first plan that uses it.")
    handle: str
    platform: Platform
    tier: str
    plans: list[CreatorInPlanOut | None] = Field(
        description="Per compared plan, in their order: what it buys of this creator (null: none)."
    )
    only_in: str | None = Field(
        description="The id of the one plan that uses this creator; null when two or more do."
    )


def _figures(**given: float | None) -> dict[str, float | None]:
    return {name: given.get(name) for name in PlanFiguresOut.model_fields}


def _group(spend: float, share: float, engagement: float, influencers: int) -> dict[str, Any]:
    return {"spend": spend, "share": share, "engagement": engagement, "influencers": influencers}


EXAMPLE_COMPARISON: dict[str, Any] = {
    "plans": [
        {
            "id": "019ab2c4-5e1f-7a3b-8c2d-4e5f6a7b8c9d",
            "name": "Spring launch, cap 25%",
            "created_at": "2026-03-02T09:14:05Z",
            "status": "optimal",
            "currency": "USD",
            "figures": _figures(
                budget=8000,
                spend=7960,
                budget_left=40,
                expected_engagement=10512.4,
                reach=181900,
                influencers=5,
                cost_per_engagement=0.757,
                max_share=0.25,
                hhi=0.212,
                effective_influencers=4.72,
            ),
            "by_tier": {
                "micro": _group(5960, 0.749, 9480.2, 4),
                "macro": _group(2000, 0.251, 1032.2, 1),
            },
            "by_platform": {
                "instagram": _group(1980, 0.249, 2350.1, 2),
                "tiktok": _group(3980, 0.5, 7130.1, 2),
                "youtube": _group(2000, 0.251, 1032.2, 1),
            },
            "differences": None,
        },
        {
            "id": "019ab2c9-0d11-7f02-9a41-77c1e0b5d210",
            "name": "Spring launch, cap 40%",
            "created_at": "2026-03-02T09:16:40Z",
            "status": "optimal",
            "currency": "USD",
            "figures": _figures(
                budget=8000,
                spend=7990,
                budget_left=10,
                expected_engagement=11890.0,
                reach=150300,
                influencers=4,
                cost_per_engagement=0.672,
                max_share=0.4,
                hhi=0.29,
                effective_influencers=3.45,
            ),
            "by_tier": {"micro": _group(7990, 1.0, 11890.0, 4), "macro": _group(0, 0, 0, 0)},
            "by_platform": {
                "instagram": _group(3190, 0.399, 4410.0, 2),
                "tiktok": _group(4800, 0.601, 7480.0, 2),
                "youtube": _group(0, 0, 0, 0),
            },
            "differences": {
                "figures": _figures(
                    budget=0,
                    spend=30,
                    budget_left=-30,
                    expected_engagement=1377.6,
                    reach=-31600,
                    influencers=-1,
                    cost_per_engagement=-0.085,
                    max_share=0.15,
                    hhi=0.078,
                    effective_influencers=-1.27,
                ),
                "by_tier": {
                    "micro": _group(2030, 0.251, 2409.8, 0),
                    "macro": _group(-2000, -0.251, -1032.2, -1),
                },
                "by_platform": {
                    "instagram": _group(1210, 0.15, 2059.9, 0),
                    "tiktok": _group(820, 0.101, 349.9, 0),
                    "youtube": _group(-2000, -0.251, -1032.2, -1),
                },
            },
        },
    ],
    "creators": [
        {
            "id": "leo-tok",
            "handle": "@leo.routine",
            "platform": "tiktok",
            "tier": "micro",
            "plans": [
                {"posts": 3, "spend": 1800, "expected_engagement": 3341.5},
                {"posts": 5, "spend": 3000, "expected_engagement": 5569.2},
            ],
            "only_in": None,
        },
        {
            "id": "dermadan",
            "handle": "@dermadan",
            "platform": "youtube",
            "tier": "macro",
            "plans": [{"posts": 1, "spend": 2000, "expected_engagement": 1032.2}, None],
            "only_in": "019ab2c4-5e1f-7a3b-8c2d-4e5f6a7b8c9d",
        },
    ],
    "notes": [],
}


def _comparison_schema(schema: dict[str, Any]) -> None:
    schema["required"] = list(schema.get("properties", {}))
    schema["examples"] = [EXAMPLE_COMPARISON]


class PlanComparison(BaseModel):
    """Plans side by side: their figures, mixes and creators, with differences to the first."""

    model_config = ConfigDict(json_schema_extra=_comparison_schema)

    plans: list[ComparedPlanOut] = Field(min_length=MIN_COMPARED, max_length=MAX_COMPARED)
    creators: list[ComparedCreatorOut] = Field(
        description="Creators in every plan first, then those in fewer; most spent on first."
    )
    notes: list[str] = Field(
        description="What to keep in mind reading it (plans in different currencies, say)."
    )
