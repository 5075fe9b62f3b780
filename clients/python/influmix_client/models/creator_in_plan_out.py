from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CreatorInPlanOut")


@_attrs_define
class CreatorInPlanOut:
    """
    Attributes:
        expected_engagement (float):
        posts (int):
        spend (float):
    """

    expected_engagement: float
    posts: int
    spend: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expected_engagement = self.expected_engagement

        posts = self.posts

        spend = self.spend

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expected_engagement": expected_engagement,
                "posts": posts,
                "spend": spend,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expected_engagement = d.pop("expected_engagement")

        posts = d.pop("posts")

        spend = d.pop("spend")

        creator_in_plan_out = cls(
            expected_engagement=expected_engagement,
            posts=posts,
            spend=spend,
        )

        creator_in_plan_out.additional_properties = d
        return creator_in_plan_out

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
