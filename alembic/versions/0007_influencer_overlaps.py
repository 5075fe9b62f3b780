"""Audience overlaps between the catalog's influencers.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "influencer_overlaps",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("influencer_a_id", sa.String(length=36), nullable=False),
        sa.Column("influencer_b_id", sa.String(length=36), nullable=False),
        sa.Column("share", sa.Double(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "influencer_a_id < influencer_b_id",
            name=op.f("ck_influencer_overlaps_ordered_pair"),
        ),
        sa.ForeignKeyConstraint(
            ["influencer_a_id"],
            ["influencers.id"],
            name=op.f("fk_influencer_overlaps_influencer_a_id_influencers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["influencer_b_id"],
            ["influencers.id"],
            name=op.f("fk_influencer_overlaps_influencer_b_id_influencers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_influencer_overlaps_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_influencer_overlaps")),
        sa.UniqueConstraint(
            "influencer_a_id",
            "influencer_b_id",
            name=op.f("uq_influencer_overlaps_influencer_a_id_influencer_b_id"),
        ),
    )
    with op.batch_alter_table("influencer_overlaps", schema=None) as batch_op:
        batch_op.create_index(
            "ix_influencer_overlaps_influencer_b_id", ["influencer_b_id"], unique=False
        )
        batch_op.create_index(
            "ix_influencer_overlaps_workspace_id_share",
            ["workspace_id", "share", "id"],
            unique=False,
        )


def downgrade() -> None:
    op.drop_table("influencer_overlaps")
