from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.engagement_quantiles_out import EngagementQuantilesOut


T = TypeVar("T", bound="OutOfSampleOut")


@_attrs_define
class OutOfSampleOut:
    """The plan's figures on fresh scenarios it was not fitted to, drawn with ``seed``.

    Attributes:
        engagement_cvar (float):
        engagement_quantiles (EngagementQuantilesOut): Plan engagement over the scenarios (numpy.quantile's linear
            interpolation).
        scenarios (int):
        seed (int):
    """

    engagement_cvar: float
    engagement_quantiles: EngagementQuantilesOut
    scenarios: int
    seed: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        engagement_cvar = self.engagement_cvar

        engagement_quantiles = self.engagement_quantiles.to_dict()

        scenarios = self.scenarios

        seed = self.seed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "engagement_cvar": engagement_cvar,
                "engagement_quantiles": engagement_quantiles,
                "scenarios": scenarios,
                "seed": seed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.engagement_quantiles_out import EngagementQuantilesOut  # noqa: PLC0415

        d = dict(src_dict)
        engagement_cvar = d.pop("engagement_cvar")

        engagement_quantiles = EngagementQuantilesOut.from_dict(d.pop("engagement_quantiles"))

        scenarios = d.pop("scenarios")

        seed = d.pop("seed")

        out_of_sample_out = cls(
            engagement_cvar=engagement_cvar,
            engagement_quantiles=engagement_quantiles,
            scenarios=scenarios,
            seed=seed,
        )

        out_of_sample_out.additional_properties = d
        return out_of_sample_out

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
