"""Stored plans: the request, the answer, and one queryable row per funded creator."""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Double,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime
from optimizer.problem import ObjectiveKind
from optimizer.result import PlanStatus, RateSource


def new_plan_id() -> str:
    """A UUIDv7 string: random, yet sorting by it roughly follows creation time."""
    millis = time.time_ns() // 1_000_000
    value = (millis & ((1 << 48) - 1)) << 80 | int.from_bytes(os.urandom(10), "big")
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return str(uuid.UUID(int=value))


def utcnow() -> datetime:
    return datetime.now(UTC)


def _enum_values(enum: type[Any]) -> list[str]:
    return [member.value for member in enum]


def _string_enum(enum: type[Any]) -> Enum:
    # Stored as plain strings (no native enum type), so adding a member needs no migration.
    return Enum(enum, native_enum=False, length=16, values_callable=_enum_values)


class Plan(Base):
    __tablename__ = "plans"
    __table_args__ = (
        # Serves the newest-first cursor of GET /v1/plans.
        Index("ix_plans_created_at_id", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_plan_id)
    name: Mapped[str | None] = mapped_column(String(256))
    status: Mapped[PlanStatus] = mapped_column(_string_enum(PlanStatus), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    budget: Mapped[float] = mapped_column(Double)
    objective_kind: Mapped[ObjectiveKind] = mapped_column(_string_enum(ObjectiveKind))

    # What the planner sent (absent fields stay absent) and the full answer, as served.
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)

    solver_backend: Mapped[str] = mapped_column(String(16))
    wall_time_s: Mapped[float] = mapped_column(Double)
    objective: Mapped[float | None] = mapped_column(Double)
    bound: Mapped[float | None] = mapped_column(Double)
    gap: Mapped[float | None] = mapped_column(Double)

    # Copied out of the answer so that listings need not parse it.
    total_spend: Mapped[float | None] = mapped_column(Double)
    expected_engagement: Mapped[float | None] = mapped_column(Double)
    influencers: Mapped[int | None] = mapped_column(Integer)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    allocations: Mapped[list[PlanAllocation]] = relationship(
        back_populates="plan",
        order_by="PlanAllocation.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class PlanAllocation(Base):
    """One funded creator of a plan; the answer JSON holds the same figures."""

    __tablename__ = "plan_allocations"
    __table_args__ = (UniqueConstraint("plan_id", "influencer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    influencer_id: Mapped[str] = mapped_column(String(128), index=True)
    handle: Mapped[str] = mapped_column(String(128))
    platform: Mapped[str] = mapped_column(String(16))
    tier: Mapped[str] = mapped_column(String(64))
    posts: Mapped[int] = mapped_column(Integer)
    spend: Mapped[float] = mapped_column(Double)
    expected_engagement: Mapped[float] = mapped_column(Double)
    share_of_spend: Mapped[float] = mapped_column(Double)
    share_of_engagement: Mapped[float] = mapped_column(Double)
    engagement_rate_used: Mapped[float] = mapped_column(Double)
    engagement_rate_source: Mapped[RateSource] = mapped_column(_string_enum(RateSource))
    cost_per_engagement: Mapped[float | None] = mapped_column(Double)
    reach: Mapped[float] = mapped_column(Double)

    plan: Mapped[Plan] = relationship(back_populates="allocations")
