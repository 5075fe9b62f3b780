from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.engagement_histogram_out import EngagementHistogramOut
    from ..models.engagement_quantiles_out import EngagementQuantilesOut
    from ..models.out_of_sample_out import OutOfSampleOut


T = TypeVar("T", bound="RiskOut")


@_attrs_define
class RiskOut:
    """
    Attributes:
        effective_influencers (float): 1 / hhi.
        hhi (float): Sum of squared spend shares.
        max_share (float):
        alpha (float | None | Unset): The CVaR's tail share; present whenever scenarios exist.
        engagement_cvar (float | None | Unset): Mean plan engagement over its worst alpha share of scenarios (CVaR).
        engagement_histogram (EngagementHistogramOut | None | Unset): At most 30 bins, whatever the number of scenarios.
        engagement_quantiles (EngagementQuantilesOut | None | Unset):
        out_of_sample (None | OutOfSampleOut | Unset): Generated scenarios only: the same figures on fresh scenarios
            (seed + 1).
        scenarios (int | None | Unset): How many scenarios were used.
    """

    effective_influencers: float
    hhi: float
    max_share: float
    alpha: float | None | Unset = UNSET
    engagement_cvar: float | None | Unset = UNSET
    engagement_histogram: EngagementHistogramOut | None | Unset = UNSET
    engagement_quantiles: EngagementQuantilesOut | None | Unset = UNSET
    out_of_sample: None | OutOfSampleOut | Unset = UNSET
    scenarios: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.engagement_histogram_out import EngagementHistogramOut  # noqa: PLC0415
        from ..models.engagement_quantiles_out import EngagementQuantilesOut  # noqa: PLC0415
        from ..models.out_of_sample_out import OutOfSampleOut  # noqa: PLC0415

        effective_influencers = self.effective_influencers

        hhi = self.hhi

        max_share = self.max_share

        alpha: float | None | Unset
        if isinstance(self.alpha, Unset):
            alpha = UNSET
        else:
            alpha = self.alpha

        engagement_cvar: float | None | Unset
        if isinstance(self.engagement_cvar, Unset):
            engagement_cvar = UNSET
        else:
            engagement_cvar = self.engagement_cvar

        engagement_histogram: dict[str, Any] | None | Unset
        if isinstance(self.engagement_histogram, Unset):
            engagement_histogram = UNSET
        elif isinstance(self.engagement_histogram, EngagementHistogramOut):
            engagement_histogram = self.engagement_histogram.to_dict()
        else:
            engagement_histogram = self.engagement_histogram

        engagement_quantiles: dict[str, Any] | None | Unset
        if isinstance(self.engagement_quantiles, Unset):
            engagement_quantiles = UNSET
        elif isinstance(self.engagement_quantiles, EngagementQuantilesOut):
            engagement_quantiles = self.engagement_quantiles.to_dict()
        else:
            engagement_quantiles = self.engagement_quantiles

        out_of_sample: dict[str, Any] | None | Unset
        if isinstance(self.out_of_sample, Unset):
            out_of_sample = UNSET
        elif isinstance(self.out_of_sample, OutOfSampleOut):
            out_of_sample = self.out_of_sample.to_dict()
        else:
            out_of_sample = self.out_of_sample

        scenarios: int | None | Unset
        if isinstance(self.scenarios, Unset):
            scenarios = UNSET
        else:
            scenarios = self.scenarios

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "effective_influencers": effective_influencers,
                "hhi": hhi,
                "max_share": max_share,
            }
        )
        if alpha is not UNSET:
            field_dict["alpha"] = alpha
        if engagement_cvar is not UNSET:
            field_dict["engagement_cvar"] = engagement_cvar
        if engagement_histogram is not UNSET:
            field_dict["engagement_histogram"] = engagement_histogram
        if engagement_quantiles is not UNSET:
            field_dict["engagement_quantiles"] = engagement_quantiles
        if out_of_sample is not UNSET:
            field_dict["out_of_sample"] = out_of_sample
        if scenarios is not UNSET:
            field_dict["scenarios"] = scenarios

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.engagement_histogram_out import EngagementHistogramOut  # noqa: PLC0415
        from ..models.engagement_quantiles_out import EngagementQuantilesOut  # noqa: PLC0415
        from ..models.out_of_sample_out import OutOfSampleOut  # noqa: PLC0415

        d = dict(src_dict)
        effective_influencers = d.pop("effective_influencers")

        hhi = d.pop("hhi")

        max_share = d.pop("max_share")

        def _parse_alpha(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        alpha = _parse_alpha(d.pop("alpha", UNSET))

        def _parse_engagement_cvar(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        engagement_cvar = _parse_engagement_cvar(d.pop("engagement_cvar", UNSET))

        def _parse_engagement_histogram(data: object) -> EngagementHistogramOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                engagement_histogram_type_0 = EngagementHistogramOut.from_dict(data)

                return engagement_histogram_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EngagementHistogramOut | None | Unset, data)

        engagement_histogram = _parse_engagement_histogram(d.pop("engagement_histogram", UNSET))

        def _parse_engagement_quantiles(data: object) -> EngagementQuantilesOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                engagement_quantiles_type_0 = EngagementQuantilesOut.from_dict(data)

                return engagement_quantiles_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EngagementQuantilesOut | None | Unset, data)

        engagement_quantiles = _parse_engagement_quantiles(d.pop("engagement_quantiles", UNSET))

        def _parse_out_of_sample(data: object) -> None | OutOfSampleOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                out_of_sample_type_0 = OutOfSampleOut.from_dict(data)

                return out_of_sample_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OutOfSampleOut | Unset, data)

        out_of_sample = _parse_out_of_sample(d.pop("out_of_sample", UNSET))

        def _parse_scenarios(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        scenarios = _parse_scenarios(d.pop("scenarios", UNSET))

        risk_out = cls(
            effective_influencers=effective_influencers,
            hhi=hhi,
            max_share=max_share,
            alpha=alpha,
            engagement_cvar=engagement_cvar,
            engagement_histogram=engagement_histogram,
            engagement_quantiles=engagement_quantiles,
            out_of_sample=out_of_sample,
            scenarios=scenarios,
        )

        risk_out.additional_properties = d
        return risk_out

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
