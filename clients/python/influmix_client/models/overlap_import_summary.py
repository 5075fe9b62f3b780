from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.overlap_import_summary_columns import OverlapImportSummaryColumns


T = TypeVar("T", bound="OverlapImportSummary")


@_attrs_define
class OverlapImportSummary:
    """What an overlap import stored (or, with ``dry_run``, would store): one pair per row.

    Attributes:
        columns (OverlapImportSummaryColumns): Each read column of the file and its field.
        created (int):
        dry_run (bool):
        file (None | str):
        ignored_columns (list[str]): Columns of the file that were not read.
        rows (int): Data rows read (blank rows are skipped).
        unchanged (int): Rows equal to what the catalog already held.
        updated (int):
        notes (list[str] | Unset):
    """

    columns: OverlapImportSummaryColumns
    created: int
    dry_run: bool
    file: None | str
    ignored_columns: list[str]
    rows: int
    unchanged: int
    updated: int
    notes: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        columns = self.columns.to_dict()

        created = self.created

        dry_run = self.dry_run

        file: None | str
        file = self.file

        ignored_columns = self.ignored_columns

        rows = self.rows

        unchanged = self.unchanged

        updated = self.updated

        notes: list[str] | Unset = UNSET
        if not isinstance(self.notes, Unset):
            notes = self.notes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "columns": columns,
                "created": created,
                "dry_run": dry_run,
                "file": file,
                "ignored_columns": ignored_columns,
                "rows": rows,
                "unchanged": unchanged,
                "updated": updated,
            }
        )
        if notes is not UNSET:
            field_dict["notes"] = notes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.overlap_import_summary_columns import OverlapImportSummaryColumns  # noqa: PLC0415

        d = dict(src_dict)
        columns = OverlapImportSummaryColumns.from_dict(d.pop("columns"))

        created = d.pop("created")

        dry_run = d.pop("dry_run")

        def _parse_file(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        file = _parse_file(d.pop("file"))

        ignored_columns = cast(list[str], d.pop("ignored_columns"))

        rows = d.pop("rows")

        unchanged = d.pop("unchanged")

        updated = d.pop("updated")

        notes = cast(list[str], d.pop("notes", UNSET))

        overlap_import_summary = cls(
            columns=columns,
            created=created,
            dry_run=dry_run,
            file=file,
            ignored_columns=ignored_columns,
            rows=rows,
            unchanged=unchanged,
            updated=updated,
            notes=notes,
        )

        overlap_import_summary.additional_properties = d
        return overlap_import_summary

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
