"""The service's exceptions and their RFC 9457 answers (``application/problem+json``).

Every error body is a Problem: no stack trace, SQL or database URL ever reaches a client; the
details go to the log instead.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any, ClassVar, Self

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from app.schemas.problem import FieldProblem, Problem, ValidationProblem

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Problem types are URNs: stable names clients can switch on, with no page to fetch.
PROBLEM_TYPE_PREFIX = "urn:influmix:problem:"
# An error document lists this many invalid values at most, and counts the rest: a body of a
# million bad values must not become a hundred-megabyte answer.
MAX_LISTED_ERRORS = 100
# Seconds a client is asked to wait before retrying a request the database could not serve.
DATABASE_RETRY_AFTER_S = 2
# Seconds a client is asked to wait when the instance it reached is shutting down: the load
# balancer has its readiness answer by then and sends the retry elsewhere.
STOPPING_RETRY_AFTER_S = 2


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


class AppError(Exception):
    """Base of the errors the service raises on purpose; each maps to one problem type."""

    status: ClassVar[HTTPStatus] = HTTPStatus.INTERNAL_SERVER_ERROR
    kind: ClassVar[str] = "internal-error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    @property
    def title(self) -> str:
        return self.status.phrase

    @property
    def headers(self) -> dict[str, str]:
        """Headers the answer carries besides the problem body."""
        return {}

    def problem(self, instance: str | None) -> Problem:
        return Problem(
            type=PROBLEM_TYPE_PREFIX + self.kind,
            title=self.title,
            status=self.status,
            detail=self.detail,
            instance=instance,
        )


class NotFoundError(AppError):
    status = HTTPStatus.NOT_FOUND
    kind = "not-found"


class InvalidRequestError(AppError):
    """Bad input found after parsing (configured limits, the optimizer's own checks)."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY
    kind = "validation-error"

    def __init__(
        self,
        errors: Sequence[FieldProblem],
        detail: str | None = None,
        *,
        total: int | None = None,
    ) -> None:
        """``errors`` may be the first of ``total`` (when the caller listed only those)."""
        self.errors = list(errors)
        self.total = max(total or 0, len(self.errors))
        super().__init__(detail or _summary(self.errors, self.total))

    @classmethod
    def at(cls, loc: Sequence[str | int], message: str, type_: str = "value_error") -> Self:
        return cls([field_problem(loc, message, type_)])

    @property
    def title(self) -> str:
        return "Unprocessable Content"  # the RFC 9110 name of 422

    def problem(self, instance: str | None) -> ValidationProblem:
        listed = self.errors[:MAX_LISTED_ERRORS]
        return ValidationProblem(
            type=PROBLEM_TYPE_PREFIX + self.kind,
            title=self.title,
            status=self.status,
            detail=self.detail,
            instance=instance,
            errors=listed,
            errors_omitted=self.total - len(listed) or None,
        )


class ListedValidationError(RequestValidationError):
    """A validation error that lists only the first of its ``total`` errors (the others were
    never converted: a million of them would take longer than the request is worth)."""

    def __init__(self, errors: Sequence[Any], *, total: int) -> None:
        super().__init__(errors)
        self.total = total


class ConflictError(InvalidRequestError):
    """The request collides with what is stored (a catalog key taken); the errors name it."""

    status = HTTPStatus.CONFLICT
    kind = "conflict"

    @property
    def title(self) -> str:
        return self.status.phrase


class StateConflictError(AppError):
    """The resource is not in a state that allows this (a finished plan cannot be cancelled)."""

    status = HTTPStatus.CONFLICT
    kind = "state-conflict"


class UnauthorizedError(AppError):
    """No key, or one that is unknown or revoked (RFC 6750 bearer challenge)."""

    status = HTTPStatus.UNAUTHORIZED
    kind = "unauthorized"

    def __init__(self, detail: str, *, key_given: bool) -> None:
        super().__init__(detail)
        self.key_given = key_given

    @property
    def headers(self) -> dict[str, str]:
        challenge = 'Bearer realm="influmix"'
        if self.key_given:
            challenge += ', error="invalid_token"'
        return {"WWW-Authenticate": challenge}


class ForbiddenError(AppError):
    """The key is valid but its role does not allow the operation."""

    status = HTTPStatus.FORBIDDEN
    kind = "forbidden"


class TooManyRequestsError(AppError):
    status = HTTPStatus.TOO_MANY_REQUESTS
    kind = "too-many-requests"

    def __init__(self, detail: str, *, retry_after_s: int) -> None:
        super().__init__(detail)
        self.retry_after_s = max(1, retry_after_s)

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_s)}


class IdempotencyInProgressError(AppError):
    """A request with the same Idempotency-Key is still being worked on."""

    status = HTTPStatus.CONFLICT
    kind = "idempotency-in-progress"

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": "1"}


class ServiceStoppingError(AppError):
    """The service is shutting down (a redeploy): it takes no new work; another instance, or
    this one once restarted, will."""

    status = HTTPStatus.SERVICE_UNAVAILABLE
    kind = "service-stopping"

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(STOPPING_RETRY_AFTER_S)}


class UnsupportedMediaTypeError(AppError):
    status = HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    kind = "unsupported-media-type"


class SolveFailedError(AppError):
    """The solver crashed or could not be run; nothing was stored."""

    kind = "solve-failed"

    @property
    def title(self) -> str:
        return "Solve Failed"


class DatabaseUnavailableError(AppError):
    status = HTTPStatus.SERVICE_UNAVAILABLE
    kind = "database-unavailable"

    @property
    def headers(self) -> dict[str, str]:
        # Most outages seen are blips: a retry a moment later usually succeeds.
        return {"Retry-After": str(DATABASE_RETRY_AFTER_S)}


# Errors that mean the database could not be reached or did not answer in time (the pool
# wait included), as opposed to errors in what was asked of it.
DATABASE_UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    PoolTimeoutError,
)


def is_database_unavailable(exc: BaseException) -> bool:
    return isinstance(exc, DATABASE_UNAVAILABLE_ERRORS)


def field_problem(
    loc: Sequence[str | int],
    message: str,
    type_: str = "value_error",
    *,
    row: int | None = None,
    column: str | None = None,
) -> FieldProblem:
    return FieldProblem(
        loc=list(loc),
        field=".".join(str(part) for part in loc),
        message=message,
        type=type_,
        row=row,
        column=column,
    )


def _summary(errors: Iterable[FieldProblem], total: int) -> str:
    fields = [error.field for error in errors][:5]
    shown = ", ".join(fields) + (f" and {total - len(fields)} more" if total > len(fields) else "")
    noun = "value" if total == 1 else "values"
    return f"{total} invalid {noun}: {shown}"


def _respond(problem: Problem, headers: Mapping[str, str] | None = None) -> ProblemResponse:
    # Members without a value are left out rather than sent as null (RFC 9457 section 3.1).
    return ProblemResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=problem.status,
        headers=headers,
    )


def _pydantic_problem(error: Any) -> FieldProblem:
    loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
    message = str(error.get("msg", "invalid value"))
    type_ = str(error.get("type", "value_error"))
    if type_ == "json_invalid":
        # The loc holds a character offset; the parser's reason is the useful part.
        reason = (error.get("ctx") or {}).get("error")
        message = f"the body is not valid JSON: {reason}" if reason else "the body is not JSON"
    return field_problem(loc, message, type_)


async def _app_error(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, AppError)
    if exc.status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        logger.error("%s %s failed: %s", request.method, request.url.path, exc, exc_info=exc)
    return _respond(exc.problem(request.url.path), headers=exc.headers)


async def _request_validation_error(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, RequestValidationError)
    # The one place every validation error passes: only the listed ones are converted.
    errors = exc.errors()
    listed = [_pydantic_problem(e) for e in itertools.islice(errors, MAX_LISTED_ERRORS)]
    total = exc.total if isinstance(exc, ListedValidationError) else len(errors)
    error = InvalidRequestError(listed, total=total)
    return _respond(error.problem(request.url.path))


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if isinstance(exc.__cause__, ClientDisconnect):
        # FastAPI turns a disconnect while it reads a body into a 400 of its own.
        return await _client_disconnected(request, exc.__cause__)
    status = HTTPStatus(exc.status_code)
    problem = Problem(
        type="about:blank",
        title=status.phrase,
        status=status,
        detail=str(exc.detail) if exc.detail and exc.detail != status.phrase else None,
        instance=request.url.path,
    )
    return _respond(problem, headers=exc.headers)


async def _database_error(request: Request, exc: Exception) -> ProblemResponse:
    logger.error("%s %s: database error", request.method, request.url.path, exc_info=exc)
    error = DatabaseUnavailableError("the database could not complete the request; retry later")
    return _respond(error.problem(request.url.path), headers=error.headers)


# nginx's code for "the client closed the request": nobody reads the answer, but the access
# log shows what happened instead of a 500.
CLIENT_CLOSED_REQUEST = 499


async def _client_disconnected(request: Request, exc: Exception) -> Response:
    # The client gave up (a timeout, a closed tab) while its body was being read: nothing was
    # done and nothing is wrong with the service.
    logger.info(
        "%s %s: the client disconnected before sending its whole body",
        request.method,
        request.url.path,
    )
    return Response(status_code=CLIENT_CLOSED_REQUEST)


async def _unexpected_error(request: Request, exc: Exception) -> ProblemResponse:
    logger.error("%s %s: unexpected error", request.method, request.url.path, exc_info=exc)
    error = AppError("an unexpected error occurred; it has been logged")
    return _respond(error.problem(request.url.path))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _request_validation_error)
    app.add_exception_handler(HTTPException, _http_exception)
    for unavailable in DATABASE_UNAVAILABLE_ERRORS:
        app.add_exception_handler(unavailable, _database_error)
    app.add_exception_handler(ClientDisconnect, _client_disconnected)
    app.add_exception_handler(Exception, _unexpected_error)
