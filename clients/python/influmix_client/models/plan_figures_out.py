from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PlanFiguresOut")


@_attrs_define
class PlanFiguresOut:
    """One plan's totals and risk in one flat list, so that two plans subtract field by field.

    null where the plan has no such figure: no totals (infeasible, failed, not yet solved),
    no engagement (cost per engagement), no scenarios (the CVaR figures).

        Attributes:
            budget (float):
            budget_left (float | None):
            cost_per_engagement (float | None):
            effective_influencers (float | None): 1 / hhi.
            engagement_cvar (float | None): Mean engagement over the worst alpha share of scenarios, when scenarios exist.
            engagement_p05 (float | None):
            engagement_p50 (float | None):
            engagement_p95 (float | None):
            expected_engagement (float | None):
            hhi (float | None): Sum of squared spend shares.
            influencers (float | None): Creators used (a count; a difference of counts).
            max_share (float | None): Largest share of spend one creator takes.
            reach (float | None):
            spend (float | None):
    """

    budget: float
    budget_left: float | None
    cost_per_engagement: float | None
    effective_influencers: float | None
    engagement_cvar: float | None
    engagement_p05: float | None
    engagement_p50: float | None
    engagement_p95: float | None
    expected_engagement: float | None
    hhi: float | None
    influencers: float | None
    max_share: float | None
    reach: float | None
    spend: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        budget = self.budget

        budget_left: float | None
        budget_left = self.budget_left

        cost_per_engagement: float | None
        cost_per_engagement = self.cost_per_engagement

        effective_influencers: float | None
        effective_influencers = self.effective_influencers

        engagement_cvar: float | None
        engagement_cvar = self.engagement_cvar

        engagement_p05: float | None
        engagement_p05 = self.engagement_p05

        engagement_p50: float | None
        engagement_p50 = self.engagement_p50

        engagement_p95: float | None
        engagement_p95 = self.engagement_p95

        expected_engagement: float | None
        expected_engagement = self.expected_engagement

        hhi: float | None
        hhi = self.hhi

        influencers: float | None
        influencers = self.influencers

        max_share: float | None
        max_share = self.max_share

        reach: float | None
        reach = self.reach

        spend: float | None
        spend = self.spend

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "budget": budget,
                "budget_left": budget_left,
                "cost_per_engagement": cost_per_engagement,
                "effective_influencers": effective_influencers,
                "engagement_cvar": engagement_cvar,
                "engagement_p05": engagement_p05,
                "engagement_p50": engagement_p50,
                "engagement_p95": engagement_p95,
                "expected_engagement": expected_engagement,
                "hhi": hhi,
                "influencers": influencers,
                "max_share": max_share,
                "reach": reach,
                "spend": spend,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        budget = d.pop("budget")

        def _parse_budget_left(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        budget_left = _parse_budget_left(d.pop("budget_left"))

        def _parse_cost_per_engagement(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        cost_per_engagement = _parse_cost_per_engagement(d.pop("cost_per_engagement"))

        def _parse_effective_influencers(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        effective_influencers = _parse_effective_influencers(d.pop("effective_influencers"))

        def _parse_engagement_cvar(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        engagement_cvar = _parse_engagement_cvar(d.pop("engagement_cvar"))

        def _parse_engagement_p05(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        engagement_p05 = _parse_engagement_p05(d.pop("engagement_p05"))

        def _parse_engagement_p50(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        engagement_p50 = _parse_engagement_p50(d.pop("engagement_p50"))

        def _parse_engagement_p95(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        engagement_p95 = _parse_engagement_p95(d.pop("engagement_p95"))

        def _parse_expected_engagement(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        expected_engagement = _parse_expected_engagement(d.pop("expected_engagement"))

        def _parse_hhi(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        hhi = _parse_hhi(d.pop("hhi"))

        def _parse_influencers(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        influencers = _parse_influencers(d.pop("influencers"))

        def _parse_max_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        max_share = _parse_max_share(d.pop("max_share"))

        def _parse_reach(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        reach = _parse_reach(d.pop("reach"))

        def _parse_spend(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        spend = _parse_spend(d.pop("spend"))

        plan_figures_out = cls(
            budget=budget,
            budget_left=budget_left,
            cost_per_engagement=cost_per_engagement,
            effective_influencers=effective_influencers,
            engagement_cvar=engagement_cvar,
            engagement_p05=engagement_p05,
            engagement_p50=engagement_p50,
            engagement_p95=engagement_p95,
            expected_engagement=expected_engagement,
            hhi=hhi,
            influencers=influencers,
            max_share=max_share,
            reach=reach,
            spend=spend,
        )

        plan_figures_out.additional_properties = d
        return plan_figures_out

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
