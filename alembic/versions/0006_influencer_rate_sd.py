"""The spread of an influencer's engagement rate, for plans that weigh engagement risk.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("influencers") as batch_op:
        # Nullable: entries stored before keep the tier's relative spread.
        batch_op.add_column(sa.Column("engagement_rate_sd", sa.Double(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("influencers") as batch_op:
        batch_op.drop_column("engagement_rate_sd")
