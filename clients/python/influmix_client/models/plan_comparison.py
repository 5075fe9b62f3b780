from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.compared_creator_out import ComparedCreatorOut
    from ..models.compared_plan_out import ComparedPlanOut


T = TypeVar("T", bound="PlanComparison")


@_attrs_define
class PlanComparison:
    """Plans side by side: their figures, mixes and creators, with differences to the first.

    Attributes:
        creators (list[ComparedCreatorOut]): Creators in every plan first, then those in fewer; most spent on first.
        notes (list[str]): What to keep in mind reading it (plans in different currencies, say).
        plans (list[ComparedPlanOut]):
    """

    creators: list[ComparedCreatorOut]
    notes: list[str]
    plans: list[ComparedPlanOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        creators = []
        for creators_item_data in self.creators:
            creators_item = creators_item_data.to_dict()
            creators.append(creators_item)

        notes = self.notes

        plans = []
        for plans_item_data in self.plans:
            plans_item = plans_item_data.to_dict()
            plans.append(plans_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "creators": creators,
                "notes": notes,
                "plans": plans,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.compared_creator_out import ComparedCreatorOut  # noqa: PLC0415
        from ..models.compared_plan_out import ComparedPlanOut  # noqa: PLC0415

        d = dict(src_dict)
        creators = []
        _creators = d.pop("creators")
        for creators_item_data in _creators:
            creators_item = ComparedCreatorOut.from_dict(creators_item_data)

            creators.append(creators_item)

        notes = cast(list[str], d.pop("notes"))

        plans = []
        _plans = d.pop("plans")
        for plans_item_data in _plans:
            plans_item = ComparedPlanOut.from_dict(plans_item_data)

            plans.append(plans_item)

        plan_comparison = cls(
            creators=creators,
            notes=notes,
            plans=plans,
        )

        plan_comparison.additional_properties = d
        return plan_comparison

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
