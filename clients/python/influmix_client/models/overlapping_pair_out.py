from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OverlappingPairOut")


@_attrs_define
class OverlappingPairOut:
    """Two creators of the plan whose audiences overlap.

    Attributes:
        a (str):
        b (str):
        share (float): Share of the smaller audience that follows both.
        shared_audience (float): share x the smaller of the two reaches.
    """

    a: str
    b: str
    share: float
    shared_audience: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        a = self.a

        b = self.b

        share = self.share

        shared_audience = self.shared_audience

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "a": a,
                "b": b,
                "share": share,
                "shared_audience": shared_audience,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        a = d.pop("a")

        b = d.pop("b")

        share = d.pop("share")

        shared_audience = d.pop("shared_audience")

        overlapping_pair_out = cls(
            a=a,
            b=b,
            share=share,
            shared_audience=shared_audience,
        )

        overlapping_pair_out.additional_properties = d
        return overlapping_pair_out

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
