from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.parsed_roster import ParsedRoster
from ...models.problem import Problem
from ...models.roster_upload import RosterUpload
from ...models.validation_problem import ValidationProblem
from ...types import Response


def _get_kwargs(
    *,
    body: RosterUpload,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/influencers/parse",
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ParsedRoster | Problem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = ParsedRoster.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ValidationProblem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ParsedRoster | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: RosterUpload,
) -> Response[ParsedRoster | Problem | ValidationProblem]:
    """Read a CSV or XLSX roster as plan candidates

     Reads the file as `POST /v1/influencers/import` does (same headers, aliases, value formats and row
    errors) but stores nothing: the answer's `candidates` go as they are into the `candidates` of `POST
    /v1/plans`. All or nothing: if any row is invalid the answer lists every bad row (numbered as in the
    file, the header being row 1), column and reason.

    Args:
        body (RosterUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ParsedRoster | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: RosterUpload,
) -> ParsedRoster | Problem | ValidationProblem | None:
    """Read a CSV or XLSX roster as plan candidates

     Reads the file as `POST /v1/influencers/import` does (same headers, aliases, value formats and row
    errors) but stores nothing: the answer's `candidates` go as they are into the `candidates` of `POST
    /v1/plans`. All or nothing: if any row is invalid the answer lists every bad row (numbered as in the
    file, the header being row 1), column and reason.

    Args:
        body (RosterUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ParsedRoster | Problem | ValidationProblem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: RosterUpload,
) -> Response[ParsedRoster | Problem | ValidationProblem]:
    """Read a CSV or XLSX roster as plan candidates

     Reads the file as `POST /v1/influencers/import` does (same headers, aliases, value formats and row
    errors) but stores nothing: the answer's `candidates` go as they are into the `candidates` of `POST
    /v1/plans`. All or nothing: if any row is invalid the answer lists every bad row (numbered as in the
    file, the header being row 1), column and reason.

    Args:
        body (RosterUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ParsedRoster | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: RosterUpload,
) -> ParsedRoster | Problem | ValidationProblem | None:
    """Read a CSV or XLSX roster as plan candidates

     Reads the file as `POST /v1/influencers/import` does (same headers, aliases, value formats and row
    errors) but stores nothing: the answer's `candidates` go as they are into the `candidates` of `POST
    /v1/plans`. All or nothing: if any row is invalid the answer lists every bad row (numbered as in the
    file, the header being row 1), column and reason.

    Args:
        body (RosterUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ParsedRoster | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
