"""Wire shapes of the influencer catalog.

Bounds are the plan request's (PRODUCT.md section 5), so any catalog row can become a plan
candidate as it is. Handles are matched without case and without a leading ``@``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)
from pydantic_core import PydanticCustomError

from app.schemas.examples import EXAMPLE_PLAN_REQUEST
from app.schemas.plans import (
    MAX_FOLLOWERS,
    MAX_ID_LIST,
    MAX_POSTS,
    MAX_PRICE,
    MAX_TAGS,
    CandidateIn,
    Followers,
    RateSd,
    Share,
    Text,
    max_posts_not_below_min,
)
from app.schemas.wire import NO_NUL, Integer, Number, with_examples
from optimizer.problem import Platform

MAX_HANDLE = 128
# A slash would break GET /v1/influencers/by-handle/{platform}/{handle}.
_NOT_IN_HANDLE = re.compile(r"[\s/@]")
MAX_NOTES = 2_000

# Free text: notes carry negotiated terms and contacts, longer than a name.
Notes = Annotated[str, StringConstraints(max_length=MAX_NOTES), NO_NUL]
# Trimmed before the 128-character check.
RawHandle = Annotated[str, StringConstraints(max_length=MAX_HANDLE + 64), NO_NUL]

# The request example's first creator, as a catalog entry.
EXAMPLE_INFLUENCER: dict[str, Any] = {
    "handle": EXAMPLE_PLAN_REQUEST["candidates"][0]["handle"],
    "platform": EXAMPLE_PLAN_REQUEST["candidates"][0]["platform"],
    "display_name": "Ana Glow",
    **{
        name: value
        for name, value in EXAMPLE_PLAN_REQUEST["candidates"][0].items()
        if name not in ("id", "handle", "platform")
    },
    "engagement_rate_sd": 0.012,
    "notes": "Rate agreed for Q2; usage rights 3 months.",
}

_RATE_SD = (
    "Standard deviation of the engagement rate, in the rate's unit (0.004 is 0.4 points), "
    "for plans that weigh engagement risk; null uses the tier's relative spread."
)


def handle_key(handle: str) -> str:
    """The lookup key of a handle: ``@Ana.Glow`` and ``ana.glow`` are the same creator."""
    return handle.strip().lstrip("@").lower()


def check_handle(handle: str) -> str:
    """The handle as it is stored and shown: trimmed, with one leading ``@`` and the case the
    planner typed (``lena_runs`` becomes ``@lena_runs``, ``@TechTom`` stays); raises when it
    cannot be a handle. Lookups go by ``handle_key``, without case or ``@``."""
    display = "@" + handle.strip().lstrip("@")
    key = handle_key(display)
    if not key:
        raise PydanticCustomError("handle_empty", "a handle needs at least one character")
    if len(display) > MAX_HANDLE:
        raise PydanticCustomError(
            "string_too_long",
            "a handle has at most {max} characters with its @",
            {"max": MAX_HANDLE},
        )
    if _NOT_IN_HANDLE.search(key):
        raise PydanticCustomError(
            "handle_invalid",
            "a handle is one word, like @ana.glow: no spaces, slashes or inner @",
        )
    return display


def normalize_tags(tags: list[str]) -> list[str]:
    """Trimmed, lowercase and without repeats, so ``Beauty`` and ``beauty `` are one label."""
    seen: dict[str, None] = {}
    for tag in tags:
        label = tag.strip().lower()
        if label:
            seen.setdefault(label, None)
    return list(seen)


class InfluencerCreate(BaseModel):
    """A creator to add to the catalog."""

    model_config = ConfigDict(
        extra="forbid", allow_inf_nan=False, json_schema_extra={"examples": [EXAMPLE_INFLUENCER]}
    )

    handle: RawHandle = Field(
        description="With or without @; unique per platform regardless of case.",
        examples=["@ana.glow"],
    )
    platform: Platform
    display_name: Text | None = Field(default=None, examples=["Ana Glow"])
    followers: Followers
    engagement_rate: Share | None = Field(
        default=None, description="Engagements per follower per post; null uses the tier prior."
    )
    engagement_rate_sd: RateSd | None = Field(default=None, description=_RATE_SD, examples=[0.012])
    price_per_post: Number = Field(gt=0, le=MAX_PRICE)
    fixed_fee: Number = Field(default=0.0, ge=0, le=MAX_PRICE)
    min_posts: Integer = Field(default=1, ge=1, le=MAX_POSTS)
    max_posts: Integer = Field(default=1, ge=1, le=MAX_POSTS, validate_default=True)
    audience_quality: Share = 1.0
    tags: list[Text] = Field(
        default_factory=list,
        max_length=MAX_TAGS,
        description="Stored trimmed and lowercase, without repeats.",
    )
    notes: Notes | None = None

    @field_validator("handle")
    @classmethod
    def _handle(cls, value: str) -> str:
        return check_handle(value)

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        return normalize_tags(value)

    @field_validator("display_name", "notes")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.strip() or None

    _max_posts_not_below_min = field_validator("max_posts")(max_posts_not_below_min)

    @property
    def key(self) -> str:
        return handle_key(self.handle)


class InfluencerUpdate(BaseModel):
    """Fields to change; absent fields keep their value, ``null`` clears an optional one."""

    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={"examples": [{"price_per_post": 320, "tags": ["beauty"]}]},
    )

    handle: RawHandle | None = None
    platform: Platform | None = None
    display_name: Text | None = None
    followers: Annotated[Integer, Field(ge=0, le=MAX_FOLLOWERS)] | None = None
    engagement_rate: Share | None = None
    engagement_rate_sd: RateSd | None = Field(default=None, examples=[0.012])
    price_per_post: Number | None = Field(default=None, gt=0, le=MAX_PRICE)
    fixed_fee: Number | None = Field(default=None, ge=0, le=MAX_PRICE)
    min_posts: Integer | None = Field(default=None, ge=1, le=MAX_POSTS)
    max_posts: Integer | None = Field(default=None, ge=1, le=MAX_POSTS)
    audience_quality: Share | None = None
    tags: list[Text] | None = Field(default=None, max_length=MAX_TAGS)
    notes: Notes | None = None


class InfluencerPublic(BaseModel):
    """A catalog entry."""

    id: str = Field(description="Also the candidate id when a plan draws from the catalog.")
    handle: str = Field(
        description="With one leading @ and the case the planner typed.", examples=["@ana.glow"]
    )
    platform: Platform
    display_name: str | None
    followers: int
    tier: str = Field(description="By the default tier bounds (nano, micro, macro, mega).")
    engagement_rate: float | None
    engagement_rate_sd: float | None = Field(description=_RATE_SD)
    price_per_post: float
    fixed_fee: float
    min_posts: int
    max_posts: int
    audience_quality: float
    tags: list[str]
    notes: str | None
    created_at: datetime
    updated_at: datetime


class InfluencerPage(BaseModel):
    items: list[InfluencerPublic]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null on the last page."
    )


class ImportSummary(BaseModel):
    """What an import stored (or, with ``dry_run``, would store)."""

    model_config = with_examples(
        {
            "dry_run": False,
            "file": "roster.xlsx",
            "rows": 1250,
            "created": 1100,
            "updated": 120,
            "unchanged": 30,
            "columns": {
                "Username": "handle",
                "Network": "platform",
                "Followers": "followers",
                "ER": "engagement_rate",
                "Price ($)": "price_per_post",
            },
            "ignored_columns": ["Country"],
            "notes": [
                "ER: values without a % sign were read as percentages "
                "(some are above 1, so 4.5 means 4.5%)"
            ],
        }
    )

    dry_run: bool
    file: str | None
    rows: int = Field(description="Data rows read (blank rows are skipped).")
    created: int
    updated: int
    unchanged: int = Field(description="Rows equal to what the catalog already held.")
    columns: dict[str, str] = Field(description="Each read column of the file and its field.")
    ignored_columns: list[str] = Field(description="Columns of the file that were not read.")
    notes: list[str] = Field(default_factory=list)


class ParsedRoster(BaseModel):
    """A roster file read as the ``candidates`` of a plan request; nothing is stored."""

    model_config = with_examples(
        {
            "file": "roster.csv",
            "rows": 1,
            "candidates": [
                {
                    "id": "instagram:ana.glow",
                    "handle": "@ana.glow",
                    "platform": "instagram",
                    "followers": 24000,
                    "engagement_rate": 0.061,
                    "price_per_post": 350.0,
                    "fixed_fee": 50.0,
                    "min_posts": 1,
                    "max_posts": 3,
                    "audience_quality": 0.9,
                    "tags": ["beauty"],
                }
            ],
            "columns": {
                "Username": "handle",
                "Network": "platform",
                "Followers": "followers",
                "ER (%)": "engagement_rate",
                "Price ($)": "price_per_post",
            },
            "ignored_columns": ["Country"],
            "notes": ["ER (%): values without a % sign were read as percentages"],
        }
    )

    file: str | None = Field(max_length=1024, description="The uploaded file's name.")
    rows: int = Field(ge=0, description="Data rows read (blank rows are skipped).")
    candidates: list[CandidateIn] = Field(
        max_length=MAX_ID_LIST,
        description=(
            "One per row, in the file's order, ready for `POST /v1/plans`. The id is "
            "`platform:handle` (lowercase, without @), unique within the file."
        ),
    )
    columns: dict[str, str] = Field(description="Each read column of the file and its field.")
    ignored_columns: list[str] = Field(
        description="Columns that were not read; display names and notes are not plan fields."
    )
    notes: list[str] = Field(default_factory=list)
