from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.frontier_public import FrontierPublic
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import Response


def _get_kwargs(
    frontier_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/frontiers/{frontier_id}:cancel".format(
            frontier_id=quote(str(frontier_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FrontierPublic | Problem | ValidationProblem | None:
    if response.status_code == 202:
        response_202 = FrontierPublic.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[FrontierPublic | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    frontier_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[FrontierPublic | Problem | ValidationProblem]:
    """Cancel a frontier's unfinished points

     Queued points are cancelled, running ones stop with their best plan so far.

    Args:
        frontier_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FrontierPublic | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        frontier_id=frontier_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    frontier_id: str,
    *,
    client: AuthenticatedClient,
) -> FrontierPublic | Problem | ValidationProblem | None:
    """Cancel a frontier's unfinished points

     Queued points are cancelled, running ones stop with their best plan so far.

    Args:
        frontier_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FrontierPublic | Problem | ValidationProblem
    """

    return sync_detailed(
        frontier_id=frontier_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    frontier_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[FrontierPublic | Problem | ValidationProblem]:
    """Cancel a frontier's unfinished points

     Queued points are cancelled, running ones stop with their best plan so far.

    Args:
        frontier_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FrontierPublic | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        frontier_id=frontier_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    frontier_id: str,
    *,
    client: AuthenticatedClient,
) -> FrontierPublic | Problem | ValidationProblem | None:
    """Cancel a frontier's unfinished points

     Queued points are cancelled, running ones stop with their best plan so far.

    Args:
        frontier_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FrontierPublic | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            frontier_id=frontier_id,
            client=client,
        )
    ).parsed
