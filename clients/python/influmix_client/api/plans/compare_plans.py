from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.plan_comparison import PlanComparison
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response


def _get_kwargs(
    *,
    ids: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["ids"] = ids

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/plans:compare",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PlanComparison | Problem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = PlanComparison.from_dict(response.json())

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
) -> Response[PlanComparison | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    ids: str,
) -> Response[PlanComparison | Problem | ValidationProblem]:
    """Compare plans side by side

     2 to 5 plans of the workspace, in the order given: their totals, risk (with the CVaR figures when
    the plans have scenarios), tier and platform mix, each with its difference to the first plan, and
    every creator any of them uses with the posts and spend per plan (`only_in` names the plan of a
    creator used by one plan only). An id that is unknown or of another workspace is a 404.

    Args:
        ids (str): 2 to 5 plan ids of this workspace, separated by commas; the first is the
            baseline the differences are taken to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PlanComparison | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        ids=ids,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    ids: str,
) -> PlanComparison | Problem | ValidationProblem | None:
    """Compare plans side by side

     2 to 5 plans of the workspace, in the order given: their totals, risk (with the CVaR figures when
    the plans have scenarios), tier and platform mix, each with its difference to the first plan, and
    every creator any of them uses with the posts and spend per plan (`only_in` names the plan of a
    creator used by one plan only). An id that is unknown or of another workspace is a 404.

    Args:
        ids (str): 2 to 5 plan ids of this workspace, separated by commas; the first is the
            baseline the differences are taken to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PlanComparison | Problem | ValidationProblem
    """

    return sync_detailed(
        client=client,
        ids=ids,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    ids: str,
) -> Response[PlanComparison | Problem | ValidationProblem]:
    """Compare plans side by side

     2 to 5 plans of the workspace, in the order given: their totals, risk (with the CVaR figures when
    the plans have scenarios), tier and platform mix, each with its difference to the first plan, and
    every creator any of them uses with the posts and spend per plan (`only_in` names the plan of a
    creator used by one plan only). An id that is unknown or of another workspace is a 404.

    Args:
        ids (str): 2 to 5 plan ids of this workspace, separated by commas; the first is the
            baseline the differences are taken to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PlanComparison | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        ids=ids,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    ids: str,
) -> PlanComparison | Problem | ValidationProblem | None:
    """Compare plans side by side

     2 to 5 plans of the workspace, in the order given: their totals, risk (with the CVaR figures when
    the plans have scenarios), tier and platform mix, each with its difference to the first plan, and
    every creator any of them uses with the posts and spend per plan (`only_in` names the plan of a
    creator used by one plan only). An id that is unknown or of another workspace is a 404.

    Args:
        ids (str): 2 to 5 plan ids of this workspace, separated by commas; the first is the
            baseline the differences are taken to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PlanComparison | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            ids=ids,
        )
    ).parsed
