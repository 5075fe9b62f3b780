"""The HTTP answers of errors: RFC 9457 problems (``application/problem+json``).

Every error body is a Problem: no stack trace, SQL or database URL ever reaches a client; the
details go to the log instead.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from app.errors import (
    MAX_LISTED_ERRORS,
    PROBLEM_MEDIA_TYPE,
    AppError,
    DatabaseUnavailableError,
    InvalidRequestError,
    field_problem,
)
from app.schemas.problem import FieldProblem, Problem

logger = logging.getLogger(__name__)


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


class ListedValidationError(RequestValidationError):
    """A validation error that lists only the first of its ``total`` errors (the others were
    never converted: a million of them would take longer than the request is worth)."""

    def __init__(self, errors: Sequence[Any], *, total: int) -> None:
        super().__init__(errors)
        self.total = total


# Errors that mean the database could not be reached or did not answer in time (the pool
# wait included), as opposed to errors in what was asked of it.
DATABASE_UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    PoolTimeoutError,
)


def is_database_unavailable(exc: BaseException) -> bool:
    return isinstance(exc, DATABASE_UNAVAILABLE_ERRORS)


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
