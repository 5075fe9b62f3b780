from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.binding_out import BindingOut
    from ..models.excluded_out import ExcludedOut
    from ..models.lever_out import LeverOut
    from ..models.overlapping_pair_out import OverlappingPairOut
    from ..models.relaxation_out import RelaxationOut


T = TypeVar("T", bound="DiagnosticsOut")


@_attrs_define
class DiagnosticsOut:
    """
    Attributes:
        binding (list[BindingOut]): The binding constraints again, in the same order, each with its kind, subject and a
            sentence saying what it does to the plan.
        binding_constraints (list[str]):
        excluded (list[ExcludedOut]):
        ignored_exclude_ids (list[str]):
        levers (list[LeverOut]): Each constraint that limits the plan (tight at it or keeping creators out), loosened by
            one step and re-solved, best gain first; empty without a plan or with options.levers false.
        notes (list[str]):
        overlapping_pairs (list[OverlappingPairOut]): With overlaps: the plan's pairs of creators sharing audience, the
            largest shared audience first (at most 50).
        relaxation (list[RelaxationOut]):
    """

    binding: list[BindingOut]
    binding_constraints: list[str]
    excluded: list[ExcludedOut]
    ignored_exclude_ids: list[str]
    levers: list[LeverOut]
    notes: list[str]
    overlapping_pairs: list[OverlappingPairOut]
    relaxation: list[RelaxationOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        binding = []
        for binding_item_data in self.binding:
            binding_item = binding_item_data.to_dict()
            binding.append(binding_item)

        binding_constraints = self.binding_constraints

        excluded = []
        for excluded_item_data in self.excluded:
            excluded_item = excluded_item_data.to_dict()
            excluded.append(excluded_item)

        ignored_exclude_ids = self.ignored_exclude_ids

        levers = []
        for levers_item_data in self.levers:
            levers_item = levers_item_data.to_dict()
            levers.append(levers_item)

        notes = self.notes

        overlapping_pairs = []
        for overlapping_pairs_item_data in self.overlapping_pairs:
            overlapping_pairs_item = overlapping_pairs_item_data.to_dict()
            overlapping_pairs.append(overlapping_pairs_item)

        relaxation = []
        for relaxation_item_data in self.relaxation:
            relaxation_item = relaxation_item_data.to_dict()
            relaxation.append(relaxation_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "binding": binding,
                "binding_constraints": binding_constraints,
                "excluded": excluded,
                "ignored_exclude_ids": ignored_exclude_ids,
                "levers": levers,
                "notes": notes,
                "overlapping_pairs": overlapping_pairs,
                "relaxation": relaxation,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.binding_out import BindingOut  # noqa: PLC0415
        from ..models.excluded_out import ExcludedOut  # noqa: PLC0415
        from ..models.lever_out import LeverOut  # noqa: PLC0415
        from ..models.overlapping_pair_out import OverlappingPairOut  # noqa: PLC0415
        from ..models.relaxation_out import RelaxationOut  # noqa: PLC0415

        d = dict(src_dict)
        binding = []
        _binding = d.pop("binding")
        for binding_item_data in _binding:
            binding_item = BindingOut.from_dict(binding_item_data)

            binding.append(binding_item)

        binding_constraints = cast(list[str], d.pop("binding_constraints"))

        excluded = []
        _excluded = d.pop("excluded")
        for excluded_item_data in _excluded:
            excluded_item = ExcludedOut.from_dict(excluded_item_data)

            excluded.append(excluded_item)

        ignored_exclude_ids = cast(list[str], d.pop("ignored_exclude_ids"))

        levers = []
        _levers = d.pop("levers")
        for levers_item_data in _levers:
            levers_item = LeverOut.from_dict(levers_item_data)

            levers.append(levers_item)

        notes = cast(list[str], d.pop("notes"))

        overlapping_pairs = []
        _overlapping_pairs = d.pop("overlapping_pairs")
        for overlapping_pairs_item_data in _overlapping_pairs:
            overlapping_pairs_item = OverlappingPairOut.from_dict(overlapping_pairs_item_data)

            overlapping_pairs.append(overlapping_pairs_item)

        relaxation = []
        _relaxation = d.pop("relaxation")
        for relaxation_item_data in _relaxation:
            relaxation_item = RelaxationOut.from_dict(relaxation_item_data)

            relaxation.append(relaxation_item)

        diagnostics_out = cls(
            binding=binding,
            binding_constraints=binding_constraints,
            excluded=excluded,
            ignored_exclude_ids=ignored_exclude_ids,
            levers=levers,
            notes=notes,
            overlapping_pairs=overlapping_pairs,
            relaxation=relaxation,
        )

        diagnostics_out.additional_properties = d
        return diagnostics_out

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
