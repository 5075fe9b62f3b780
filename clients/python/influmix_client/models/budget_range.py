from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="BudgetRange")


@_attrs_define
class BudgetRange:
    """Budgets from ``start`` to ``stop`` every ``step``; ``stop`` is included when it falls on
    a step (up to float rounding).

        Attributes:
            start (float):
            step (float):
            stop (float):
    """

    start: float
    step: float
    stop: float

    def to_dict(self) -> dict[str, Any]:
        start = self.start

        step = self.step

        stop = self.stop

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "start": start,
                "step": step,
                "stop": stop,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        start = d.pop("start")

        step = d.pop("step")

        stop = d.pop("stop")

        budget_range = cls(
            start=start,
            step=step,
            stop=stop,
        )

        return budget_range
