"""Workspaces and their API keys: create, list, revoke, and authenticate a bearer key."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import ConflictError, NotFoundError, field_problem
from app.schemas.keys import ApiKeyCreated, ApiKeyPublic
from app.services.scope import Principal, WorkspaceScope
from models import ApiKey, Role, Workspace
from models.base import new_uuid7, utcnow

logger = logging.getLogger(__name__)

# Keys read "imx_" + 43 URL-safe characters (32 random bytes); the prefix stored and shown is
# the first 12 characters, enough to tell keys apart, far too little to guess the rest.
KEY_TAG = "imx_"
PREFIX_LENGTH = 12
# last_used_at is written at most this often per key, so reads do not all become writes.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class NewKey:
    """A key just created: the only time its secret exists outside the client."""

    row: ApiKey
    secret: str


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_workspace(session: Session, name: str) -> Workspace:
    workspace = Workspace(id=new_uuid7(), name=name, created_at=utcnow())
    session.add(workspace)
    try:
        session.flush()
    except IntegrityError:
        raise ConflictError(
            [field_problem(("name",), f"a workspace named {name!r} exists", "duplicate")]
        ) from None
    logger.info("workspace %s created", workspace.id)
    return workspace


def find_workspace(session: Session, name_or_id: str) -> Workspace | None:
    return session.scalar(
        select(Workspace).where((Workspace.name == name_or_id) | (Workspace.id == name_or_id))
    )


def workspace_names(session: Session) -> list[str]:
    """Every workspace's name, oldest first (the demo one, on a demo install)."""
    return list(session.scalars(select(Workspace.name).order_by(Workspace.created_at)))


def create_key(
    session: Session, scope: WorkspaceScope, role: Role, name: str | None = None
) -> NewKey:
    secret = KEY_TAG + secrets.token_urlsafe(32)
    row = ApiKey(
        id=new_uuid7(),
        workspace_id=scope.workspace_id,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        key_hash=hash_key(secret),
        role=role,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    logger.info("api key %s (%s) created", row.id, role.value)
    return NewKey(row, secret)


def list_keys(session: Session, scope: WorkspaceScope) -> list[ApiKeyPublic]:
    rows = session.scalars(scope.select(ApiKey).order_by(ApiKey.created_at, ApiKey.id))
    return [key_public(row) for row in rows]


def revoke_key(session: Session, scope: WorkspaceScope, key_id: str) -> None:
    row = scope.get(session, ApiKey, key_id)
    if row is None:
        raise NotFoundError(f"no key with id {key_id!r}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
        logger.info("api key %s revoked", row.id)


def authenticate(session: Session, secret: str) -> Principal | None:
    """The principal of a bearer key, or None when the key is unknown or revoked.

    Found by its prefix, then the hashes are compared in constant time, so the answer's
    timing tells nothing about how close a guess was.
    """
    if not secret.startswith(KEY_TAG) or len(secret) > 128:
        return None
    digest = hash_key(secret)
    candidates = session.scalars(
        select(ApiKey).where(ApiKey.prefix == secret[:PREFIX_LENGTH], ApiKey.revoked_at.is_(None))
    )
    match = None
    for row in candidates:
        if hmac.compare_digest(row.key_hash, digest):
            match = row
    if match is None:
        return None
    now = utcnow()
    if match.last_used_at is None or now - match.last_used_at >= LAST_USED_RESOLUTION:
        session.execute(update(ApiKey).where(ApiKey.id == match.id).values(last_used_at=now))
    return Principal(key_id=match.id, workspace_id=match.workspace_id, role=match.role)


def key_public(row: ApiKey) -> ApiKeyPublic:
    return ApiKeyPublic.model_validate(row, from_attributes=True)


def key_created(new: NewKey) -> ApiKeyCreated:
    return ApiKeyCreated(**key_public(new.row).model_dump(), key=new.secret)
