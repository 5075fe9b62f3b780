from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.platform import Platform

if TYPE_CHECKING:
    from ..models.creator_in_plan_out import CreatorInPlanOut


T = TypeVar("T", bound="ComparedCreatorOut")


@_attrs_define
class ComparedCreatorOut:
    """One creator used by at least one of the plans, matched by platform and handle (without
    case or ``@``), so a typed-in plan and a catalog plan name the same creator once.

        Attributes:
            handle (str):
            id (str): The creator's id in the first plan that uses it.
            only_in (None | str): The id of the one plan that uses this creator; null when two or more do.
            plans (list[CreatorInPlanOut | None]): Per compared plan, in their order: what it buys of this creator (null:
                none).
            platform (Platform):
            tier (str):
    """

    handle: str
    id: str
    only_in: None | str
    plans: list[CreatorInPlanOut | None]
    platform: Platform
    tier: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.creator_in_plan_out import CreatorInPlanOut  # noqa: PLC0415

        handle = self.handle

        id = self.id

        only_in: None | str
        only_in = self.only_in

        plans = []
        for plans_item_data in self.plans:
            plans_item: dict[str, Any] | None
            if isinstance(plans_item_data, CreatorInPlanOut):
                plans_item = plans_item_data.to_dict()
            else:
                plans_item = plans_item_data
            plans.append(plans_item)

        platform = self.platform.value

        tier = self.tier

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "handle": handle,
                "id": id,
                "only_in": only_in,
                "plans": plans,
                "platform": platform,
                "tier": tier,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.creator_in_plan_out import CreatorInPlanOut  # noqa: PLC0415

        d = dict(src_dict)
        handle = d.pop("handle")

        id = d.pop("id")

        def _parse_only_in(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        only_in = _parse_only_in(d.pop("only_in"))

        plans = []
        _plans = d.pop("plans")
        for plans_item_data in _plans:

            def _parse_plans_item(data: object) -> CreatorInPlanOut | None:
                if data is None:
                    return data
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    plans_item_type_0 = CreatorInPlanOut.from_dict(data)

                    return plans_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast(CreatorInPlanOut | None, data)

            plans_item = _parse_plans_item(plans_item_data)

            plans.append(plans_item)

        platform = Platform(d.pop("platform"))

        tier = d.pop("tier")

        compared_creator_out = cls(
            handle=handle,
            id=id,
            only_in=only_in,
            plans=plans,
            platform=platform,
            tier=tier,
        )

        compared_creator_out.additional_properties = d
        return compared_creator_out

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
