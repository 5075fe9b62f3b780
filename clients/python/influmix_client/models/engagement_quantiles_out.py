from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EngagementQuantilesOut")


@_attrs_define
class EngagementQuantilesOut:
    """Plan engagement over the scenarios (numpy.quantile's linear interpolation).

    Attributes:
        p05 (float):
        p50 (float):
        p95 (float):
    """

    p05: float
    p50: float
    p95: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        p05 = self.p05

        p50 = self.p50

        p95 = self.p95

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "p05": p05,
                "p50": p50,
                "p95": p95,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        p05 = d.pop("p05")

        p50 = d.pop("p50")

        p95 = d.pop("p95")

        engagement_quantiles_out = cls(
            p05=p05,
            p50=p50,
            p95=p95,
        )

        engagement_quantiles_out.additional_properties = d
        return engagement_quantiles_out

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
