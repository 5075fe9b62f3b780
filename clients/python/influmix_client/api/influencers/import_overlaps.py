from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.overlap_import_summary import OverlapImportSummary
from ...models.overlap_upload import OverlapUpload
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: OverlapUpload,
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
        "url": "/v1/influencers/overlaps/import",
        "params": params,
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OverlapImportSummary | Problem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = OverlapImportSummary.from_dict(response.json())

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
) -> Response[OverlapImportSummary | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: OverlapUpload,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> Response[OverlapImportSummary | Problem | ValidationProblem]:
    """Create or update audience overlaps from a CSV or XLSX file

     One row per pair of catalog creators: `handle_a`, `handle_b` (also `Creator A`, `Influencer 1`,
    `username_b`, ...), their platforms (`platform_a` and `platform_b`, or one `platform` column for
    both) and the share of the smaller audience that follows both (`overlap`, `share`, `Audience overlap
    (%)`, ...), written `23%`, `23 %` or `0.23`. A pair is matched in either order: a known one is
    updated. All or nothing: if any row is invalid (a creator not in the catalog, a creator paired with
    itself, a pair given twice, a share outside 0-100%) nothing is stored and the answer lists every bad
    row (numbered as in the file, the header being row 1), column and reason. `dry_run=true` only
    checks.

    Args:
        dry_run (bool | Unset): Check the file; store nothing. Default: False.
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (OverlapUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OverlapImportSummary | Problem | ValidationProblem]
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
    body: OverlapUpload,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> OverlapImportSummary | Problem | ValidationProblem | None:
    """Create or update audience overlaps from a CSV or XLSX file

     One row per pair of catalog creators: `handle_a`, `handle_b` (also `Creator A`, `Influencer 1`,
    `username_b`, ...), their platforms (`platform_a` and `platform_b`, or one `platform` column for
    both) and the share of the smaller audience that follows both (`overlap`, `share`, `Audience overlap
    (%)`, ...), written `23%`, `23 %` or `0.23`. A pair is matched in either order: a known one is
    updated. All or nothing: if any row is invalid (a creator not in the catalog, a creator paired with
    itself, a pair given twice, a share outside 0-100%) nothing is stored and the answer lists every bad
    row (numbered as in the file, the header being row 1), column and reason. `dry_run=true` only
    checks.

    Args:
        dry_run (bool | Unset): Check the file; store nothing. Default: False.
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (OverlapUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OverlapImportSummary | Problem | ValidationProblem
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
    body: OverlapUpload,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> Response[OverlapImportSummary | Problem | ValidationProblem]:
    """Create or update audience overlaps from a CSV or XLSX file

     One row per pair of catalog creators: `handle_a`, `handle_b` (also `Creator A`, `Influencer 1`,
    `username_b`, ...), their platforms (`platform_a` and `platform_b`, or one `platform` column for
    both) and the share of the smaller audience that follows both (`overlap`, `share`, `Audience overlap
    (%)`, ...), written `23%`, `23 %` or `0.23`. A pair is matched in either order: a known one is
    updated. All or nothing: if any row is invalid (a creator not in the catalog, a creator paired with
    itself, a pair given twice, a share outside 0-100%) nothing is stored and the answer lists every bad
    row (numbered as in the file, the header being row 1), column and reason. `dry_run=true` only
    checks.

    Args:
        dry_run (bool | Unset): Check the file; store nothing. Default: False.
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (OverlapUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OverlapImportSummary | Problem | ValidationProblem]
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
    body: OverlapUpload,
    dry_run: bool | Unset = False,
    idempotency_key: str | Unset = UNSET,
) -> OverlapImportSummary | Problem | ValidationProblem | None:
    """Create or update audience overlaps from a CSV or XLSX file

     One row per pair of catalog creators: `handle_a`, `handle_b` (also `Creator A`, `Influencer 1`,
    `username_b`, ...), their platforms (`platform_a` and `platform_b`, or one `platform` column for
    both) and the share of the smaller audience that follows both (`overlap`, `share`, `Audience overlap
    (%)`, ...), written `23%`, `23 %` or `0.23`. A pair is matched in either order: a known one is
    updated. All or nothing: if any row is invalid (a creator not in the catalog, a creator paired with
    itself, a pair given twice, a share outside 0-100%) nothing is stored and the answer lists every bad
    row (numbered as in the file, the header being row 1), column and reason. `dry_run=true` only
    checks.

    Args:
        dry_run (bool | Unset): Check the file; store nothing. Default: False.
        idempotency_key (str | Unset): Any unique string (a UUID): a retry with the same key and
            body gets the first answer again instead of repeating the work, for 24 hours.
        body (OverlapUpload):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OverlapImportSummary | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            dry_run=dry_run,
            idempotency_key=idempotency_key,
        )
    ).parsed
