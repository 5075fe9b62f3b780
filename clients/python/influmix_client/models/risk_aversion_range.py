from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RiskAversionRange")


@_attrs_define
class RiskAversionRange:
    """Risk aversions from ``start`` to ``stop`` every ``step``, all at the request's budget:
    0 weighs expected engagement alone, 1 the CVaR (the worst alpha share of scenarios) alone.
    ``stop`` is included when it falls on a step.

        Attributes:
            start (float | Unset):  Default: 0.0.
            step (float | Unset):  Default: 0.2.
            stop (float | Unset):  Default: 1.0.
    """

    start: float | Unset = 0.0
    step: float | Unset = 0.2
    stop: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        start = self.start

        step = self.step

        stop = self.stop

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if start is not UNSET:
            field_dict["start"] = start
        if step is not UNSET:
            field_dict["step"] = step
        if stop is not UNSET:
            field_dict["stop"] = stop

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        start = d.pop("start", UNSET)

        step = d.pop("step", UNSET)

        stop = d.pop("stop", UNSET)

        risk_aversion_range = cls(
            start=start,
            step=step,
            stop=stop,
        )

        return risk_aversion_range
