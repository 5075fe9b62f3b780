from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.import_summary import ImportSummary
from ...models.problem import Problem
from ...models.roster_upload import RosterUpload
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: RosterUpload,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    params["dry_run"] = dry_run

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/influencers/import",
        "params": params,
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ImportSummary | Problem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = ImportSummary.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = ValidationProblem.from_dict(response.json())

        return response_409

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
) -> Response[ImportSummary | Problem | ValidationProblem]:
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
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> Response[ImportSummary | Problem | ValidationProblem]:
    """Create or update influencers from a CSV or XLSX file

     One row per creator, matched on (platform, handle): new creators are added, known ones updated.
    Headers are matched in any case, with aliases (`followers`, `follower_count`; `er`,
    `engagement_rate`; `price`, `rate`, `cost`; `username`, `account`; ...). Values may read `4.5%`,
    `12,400`, `12.4k`, `1.2M`, `$350`. All or nothing: if any row is invalid nothing is stored and the
    answer lists every bad row (numbered as in the file, the header being row 1), column and reason.
    Columns absent from the file keep their stored values. `dry_run=true` only checks.

    Args:
        dry_run (bool | Unset): Check the file; store nothing. Default: False.
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (RosterUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportSummary | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        dry_run=dry_run,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: RosterUpload,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> ImportSummary | Problem | ValidationProblem | None:
    """Create or update influencers from a CSV or XLSX file

     One row per creator, matched on (platform, handle): new creators are added, known ones updated.
    Headers are matched in any case, with aliases (`followers`, `follower_count`; `er`,
    `engagement_rate`; `price`, `rate`, `cost`; `username`, `account`; ...). Values may read `4.5%`,
    `12,400`, `12.4k`, `1.2M`, `$350`. All or nothing: if any row is invalid nothing is stored and the
    answer lists every bad row (numbered as in the file, the header being row 1), column and reason.
    Columns absent from the file keep their stored values. `dry_run=true` only checks.

    Args:
        dry_run (bool | Unset): Check the file; store nothing. Default: False.
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (RosterUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportSummary | Problem | ValidationProblem
    """

    return sync_detailed(
        client=client,
        body=body,
        dry_run=dry_run,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: RosterUpload,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> Response[ImportSummary | Problem | ValidationProblem]:
    """Create or update influencers from a CSV or XLSX file

     One row per creator, matched on (platform, handle): new creators are added, known ones updated.
    Headers are matched in any case, with aliases (`followers`, `follower_count`; `er`,
    `engagement_rate`; `price`, `rate`, `cost`; `username`, `account`; ...). Values may read `4.5%`,
    `12,400`, `12.4k`, `1.2M`, `$350`. All or nothing: if any row is invalid nothing is stored and the
    answer lists every bad row (numbered as in the file, the header being row 1), column and reason.
    Columns absent from the file keep their stored values. `dry_run=true` only checks.

    Args:
        dry_run (bool | Unset): Check the file; store nothing. Default: False.
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (RosterUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportSummary | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        dry_run=dry_run,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: RosterUpload,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> ImportSummary | Problem | ValidationProblem | None:
    """Create or update influencers from a CSV or XLSX file

     One row per creator, matched on (platform, handle): new creators are added, known ones updated.
    Headers are matched in any case, with aliases (`followers`, `follower_count`; `er`,
    `engagement_rate`; `price`, `rate`, `cost`; `username`, `account`; ...). Values may read `4.5%`,
    `12,400`, `12.4k`, `1.2M`, `$350`. All or nothing: if any row is invalid nothing is stored and the
    answer lists every bad row (numbered as in the file, the header being row 1), column and reason.
    Columns absent from the file keep their stored values. `dry_run=true` only checks.

    Args:
        dry_run (bool | Unset): Check the file; store nothing. Default: False.
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (RosterUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportSummary | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            dry_run=dry_run,
            idempotency_key=idempotency_key,
        )
    ).parsed
