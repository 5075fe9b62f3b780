from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.constraint_kind import ConstraintKind
from ..models.lever_status import LeverStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="LeverOut")


@_attrs_define
class LeverOut:
    """What loosening one constraint by a planner-sized step would gain, re-solved.

    Attributes:
        constraint (str): The constraint's name, as `binding_constraints` lists it.
        current (float | None): The constraint's value in the request (its units: a share as a fraction, money, a
            count); null when the step is not one number (one more post per creator).
        gain (float | None): How much better than the plan's objective (positive, in its units; for min_cost, how much
            cheaper); 0 when loosening it would not pay.
        kind (ConstraintKind):
        loosened (float | None): The value it was loosened to, same units.
        message (str): The step and its gain, in a planner's words.
        objective (float | None): The re-solved plan's objective.
        status (LeverStatus):
        subject (None | str | Unset): The tier, platform or candidate id it is about; null when plan-wide.
    """

    constraint: str
    current: float | None
    gain: float | None
    kind: ConstraintKind
    loosened: float | None
    message: str
    objective: float | None
    status: LeverStatus
    subject: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        constraint = self.constraint

        current: float | None
        current = self.current

        gain: float | None
        gain = self.gain

        kind = self.kind.value

        loosened: float | None
        loosened = self.loosened

        message = self.message

        objective: float | None
        objective = self.objective

        status = self.status.value

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
                "gain": gain,
                "kind": kind,
                "loosened": loosened,
                "message": message,
                "objective": objective,
                "status": status,
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

        def _parse_gain(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        gain = _parse_gain(d.pop("gain"))

        kind = ConstraintKind(d.pop("kind"))

        def _parse_loosened(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        loosened = _parse_loosened(d.pop("loosened"))

        message = d.pop("message")

        def _parse_objective(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        objective = _parse_objective(d.pop("objective"))

        status = LeverStatus(d.pop("status"))

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        lever_out = cls(
            constraint=constraint,
            current=current,
            gain=gain,
            kind=kind,
            loosened=loosened,
            message=message,
            objective=objective,
            status=status,
            subject=subject,
        )

        lever_out.additional_properties = d
        return lever_out

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
