"""Frontiers that sweep the risk aversion at one budget keep the values swept.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("frontiers") as batch_op:
        # Null for budget sweeps, which every frontier stored before is.
        batch_op.add_column(sa.Column("risk_aversions", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("frontiers") as batch_op:
        batch_op.drop_column("risk_aversions")
