from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TotalsOut")


@_attrs_define
class TotalsOut:
    """
    Attributes:
        budget_left (float):
        cost_per_engagement (float | None):
        expected_engagement (float):
        influencers (int):
        reach (float):
        spend (float):
    """

    budget_left: float
    cost_per_engagement: float | None
    expected_engagement: float
    influencers: int
    reach: float
    spend: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        budget_left = self.budget_left

        cost_per_engagement: float | None
        cost_per_engagement = self.cost_per_engagement

        expected_engagement = self.expected_engagement

        influencers = self.influencers

        reach = self.reach

        spend = self.spend

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "budget_left": budget_left,
                "cost_per_engagement": cost_per_engagement,
                "expected_engagement": expected_engagement,
                "influencers": influencers,
                "reach": reach,
                "spend": spend,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        budget_left = d.pop("budget_left")

        def _parse_cost_per_engagement(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        cost_per_engagement = _parse_cost_per_engagement(d.pop("cost_per_engagement"))

        expected_engagement = d.pop("expected_engagement")

        influencers = d.pop("influencers")

        reach = d.pop("reach")

        spend = d.pop("spend")

        totals_out = cls(
            budget_left=budget_left,
            cost_per_engagement=cost_per_engagement,
            expected_engagement=expected_engagement,
            influencers=influencers,
            reach=reach,
            spend=spend,
        )

        totals_out.additional_properties = d
        return totals_out

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
