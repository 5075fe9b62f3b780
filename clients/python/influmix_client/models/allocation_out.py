from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.platform import Platform
from ..models.rate_source import RateSource

T = TypeVar("T", bound="AllocationOut")


@_attrs_define
class AllocationOut:
    """
    Attributes:
        cost_per_engagement (float | None): null when no engagement is expected.
        engagement_rate_source (RateSource):
        engagement_rate_used (float):
        expected_engagement (float):
        handle (str):
        id (str):
        platform (Platform):
        posts (int):
        reach (float):
        share_of_engagement (float):
        share_of_spend (float):
        spend (float):
        tier (str):
    """

    cost_per_engagement: float | None
    engagement_rate_source: RateSource
    engagement_rate_used: float
    expected_engagement: float
    handle: str
    id: str
    platform: Platform
    posts: int
    reach: float
    share_of_engagement: float
    share_of_spend: float
    spend: float
    tier: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cost_per_engagement: float | None
        cost_per_engagement = self.cost_per_engagement

        engagement_rate_source = self.engagement_rate_source.value

        engagement_rate_used = self.engagement_rate_used

        expected_engagement = self.expected_engagement

        handle = self.handle

        id = self.id

        platform = self.platform.value

        posts = self.posts

        reach = self.reach

        share_of_engagement = self.share_of_engagement

        share_of_spend = self.share_of_spend

        spend = self.spend

        tier = self.tier

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cost_per_engagement": cost_per_engagement,
                "engagement_rate_source": engagement_rate_source,
                "engagement_rate_used": engagement_rate_used,
                "expected_engagement": expected_engagement,
                "handle": handle,
                "id": id,
                "platform": platform,
                "posts": posts,
                "reach": reach,
                "share_of_engagement": share_of_engagement,
                "share_of_spend": share_of_spend,
                "spend": spend,
                "tier": tier,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_cost_per_engagement(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        cost_per_engagement = _parse_cost_per_engagement(d.pop("cost_per_engagement"))

        engagement_rate_source = RateSource(d.pop("engagement_rate_source"))

        engagement_rate_used = d.pop("engagement_rate_used")

        expected_engagement = d.pop("expected_engagement")

        handle = d.pop("handle")

        id = d.pop("id")

        platform = Platform(d.pop("platform"))

        posts = d.pop("posts")

        reach = d.pop("reach")

        share_of_engagement = d.pop("share_of_engagement")

        share_of_spend = d.pop("share_of_spend")

        spend = d.pop("spend")

        tier = d.pop("tier")

        allocation_out = cls(
            cost_per_engagement=cost_per_engagement,
            engagement_rate_source=engagement_rate_source,
            engagement_rate_used=engagement_rate_used,
            expected_engagement=expected_engagement,
            handle=handle,
            id=id,
            platform=platform,
            posts=posts,
            reach=reach,
            share_of_engagement=share_of_engagement,
            share_of_spend=share_of_spend,
            spend=spend,
            tier=tier,
        )

        allocation_out.additional_properties = d
        return allocation_out

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
