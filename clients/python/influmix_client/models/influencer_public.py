from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.platform import Platform

T = TypeVar("T", bound="InfluencerPublic")


@_attrs_define
class InfluencerPublic:
    """A catalog entry.

    Attributes:
        audience_quality (float):
        created_at (datetime.datetime):
        display_name (None | str):
        engagement_rate (float | None):
        engagement_rate_sd (float | None): Standard deviation of the engagement rate, in the rate's unit (0.004 is 0.4
            points), for plans that weigh engagement risk; null uses the tier's relative spread.
        fixed_fee (float):
        followers (int):
        handle (str): With one leading @ and the case the planner typed.
        id (str): Also the candidate id when a plan draws from the catalog.
        max_posts (int):
        min_posts (int):
        notes (None | str):
        platform (Platform):
        price_per_post (float):
        tags (list[str]):
        tier (str): By the default tier bounds (nano, micro, macro, mega).
        updated_at (datetime.datetime):
    """

    audience_quality: float
    created_at: datetime.datetime
    display_name: None | str
    engagement_rate: float | None
    engagement_rate_sd: float | None
    fixed_fee: float
    followers: int
    handle: str
    id: str
    max_posts: int
    min_posts: int
    notes: None | str
    platform: Platform
    price_per_post: float
    tags: list[str]
    tier: str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        audience_quality = self.audience_quality

        created_at = self.created_at.isoformat()

        display_name: None | str
        display_name = self.display_name

        engagement_rate: float | None
        engagement_rate = self.engagement_rate

        engagement_rate_sd: float | None
        engagement_rate_sd = self.engagement_rate_sd

        fixed_fee = self.fixed_fee

        followers = self.followers

        handle = self.handle

        id = self.id

        max_posts = self.max_posts

        min_posts = self.min_posts

        notes: None | str
        notes = self.notes

        platform = self.platform.value

        price_per_post = self.price_per_post

        tags = self.tags

        tier = self.tier

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "audience_quality": audience_quality,
                "created_at": created_at,
                "display_name": display_name,
                "engagement_rate": engagement_rate,
                "engagement_rate_sd": engagement_rate_sd,
                "fixed_fee": fixed_fee,
                "followers": followers,
                "handle": handle,
                "id": id,
                "max_posts": max_posts,
                "min_posts": min_posts,
                "notes": notes,
                "platform": platform,
                "price_per_post": price_per_post,
                "tags": tags,
                "tier": tier,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        audience_quality = d.pop("audience_quality")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_display_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        display_name = _parse_display_name(d.pop("display_name"))

        def _parse_engagement_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        engagement_rate = _parse_engagement_rate(d.pop("engagement_rate"))

        def _parse_engagement_rate_sd(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        engagement_rate_sd = _parse_engagement_rate_sd(d.pop("engagement_rate_sd"))

        fixed_fee = d.pop("fixed_fee")

        followers = d.pop("followers")

        handle = d.pop("handle")

        id = d.pop("id")

        max_posts = d.pop("max_posts")

        min_posts = d.pop("min_posts")

        def _parse_notes(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        notes = _parse_notes(d.pop("notes"))

        platform = Platform(d.pop("platform"))

        price_per_post = d.pop("price_per_post")

        tags = cast(list[str], d.pop("tags"))

        tier = d.pop("tier")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        influencer_public = cls(
            audience_quality=audience_quality,
            created_at=created_at,
            display_name=display_name,
            engagement_rate=engagement_rate,
            engagement_rate_sd=engagement_rate_sd,
            fixed_fee=fixed_fee,
            followers=followers,
            handle=handle,
            id=id,
            max_posts=max_posts,
            min_posts=min_posts,
            notes=notes,
            platform=platform,
            price_per_post=price_per_post,
            tags=tags,
            tier=tier,
            updated_at=updated_at,
        )

        influencer_public.additional_properties = d
        return influencer_public

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
