from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FieldProblem")


@_attrs_define
class FieldProblem:
    """One invalid value of a request.

    Attributes:
        field (str): The same path, dotted.
        loc (list[int | str]): Path to the value: where it was sent, then keys and list indexes.
        message (str):
        type_ (str): Machine-readable kind of error.
        column (str | Unset): Spreadsheet imports: the column's header as written in the file.
        row (int | Unset): Spreadsheet imports: the row as numbered in the file (the header is row 1).
    """

    field: str
    loc: list[int | str]
    message: str
    type_: str
    column: str | Unset = UNSET
    row: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        loc = []
        for loc_item_data in self.loc:
            loc_item: int | str
            loc_item = loc_item_data
            loc.append(loc_item)

        message = self.message

        type_ = self.type_

        column = self.column

        row = self.row

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "field": field,
                "loc": loc,
                "message": message,
                "type": type_,
            }
        )
        if column is not UNSET:
            field_dict["column"] = column
        if row is not UNSET:
            field_dict["row"] = row

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        field = d.pop("field")

        loc = []
        _loc = d.pop("loc")
        for loc_item_data in _loc:

            def _parse_loc_item(data: object) -> int | str:
                return cast(int | str, data)

            loc_item = _parse_loc_item(loc_item_data)

            loc.append(loc_item)

        message = d.pop("message")

        type_ = d.pop("type")

        column = d.pop("column", UNSET)

        row = d.pop("row", UNSET)

        field_problem = cls(
            field=field,
            loc=loc,
            message=message,
            type_=type_,
            column=column,
            row=row,
        )

        field_problem.additional_properties = d
        return field_problem

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
