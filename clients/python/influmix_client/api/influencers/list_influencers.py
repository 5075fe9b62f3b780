from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.influencer_page import InfluencerPage
from ...models.platform import Platform
from ...models.problem import Problem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    platform: list[Platform] | Unset = UNSET,
    tier: list[str] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    min_followers: int | Unset = UNSET,
    max_followers: int | Unset = UNSET,
    q: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    json_platform: list[str] | Unset = UNSET
    if not isinstance(platform, Unset):
        json_platform = []
        for platform_item_data in platform:
            platform_item = platform_item_data.value
            json_platform.append(platform_item)

    params["platform"] = json_platform

    json_tier: list[str] | Unset = UNSET
    if not isinstance(tier, Unset):
        json_tier = tier

    params["tier"] = json_tier

    json_tag: list[str] | Unset = UNSET
    if not isinstance(tag, Unset):
        json_tag = tag

    params["tag"] = json_tag

    params["min_followers"] = min_followers

    params["max_followers"] = max_followers

    params["q"] = q

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/influencers",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> InfluencerPage | Problem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = InfluencerPage.from_dict(response.json())

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
) -> Response[InfluencerPage | Problem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    platform: list[Platform] | Unset = UNSET,
    tier: list[str] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    min_followers: int | Unset = UNSET,
    max_followers: int | Unset = UNSET,
    q: str | Unset = UNSET,
) -> Response[InfluencerPage | Problem | ValidationProblem]:
    """List the catalog by handle

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset): next_cursor of the previous page.
        platform (list[Platform] | Unset): Any of these platforms (repeatable).
        tier (list[str] | Unset): Any of these tiers by followers (repeatable): nano, micro,
            macro, mega.
        tag (list[str] | Unset): Carrying any of these tags (repeatable, any case).
        min_followers (int | Unset):
        max_followers (int | Unset):
        q (str | Unset): Text in the handle or the display name (any case).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InfluencerPage | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        platform=platform,
        tier=tier,
        tag=tag,
        min_followers=min_followers,
        max_followers=max_followers,
        q=q,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    platform: list[Platform] | Unset = UNSET,
    tier: list[str] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    min_followers: int | Unset = UNSET,
    max_followers: int | Unset = UNSET,
    q: str | Unset = UNSET,
) -> InfluencerPage | Problem | ValidationProblem | None:
    """List the catalog by handle

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset): next_cursor of the previous page.
        platform (list[Platform] | Unset): Any of these platforms (repeatable).
        tier (list[str] | Unset): Any of these tiers by followers (repeatable): nano, micro,
            macro, mega.
        tag (list[str] | Unset): Carrying any of these tags (repeatable, any case).
        min_followers (int | Unset):
        max_followers (int | Unset):
        q (str | Unset): Text in the handle or the display name (any case).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InfluencerPage | Problem | ValidationProblem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        platform=platform,
        tier=tier,
        tag=tag,
        min_followers=min_followers,
        max_followers=max_followers,
        q=q,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    platform: list[Platform] | Unset = UNSET,
    tier: list[str] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    min_followers: int | Unset = UNSET,
    max_followers: int | Unset = UNSET,
    q: str | Unset = UNSET,
) -> Response[InfluencerPage | Problem | ValidationProblem]:
    """List the catalog by handle

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset): next_cursor of the previous page.
        platform (list[Platform] | Unset): Any of these platforms (repeatable).
        tier (list[str] | Unset): Any of these tiers by followers (repeatable): nano, micro,
            macro, mega.
        tag (list[str] | Unset): Carrying any of these tags (repeatable, any case).
        min_followers (int | Unset):
        max_followers (int | Unset):
        q (str | Unset): Text in the handle or the display name (any case).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InfluencerPage | Problem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        platform=platform,
        tier=tier,
        tag=tag,
        min_followers=min_followers,
        max_followers=max_followers,
        q=q,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    platform: list[Platform] | Unset = UNSET,
    tier: list[str] | Unset = UNSET,
    tag: list[str] | Unset = UNSET,
    min_followers: int | Unset = UNSET,
    max_followers: int | Unset = UNSET,
    q: str | Unset = UNSET,
) -> InfluencerPage | Problem | ValidationProblem | None:
    """List the catalog by handle

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset): next_cursor of the previous page.
        platform (list[Platform] | Unset): Any of these platforms (repeatable).
        tier (list[str] | Unset): Any of these tiers by followers (repeatable): nano, micro,
            macro, mega.
        tag (list[str] | Unset): Carrying any of these tags (repeatable, any case).
        min_followers (int | Unset):
        max_followers (int | Unset):
        q (str | Unset): Text in the handle or the display name (any case).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InfluencerPage | Problem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            platform=platform,
            tier=tier,
            tag=tag,
            min_followers=min_followers,
            max_followers=max_followers,
            q=q,
        )
    ).parsed
