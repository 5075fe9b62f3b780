"""Plans as jobs (queued, running, cancelled; progress and claims) and budget frontiers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_STATUS = ("optimal", "feasible", "infeasible", "failed")
_NEW_STATUS = ("queued", "running", *_OLD_STATUS, "cancelled")


def _status(*values: str) -> sa.Enum:
    return sa.Enum(*values, name="planstate", native_enum=False, length=16)


def upgrade() -> None:
    op.create_table(
        "frontiers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("budgets", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_frontiers_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_frontiers")),
    )
    op.create_index(
        "ix_frontiers_workspace_id_created_at_id",
        "frontiers",
        ["workspace_id", "created_at", "id"],
        unique=False,
    )
    with op.batch_alter_table("plans") as batch_op:
        batch_op.alter_column(
            "status", existing_type=_status(*_OLD_STATUS), type_=_status(*_NEW_STATUS)
        )
        batch_op.alter_column("answer", existing_type=sa.JSON(), nullable=True)
        batch_op.alter_column("solver_backend", existing_type=sa.String(length=16), nullable=True)
        batch_op.alter_column("wall_time_s", existing_type=sa.Double(), nullable=True)
        batch_op.add_column(sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("cancel_requested_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("claim_token", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("progress", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("queue_notes", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("frontier_id", sa.String(length=36), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_plans_frontier_id_frontiers"),
            "frontiers",
            ["frontier_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(batch_op.f("ix_plans_frontier_id"), ["frontier_id"], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM plans WHERE status IN ('queued', 'running', 'cancelled')")
    with op.batch_alter_table("plans") as batch_op:
        batch_op.drop_index(batch_op.f("ix_plans_frontier_id"))
        batch_op.drop_constraint(batch_op.f("fk_plans_frontier_id_frontiers"), type_="foreignkey")
        for column in (
            "frontier_id",
            "queue_notes",
            "progress",
            "attempts",
            "heartbeat_at",
            "claim_token",
            "cancel_requested_at",
            "finished_at",
            "started_at",
            "submitted_at",
            "queued_at",
        ):
            batch_op.drop_column(column)
        batch_op.alter_column("wall_time_s", existing_type=sa.Double(), nullable=False)
        batch_op.alter_column("solver_backend", existing_type=sa.String(length=16), nullable=False)
        batch_op.alter_column("answer", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column(
            "status", existing_type=_status(*_NEW_STATUS), type_=_status(*_OLD_STATUS)
        )
    op.drop_index("ix_frontiers_workspace_id_created_at_id", table_name="frontiers")
    op.drop_table("frontiers")
