"""Typed dependencies of the routes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.api.problems import is_database_unavailable
from app.core.config import Settings
from app.core.logs import current_request
from app.db import run_after_commit
from app.errors import (
    ForbiddenError,
    InvalidRequestError,
    UnauthorizedError,
    field_problem,
)
from app.schemas.wire import NUL, NUL_MESSAGE
from app.services import idempotency, workspaces
from app.services.executors import JobExecutor, make_executor
from app.services.health import ReadinessProbe
from app.services.lifecycle import Shutdown
from app.services.metrics import Exposition
from app.services.scope import Principal
from app.services.throttle import Throttles, make_throttles
from models.states import Role


@dataclass(frozen=True, slots=True)
class Resources:
    """What one application instance owns; kept on ``app.state.resources``."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    throttles: Throttles = field(init=False)
    metrics: Exposition = field(init=False)
    executor: JobExecutor = field(init=False)
    readiness: ReadinessProbe = field(init=False)
    releases: idempotency.ClaimReleaser = field(init=False)
    shutdown: Shutdown = field(init=False)

    def __post_init__(self) -> None:
        # Counters live with the app instance, so two apps (two tests) never share them.
        object.__setattr__(self, "throttles", make_throttles(self.settings))
        object.__setattr__(
            self, "metrics", Exposition(self.settings, self.engine, self.session_factory)
        )
        object.__setattr__(self, "executor", make_executor(self.settings, self.session_factory))
        object.__setattr__(
            self, "readiness", ReadinessProbe(self.engine, self.settings.readiness_timeout_s)
        )
        object.__setattr__(self, "releases", idempotency.ClaimReleaser(self.session_factory))
        object.__setattr__(self, "shutdown", Shutdown(self.settings.shutdown_grace_s))

    def stop(self) -> None:
        """Shut down for a redeploy (blocking): ``app.services.lifecycle``."""
        self.shutdown.run(self.executor.drain)


def get_resources(request: Request) -> Resources:
    resources = request.app.state.resources
    assert isinstance(resources, Resources)
    return resources


ResourcesDep = Annotated[Resources, Depends(get_resources)]


def refuse_when_stopping(resources: ResourcesDep) -> None:
    """New solves and jobs are refused (503) while the service shuts down."""
    resources.shutdown.refuse_new_work()


def get_settings(resources: ResourcesDep) -> Settings:
    return resources.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session(resources: ResourcesDep) -> Iterator[Session]:
    """One session and one transaction per request: committed if the route returns, rolled
    back if anything raises, so a failed request stores nothing."""
    with resources.session_factory() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            session.info.clear()  # nothing was committed: nothing to follow up
            raise
        session.commit()
        run_after_commit(session)


# scope="function": the commit happens before the answer is sent, so a 201 means stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def refuse_nul_in_parameters(request: Request) -> None:
    """Path and query parameters never hold NUL (``%00``): no id, name or tag does, and
    PostgreSQL cannot compare text holding it. A 422 naming the parameter, on every route."""
    problems = [
        field_problem(("path", name), NUL_MESSAGE, "string_nul")
        for name, value in request.path_params.items()
        if isinstance(value, str) and NUL in value
    ]
    problems += [
        field_problem(("query", name), NUL_MESSAGE, "string_nul")
        for name, value in request.query_params.multi_items()
        if NUL in name or NUL in value
    ]
    if problems:
        raise InvalidRequestError(problems)


# --- who is calling --------------------------------------------------------------------------

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key of the workspace: `Authorization: Bearer imx_...`.",
)


def authenticate(
    resources: ResourcesDep,
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The caller's key, checked against the database on every request (so a revoked key
    stops working at once, in every process), then counted against its rate limit. An
    invalid key counts against the client address's failed-key limit (429 past it)."""
    if credentials is None:
        raise UnauthorizedError("send an API key as `Authorization: Bearer <key>`", key_given=False)
    with resources.session_factory.begin() as session:
        principal = workspaces.authenticate(session, credentials.credentials)
    if principal is None:
        address = request.client.host if request.client is not None else "unknown"
        resources.throttles.failed_keys.failed(address)
        raise UnauthorizedError("the API key is unknown or revoked", key_given=True)
    context = current_request()
    if context is not None:
        context.workspace_id = principal.workspace_id
    resources.throttles.rate.hit(principal.key_id)
    return principal


PrincipalDep = Annotated[Principal, Depends(authenticate)]


def require(role: Role) -> Callable[[Principal], Principal]:
    def check_role(principal: PrincipalDep) -> Principal:
        if not principal.role.allows(role):
            raise ForbiddenError(
                f"this needs a key with the {role.value} role or above; "
                f"this key is a {principal.role.value} key"
            )
        return principal

    return check_role


ViewerDep = Annotated[Principal, Depends(require(Role.VIEWER))]
PlannerDep = Annotated[Principal, Depends(require(Role.PLANNER))]
AdminDep = Annotated[Principal, Depends(require(Role.ADMIN))]


# --- idempotent POSTs ------------------------------------------------------------------------


class Idempotency:
    """The Idempotency-Key handling of one POST (a no-op when the header is absent).

    A route calls ``begin`` with its parsed body before doing any work, returns the replay if
    there is one, and ends with ``respond``, which stores the answer with the work.
    """

    def __init__(self, resources: Resources, principal: Principal, key: str | None) -> None:
        self._resources = resources
        self._principal = principal
        self._key = None if key is None else idempotency.check_key(key)
        self._claim: idempotency.Claim | None = None

    def begin(self, operation: str, payload: BaseModel | dict[str, Any]) -> Response | None:
        """The stored answer to replay, if this key was used before with the same body."""
        if self._key is None:
            return None
        if isinstance(payload, BaseModel):
            payload = payload.model_dump(mode="json", exclude_unset=True)
        settings = self._resources.settings
        outcome = idempotency.claim(
            self._resources.session_factory,
            self._principal.scope,
            self._key,
            idempotency.fingerprint(operation, payload),
            ttl=timedelta(seconds=settings.idempotency_ttl_s),
            lease=self._lease,
            wait_s=settings.idempotency_wait_s,
        )
        if isinstance(outcome, idempotency.Replay):
            return Response(
                content=outcome.body,
                status_code=outcome.status_code,
                headers={**outcome.headers, "Idempotent-Replayed": "true"},
            )
        self._claim = outcome
        return None

    def respond(
        self,
        session: Session,
        response: Response,
        *,
        stored_body: bytes | None = None,
    ) -> Response:
        """Store ``response`` (or ``stored_body`` in its place) for replay, committing it
        with the work, and return it."""
        if self._claim is not None:
            idempotency.store(
                session,
                self._claim,
                response.status_code,
                bytes(response.body) if stored_body is None else stored_body,
                dict(response.headers),
            )
            # Committed here, not after the route: a failed commit must still release the
            # claim, which only happens for errors raised inside the route.
            session.commit()
            self._claim = None
        return response

    def abandon(self, failure: BaseException | None = None) -> None:
        """Release the claim: the work failed (``failure``) or stored no answer."""
        if self._claim is None:
            return
        claimed, self._claim = self._claim, None
        if failure is not None and is_database_unavailable(failure):
            # The database is away: trying now would hold this answer (a 503) for another
            # timeout. Released in the background as soon as the database is back, so a
            # retry after the blip proceeds.
            self._resources.releases.release_later(claimed, self._lease)
            return
        try:
            idempotency.release(self._resources.session_factory, claimed)
        except Exception as exc:
            if not is_database_unavailable(exc):
                raise
            self._resources.releases.release_later(claimed, self._lease)

    @property
    def _lease(self) -> timedelta:
        return timedelta(seconds=self._resources.settings.solve_time_limit_s + 60)


def get_idempotency(
    resources: ResourcesDep,
    principal: PrincipalDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias=idempotency.HEADER,
            max_length=idempotency.MAX_KEY_LENGTH,
            description=(
                "Any unique string (a UUID): a retry with the same key and body gets the first "
                "answer again instead of repeating the work, for 24 hours."
            ),
        ),
    ] = None,
) -> Iterator[Idempotency]:
    handle = Idempotency(resources, principal, idempotency_key)
    try:
        yield handle
    except BaseException as exc:
        handle.abandon(exc)
        raise
    handle.abandon()  # the route returned without storing an answer (not a success)


IdempotencyDep = Annotated[Idempotency, Depends(get_idempotency, scope="function")]


# Where a listing continues: the `next_cursor` of the page before.
PageCursor = Annotated[
    str | None, Query(max_length=512, description="next_cursor of the previous page.")
]
