from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CandidateOverride")


@_attrs_define
class CandidateOverride:
    """Values of this plan only (a negotiated price, say); the catalog keeps its own.

    Only the fields sent apply; ``engagement_rate: null`` makes the plan use the tier prior.

        Attributes:
            audience_quality (float | None | Unset):
            engagement_rate (float | None | Unset):
            engagement_rate_sd (float | None | Unset):
            fixed_fee (float | None | Unset):
            max_posts (int | None | Unset):
            min_posts (int | None | Unset):
            price_per_post (float | None | Unset):
    """

    audience_quality: float | None | Unset = UNSET
    engagement_rate: float | None | Unset = UNSET
    engagement_rate_sd: float | None | Unset = UNSET
    fixed_fee: float | None | Unset = UNSET
    max_posts: int | None | Unset = UNSET
    min_posts: int | None | Unset = UNSET
    price_per_post: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        audience_quality: float | None | Unset
        if isinstance(self.audience_quality, Unset):
            audience_quality = UNSET
        else:
            audience_quality = self.audience_quality

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

        price_per_post: float | None | Unset
        if isinstance(self.price_per_post, Unset):
            price_per_post = UNSET
        else:
            price_per_post = self.price_per_post

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if audience_quality is not UNSET:
            field_dict["audience_quality"] = audience_quality
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
        if price_per_post is not UNSET:
            field_dict["price_per_post"] = price_per_post

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

        def _parse_price_per_post(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        price_per_post = _parse_price_per_post(d.pop("price_per_post", UNSET))

        candidate_override = cls(
            audience_quality=audience_quality,
            engagement_rate=engagement_rate,
            engagement_rate_sd=engagement_rate_sd,
            fixed_fee=fixed_fee,
            max_posts=max_posts,
            min_posts=min_posts,
            price_per_post=price_per_post,
        )

        return candidate_override
