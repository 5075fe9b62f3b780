from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.backend import Backend
from ..models.stop_reason import StopReason

T = TypeVar("T", bound="SolverOut")


@_attrs_define
class SolverOut:
    """
    Attributes:
        backend (Backend):
        bound (float | None):
        gap (float | None):
        objective (float | None):
        stopped_by (None | StopReason): Why the solve stopped before proving its answer: `time_limit`, or `cancelled` (a
            job cancelled while running keeps its best plan); null when it ran to the end.
        wall_time_s (float):
    """

    backend: Backend
    bound: float | None
    gap: float | None
    objective: float | None
    stopped_by: None | StopReason
    wall_time_s: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        backend = self.backend.value

        bound: float | None
        bound = self.bound

        gap: float | None
        gap = self.gap

        objective: float | None
        objective = self.objective

        stopped_by: None | str
        if isinstance(self.stopped_by, StopReason):
            stopped_by = self.stopped_by.value
        else:
            stopped_by = self.stopped_by

        wall_time_s = self.wall_time_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "backend": backend,
                "bound": bound,
                "gap": gap,
                "objective": objective,
                "stopped_by": stopped_by,
                "wall_time_s": wall_time_s,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        backend = Backend(d.pop("backend"))

        def _parse_bound(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        bound = _parse_bound(d.pop("bound"))

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

        def _parse_stopped_by(data: object) -> None | StopReason:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                stopped_by_type_0 = StopReason(data)

                return stopped_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StopReason, data)

        stopped_by = _parse_stopped_by(d.pop("stopped_by"))

        wall_time_s = d.pop("wall_time_s")

        solver_out = cls(
            backend=backend,
            bound=bound,
            gap=gap,
            objective=objective,
            stopped_by=stopped_by,
            wall_time_s=wall_time_s,
        )

        solver_out.additional_properties = d
        return solver_out

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
