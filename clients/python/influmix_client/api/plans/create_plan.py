from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.plan_create import PlanCreate
from ...models.plan_public import PlanPublic
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: PlanCreate,
    prefer: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(prefer, Unset):
        headers["Prefer"] = prefer

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/plans",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PlanPublic | Problem | ValidationProblem | None:
    if response.status_code == 201:
        response_201 = PlanPublic.from_dict(response.json())

        return response_201

    if response.status_code == 202:
        response_202 = PlanPublic.from_dict(response.json())

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
) -> Response[PlanPublic | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PlanCreate,
    prefer: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[PlanPublic | Problem | ValidationProblem]:
    """Solve and store a plan

     Solves the request and stores the plan, whatever its status (201): an `infeasible` plan carries the
    relaxation that would make it feasible, and a `failed` one (no plan found within the time limit)
    says why in its notes. Nothing is stored when the request is invalid or the solver crashes (500).

    With `Prefer: respond-async` the request is checked, stored as a job and answered at once (202,
    status `queued`); `GET` the `Location` to follow it through `running` (with progress) to its answer,
    and `POST {id}:cancel` to stop it.

    Args:
        prefer (str | Unset): `respond-async` queues the plan as a job and answers 202 at once.
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (PlanCreate): A plan request: a budget and the candidate creators, given inline
            (``candidates``) or
            drawn from the catalog (``catalog``); every other block is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PlanPublic | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        prefer=prefer,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: PlanCreate,
    prefer: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> PlanPublic | Problem | ValidationProblem | None:
    """Solve and store a plan

     Solves the request and stores the plan, whatever its status (201): an `infeasible` plan carries the
    relaxation that would make it feasible, and a `failed` one (no plan found within the time limit)
    says why in its notes. Nothing is stored when the request is invalid or the solver crashes (500).

    With `Prefer: respond-async` the request is checked, stored as a job and answered at once (202,
    status `queued`); `GET` the `Location` to follow it through `running` (with progress) to its answer,
    and `POST {id}:cancel` to stop it.

    Args:
        prefer (str | Unset): `respond-async` queues the plan as a job and answers 202 at once.
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (PlanCreate): A plan request: a budget and the candidate creators, given inline
            (``candidates``) or
            drawn from the catalog (``catalog``); every other block is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PlanPublic | Problem | ValidationProblem
    """

    return sync_detailed(
        client=client,
        body=body,
        prefer=prefer,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PlanCreate,
    prefer: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[PlanPublic | Problem | ValidationProblem]:
    """Solve and store a plan

     Solves the request and stores the plan, whatever its status (201): an `infeasible` plan carries the
    relaxation that would make it feasible, and a `failed` one (no plan found within the time limit)
    says why in its notes. Nothing is stored when the request is invalid or the solver crashes (500).

    With `Prefer: respond-async` the request is checked, stored as a job and answered at once (202,
    status `queued`); `GET` the `Location` to follow it through `running` (with progress) to its answer,
    and `POST {id}:cancel` to stop it.

    Args:
        prefer (str | Unset): `respond-async` queues the plan as a job and answers 202 at once.
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (PlanCreate): A plan request: a budget and the candidate creators, given inline
            (``candidates``) or
            drawn from the catalog (``catalog``); every other block is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PlanPublic | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        prefer=prefer,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: PlanCreate,
    prefer: str | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> PlanPublic | Problem | ValidationProblem | None:
    """Solve and store a plan

     Solves the request and stores the plan, whatever its status (201): an `infeasible` plan carries the
    relaxation that would make it feasible, and a `failed` one (no plan found within the time limit)
    says why in its notes. Nothing is stored when the request is invalid or the solver crashes (500).

    With `Prefer: respond-async` the request is checked, stored as a job and answered at once (202,
    status `queued`); `GET` the `Location` to follow it through `running` (with progress) to its answer,
    and `POST {id}:cancel` to stop it.

    Args:
        prefer (str | Unset): `respond-async` queues the plan as a job and answers 202 at once.
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (PlanCreate): A plan request: a budget and the candidate creators, given inline
            (``candidates``) or
            drawn from the catalog (``catalog``); every other block is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PlanPublic | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            prefer=prefer,
            idempotency_key=idempotency_key,
        )
    ).parsed
