"""Create plans and plan_allocations.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _string_enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=True),
        sa.Column(
            "status",
            _string_enum("planstatus", "optimal", "feasible", "infeasible", "failed"),
            nullable=False,
        ),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("budget", sa.Double(), nullable=False),
        sa.Column(
            "objective_kind",
            _string_enum("objectivekind", "engagement", "reach", "min_cost"),
            nullable=False,
        ),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("solver_backend", sa.String(length=16), nullable=False),
        sa.Column("wall_time_s", sa.Double(), nullable=False),
        sa.Column("objective", sa.Double(), nullable=True),
        sa.Column("bound", sa.Double(), nullable=True),
        sa.Column("gap", sa.Double(), nullable=True),
        sa.Column("total_spend", sa.Double(), nullable=True),
        sa.Column("expected_engagement", sa.Double(), nullable=True),
        sa.Column("influencers", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index("ix_plans_created_at_id", ["created_at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plans_status"), ["status"], unique=False)

    op.create_table(
        "plan_allocations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("influencer_id", sa.String(length=128), nullable=False),
        sa.Column("handle", sa.String(length=128), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("tier", sa.String(length=64), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("spend", sa.Double(), nullable=False),
        sa.Column("expected_engagement", sa.Double(), nullable=False),
        sa.Column("share_of_spend", sa.Double(), nullable=False),
        sa.Column("share_of_engagement", sa.Double(), nullable=False),
        sa.Column("engagement_rate_used", sa.Double(), nullable=False),
        sa.Column(
            "engagement_rate_source",
            _string_enum("ratesource", "given", "tier_prior"),
            nullable=False,
        ),
        sa.Column("cost_per_engagement", sa.Double(), nullable=True),
        sa.Column("reach", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plans.id"],
            name=op.f("fk_plan_allocations_plan_id_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_allocations")),
        sa.UniqueConstraint(
            "plan_id", "influencer_id", name=op.f("uq_plan_allocations_plan_id_influencer_id")
        ),
    )
    with op.batch_alter_table("plan_allocations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_allocations_influencer_id"), ["influencer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_allocations_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    op.drop_table("plan_allocations")
    op.drop_table("plans")
