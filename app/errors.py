"""The service's exceptions: each names the RFC 9457 problem it answers as.

Plain Python (no web framework, no database driver), so the services and the command line
raise them without loading either; app.api.problems turns them into HTTP answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from http import HTTPStatus
from typing import ClassVar, Self

from app.schemas.problem import FieldProblem, Problem, ValidationProblem

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


class AppError(Exception):
    """Base of the errors the service raises on purpose; each maps to one problem type."""

    status: ClassVar[HTTPStatus] = HTTPStatus.INTERNAL_SERVER_ERROR
    kind: ClassVar[str] = "internal-error"
    # Seconds a client is asked to wait before retrying, when a retry can succeed.
    retry_after_s: int | None = None

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    @property
    def title(self) -> str:
        return self.status.phrase

    @property
    def headers(self) -> dict[str, str]:
        """Headers the answer carries besides the problem body."""
        return {} if self.retry_after_s is None else {"Retry-After": str(self.retry_after_s)}

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


class IdempotencyInProgressError(AppError):
    """A request with the same Idempotency-Key is still being worked on."""

    status = HTTPStatus.CONFLICT
    kind = "idempotency-in-progress"
    retry_after_s = 1


class ServiceStoppingError(AppError):
    """The service is shutting down (a redeploy): it takes no new work; another instance, or
    this one once restarted, will."""

    status = HTTPStatus.SERVICE_UNAVAILABLE
    kind = "service-stopping"
    retry_after_s = STOPPING_RETRY_AFTER_S


class UnsupportedMediaTypeError(AppError):
    status = HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    kind = "unsupported-media-type"


class SolversBusyError(AppError):
    """Every solver process stayed busy until the request's time limit: nothing was solved or
    stored; the same request succeeds once the solves ahead of it have ended."""

    status = HTTPStatus.SERVICE_UNAVAILABLE
    kind = "solvers-busy"
    retry_after_s = 2


class SolveFailedError(AppError):
    """The solver crashed or could not be run; nothing was stored."""

    kind = "solve-failed"

    @property
    def title(self) -> str:
        return "Solve Failed"


class DatabaseUnavailableError(AppError):
    status = HTTPStatus.SERVICE_UNAVAILABLE
    kind = "database-unavailable"
    # Most outages seen are blips: a retry a moment later usually succeeds.
    retry_after_s = DATABASE_RETRY_AFTER_S


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
