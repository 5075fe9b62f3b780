from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.catalog_filters import CatalogFilters
    from ..models.catalog_selection_overrides import CatalogSelectionOverrides


T = TypeVar("T", bound="CatalogSelection")


@_attrs_define
class CatalogSelection:
    """Candidates drawn from the stored catalog: those matching ``filters``, plus ``ids``.

    The candidate id of an entry is its catalog id, so ``must_include``, ``exclude`` and
    ``overrides`` use those ids.

        Attributes:
            filters (CatalogFilters | None | Unset):
            ids (list[str] | None | Unset): Catalog ids to add to the filtered set.
            overrides (CatalogSelectionOverrides | Unset): Per catalog id, values that replace the catalog's for this plan.
    """

    filters: CatalogFilters | None | Unset = UNSET
    ids: list[str] | None | Unset = UNSET
    overrides: CatalogSelectionOverrides | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.catalog_filters import CatalogFilters  # noqa: PLC0415

        filters: dict[str, Any] | None | Unset
        if isinstance(self.filters, Unset):
            filters = UNSET
        elif isinstance(self.filters, CatalogFilters):
            filters = self.filters.to_dict()
        else:
            filters = self.filters

        ids: list[str] | None | Unset
        if isinstance(self.ids, Unset):
            ids = UNSET
        elif isinstance(self.ids, list):
            ids = self.ids

        else:
            ids = self.ids

        overrides: dict[str, Any] | Unset = UNSET
        if not isinstance(self.overrides, Unset):
            overrides = self.overrides.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if filters is not UNSET:
            field_dict["filters"] = filters
        if ids is not UNSET:
            field_dict["ids"] = ids
        if overrides is not UNSET:
            field_dict["overrides"] = overrides

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.catalog_filters import CatalogFilters  # noqa: PLC0415
        from ..models.catalog_selection_overrides import CatalogSelectionOverrides  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_filters(data: object) -> CatalogFilters | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                filters_type_0 = CatalogFilters.from_dict(data)

                return filters_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CatalogFilters | None | Unset, data)

        filters = _parse_filters(d.pop("filters", UNSET))

        def _parse_ids(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                ids_type_0 = cast(list[str], data)

                return ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        ids = _parse_ids(d.pop("ids", UNSET))

        _overrides = d.pop("overrides", UNSET)
        overrides: CatalogSelectionOverrides | Unset
        if isinstance(_overrides, Unset):
            overrides = UNSET
        else:
            overrides = CatalogSelectionOverrides.from_dict(_overrides)

        catalog_selection = cls(
            filters=filters,
            ids=ids,
            overrides=overrides,
        )

        return catalog_selection
