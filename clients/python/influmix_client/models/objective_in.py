from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.objective_kind import ObjectiveKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="ObjectiveIn")


@_attrs_define
class ObjectiveIn:
    """
    Attributes:
        kind (ObjectiveKind | Unset):
        risk_aversion (float | Unset): Kind cvar_engagement maximizes (1 - risk_aversion) x expected engagement +
            risk_aversion x CVaR; 1 (the default) weighs the worst-case tail alone. Ignored by the other kinds. Default:
            1.0.
        target_engagement (float | None | Unset): Required by kind min_cost, ignored by the others.
    """

    kind: ObjectiveKind | Unset = UNSET
    risk_aversion: float | Unset = 1.0
    target_engagement: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        risk_aversion = self.risk_aversion

        target_engagement: float | None | Unset
        if isinstance(self.target_engagement, Unset):
            target_engagement = UNSET
        else:
            target_engagement = self.target_engagement

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if kind is not UNSET:
            field_dict["kind"] = kind
        if risk_aversion is not UNSET:
            field_dict["risk_aversion"] = risk_aversion
        if target_engagement is not UNSET:
            field_dict["target_engagement"] = target_engagement

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _kind = d.pop("kind", UNSET)
        kind: ObjectiveKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = ObjectiveKind(_kind)

        risk_aversion = d.pop("risk_aversion", UNSET)

        def _parse_target_engagement(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        target_engagement = _parse_target_engagement(d.pop("target_engagement", UNSET))

        objective_in = cls(
            kind=kind,
            risk_aversion=risk_aversion,
            target_engagement=target_engagement,
        )

        return objective_in
