"""Idempotent POSTs: a retry with the same ``Idempotency-Key`` gets the first answer again.

The record lives in the database, so it holds across restarts and across service processes:

1. ``claim`` inserts the record in a short transaction of its own, before any work. The unique
   (workspace, key) constraint lets exactly one request win; the others see its record.
2. The winner does the work and ``store`` writes its answer in the work's own transaction, so
   the plan and the answer to replay are committed together or not at all.
3. A loser whose body matches waits (polling, bounded by ``wait_s``) for the answer and
   replays it; past the bound it gets 409 with Retry-After. A different body is a 422.
4. If the work fails, the claim is released (``release``), so a retry starts afresh: only
   successful (2xx) answers are kept. When the work failed because the database went away,
   the release cannot be done then either: ``ClaimReleaser`` retries it in the background
   until the database is back, so a client retrying after a blip is not held off for the
   whole lease. A claim left by a process that died is taken over once its lease
   (``claimed_until``) has passed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import IdempotencyInProgressError, InvalidRequestError
from app.services.scope import WorkspaceScope
from models import IdempotencyRecord
from models.base import new_uuid7, utcnow

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Answer headers worth replaying; the rest (request id, dates) belong to each answer.
REPLAYED_HEADERS = ("location", "content-type", "content-disposition", "preference-applied")
_POLL_FIRST_S = 0.02
_POLL_MAX_S = 0.5


@dataclass(frozen=True, slots=True)
class Replay:
    status_code: int
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class Claim:
    record_id: str


def fingerprint(operation: str, payload: Any) -> str:
    """SHA-256 of the operation and its parsed body, so whitespace or key order do not count."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{operation}\n{canonical}".encode()).hexdigest()


def check_key(key: str) -> str:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise InvalidRequestError.at(
            ("header", HEADER),
            f"must be 1 to {MAX_KEY_LENGTH} printable ASCII characters (a UUID is a good choice)",
        )
    return key


def claim(
    sessions: sessionmaker[Session],
    scope: WorkspaceScope,
    key: str,
    request_fingerprint: str,
    *,
    ttl: timedelta,
    lease: timedelta,
    wait_s: float,
) -> Claim | Replay:
    deadline = time.monotonic() + wait_s
    pause = _POLL_FIRST_S
    while True:
        now = utcnow()
        try:
            with sessions.begin() as session:
                # An expired record, or the claim of a request that died, frees the key.
                session.execute(
                    delete(IdempotencyRecord).where(
                        scope.owns(IdempotencyRecord),
                        IdempotencyRecord.key == key,
                        or_(
                            IdempotencyRecord.expires_at <= now,
                            IdempotencyRecord.claimed_until <= now,
                        ),
                    )
                )
                record = IdempotencyRecord(
                    id=new_uuid7(),
                    workspace_id=scope.workspace_id,
                    key=key,
                    fingerprint=request_fingerprint,
                    created_at=now,
                    claimed_until=now + lease,
                    expires_at=now + ttl,
                )
                session.add(record)
            return Claim(record.id)
        except IntegrityError:
            pass  # taken: read what the other request left

        with sessions() as session:
            found = session.scalar(
                select(IdempotencyRecord).where(
                    IdempotencyRecord.workspace_id == scope.workspace_id,
                    IdempotencyRecord.key == key,
                )
            )
        if found is None:
            continue  # released between our insert and our read: try again
        if found.fingerprint != request_fingerprint:
            raise InvalidRequestError.at(
                ("header", HEADER),
                "this Idempotency-Key was already used with another request; "
                "use a new key for a new request",
                "idempotency_key_reused",
            )
        if found.status_code is not None and found.response_body is not None:
            return Replay(
                found.status_code, found.response_body, dict(found.response_headers or {})
            )
        if time.monotonic() + pause > deadline:
            raise IdempotencyInProgressError(
                "a request with this Idempotency-Key is still being processed; "
                "retry shortly to get its answer"
            )
        time.sleep(pause)  # a worker thread: waiting here does not block the event loop
        pause = min(pause * 2, _POLL_MAX_S)


def store(
    session: Session,
    claimed: Claim,
    status_code: int,
    body: bytes,
    headers: Mapping[str, str],
) -> None:
    """Record the answer in the caller's transaction (the one that stores the work)."""
    kept = {name: value for name, value in headers.items() if name.lower() in REPLAYED_HEADERS}
    session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.id == claimed.record_id)
        .values(
            status_code=status_code, response_body=body, response_headers=kept, claimed_until=None
        )
    )


def release(sessions: sessionmaker[Session], claimed: Claim) -> None:
    """Drop a claim whose work failed, so a retry with the same key runs again."""
    with sessions.begin() as session:
        session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.id == claimed.record_id,
                IdempotencyRecord.status_code.is_(None),
            )
        )


class ClaimReleaser:
    """Releases, in a background thread, claims whose release failed with the database away.

    Each is retried every ``retry_every_s`` until the database takes it, or until its lease
    has passed (the key is then free anyway). A claim whose request did store its answer
    (the commit went through but its acknowledgement was lost) is left alone: ``release``
    only drops claims without an answer.
    """

    def __init__(self, sessions: sessionmaker[Session], retry_every_s: float = 0.25) -> None:
        self._sessions = sessions
        self._retry_every_s = retry_every_s
        self._lock = threading.Lock()
        self._pending: dict[str, tuple[Claim, float]] = {}
        self._thread: threading.Thread | None = None

    def release_later(self, claimed: Claim, lease: timedelta) -> None:
        with self._lock:
            self._pending[claimed.record_id] = (claimed, time.monotonic() + lease.total_seconds())
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="idempotency-release", daemon=True
                )
                self._thread.start()

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def _run(self) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                due = [(c, until) for c, until in self._pending.values() if until > now]
                self._pending = {c.record_id: (c, until) for c, until in due}
                if not due:
                    self._thread = None
                    return
            for claimed, _ in due:
                try:
                    release(self._sessions, claimed)
                except Exception as exc:
                    logger.info(
                        "idempotency claim %s not released yet: %s",
                        claimed.record_id,
                        type(exc).__name__,
                    )
                    continue
                logger.info("idempotency claim %s released", claimed.record_id)
                with self._lock:
                    self._pending.pop(claimed.record_id, None)
            time.sleep(self._retry_every_s)
