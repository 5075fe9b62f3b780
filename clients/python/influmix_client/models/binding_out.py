from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.constraint_kind import ConstraintKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="BindingOut")


@_attrs_define
class BindingOut:
    """A constraint that holds the plan where it is.

    Attributes:
        constraint (str): The constraint's name, as `binding_constraints` lists it.
        kind (ConstraintKind):
        message (str): What it does to the plan, in a planner's words.
        subject (None | str | Unset): The tier, platform or candidate id it is about; null when plan-wide.
    """

    constraint: str
    kind: ConstraintKind
    message: str
    subject: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        constraint = self.constraint

        kind = self.kind.value

        message = self.message

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "constraint": constraint,
                "kind": kind,
                "message": message,
            }
        )
        if subject is not UNSET:
            field_dict["subject"] = subject

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        constraint = d.pop("constraint")

        kind = ConstraintKind(d.pop("kind"))

        message = d.pop("message")

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        binding_out = cls(
            constraint=constraint,
            kind=kind,
            message=message,
            subject=subject,
        )

        binding_out.additional_properties = d
        return binding_out

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
