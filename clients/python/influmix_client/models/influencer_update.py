from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.platform import Platform
from ..types import UNSET, Unset

T = TypeVar("T", bound="InfluencerUpdate")


@_attrs_define
class InfluencerUpdate:
    """Fields to change; absent fields keep their value, ``null`` clears an optional one.

    Attributes:
        audience_quality (float | None | Unset):
        display_name (None | str | Unset):
        engagement_rate (float | None | Unset):
        engagement_rate_sd (float | None | Unset):
        fixed_fee (float | None | Unset):
        followers (int | None | Unset):
        handle (None | str | Unset):
        max_posts (int | None | Unset):
        min_posts (int | None | Unset):
        notes (None | str | Unset):
        platform (None | Platform | Unset):
        price_per_post (float | None | Unset):
        tags (list[str] | None | Unset):
    """

    audience_quality: float | None | Unset = UNSET
    display_name: None | str | Unset = UNSET
    engagement_rate: float | None | Unset = UNSET
    engagement_rate_sd: float | None | Unset = UNSET
    fixed_fee: float | None | Unset = UNSET
    followers: int | None | Unset = UNSET
    handle: None | str | Unset = UNSET
    max_posts: int | None | Unset = UNSET
    min_posts: int | None | Unset = UNSET
    notes: None | str | Unset = UNSET
    platform: None | Platform | Unset = UNSET
    price_per_post: float | None | Unset = UNSET
    tags: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        audience_quality: float | None | Unset
        if isinstance(self.audience_quality, Unset):
            audience_quality = UNSET
        else:
            audience_quality = self.audience_quality

        display_name: None | str | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        else:
            display_name = self.display_name

        engagement_rate: float | None | Unset
        if isinstance(self.engagement_rate, Unset):
            engagement_rate = UNSET
        else:
            engagement_rate = self.engagement_rate

        engagement_rate_sd: float | None | Unset
        if isinstance(self.engagement_rate_sd, Unset):
            engagement_rate_sd = UNSET
        else:
            engagement_rate_sd = self.engagement_rate_sd

        fixed_fee: float | None | Unset
        if isinstance(self.fixed_fee, Unset):
            fixed_fee = UNSET
        else:
            fixed_fee = self.fixed_fee

        followers: int | None | Unset
        if isinstance(self.followers, Unset):
            followers = UNSET
        else:
            followers = self.followers

        handle: None | str | Unset
        if isinstance(self.handle, Unset):
            handle = UNSET
        else:
            handle = self.handle

        max_posts: int | None | Unset
        if isinstance(self.max_posts, Unset):
            max_posts = UNSET
        else:
            max_posts = self.max_posts

        min_posts: int | None | Unset
        if isinstance(self.min_posts, Unset):
            min_posts = UNSET
        else:
            min_posts = self.min_posts

        notes: None | str | Unset
        if isinstance(self.notes, Unset):
            notes = UNSET
        else:
            notes = self.notes

        platform: None | str | Unset
        if isinstance(self.platform, Unset):
            platform = UNSET
        elif isinstance(self.platform, Platform):
            platform = self.platform.value
        else:
            platform = self.platform

        price_per_post: float | None | Unset
        if isinstance(self.price_per_post, Unset):
            price_per_post = UNSET
        else:
            price_per_post = self.price_per_post

        tags: list[str] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, list):
            tags = self.tags

        else:
            tags = self.tags

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if audience_quality is not UNSET:
            field_dict["audience_quality"] = audience_quality
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if engagement_rate is not UNSET:
            field_dict["engagement_rate"] = engagement_rate
        if engagement_rate_sd is not UNSET:
            field_dict["engagement_rate_sd"] = engagement_rate_sd
        if fixed_fee is not UNSET:
            field_dict["fixed_fee"] = fixed_fee
        if followers is not UNSET:
            field_dict["followers"] = followers
        if handle is not UNSET:
            field_dict["handle"] = handle
        if max_posts is not UNSET:
            field_dict["max_posts"] = max_posts
        if min_posts is not UNSET:
            field_dict["min_posts"] = min_posts
        if notes is not UNSET:
            field_dict["notes"] = notes
        if platform is not UNSET:
            field_dict["platform"] = platform
        if price_per_post is not UNSET:
            field_dict["price_per_post"] = price_per_post
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_audience_quality(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        audience_quality = _parse_audience_quality(d.pop("audience_quality", UNSET))

        def _parse_display_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display_name = _parse_display_name(d.pop("display_name", UNSET))

        def _parse_engagement_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        engagement_rate = _parse_engagement_rate(d.pop("engagement_rate", UNSET))

        def _parse_engagement_rate_sd(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        engagement_rate_sd = _parse_engagement_rate_sd(d.pop("engagement_rate_sd", UNSET))

        def _parse_fixed_fee(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        fixed_fee = _parse_fixed_fee(d.pop("fixed_fee", UNSET))

        def _parse_followers(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        followers = _parse_followers(d.pop("followers", UNSET))

        def _parse_handle(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        handle = _parse_handle(d.pop("handle", UNSET))

        def _parse_max_posts(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_posts = _parse_max_posts(d.pop("max_posts", UNSET))

        def _parse_min_posts(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_posts = _parse_min_posts(d.pop("min_posts", UNSET))

        def _parse_notes(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notes = _parse_notes(d.pop("notes", UNSET))

        def _parse_platform(data: object) -> None | Platform | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                platform_type_0 = Platform(data)

                return platform_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Platform | Unset, data)

        platform = _parse_platform(d.pop("platform", UNSET))

        def _parse_price_per_post(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        price_per_post = _parse_price_per_post(d.pop("price_per_post", UNSET))

        def _parse_tags(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_type_0 = cast(list[str], data)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

        influencer_update = cls(
            audience_quality=audience_quality,
            display_name=display_name,
            engagement_rate=engagement_rate,
            engagement_rate_sd=engagement_rate_sd,
            fixed_fee=fixed_fee,
            followers=followers,
            handle=handle,
            max_posts=max_posts,
            min_posts=min_posts,
            notes=notes,
            platform=platform,
            price_per_post=price_per_post,
            tags=tags,
        )

        return influencer_update
