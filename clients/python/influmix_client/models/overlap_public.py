from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.platform import Platform

T = TypeVar("T", bound="OverlapPublic")


@_attrs_define
class OverlapPublic:
    """Two catalog entries and the share of the smaller audience that follows both.

    Attributes:
        a (str): Catalog id of one creator (the smaller id of the two).
        a_handle (str):
        a_platform (Platform):
        b (str): Catalog id of the other creator.
        b_handle (str):
        b_platform (Platform):
        created_at (datetime.datetime):
        id (str):
        share (float): Share of the smaller of the two audiences that follows both.
        updated_at (datetime.datetime):
    """

    a: str
    a_handle: str
    a_platform: Platform
    b: str
    b_handle: str
    b_platform: Platform
    created_at: datetime.datetime
    id: str
    share: float
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        a = self.a

        a_handle = self.a_handle

        a_platform = self.a_platform.value

        b = self.b

        b_handle = self.b_handle

        b_platform = self.b_platform.value

        created_at = self.created_at.isoformat()

        id = self.id

        share = self.share

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "a": a,
                "a_handle": a_handle,
                "a_platform": a_platform,
                "b": b,
                "b_handle": b_handle,
                "b_platform": b_platform,
                "created_at": created_at,
                "id": id,
                "share": share,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        a = d.pop("a")

        a_handle = d.pop("a_handle")

        a_platform = Platform(d.pop("a_platform"))

        b = d.pop("b")

        b_handle = d.pop("b_handle")

        b_platform = Platform(d.pop("b_platform"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        share = d.pop("share")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        overlap_public = cls(
            a=a,
            a_handle=a_handle,
            a_platform=a_platform,
            b=b,
            b_handle=b_handle,
            b_platform=b_platform,
            created_at=created_at,
            id=id,
            share=share,
            updated_at=updated_at,
        )

        overlap_public.additional_properties = d
        return overlap_public

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
