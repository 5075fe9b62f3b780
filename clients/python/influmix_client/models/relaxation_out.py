from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.constraint_kind import ConstraintKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="RelaxationOut")


@_attrs_define
class RelaxationOut:
    """A change to the request that, with the others listed, admits a plan.

    Attributes:
        constraint (str): The constraint's name, as `binding_constraints` lists it.
        current (float | None):
        kind (ConstraintKind):
        message (str): The change in a planner's words.
        required (float | None):
        subject (None | str | Unset): The tier, platform or candidate id it is about; null when plan-wide.
    """

    constraint: str
    current: float | None
    kind: ConstraintKind
    message: str
    required: float | None
    subject: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        constraint = self.constraint

        current: float | None
        current = self.current

        kind = self.kind.value

        message = self.message

        required: float | None
        required = self.required

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
                "current": current,
                "kind": kind,
                "message": message,
                "required": required,
            }
        )
        if subject is not UNSET:
            field_dict["subject"] = subject

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

        kind = ConstraintKind(d.pop("kind"))

        message = d.pop("message")

        def _parse_required(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        required = _parse_required(d.pop("required"))

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        relaxation_out = cls(
            constraint=constraint,
            current=current,
            kind=kind,
            message=message,
            required=required,
            subject=subject,
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
