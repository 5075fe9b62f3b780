from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.plan_differences_out_by_platform import PlanDifferencesOutByPlatform
    from ..models.plan_differences_out_by_tier import PlanDifferencesOutByTier
    from ..models.plan_figures_out import PlanFiguresOut


T = TypeVar("T", bound="PlanDifferencesOut")


@_attrs_define
class PlanDifferencesOut:
    """This plan minus the first; a figure either plan lacks is null, a tier or platform one
    plan leaves out counts as nothing spent there.

        Attributes:
            by_platform (PlanDifferencesOutByPlatform):
            by_tier (PlanDifferencesOutByTier):
            figures (PlanFiguresOut): One plan's totals and risk in one flat list, so that two plans subtract field by
                field.

                null where the plan has no such figure: no totals (infeasible, failed, not yet solved),
                no engagement (cost per engagement), no scenarios (the CVaR figures).
    """

    by_platform: PlanDifferencesOutByPlatform
    by_tier: PlanDifferencesOutByTier
    figures: PlanFiguresOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        by_platform = self.by_platform.to_dict()

        by_tier = self.by_tier.to_dict()

        figures = self.figures.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "by_platform": by_platform,
                "by_tier": by_tier,
                "figures": figures,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_differences_out_by_platform import PlanDifferencesOutByPlatform  # noqa: PLC0415
        from ..models.plan_differences_out_by_tier import PlanDifferencesOutByTier  # noqa: PLC0415
        from ..models.plan_figures_out import PlanFiguresOut  # noqa: PLC0415

        d = dict(src_dict)
        by_platform = PlanDifferencesOutByPlatform.from_dict(d.pop("by_platform"))

        by_tier = PlanDifferencesOutByTier.from_dict(d.pop("by_tier"))

        figures = PlanFiguresOut.from_dict(d.pop("figures"))

        plan_differences_out = cls(
            by_platform=by_platform,
            by_tier=by_tier,
            figures=figures,
        )

        plan_differences_out.additional_properties = d
        return plan_differences_out

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
