from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.objective_kind import ObjectiveKind
from ..models.plan_state import PlanState

T = TypeVar("T", bound="PlanSummary")


@_attrs_define
class PlanSummary:
    """One row of a plan listing.

    Attributes:
        budget (float):
        created_at (datetime.datetime):
        currency (str):
        expected_engagement (float | None):
        id (str):
        influencers (int | None):
        name (None | str):
        objective_kind (ObjectiveKind):
        spend (float | None): null for plans without allocations' totals.
        status (PlanState): A stored plan's status: the solve's own (``PlanStatus``) once it has one, and the job's
            before that.
    """

    budget: float
    created_at: datetime.datetime
    currency: str
    expected_engagement: float | None
    id: str
    influencers: int | None
    name: None | str
    objective_kind: ObjectiveKind
    spend: float | None
    status: PlanState
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        budget = self.budget

        created_at = self.created_at.isoformat()

        currency = self.currency

        expected_engagement: float | None
        expected_engagement = self.expected_engagement

        id = self.id

        influencers: int | None
        influencers = self.influencers

        name: None | str
        name = self.name

        objective_kind = self.objective_kind.value

        spend: float | None
        spend = self.spend

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "budget": budget,
                "created_at": created_at,
                "currency": currency,
                "expected_engagement": expected_engagement,
                "id": id,
                "influencers": influencers,
                "name": name,
                "objective_kind": objective_kind,
                "spend": spend,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        budget = d.pop("budget")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        def _parse_expected_engagement(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        expected_engagement = _parse_expected_engagement(d.pop("expected_engagement"))

        id = d.pop("id")

        def _parse_influencers(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        influencers = _parse_influencers(d.pop("influencers"))

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        objective_kind = ObjectiveKind(d.pop("objective_kind"))

        def _parse_spend(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        spend = _parse_spend(d.pop("spend"))

        status = PlanState(d.pop("status"))

        plan_summary = cls(
            budget=budget,
            created_at=created_at,
            currency=currency,
            expected_engagement=expected_engagement,
            id=id,
            influencers=influencers,
            name=name,
            objective_kind=objective_kind,
            spend=spend,
            status=status,
        )

        plan_summary.additional_properties = d
        return plan_summary

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
