from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="OverlapIn")


@_attrs_define
class OverlapIn:
    """Two candidates whose audiences overlap, as audience-overlap tools report it.

    Attributes:
        a (str): A candidate id.
        b (str): Another candidate id (a pair is given once, either order).
        share (float): The share of the smaller of the two audiences that follows both.
    """

    a: str
    b: str
    share: float

    def to_dict(self) -> dict[str, Any]:
        a = self.a

        b = self.b

        share = self.share

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "a": a,
                "b": b,
                "share": share,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        a = d.pop("a")

        b = d.pop("b")

        share = d.pop("share")

        overlap_in = cls(
            a=a,
            b=b,
            share=share,
        )

        return overlap_in
