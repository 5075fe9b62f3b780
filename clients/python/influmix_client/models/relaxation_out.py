from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.constraint_kind import ConstraintKind
from ..models.relaxation_role import RelaxationRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="RelaxationOut")


@_attrs_define
class RelaxationOut:
    """A change to the request that admits a plan: on its own (an alternative) or with the
    other changes marked together.

        Attributes:
            constraint (str): The constraint's name, as `binding_constraints` lists it.
            current (float | None):
            kind (ConstraintKind):
            message (str): The change in a planner's words.
            required (float | None):
            cause (None | str | Unset): What in the request or roster makes the constraint impossible as asked, when that is
                evident; null otherwise.
            role (None | RelaxationRole | Unset): `alternative`: this change alone admits a plan (any one alternative will
                do); `together`: needed with every other `together` change. Null when the explanation was cut short before it
                was tested.
            subject (None | str | Unset): The tier, platform or candidate id it is about; null when plan-wide.
    """

    constraint: str
    current: float | None
    kind: ConstraintKind
    message: str
    required: float | None
    cause: None | str | Unset = UNSET
    role: None | RelaxationRole | Unset = UNSET
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

        cause: None | str | Unset
        if isinstance(self.cause, Unset):
            cause = UNSET
        else:
            cause = self.cause

        role: None | str | Unset
        if isinstance(self.role, Unset):
            role = UNSET
        elif isinstance(self.role, RelaxationRole):
            role = self.role.value
        else:
            role = self.role

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
        if cause is not UNSET:
            field_dict["cause"] = cause
        if role is not UNSET:
            field_dict["role"] = role
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

        def _parse_cause(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cause = _parse_cause(d.pop("cause", UNSET))

        def _parse_role(data: object) -> None | RelaxationRole | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                role_type_0 = RelaxationRole(data)

                return role_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RelaxationRole | Unset, data)

        role = _parse_role(d.pop("role", UNSET))

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
            cause=cause,
            role=role,
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
