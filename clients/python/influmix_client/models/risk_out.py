from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RiskOut")


@_attrs_define
class RiskOut:
    """
    Attributes:
        effective_influencers (float): 1 / hhi.
        hhi (float): Sum of squared spend shares.
        max_share (float):
    """

    effective_influencers: float
    hhi: float
    max_share: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        effective_influencers = self.effective_influencers

        hhi = self.hhi

        max_share = self.max_share

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "effective_influencers": effective_influencers,
                "hhi": hhi,
                "max_share": max_share,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        effective_influencers = d.pop("effective_influencers")

        hhi = d.pop("hhi")

        max_share = d.pop("max_share")

        risk_out = cls(
            effective_influencers=effective_influencers,
            hhi=hhi,
            max_share=max_share,
        )

        risk_out.additional_properties = d
        return risk_out

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
