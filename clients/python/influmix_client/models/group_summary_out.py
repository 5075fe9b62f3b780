from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GroupSummaryOut")


@_attrs_define
class GroupSummaryOut:
    """
    Attributes:
        engagement (float):
        influencers (int):
        share (float):
        spend (float):
    """

    engagement: float
    influencers: int
    share: float
    spend: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        engagement = self.engagement

        influencers = self.influencers

        share = self.share

        spend = self.spend

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "engagement": engagement,
                "influencers": influencers,
                "share": share,
                "spend": spend,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        engagement = d.pop("engagement")

        influencers = d.pop("influencers")

        share = d.pop("share")

        spend = d.pop("spend")

        group_summary_out = cls(
            engagement=engagement,
            influencers=influencers,
            share=share,
            spend=spend,
        )

        group_summary_out.additional_properties = d
        return group_summary_out

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
