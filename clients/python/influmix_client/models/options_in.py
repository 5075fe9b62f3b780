from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.options_in_engagement_priors_type_0 import OptionsInEngagementPriorsType0
    from ..models.risk_in import RiskIn
    from ..models.tier_in import TierIn


T = TypeVar("T", bound="OptionsIn")


@_attrs_define
class OptionsIn:
    """
    Attributes:
        engagement_priors (None | OptionsInEngagementPriorsType0 | Unset): Override the default per-tier engagement
            priors, name by name.
        levers (bool | Unset): Re-solve the plan with each limiting constraint loosened by one step and say what each
            gains (diagnostics.levers), within the server's time box for levers and the request's time limit; false answers
            sooner without them. Default: True.
        mip_gap (float | Unset):  Default: 0.0001.
        repeat_post_decay (float | Unset): Engagement of the k-th post is scaled by d^(k-1). Default: 1.0.
        risk (None | RiskIn | Unset): Generate engagement scenarios (also done, with these defaults, when a CVaR
            constraint or objective asks for them); the answer then carries the plan's CVaR and quantiles.
        tiers (list[TierIn] | None | Unset): null = default tiers.
        time_limit_s (float | None | Unset): Solver time limit; capped by the server's limit (null = that limit).
            Default: 10.0.
    """

    engagement_priors: None | OptionsInEngagementPriorsType0 | Unset = UNSET
    levers: bool | Unset = True
    mip_gap: float | Unset = 0.0001
    repeat_post_decay: float | Unset = 1.0
    risk: None | RiskIn | Unset = UNSET
    tiers: list[TierIn] | None | Unset = UNSET
    time_limit_s: float | None | Unset = 10.0

    def to_dict(self) -> dict[str, Any]:
        from ..models.options_in_engagement_priors_type_0 import OptionsInEngagementPriorsType0  # noqa: PLC0415
        from ..models.risk_in import RiskIn  # noqa: PLC0415

        engagement_priors: dict[str, Any] | None | Unset
        if isinstance(self.engagement_priors, Unset):
            engagement_priors = UNSET
        elif isinstance(self.engagement_priors, OptionsInEngagementPriorsType0):
            engagement_priors = self.engagement_priors.to_dict()
        else:
            engagement_priors = self.engagement_priors

        levers = self.levers

        mip_gap = self.mip_gap

        repeat_post_decay = self.repeat_post_decay

        risk: dict[str, Any] | None | Unset
        if isinstance(self.risk, Unset):
            risk = UNSET
        elif isinstance(self.risk, RiskIn):
            risk = self.risk.to_dict()
        else:
            risk = self.risk

        tiers: list[dict[str, Any]] | None | Unset
        if isinstance(self.tiers, Unset):
            tiers = UNSET
        elif isinstance(self.tiers, list):
            tiers = []
            for tiers_type_0_item_data in self.tiers:
                tiers_type_0_item = tiers_type_0_item_data.to_dict()
                tiers.append(tiers_type_0_item)

        else:
            tiers = self.tiers

        time_limit_s: float | None | Unset
        if isinstance(self.time_limit_s, Unset):
            time_limit_s = UNSET
        else:
            time_limit_s = self.time_limit_s

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if engagement_priors is not UNSET:
            field_dict["engagement_priors"] = engagement_priors
        if levers is not UNSET:
            field_dict["levers"] = levers
        if mip_gap is not UNSET:
            field_dict["mip_gap"] = mip_gap
        if repeat_post_decay is not UNSET:
            field_dict["repeat_post_decay"] = repeat_post_decay
        if risk is not UNSET:
            field_dict["risk"] = risk
        if tiers is not UNSET:
            field_dict["tiers"] = tiers
        if time_limit_s is not UNSET:
            field_dict["time_limit_s"] = time_limit_s

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.options_in_engagement_priors_type_0 import OptionsInEngagementPriorsType0  # noqa: PLC0415
        from ..models.risk_in import RiskIn  # noqa: PLC0415
        from ..models.tier_in import TierIn  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_engagement_priors(data: object) -> None | OptionsInEngagementPriorsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                engagement_priors_type_0 = OptionsInEngagementPriorsType0.from_dict(data)

                return engagement_priors_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OptionsInEngagementPriorsType0 | Unset, data)

        engagement_priors = _parse_engagement_priors(d.pop("engagement_priors", UNSET))

        levers = d.pop("levers", UNSET)

        mip_gap = d.pop("mip_gap", UNSET)

        repeat_post_decay = d.pop("repeat_post_decay", UNSET)

        def _parse_risk(data: object) -> None | RiskIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                risk_type_0 = RiskIn.from_dict(data)

                return risk_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RiskIn | Unset, data)

        risk = _parse_risk(d.pop("risk", UNSET))

        def _parse_tiers(data: object) -> list[TierIn] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tiers_type_0 = []
                _tiers_type_0 = data
                for tiers_type_0_item_data in _tiers_type_0:
                    tiers_type_0_item = TierIn.from_dict(tiers_type_0_item_data)

                    tiers_type_0.append(tiers_type_0_item)

                return tiers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TierIn] | None | Unset, data)

        tiers = _parse_tiers(d.pop("tiers", UNSET))

        def _parse_time_limit_s(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        time_limit_s = _parse_time_limit_s(d.pop("time_limit_s", UNSET))

        options_in = cls(
            engagement_priors=engagement_priors,
            levers=levers,
            mip_gap=mip_gap,
            repeat_post_decay=repeat_post_decay,
            risk=risk,
            tiers=tiers,
            time_limit_s=time_limit_s,
        )

        return options_in
