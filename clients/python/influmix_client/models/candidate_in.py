from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.platform import Platform
from ..types import UNSET, Unset

T = TypeVar("T", bound="CandidateIn")


@_attrs_define
class CandidateIn:
    """One creator the plan may fund.

    Attributes:
        followers (int):
        handle (str):
        id (str): The planner's key, unique within the request.
        platform (Platform):
        price_per_post (float):
        audience_quality (float | Unset): Share of the audience that is real and relevant. Default: 1.0.
        engagement_rate (float | None | Unset): Engagements per follower per post; absent or null uses the tier's prior.
        engagement_rate_sd (float | None | Unset): Standard deviation of the engagement rate (same unit), for generated
            scenarios; absent uses the tier's relative spread (options.risk.tier_relative_sd).
        engagement_scenarios (list[float] | None | Unset): Engagement multipliers, one per scenario (every candidate
            that has them has as many); a candidate without them has 1 in every scenario. They win over generated scenarios.
        fixed_fee (float | Unset): Paid once if the creator is used at all. Default: 0.0.
        max_posts (int | Unset):  Default: 1.
        min_posts (int | Unset):  Default: 1.
        tags (list[str] | Unset):
    """

    followers: int
    handle: str
    id: str
    platform: Platform
    price_per_post: float
    audience_quality: float | Unset = 1.0
    engagement_rate: float | None | Unset = UNSET
    engagement_rate_sd: float | None | Unset = UNSET
    engagement_scenarios: list[float] | None | Unset = UNSET
    fixed_fee: float | Unset = 0.0
    max_posts: int | Unset = 1
    min_posts: int | Unset = 1
    tags: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        followers = self.followers

        handle = self.handle

        id = self.id

        platform = self.platform.value

        price_per_post = self.price_per_post

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

        engagement_scenarios: list[float] | None | Unset
        if isinstance(self.engagement_scenarios, Unset):
            engagement_scenarios = UNSET
        elif isinstance(self.engagement_scenarios, list):
            engagement_scenarios = self.engagement_scenarios

        else:
            engagement_scenarios = self.engagement_scenarios

        fixed_fee = self.fixed_fee

        max_posts = self.max_posts

        min_posts = self.min_posts

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "followers": followers,
                "handle": handle,
                "id": id,
                "platform": platform,
                "price_per_post": price_per_post,
            }
        )
        if audience_quality is not UNSET:
            field_dict["audience_quality"] = audience_quality
        if engagement_rate is not UNSET:
            field_dict["engagement_rate"] = engagement_rate
        if engagement_rate_sd is not UNSET:
            field_dict["engagement_rate_sd"] = engagement_rate_sd
        if engagement_scenarios is not UNSET:
            field_dict["engagement_scenarios"] = engagement_scenarios
        if fixed_fee is not UNSET:
            field_dict["fixed_fee"] = fixed_fee
        if max_posts is not UNSET:
            field_dict["max_posts"] = max_posts
        if min_posts is not UNSET:
            field_dict["min_posts"] = min_posts
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        followers = d.pop("followers")

        handle = d.pop("handle")

        id = d.pop("id")

        platform = Platform(d.pop("platform"))

        price_per_post = d.pop("price_per_post")

        audience_quality = d.pop("audience_quality", UNSET)

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

        def _parse_engagement_scenarios(data: object) -> list[float] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                engagement_scenarios_type_0 = cast(list[float], data)

                return engagement_scenarios_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float] | None | Unset, data)

        engagement_scenarios = _parse_engagement_scenarios(d.pop("engagement_scenarios", UNSET))

        fixed_fee = d.pop("fixed_fee", UNSET)

        max_posts = d.pop("max_posts", UNSET)

        min_posts = d.pop("min_posts", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        candidate_in = cls(
            followers=followers,
            handle=handle,
            id=id,
            platform=platform,
            price_per_post=price_per_post,
            audience_quality=audience_quality,
            engagement_rate=engagement_rate,
            engagement_rate_sd=engagement_rate_sd,
            engagement_scenarios=engagement_scenarios,
            fixed_fee=fixed_fee,
            max_posts=max_posts,
            min_posts=min_posts,
            tags=tags,
        )

        return candidate_in
