"""Wire shapes of the catalog's audience overlaps (PRODUCT.md section 7).

A stored pair names its creators by catalog id, which is also their candidate id in a plan
drawn from the catalog, so ``a``, ``b`` and ``share`` read as a plan request's ``overlaps``.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.schemas.influencers import ImportSummary
from app.schemas.wire import with_examples
from optimizer.problem import Platform

_EXAMPLE_A = "019ab2c4-5e1f-7a3b-8c2d-4e5f6a7b8c9d"
_EXAMPLE_B = "019ab2c4-61d0-7e44-9b1a-0c2d3e4f5a6b"


class OverlapPublic(BaseModel):
    """Two catalog entries and the share of the smaller audience that follows both."""

    model_config = with_examples(
        {
            "id": "019ab2d0-0b7e-7c11-8a55-3f2e1d0c9b8a",
            "a": _EXAMPLE_A,
            "a_handle": "@ana.glow",
            "a_platform": "instagram",
            "b": _EXAMPLE_B,
            "b_handle": "@bea.fit",
            "b_platform": "instagram",
            "share": 0.23,
            "created_at": "2026-12-03T19:30:00Z",
            "updated_at": "2026-12-03T19:30:00Z",
        }
    )

    id: str
    a: str = Field(description="Catalog id of one creator (the smaller id of the two).")
    a_handle: str = Field(examples=["@ana.glow"])
    a_platform: Platform
    b: str = Field(description="Catalog id of the other creator.")
    b_handle: str = Field(examples=["@bea.fit"])
    b_platform: Platform
    share: float = Field(
        ge=0, le=1, description="Share of the smaller of the two audiences that follows both."
    )
    created_at: datetime
    updated_at: datetime


class OverlapPage(BaseModel):
    items: list[OverlapPublic] = Field(description="Largest share first.")
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null on the last page."
    )


class OverlapImportSummary(ImportSummary):
    """What an overlap import stored (or, with ``dry_run``, would store): one pair per row."""

    model_config = with_examples(
        {
            "dry_run": False,
            "file": "overlaps.csv",
            "rows": 420,
            "created": 400,
            "updated": 15,
            "unchanged": 5,
            "columns": {
                "Creator A": "handle_a",
                "Creator B": "handle_b",
                "Network": "platform",
                "Audience overlap (%)": "share",
            },
            "ignored_columns": ["Checked on"],
            "notes": [],
        }
    )
