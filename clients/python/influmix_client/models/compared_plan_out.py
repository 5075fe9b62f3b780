from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.plan_state import PlanState

if TYPE_CHECKING:
    from ..models.compared_plan_out_by_platform import ComparedPlanOutByPlatform
    from ..models.compared_plan_out_by_tier import ComparedPlanOutByTier
    from ..models.plan_differences_out import PlanDifferencesOut
    from ..models.plan_figures_out import PlanFiguresOut


T = TypeVar("T", bound="ComparedPlanOut")


@_attrs_define
class ComparedPlanOut:
    """
    Attributes:
        by_platform (ComparedPlanOutByPlatform): Every platform any compared plan spends on (zero where this one does
            not).
        by_tier (ComparedPlanOutByTier): Every tier any compared plan spends on (zero where this one does not).
        created_at (datetime.datetime):
        currency (str):
        differences (None | PlanDifferencesOut): To the first plan; null for the first plan itself.
        figures (PlanFiguresOut): One plan's totals and risk in one flat list, so that two plans subtract field by
            field.

            null where the plan has no such figure: no totals (infeasible, failed, not yet solved),
            no engagement (cost per engagement), no scenarios (the CVaR figures).
        id (str):
        name (None | str):
        status (PlanState): A stored plan's status: the solve's own (``PlanStatus``) once it has one, and the job's
            before that.
    """

    by_platform: ComparedPlanOutByPlatform
    by_tier: ComparedPlanOutByTier
    created_at: datetime.datetime
    currency: str
    differences: None | PlanDifferencesOut
    figures: PlanFiguresOut
    id: str
    name: None | str
    status: PlanState
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.plan_differences_out import PlanDifferencesOut  # noqa: PLC0415

        by_platform = self.by_platform.to_dict()

        by_tier = self.by_tier.to_dict()

        created_at = self.created_at.isoformat()

        currency = self.currency

        differences: dict[str, Any] | None
        if isinstance(self.differences, PlanDifferencesOut):
            differences = self.differences.to_dict()
        else:
            differences = self.differences

        figures = self.figures.to_dict()

        id = self.id

        name: None | str
        name = self.name

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "by_platform": by_platform,
                "by_tier": by_tier,
                "created_at": created_at,
                "currency": currency,
                "differences": differences,
                "figures": figures,
                "id": id,
                "name": name,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.compared_plan_out_by_platform import ComparedPlanOutByPlatform  # noqa: PLC0415
        from ..models.compared_plan_out_by_tier import ComparedPlanOutByTier  # noqa: PLC0415
        from ..models.plan_differences_out import PlanDifferencesOut  # noqa: PLC0415
        from ..models.plan_figures_out import PlanFiguresOut  # noqa: PLC0415

        d = dict(src_dict)
        by_platform = ComparedPlanOutByPlatform.from_dict(d.pop("by_platform"))

        by_tier = ComparedPlanOutByTier.from_dict(d.pop("by_tier"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        def _parse_differences(data: object) -> None | PlanDifferencesOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                differences_type_0 = PlanDifferencesOut.from_dict(data)

                return differences_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PlanDifferencesOut, data)

        differences = _parse_differences(d.pop("differences"))

        figures = PlanFiguresOut.from_dict(d.pop("figures"))

        id = d.pop("id")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        status = PlanState(d.pop("status"))

        compared_plan_out = cls(
            by_platform=by_platform,
            by_tier=by_tier,
            created_at=created_at,
            currency=currency,
            differences=differences,
            figures=figures,
            id=id,
            name=name,
            status=status,
        )

        compared_plan_out.additional_properties = d
        return compared_plan_out

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
