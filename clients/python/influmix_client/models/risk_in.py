from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.risk_in_tier_relative_sd_type_0 import RiskInTierRelativeSdType0


T = TypeVar("T", bound="RiskIn")


@_attrs_define
class RiskIn:
    """How engagement scenarios are generated (when no candidate brings its own).

    Attributes:
        alpha (float | Unset): The CVaR's tail: the worst alpha share. Default: 0.05.
        platform_shock_sd (float | Unset): Spread of the shock shared by every creator of one platform (lognormal).
            Default: 0.15.
        scenarios (int | Unset): Scenarios drawn; candidates x scenarios may reach 10,000,000. Default: 500.
        seed (int | Unset): Same seed, same scenarios. Default: 0.
        tier_relative_sd (None | RiskInTierRelativeSdType0 | Unset): Per tier, the rate's standard deviation relative to
            the rate, for candidates without engagement_rate_sd; a tier not named takes 0.5.
    """

    alpha: float | Unset = 0.05
    platform_shock_sd: float | Unset = 0.15
    scenarios: int | Unset = 500
    seed: int | Unset = 0
    tier_relative_sd: None | RiskInTierRelativeSdType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.risk_in_tier_relative_sd_type_0 import RiskInTierRelativeSdType0  # noqa: PLC0415

        alpha = self.alpha

        platform_shock_sd = self.platform_shock_sd

        scenarios = self.scenarios

        seed = self.seed

        tier_relative_sd: dict[str, Any] | None | Unset
        if isinstance(self.tier_relative_sd, Unset):
            tier_relative_sd = UNSET
        elif isinstance(self.tier_relative_sd, RiskInTierRelativeSdType0):
            tier_relative_sd = self.tier_relative_sd.to_dict()
        else:
            tier_relative_sd = self.tier_relative_sd

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if alpha is not UNSET:
            field_dict["alpha"] = alpha
        if platform_shock_sd is not UNSET:
            field_dict["platform_shock_sd"] = platform_shock_sd
        if scenarios is not UNSET:
            field_dict["scenarios"] = scenarios
        if seed is not UNSET:
            field_dict["seed"] = seed
        if tier_relative_sd is not UNSET:
            field_dict["tier_relative_sd"] = tier_relative_sd

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.risk_in_tier_relative_sd_type_0 import RiskInTierRelativeSdType0  # noqa: PLC0415

        d = dict(src_dict)
        alpha = d.pop("alpha", UNSET)

        platform_shock_sd = d.pop("platform_shock_sd", UNSET)

        scenarios = d.pop("scenarios", UNSET)

        seed = d.pop("seed", UNSET)

        def _parse_tier_relative_sd(data: object) -> None | RiskInTierRelativeSdType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tier_relative_sd_type_0 = RiskInTierRelativeSdType0.from_dict(data)

                return tier_relative_sd_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RiskInTierRelativeSdType0 | Unset, data)

        tier_relative_sd = _parse_tier_relative_sd(d.pop("tier_relative_sd", UNSET))

        risk_in = cls(
            alpha=alpha,
            platform_shock_sd=platform_shock_sd,
            scenarios=scenarios,
            seed=seed,
            tier_relative_sd=tier_relative_sd,
        )

        return risk_in
