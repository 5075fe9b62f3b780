from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RelaxationOut")


@_attrs_define
class RelaxationOut:
    """
    Attributes:
        constraint (str):
        current (float | None):
        message (str):
        required (float | None):
    """

    constraint: str
    current: float | None
    message: str
    required: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        constraint = self.constraint

        current: float | None
        current = self.current

        message = self.message

        required: float | None
        required = self.required

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "constraint": constraint,
                "current": current,
                "message": message,
                "required": required,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        constraint = d.pop("constraint")

        def _parse_current(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        current = _parse_current(d.pop("current"))

        message = d.pop("message")

        def _parse_required(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        required = _parse_required(d.pop("required"))

        relaxation_out = cls(
            constraint=constraint,
            current=current,
            message=message,
            required=required,
        )

        relaxation_out.additional_properties = d
        return relaxation_out

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
