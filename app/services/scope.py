"""Whose rows a use case may touch.

Every use case on plans or the catalog takes a WorkspaceScope and reaches rows only through
the helpers here, so a query cannot forget the workspace: a row of another workspace is
simply not found (404), which also keeps its existence secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from models import (
    ApiKey,
    Frontier,
    IdempotencyRecord,
    Influencer,
    InfluencerOverlap,
    Plan,
    Role,
)

Owned = TypeVar("Owned", Plan, Frontier, Influencer, InfluencerOverlap, ApiKey, IdempotencyRecord)


@dataclass(frozen=True, slots=True)
class WorkspaceScope:
    workspace_id: str

    def owns(self, model: type[Owned]) -> ColumnElement[bool]:
        """The condition "the row belongs to this workspace", for hand-built queries."""
        return model.workspace_id == self.workspace_id

    def select(self, model: type[Owned]) -> Select[Owned]:
        return select(model).where(self.owns(model))

    def get(self, session: Session, model: type[Owned], row_id: str) -> Owned | None:
        row = session.get(model, row_id)
        if row is None or row.workspace_id != self.workspace_id:
            return None
        return row


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: an API key, its workspace and its role."""

    key_id: str
    workspace_id: str
    role: Role

    @property
    def scope(self) -> WorkspaceScope:
        return WorkspaceScope(self.workspace_id)
