"""The influencer catalog: the roster planners keep, so plans need not resend it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, new_uuid7, string_enum, utcnow
from optimizer.problem import Platform


class Influencer(Base):
    """One creator on one platform.

    ``handle`` is the lookup key: lowercase, without a leading ``@``, so ``@Ana.Glow`` and
    ``ana.glow`` are the same creator. ``display_handle`` keeps the spelling the planner gave.
    """

    __tablename__ = "influencers"
    __table_args__ = (
        # One entry per creator and platform in a workspace; the column order also serves
        # the listing (a workspace's entries by handle, then platform) and its cursor.
        UniqueConstraint("workspace_id", "handle", "platform"),
        # Tier and follower-range filters.
        Index("ix_influencers_followers", "followers"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid7)
    # Indexed as the first column of the unique constraint.
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    platform: Mapped[Platform] = mapped_column(string_enum(Platform))
    handle: Mapped[str] = mapped_column(String(128))
    display_handle: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str | None] = mapped_column(String(256))
    followers: Mapped[int] = mapped_column(BigInteger)
    engagement_rate: Mapped[float | None] = mapped_column(Double)
    # How much the rate swings (same unit as the rate); null takes the tier's relative spread.
    engagement_rate_sd: Mapped[float | None] = mapped_column(Double)
    price_per_post: Mapped[float] = mapped_column(Double)
    fixed_fee: Mapped[float] = mapped_column(Double, default=0.0)
    min_posts: Mapped[int] = mapped_column(Integer, default=1)
    max_posts: Mapped[int] = mapped_column(Integer, default=1)
    audience_quality: Mapped[float] = mapped_column(Double, default=1.0)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
