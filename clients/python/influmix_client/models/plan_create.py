from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.candidate_in import CandidateIn
    from ..models.catalog_selection import CatalogSelection
    from ..models.constraints_in import ConstraintsIn
    from ..models.objective_in import ObjectiveIn
    from ..models.options_in import OptionsIn
    from ..models.overlap_in import OverlapIn


T = TypeVar("T", bound="PlanCreate")


@_attrs_define
class PlanCreate:
    """A plan request: a budget and the candidate creators, given inline (``candidates``) or
    drawn from the catalog (``catalog``); every other block is optional.

        Attributes:
            budget (float):
            candidates (list[CandidateIn] | None | Unset): At most the server's limit (100,000 by default). Required unless
                catalog.
            catalog (CatalogSelection | None | Unset): Draw the candidates from the catalog instead of sending them. The
                stored plan keeps the values it was solved with, so later catalog edits never change it.
            constraints (ConstraintsIn | Unset):
            currency (str | Unset): ISO 4217 code. Default: 'USD'.
            name (None | str | Unset):
            objective (ObjectiveIn | Unset):
            options (OptionsIn | Unset):
            overlaps (list[OverlapIn] | None | Unset): Audience overlaps between candidates: with them the answer carries
                unique reach (reach less the audience counted twice) and the plan's overlapping pairs. An unknown id, a pair
                given twice or with itself, or a creator whose overlapped audience (sum of share x the smaller reach) exceeds
                its own reach is refused.
    """

    budget: float
    candidates: list[CandidateIn] | None | Unset = UNSET
    catalog: CatalogSelection | None | Unset = UNSET
    constraints: ConstraintsIn | Unset = UNSET
    currency: str | Unset = "USD"
    name: None | str | Unset = UNSET
    objective: ObjectiveIn | Unset = UNSET
    options: OptionsIn | Unset = UNSET
    overlaps: list[OverlapIn] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.catalog_selection import CatalogSelection  # noqa: PLC0415

        budget = self.budget

        candidates: list[dict[str, Any]] | None | Unset
        if isinstance(self.candidates, Unset):
            candidates = UNSET
        elif isinstance(self.candidates, list):
            candidates = []
            for candidates_type_0_item_data in self.candidates:
                candidates_type_0_item = candidates_type_0_item_data.to_dict()
                candidates.append(candidates_type_0_item)

        else:
            candidates = self.candidates

        catalog: dict[str, Any] | None | Unset
        if isinstance(self.catalog, Unset):
            catalog = UNSET
        elif isinstance(self.catalog, CatalogSelection):
            catalog = self.catalog.to_dict()
        else:
            catalog = self.catalog

        constraints: dict[str, Any] | Unset = UNSET
        if not isinstance(self.constraints, Unset):
            constraints = self.constraints.to_dict()

        currency = self.currency

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        objective: dict[str, Any] | Unset = UNSET
        if not isinstance(self.objective, Unset):
            objective = self.objective.to_dict()

        options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options.to_dict()

        overlaps: list[dict[str, Any]] | None | Unset
        if isinstance(self.overlaps, Unset):
            overlaps = UNSET
        elif isinstance(self.overlaps, list):
            overlaps = []
            for overlaps_type_0_item_data in self.overlaps:
                overlaps_type_0_item = overlaps_type_0_item_data.to_dict()
                overlaps.append(overlaps_type_0_item)

        else:
            overlaps = self.overlaps

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "budget": budget,
            }
        )
        if candidates is not UNSET:
            field_dict["candidates"] = candidates
        if catalog is not UNSET:
            field_dict["catalog"] = catalog
        if constraints is not UNSET:
            field_dict["constraints"] = constraints
        if currency is not UNSET:
            field_dict["currency"] = currency
        if name is not UNSET:
            field_dict["name"] = name
        if objective is not UNSET:
            field_dict["objective"] = objective
        if options is not UNSET:
            field_dict["options"] = options
        if overlaps is not UNSET:
            field_dict["overlaps"] = overlaps

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.candidate_in import CandidateIn  # noqa: PLC0415
        from ..models.catalog_selection import CatalogSelection  # noqa: PLC0415
        from ..models.constraints_in import ConstraintsIn  # noqa: PLC0415
        from ..models.objective_in import ObjectiveIn  # noqa: PLC0415
        from ..models.options_in import OptionsIn  # noqa: PLC0415
        from ..models.overlap_in import OverlapIn  # noqa: PLC0415

        d = dict(src_dict)
        budget = d.pop("budget")

        def _parse_candidates(data: object) -> list[CandidateIn] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                candidates_type_0 = []
                _candidates_type_0 = data
                for candidates_type_0_item_data in _candidates_type_0:
                    candidates_type_0_item = CandidateIn.from_dict(candidates_type_0_item_data)

                    candidates_type_0.append(candidates_type_0_item)

                return candidates_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[CandidateIn] | None | Unset, data)

        candidates = _parse_candidates(d.pop("candidates", UNSET))

        def _parse_catalog(data: object) -> CatalogSelection | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                catalog_type_0 = CatalogSelection.from_dict(data)

                return catalog_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CatalogSelection | None | Unset, data)

        catalog = _parse_catalog(d.pop("catalog", UNSET))

        _constraints = d.pop("constraints", UNSET)
        constraints: ConstraintsIn | Unset
        if isinstance(_constraints, Unset):
            constraints = UNSET
        else:
            constraints = ConstraintsIn.from_dict(_constraints)

        currency = d.pop("currency", UNSET)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        _objective = d.pop("objective", UNSET)
        objective: ObjectiveIn | Unset
        if isinstance(_objective, Unset):
            objective = UNSET
        else:
            objective = ObjectiveIn.from_dict(_objective)

        _options = d.pop("options", UNSET)
        options: OptionsIn | Unset
        if isinstance(_options, Unset):
            options = UNSET
        else:
            options = OptionsIn.from_dict(_options)

        def _parse_overlaps(data: object) -> list[OverlapIn] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                overlaps_type_0 = []
                _overlaps_type_0 = data
                for overlaps_type_0_item_data in _overlaps_type_0:
                    overlaps_type_0_item = OverlapIn.from_dict(overlaps_type_0_item_data)

                    overlaps_type_0.append(overlaps_type_0_item)

                return overlaps_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[OverlapIn] | None | Unset, data)

        overlaps = _parse_overlaps(d.pop("overlaps", UNSET))

        plan_create = cls(
            budget=budget,
            candidates=candidates,
            catalog=catalog,
            constraints=constraints,
            currency=currency,
            name=name,
            objective=objective,
            options=options,
            overlaps=overlaps,
        )

        return plan_create
