from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.solve_stage import SolveStage

T = TypeVar("T", bound="JobProgressOut")


@_attrs_define
class JobProgressOut:
    """How far a running solve has got; figures in the units of ``solver``.

    Attributes:
        bound (float | None): Best proven bound on the objective so far.
        elapsed_s (float): Seconds since the solve started.
        gap (float | None): Relative gap between the two; null without both.
        objective (float | None): Objective of the best plan found so far.
        stage (SolveStage): The steps of ``optimize``, in the order they run (some may be skipped).
    """

    bound: float | None
    elapsed_s: float
    gap: float | None
    objective: float | None
    stage: SolveStage
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bound: float | None
        bound = self.bound

        elapsed_s = self.elapsed_s

        gap: float | None
        gap = self.gap

        objective: float | None
        objective = self.objective

        stage = self.stage.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bound": bound,
                "elapsed_s": elapsed_s,
                "gap": gap,
                "objective": objective,
                "stage": stage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_bound(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        bound = _parse_bound(d.pop("bound"))

        elapsed_s = d.pop("elapsed_s")

        def _parse_gap(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        gap = _parse_gap(d.pop("gap"))

        def _parse_objective(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        objective = _parse_objective(d.pop("objective"))

        stage = SolveStage(d.pop("stage"))

        job_progress_out = cls(
            bound=bound,
            elapsed_s=elapsed_s,
            gap=gap,
            objective=objective,
            stage=stage,
        )

        job_progress_out.additional_properties = d
        return job_progress_out

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
