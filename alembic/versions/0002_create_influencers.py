"""Create influencers, the catalog.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "influencers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column(
            "platform",
            sa.Enum(
                "instagram",
                "tiktok",
                "youtube",
                "x",
                "twitch",
                "facebook",
                "linkedin",
                "other",
                name="platform",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("handle", sa.String(length=128), nullable=False),
        sa.Column("display_handle", sa.String(length=128), nullable=False),
        sa.Column("display_name", sa.String(length=256), nullable=True),
        sa.Column("followers", sa.BigInteger(), nullable=False),
        sa.Column("engagement_rate", sa.Double(), nullable=True),
        sa.Column("price_per_post", sa.Double(), nullable=False),
        sa.Column("fixed_fee", sa.Double(), nullable=False),
        sa.Column("min_posts", sa.Integer(), nullable=False),
        sa.Column("max_posts", sa.Integer(), nullable=False),
        sa.Column("audience_quality", sa.Double(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_influencers")),
        sa.UniqueConstraint("handle", "platform", name=op.f("uq_influencers_handle_platform")),
    )
    with op.batch_alter_table("influencers", schema=None) as batch_op:
        batch_op.create_index("ix_influencers_followers", ["followers"], unique=False)


def downgrade() -> None:
    op.drop_table("influencers")
