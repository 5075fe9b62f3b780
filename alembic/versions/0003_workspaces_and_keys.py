"""Workspaces, API keys and idempotency records; plans and influencers belong to a workspace.

Rows stored before this revision move to a workspace named "default", created only when
there are such rows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_WORKSPACE = "default"


def upgrade() -> None:
    op.create_table(
        "workspaces",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspaces")),
        sa.UniqueConstraint("name", name=op.f("uq_workspaces_name")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=True),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "role",
            sa.Enum("viewer", "planner", "admin", name="role", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_api_keys_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_keys_prefix"), ["prefix"], unique=False)
        batch_op.create_index(
            "ix_api_keys_workspace_id_created_at", ["workspace_id", "created_at"], unique=False
        )
    op.create_table(
        "idempotency_records",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("workspace_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.Column("response_headers", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_idempotency_records_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_records")),
        sa.UniqueConstraint(
            "workspace_id", "key", name=op.f("uq_idempotency_records_workspace_id_key")
        ),
    )
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_idempotency_records_expires_at", ["expires_at"], unique=False
        )

    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workspace_id", sa.String(length=36), nullable=True))
    with op.batch_alter_table("influencers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workspace_id", sa.String(length=36), nullable=True))

    _adopt_existing_rows()

    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.alter_column("workspace_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_plans_workspace_id_workspaces"),
            "workspaces",
            ["workspace_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.drop_index("ix_plans_created_at_id")
        batch_op.create_index(
            "ix_plans_workspace_id_created_at_id",
            ["workspace_id", "created_at", "id"],
            unique=False,
        )
    with op.batch_alter_table("influencers", schema=None) as batch_op:
        batch_op.alter_column("workspace_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_influencers_workspace_id_workspaces"),
            "workspaces",
            ["workspace_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.drop_constraint("uq_influencers_handle_platform", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_influencers_workspace_id_handle_platform"),
            ["workspace_id", "handle", "platform"],
        )


def _adopt_existing_rows() -> None:
    """Give rows from before workspaces existed to a "default" workspace."""
    connection = op.get_bind()
    orphans = connection.scalar(
        sa.text(
            "SELECT (SELECT COUNT(*) FROM plans WHERE workspace_id IS NULL)"
            " + (SELECT COUNT(*) FROM influencers WHERE workspace_id IS NULL)"
        )
    )
    if not orphans:
        return
    workspaces = sa.table(
        "workspaces",
        sa.column("id", sa.String),
        sa.column("name", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    workspace_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    # SQLite stores naive UTC (see models.base.UTCDateTime).
    created = now.replace(tzinfo=None) if connection.dialect.name == "sqlite" else now
    connection.execute(
        workspaces.insert().values(id=workspace_id, name=DEFAULT_WORKSPACE, created_at=created)
    )
    for table in ("plans", "influencers"):
        connection.execute(
            sa.text(f"UPDATE {table} SET workspace_id = :id WHERE workspace_id IS NULL"),
            {"id": workspace_id},
        )


def downgrade() -> None:
    # Fails if two workspaces hold the same handle on one platform: there is no way to
    # merge them without losing one.
    with op.batch_alter_table("influencers", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_influencers_workspace_id_handle_platform"), type_="unique"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_influencers_handle_platform"), ["handle", "platform"]
        )
        batch_op.drop_constraint(
            batch_op.f("fk_influencers_workspace_id_workspaces"), type_="foreignkey"
        )
        batch_op.drop_column("workspace_id")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index("ix_plans_workspace_id_created_at_id")
        batch_op.create_index("ix_plans_created_at_id", ["created_at", "id"], unique=False)
        batch_op.drop_constraint(batch_op.f("fk_plans_workspace_id_workspaces"), type_="foreignkey")
        batch_op.drop_column("workspace_id")
    op.drop_table("idempotency_records")
    op.drop_table("api_keys")
    op.drop_table("workspaces")
