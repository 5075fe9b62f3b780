from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.plan_state import PlanState

if TYPE_CHECKING:
    from ..models.frontier_point_out_platform_mix import FrontierPointOutPlatformMix
    from ..models.frontier_point_out_tier_mix import FrontierPointOutTierMix


T = TypeVar("T", bound="FrontierPointOut")


@_attrs_define
class FrontierPointOut:
    """One point of the frontier: its plan's figures, null until the plan has an answer with
    totals (queued, running, cancelled, infeasible and failed plans have none).

        Attributes:
            budget (float):
            engagement_cvar (float | None): Mean engagement of the plan's worst alpha share of scenarios
                (risk.engagement_cvar); null when the plan has no scenarios.
            expected_engagement (float | None):
            gap (float | None): Relative MIP gap; above 0 when the time limit hit.
            influencers (int | None): Creators funded.
            marginal_engagement_per_1000 (float | None): marginal_engagement_per_unit times 1,000: what each extra thousand
                buys.
            marginal_engagement_per_unit (float | None): Engagement gained per extra currency unit of budget (not of spend)
                since the previous point with figures; null for the first such point, for points without figures and in a risk
                aversion sweep.
            plan_id (None | str): The plan solved at this budget (GET /v1/plans/{id}).
            platform_mix (FrontierPointOutPlatformMix): Share of spend per platform (fractions summing to 1); empty without
                figures.
            risk_aversion (float | None): The point's risk aversion in a risk sweep; null otherwise.
            spend (float | None):
            status (PlanState): A stored plan's status: the solve's own (``PlanStatus``) once it has one, and the job's
                before that.
            tier_mix (FrontierPointOutTierMix): Share of spend per tier (fractions summing to 1); empty without figures.
    """

    budget: float
    engagement_cvar: float | None
    expected_engagement: float | None
    gap: float | None
    influencers: int | None
    marginal_engagement_per_1000: float | None
    marginal_engagement_per_unit: float | None
    plan_id: None | str
    platform_mix: FrontierPointOutPlatformMix
    risk_aversion: float | None
    spend: float | None
    status: PlanState
    tier_mix: FrontierPointOutTierMix
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        budget = self.budget

        engagement_cvar: float | None
        engagement_cvar = self.engagement_cvar

        expected_engagement: float | None
        expected_engagement = self.expected_engagement

        gap: float | None
        gap = self.gap

        influencers: int | None
        influencers = self.influencers

        marginal_engagement_per_1000: float | None
        marginal_engagement_per_1000 = self.marginal_engagement_per_1000

        marginal_engagement_per_unit: float | None
        marginal_engagement_per_unit = self.marginal_engagement_per_unit

        plan_id: None | str
        plan_id = self.plan_id

        platform_mix = self.platform_mix.to_dict()

        risk_aversion: float | None
        risk_aversion = self.risk_aversion

        spend: float | None
        spend = self.spend

        status = self.status.value

        tier_mix = self.tier_mix.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "budget": budget,
                "engagement_cvar": engagement_cvar,
                "expected_engagement": expected_engagement,
                "gap": gap,
                "influencers": influencers,
                "marginal_engagement_per_1000": marginal_engagement_per_1000,
                "marginal_engagement_per_unit": marginal_engagement_per_unit,
                "plan_id": plan_id,
                "platform_mix": platform_mix,
                "risk_aversion": risk_aversion,
                "spend": spend,
                "status": status,
                "tier_mix": tier_mix,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.frontier_point_out_platform_mix import FrontierPointOutPlatformMix  # noqa: PLC0415
        from ..models.frontier_point_out_tier_mix import FrontierPointOutTierMix  # noqa: PLC0415

        d = dict(src_dict)
        budget = d.pop("budget")

        def _parse_engagement_cvar(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        engagement_cvar = _parse_engagement_cvar(d.pop("engagement_cvar"))

        def _parse_expected_engagement(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        expected_engagement = _parse_expected_engagement(d.pop("expected_engagement"))

        def _parse_gap(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        gap = _parse_gap(d.pop("gap"))

        def _parse_influencers(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        influencers = _parse_influencers(d.pop("influencers"))

        def _parse_marginal_engagement_per_1000(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        marginal_engagement_per_1000 = _parse_marginal_engagement_per_1000(d.pop("marginal_engagement_per_1000"))

        def _parse_marginal_engagement_per_unit(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        marginal_engagement_per_unit = _parse_marginal_engagement_per_unit(d.pop("marginal_engagement_per_unit"))

        def _parse_plan_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        plan_id = _parse_plan_id(d.pop("plan_id"))

        platform_mix = FrontierPointOutPlatformMix.from_dict(d.pop("platform_mix"))

        def _parse_risk_aversion(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        risk_aversion = _parse_risk_aversion(d.pop("risk_aversion"))

        def _parse_spend(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        spend = _parse_spend(d.pop("spend"))

        status = PlanState(d.pop("status"))

        tier_mix = FrontierPointOutTierMix.from_dict(d.pop("tier_mix"))

        frontier_point_out = cls(
            budget=budget,
            engagement_cvar=engagement_cvar,
            expected_engagement=expected_engagement,
            gap=gap,
            influencers=influencers,
            marginal_engagement_per_1000=marginal_engagement_per_1000,
            marginal_engagement_per_unit=marginal_engagement_per_unit,
            plan_id=plan_id,
            platform_mix=platform_mix,
            risk_aversion=risk_aversion,
            spend=spend,
            status=status,
            tier_mix=tier_mix,
        )

        frontier_point_out.additional_properties = d
        return frontier_point_out

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
