from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.frontier_create import FrontierCreate
from ...models.frontier_public import FrontierPublic
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: FrontierCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/frontiers",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

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
    *,
    client: AuthenticatedClient,
    body: FrontierCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[FrontierPublic | Problem | ValidationProblem]:
    """Solve a request at several budgets

     Stores the frontier and queues one plan per budget, solved in parallel as jobs (202). `GET` the
    `Location` to see each point's engagement, spend, creators and tier mix as it is solved, with the
    engagement each extra currency unit of budget buys between points; the chart is at `chart_url`.

    Args:
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (FrontierCreate): A plan request to solve at several budgets (give ``budgets`` or
            ``budget_range``), or
            at its own budget for several risk aversions (give ``risk_aversion_range``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FrontierPublic | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: FrontierCreate,
    idempotency_key: str | Unset = UNSET,
) -> FrontierPublic | Problem | ValidationProblem | None:
    """Solve a request at several budgets

     Stores the frontier and queues one plan per budget, solved in parallel as jobs (202). `GET` the
    `Location` to see each point's engagement, spend, creators and tier mix as it is solved, with the
    engagement each extra currency unit of budget buys between points; the chart is at `chart_url`.

    Args:
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (FrontierCreate): A plan request to solve at several budgets (give ``budgets`` or
            ``budget_range``), or
            at its own budget for several risk aversions (give ``risk_aversion_range``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FrontierPublic | Problem | ValidationProblem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: FrontierCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[FrontierPublic | Problem | ValidationProblem]:
    """Solve a request at several budgets

     Stores the frontier and queues one plan per budget, solved in parallel as jobs (202). `GET` the
    `Location` to see each point's engagement, spend, creators and tier mix as it is solved, with the
    engagement each extra currency unit of budget buys between points; the chart is at `chart_url`.

    Args:
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (FrontierCreate): A plan request to solve at several budgets (give ``budgets`` or
            ``budget_range``), or
            at its own budget for several risk aversions (give ``risk_aversion_range``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FrontierPublic | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: FrontierCreate,
    idempotency_key: str | Unset = UNSET,
) -> FrontierPublic | Problem | ValidationProblem | None:
    """Solve a request at several budgets

     Stores the frontier and queues one plan per budget, solved in parallel as jobs (202). `GET` the
    `Location` to see each point's engagement, spend, creators and tier mix as it is solved, with the
    engagement each extra currency unit of budget buys between points; the chart is at `chart_url`.

    Args:
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (FrontierCreate): A plan request to solve at several budgets (give ``budgets`` or
            ``budget_range``), or
            at its own budget for several risk aversions (give ``risk_aversion_range``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FrontierPublic | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
