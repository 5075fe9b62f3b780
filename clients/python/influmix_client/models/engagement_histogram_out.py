from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EngagementHistogramOut")


@_attrs_define
class EngagementHistogramOut:
    """Plan engagement over the scenarios in equal bins, for a chart: ``counts[k]`` scenarios
    fall in [edges[k], edges[k + 1]) (the last bin includes its upper edge).

        Attributes:
            counts (list[int]):
            edges (list[float]):
    """

    counts: list[int]
    edges: list[float]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        counts = self.counts

        edges = self.edges

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "counts": counts,
                "edges": edges,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        counts = cast(list[int], d.pop("counts"))

        edges = cast(list[float], d.pop("edges"))

        engagement_histogram_out = cls(
            counts=counts,
            edges=edges,
        )

        engagement_histogram_out.additional_properties = d
        return engagement_histogram_out

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
