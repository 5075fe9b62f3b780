from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.frontier_status import FrontierStatus
from ..models.frontier_sweep import FrontierSweep

if TYPE_CHECKING:
    from ..models.frontier_point_out import FrontierPointOut


T = TypeVar("T", bound="FrontierPublic")


@_attrs_define
class FrontierPublic:
    """A stored frontier and its points, ascending by budget.

    Attributes:
        chart_url (None | str): The frontier as an SVG chart (GET /v1/frontiers/{id}/chart.svg).
        created_at (datetime.datetime):
        currency (str):
        id (str):
        name (None | str):
        points (list[FrontierPointOut]):
        status (FrontierStatus):
        sweep (FrontierSweep):
    """

    chart_url: None | str
    created_at: datetime.datetime
    currency: str
    id: str
    name: None | str
    points: list[FrontierPointOut]
    status: FrontierStatus
    sweep: FrontierSweep
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chart_url: None | str
        chart_url = self.chart_url

        created_at = self.created_at.isoformat()

        currency = self.currency

        id = self.id

        name: None | str
        name = self.name

        points = []
        for points_item_data in self.points:
            points_item = points_item_data.to_dict()
            points.append(points_item)

        status = self.status.value

        sweep = self.sweep.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chart_url": chart_url,
                "created_at": created_at,
                "currency": currency,
                "id": id,
                "name": name,
                "points": points,
                "status": status,
                "sweep": sweep,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.frontier_point_out import FrontierPointOut  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_chart_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        chart_url = _parse_chart_url(d.pop("chart_url"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        id = d.pop("id")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        points = []
        _points = d.pop("points")
        for points_item_data in _points:
            points_item = FrontierPointOut.from_dict(points_item_data)

            points.append(points_item)

        status = FrontierStatus(d.pop("status"))

        sweep = FrontierSweep(d.pop("sweep"))

        frontier_public = cls(
            chart_url=chart_url,
            created_at=created_at,
            currency=currency,
            id=id,
            name=name,
            points=points,
            status=status,
            sweep=sweep,
        )

        frontier_public.additional_properties = d
        return frontier_public

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
