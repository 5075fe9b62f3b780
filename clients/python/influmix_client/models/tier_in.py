from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TierIn")


@_attrs_define
class TierIn:
    """
    Attributes:
        min_followers (int):
        name (str):
    """

    min_followers: int
    name: str

    def to_dict(self) -> dict[str, Any]:
        min_followers = self.min_followers

        name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "min_followers": min_followers,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        min_followers = d.pop("min_followers")

        name = d.pop("name")

        tier_in = cls(
            min_followers=min_followers,
            name=name,
        )

        return tier_in
