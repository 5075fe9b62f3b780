"""Stored plans: the request, the answer, and one queryable row per funded creator.

A plan posted with ``Prefer: respond-async`` (or drawn by a frontier) is stored first as a job
in state ``queued``; the job columns track it until the answer is written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, new_uuid7, string_enum, utcnow
from models.states import PlanState
from optimizer.problem import ObjectiveKind
from optimizer.result import RateSource

# Plan ids are UUIDv7 strings; the name stays for the callers that import it.
new_plan_id = new_uuid7


class Plan(Base):
    __tablename__ = "plans"
    __table_args__ = (
        # Serves a workspace's newest-first listing and its cursor (and the foreign key).
        Index("ix_plans_workspace_id_created_at_id", "workspace_id", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_plan_id)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str | None] = mapped_column(String(256))
    status: Mapped[PlanState] = mapped_column(string_enum(PlanState), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    budget: Mapped[float] = mapped_column(Double)
    objective_kind: Mapped[ObjectiveKind] = mapped_column(string_enum(ObjectiveKind))

    # What the planner sent (absent fields stay absent) and the full answer, as served; a job
    # has no answer until it is solved.
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    solver_backend: Mapped[str | None] = mapped_column(String(16))
    wall_time_s: Mapped[float | None] = mapped_column(Double)
    objective: Mapped[float | None] = mapped_column(Double)
    bound: Mapped[float | None] = mapped_column(Double)
    gap: Mapped[float | None] = mapped_column(Double)

    # Copied out of the answer so that listings need not parse it.
    total_spend: Mapped[float | None] = mapped_column(Double)
    expected_engagement: Mapped[float | None] = mapped_column(Double)
    influencers: Mapped[int | None] = mapped_column(Integer)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # Job columns: null for a plan solved within its request.
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the job was handed to the executor; null while no worker has been told of it (the
    # queue was down), so a sweep can hand it over again.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The kind of executor the job was queued for ("inprocess" or "celery"): a service only
    # runs the jobs of its own kind, so deployments sharing a database do not take each
    # other's. Null for jobs queued before it was recorded: any executor may run those.
    executor: Mapped[str | None] = mapped_column(String(16))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The worker solving it: set on claim, checked when the answer is written, so a job taken
    # over from a silent worker is stored once.
    claim_token: Mapped[str | None] = mapped_column(String(36))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    progress: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Notes known when the job was queued (catalog draw, capped time limit), for its answer.
    queue_notes: Mapped[list[str] | None] = mapped_column(JSON)

    frontier_id: Mapped[str | None] = mapped_column(
        ForeignKey("frontiers.id", ondelete="CASCADE"), index=True
    )

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
    engagement_rate_source: Mapped[RateSource] = mapped_column(string_enum(RateSource))
    cost_per_engagement: Mapped[float | None] = mapped_column(Double)
    reach: Mapped[float] = mapped_column(Double)

    plan: Mapped[Plan] = relationship(back_populates="allocations")


class Frontier(Base):
    """A sweep of budgets (or of risk aversions at one budget) over one request; each point is a
    plan (a job) of the frontier."""

    __tablename__ = "frontiers"
    __table_args__ = (
        Index("ix_frontiers_workspace_id_created_at_id", "workspace_id", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid7)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str | None] = mapped_column(String(256))
    currency: Mapped[str] = mapped_column(String(3))
    budgets: Mapped[list[float]] = mapped_column(JSON)
    # A risk aversion sweep's values (every plan then has the one budget); null for a budget
    # sweep.
    risk_aversions: Mapped[list[float] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plans: Mapped[list[Plan]] = relationship(
        order_by="Plan.budget", cascade="all, delete-orphan", passive_deletes=True
    )
