"""The influencer catalog: the roster planners keep, so plans need not resend it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

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


class InfluencerOverlap(Base):
    """The share of the smaller of two creators' audiences that follows both, as
    audience-overlap tools report it (PRODUCT.md section 7).

    A pair is stored once, its ids in order (``influencer_a_id`` the smaller), so that the
    unique constraint holds it in either order; it goes when either creator goes.
    """

    __tablename__ = "influencer_overlaps"
    __table_args__ = (
        UniqueConstraint("influencer_a_id", "influencer_b_id"),
        CheckConstraint("influencer_a_id < influencer_b_id", name="ordered_pair"),
        # The other side of the pair: its creator's overlaps, and the delete's cascade.
        Index("ix_influencer_overlaps_influencer_b_id", "influencer_b_id"),
        # The listing: a workspace's pairs, largest share first.
        Index("ix_influencer_overlaps_workspace_id_share", "workspace_id", "share", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid7)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    influencer_a_id: Mapped[str] = mapped_column(ForeignKey("influencers.id", ondelete="CASCADE"))
    influencer_b_id: Mapped[str] = mapped_column(ForeignKey("influencers.id", ondelete="CASCADE"))
    share: Mapped[float] = mapped_column(Double)
    # Read with the pair, whose public shape names both creators.
    influencer_a: Mapped[Influencer] = relationship(foreign_keys=[influencer_a_id], lazy="joined")
    influencer_b: Mapped[Influencer] = relationship(foreign_keys=[influencer_b_id], lazy="joined")

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
