"""Catalog handles are shown with one leading @ (``lena_runs`` becomes ``@lena_runs``).

The lookup key (``handle``: lowercase, without @) is unchanged; only the spelling shown,
``display_handle``, gains its @. A 128-character handle without one keeps its spelling: the
column has no room for the @.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE influencers SET display_handle = '@' || display_handle "
        "WHERE display_handle NOT LIKE '@%' AND length(display_handle) < 128"
    )


def downgrade() -> None:
    # Nothing to undo: which handles were typed without @ is not kept, and with it they are
    # still valid.
    pass
