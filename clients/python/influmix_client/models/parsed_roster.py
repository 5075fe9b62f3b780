from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.candidate_in import CandidateIn
    from ..models.parsed_roster_columns import ParsedRosterColumns


T = TypeVar("T", bound="ParsedRoster")


@_attrs_define
class ParsedRoster:
    """A roster file read as the ``candidates`` of a plan request; nothing is stored.

    Attributes:
        candidates (list[CandidateIn]): One per row, in the file's order, ready for `POST /v1/plans`. The id is
            `platform:handle` (lowercase, without @), unique within the file.
        columns (ParsedRosterColumns): Each read column of the file and its field.
        file (None | str): The uploaded file's name.
        ignored_columns (list[str]): Columns that were not read; display names and notes are not plan fields.
        rows (int): Data rows read (blank rows are skipped).
        notes (list[str] | Unset):
    """

    candidates: list[CandidateIn]
    columns: ParsedRosterColumns
    file: None | str
    ignored_columns: list[str]
    rows: int
    notes: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        candidates = []
        for candidates_item_data in self.candidates:
            candidates_item = candidates_item_data.to_dict()
            candidates.append(candidates_item)

        columns = self.columns.to_dict()

        file: None | str
        file = self.file

        ignored_columns = self.ignored_columns

        rows = self.rows

        notes: list[str] | Unset = UNSET
        if not isinstance(self.notes, Unset):
            notes = self.notes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "candidates": candidates,
                "columns": columns,
                "file": file,
                "ignored_columns": ignored_columns,
                "rows": rows,
            }
        )
        if notes is not UNSET:
            field_dict["notes"] = notes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.candidate_in import CandidateIn  # noqa: PLC0415
        from ..models.parsed_roster_columns import ParsedRosterColumns  # noqa: PLC0415

        d = dict(src_dict)
        candidates = []
        _candidates = d.pop("candidates")
        for candidates_item_data in _candidates:
            candidates_item = CandidateIn.from_dict(candidates_item_data)

            candidates.append(candidates_item)

        columns = ParsedRosterColumns.from_dict(d.pop("columns"))

        def _parse_file(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        file = _parse_file(d.pop("file"))

        ignored_columns = cast(list[str], d.pop("ignored_columns"))

        rows = d.pop("rows")

        notes = cast(list[str], d.pop("notes", UNSET))

        parsed_roster = cls(
            candidates=candidates,
            columns=columns,
            file=file,
            ignored_columns=ignored_columns,
            rows=rows,
            notes=notes,
        )

        parsed_roster.additional_properties = d
        return parsed_roster

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
