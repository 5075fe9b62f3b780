from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

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
        overlapping_audience (float | None | Unset): The audience reached twice: sum over the plan's pairs of share x
            the smaller reach; null without overlaps.
        unique_reach (float | None | Unset): Reach less the audience the plan's creators share (pairwise inclusion-
            exclusion over the request's overlaps); null without overlaps.
    """

    budget_left: float
    cost_per_engagement: float | None
    expected_engagement: float
    influencers: int
    reach: float
    spend: float
    overlapping_audience: float | None | Unset = UNSET
    unique_reach: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        budget_left = self.budget_left

        cost_per_engagement: float | None
        cost_per_engagement = self.cost_per_engagement

        expected_engagement = self.expected_engagement

        influencers = self.influencers

        reach = self.reach

        spend = self.spend

        overlapping_audience: float | None | Unset
        if isinstance(self.overlapping_audience, Unset):
            overlapping_audience = UNSET
        else:
            overlapping_audience = self.overlapping_audience

        unique_reach: float | None | Unset
        if isinstance(self.unique_reach, Unset):
            unique_reach = UNSET
        else:
            unique_reach = self.unique_reach

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
        if overlapping_audience is not UNSET:
            field_dict["overlapping_audience"] = overlapping_audience
        if unique_reach is not UNSET:
            field_dict["unique_reach"] = unique_reach

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

        def _parse_overlapping_audience(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        overlapping_audience = _parse_overlapping_audience(d.pop("overlapping_audience", UNSET))

        def _parse_unique_reach(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        unique_reach = _parse_unique_reach(d.pop("unique_reach", UNSET))

        totals_out = cls(
            budget_left=budget_left,
            cost_per_engagement=cost_per_engagement,
            expected_engagement=expected_engagement,
            influencers=influencers,
            reach=reach,
            spend=spend,
            overlapping_audience=overlapping_audience,
            unique_reach=unique_reach,
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
