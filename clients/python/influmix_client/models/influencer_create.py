from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.platform import Platform
from ..types import UNSET, Unset

T = TypeVar("T", bound="InfluencerCreate")


@_attrs_define
class InfluencerCreate:
    """A creator to add to the catalog.

    Attributes:
        followers (int):
        handle (str): With or without @; unique per platform regardless of case.
        platform (Platform):
        price_per_post (float):
        audience_quality (float | Unset):  Default: 1.0.
        display_name (None | str | Unset):
        engagement_rate (float | None | Unset): Engagements per follower per post; null uses the tier prior.
        engagement_rate_sd (float | None | Unset): Standard deviation of the engagement rate, in the rate's unit (0.004
            is 0.4 points), for plans that weigh engagement risk; null uses the tier's relative spread.
        fixed_fee (float | Unset):  Default: 0.0.
        max_posts (int | Unset):  Default: 1.
        min_posts (int | Unset):  Default: 1.
        notes (None | str | Unset):
        tags (list[str] | Unset): Stored trimmed and lowercase, without repeats.
    """

    followers: int
    handle: str
    platform: Platform
    price_per_post: float
    audience_quality: float | Unset = 1.0
    display_name: None | str | Unset = UNSET
    engagement_rate: float | None | Unset = UNSET
    engagement_rate_sd: float | None | Unset = UNSET
    fixed_fee: float | Unset = 0.0
    max_posts: int | Unset = 1
    min_posts: int | Unset = 1
    notes: None | str | Unset = UNSET
    tags: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        followers = self.followers

        handle = self.handle

        platform = self.platform.value

        price_per_post = self.price_per_post

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

        fixed_fee = self.fixed_fee

        max_posts = self.max_posts

        min_posts = self.min_posts

        notes: None | str | Unset
        if isinstance(self.notes, Unset):
            notes = UNSET
        else:
            notes = self.notes

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "followers": followers,
                "handle": handle,
                "platform": platform,
                "price_per_post": price_per_post,
            }
        )
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
        if max_posts is not UNSET:
            field_dict["max_posts"] = max_posts
        if min_posts is not UNSET:
            field_dict["min_posts"] = min_posts
        if notes is not UNSET:
            field_dict["notes"] = notes
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        followers = d.pop("followers")

        handle = d.pop("handle")

        platform = Platform(d.pop("platform"))

        price_per_post = d.pop("price_per_post")

        audience_quality = d.pop("audience_quality", UNSET)

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

        fixed_fee = d.pop("fixed_fee", UNSET)

        max_posts = d.pop("max_posts", UNSET)

        min_posts = d.pop("min_posts", UNSET)

        def _parse_notes(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notes = _parse_notes(d.pop("notes", UNSET))

        tags = cast(list[str], d.pop("tags", UNSET))

        influencer_create = cls(
            followers=followers,
            handle=handle,
            platform=platform,
            price_per_post=price_per_post,
            audience_quality=audience_quality,
            display_name=display_name,
            engagement_rate=engagement_rate,
            engagement_rate_sd=engagement_rate_sd,
            fixed_fee=fixed_fee,
            max_posts=max_posts,
            min_posts=min_posts,
            notes=notes,
            tags=tags,
        )

        return influencer_create
