"""One catalog entry at a time: create, read, update, delete, and its public shape."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import ConflictError, InvalidRequestError, NotFoundError, field_problem
from app.schemas.influencers import (
    InfluencerCreate,
    InfluencerPublic,
    InfluencerUpdate,
    handle_key,
)
from app.services.scope import WorkspaceScope
from models import Influencer
from models.base import new_uuid7, utcnow
from optimizer.prepare import tier_of
from optimizer.problem import DEFAULT_TIERS, Platform

# What a plan's candidate copies of an entry (besides its id and handle).
CANDIDATE_FIELDS = (
    "platform",
    "followers",
    "engagement_rate",
    "engagement_rate_sd",
    "price_per_post",
    "fixed_fee",
    "min_posts",
    "max_posts",
    "audience_quality",
    "tags",
)
# Rows per IN (...) list: below the bound-parameter limits of SQLite and PostgreSQL.
CHUNK = 5_000

# Columns a catalog row shares with InfluencerCreate (handle aside: the key is derived).
FIELDS = (*CANDIDATE_FIELDS, "display_name", "notes")


def create_influencer(
    session: Session, scope: WorkspaceScope, data: InfluencerCreate
) -> InfluencerPublic:
    _ensure_free(session, scope, data.platform, data.key)
    now = utcnow()
    row = Influencer(
        id=new_uuid7(),
        workspace_id=scope.workspace_id,
        created_at=now,
        updated_at=now,
        **entry_columns(data),
    )
    session.add(row)
    _flush_or_conflict(session, data)
    return to_public(row)


def get_influencer(session: Session, scope: WorkspaceScope, influencer_id: str) -> InfluencerPublic:
    return to_public(_get(session, scope, influencer_id))


def get_by_handle(
    session: Session, scope: WorkspaceScope, platform: Platform, handle: str
) -> InfluencerPublic:
    """The entry for ``handle`` on ``platform``, in any case, with or without ``@``."""
    row = session.scalar(
        scope.select(Influencer).where(
            Influencer.platform == platform, Influencer.handle == handle_key(handle)
        )
    )
    if row is None:
        raise NotFoundError(f"no influencer with handle {handle!r} on {platform.value}")
    return to_public(row)


def update_influencer(
    session: Session, scope: WorkspaceScope, influencer_id: str, patch: InfluencerUpdate
) -> InfluencerPublic:
    """Apply the fields sent; the result is checked as a whole, as a new entry would be."""
    row = _get(session, scope, influencer_id)
    merged = {**_create_fields(row), **patch.model_dump(exclude_unset=True)}
    try:
        data = InfluencerCreate.model_validate(merged)
    except ValidationError as exc:
        raise InvalidRequestError(
            [field_problem(("body", *e["loc"]), e["msg"], e["type"]) for e in exc.errors()]
        ) from None
    if (data.platform, data.key) != (row.platform, row.handle):
        _ensure_free(session, scope, data.platform, data.key)
    for name, value in entry_columns(data).items():
        setattr(row, name, value)
    _flush_or_conflict(session, data)
    return to_public(row)


def delete_influencer(session: Session, scope: WorkspaceScope, influencer_id: str) -> None:
    # Stored plans keep their own copy of every candidate, so none of them changes.
    session.delete(_get(session, scope, influencer_id))
    session.flush()


def _get(session: Session, scope: WorkspaceScope, influencer_id: str) -> Influencer:
    row = scope.get(session, Influencer, influencer_id)
    if row is None:
        raise NotFoundError(f"no influencer with id {influencer_id!r}")
    return row


def _ensure_free(session: Session, scope: WorkspaceScope, platform: Platform, key: str) -> None:
    taken = session.scalar(
        select(Influencer.id).where(
            scope.owns(Influencer), Influencer.platform == platform, Influencer.handle == key
        )
    )
    if taken is not None:
        raise _conflict(platform, key, taken)


def _flush_or_conflict(session: Session, data: InfluencerCreate) -> None:
    # Another request may take the handle between the check and the write.
    try:
        session.flush()
    except IntegrityError:
        raise _conflict(data.platform, data.key, None) from None


def _conflict(platform: Platform, key: str, taken_by: str | None) -> ConflictError:
    who = f" (id {taken_by})" if taken_by else ""
    message = f"@{key} on {platform.value} is already in the catalog{who}"
    return ConflictError([field_problem(("body", "handle"), message, "duplicate")], message)


def entry_columns(data: InfluencerCreate) -> dict[str, Any]:
    """The row's columns for a validated entry."""
    columns = {name: getattr(data, name) for name in FIELDS}
    columns.update(handle=data.key, display_handle=data.handle, tags=list(data.tags))
    return columns


def _create_fields(row: Influencer) -> dict[str, Any]:
    """A stored row in the shape of InfluencerCreate, to merge changes into."""
    fields = {name: getattr(row, name) for name in FIELDS}
    fields["handle"] = row.display_handle
    fields["tags"] = list(row.tags)
    return fields


def candidate_values(entry: Influencer | InfluencerCreate) -> dict[str, Any]:
    """What a plan's candidate takes from a catalog entry, stored or about to be (its id and
    handle aside, which each caller names its own way)."""
    values = {name: getattr(entry, name) for name in CANDIDATE_FIELDS}
    values["tags"] = list(entry.tags)
    return values


def to_public(row: Influencer) -> InfluencerPublic:
    return InfluencerPublic(
        id=row.id,
        handle=row.display_handle,
        display_name=row.display_name,
        tier=tier_of(row.followers, DEFAULT_TIERS),
        notes=row.notes,
        created_at=row.created_at,
        updated_at=row.updated_at,
        **candidate_values(row),
    )
