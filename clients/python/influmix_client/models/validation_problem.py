from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_problem import FieldProblem


T = TypeVar("T", bound="ValidationProblem")


@_attrs_define
class ValidationProblem:
    """A request that failed validation: the bad values are listed (the first 100, and a
    count of the others).

        Attributes:
            status (int): The HTTP status code.
            title (str): Short summary of the kind of problem.
            type_ (str): URI naming the kind of problem, stable for clients to switch on: `urn:influmix:problem:<kind>`
                (`not-found`, `validation-error`, `conflict`, `unauthorized`, `forbidden`, `too-many-requests`, ...), or
                `about:blank` when the status code says it all.
            detail (str | Unset): What went wrong for this request.
            errors (list[FieldProblem] | Unset): The invalid values, at most 100 of them (see errors_omitted).
            errors_omitted (int | Unset): How many more invalid values there were beyond those listed; absent if none.
            instance (str | Unset): The request path.
    """

    status: int
    title: str
    type_: str
    detail: str | Unset = UNSET
    errors: list[FieldProblem] | Unset = UNSET
    errors_omitted: int | Unset = UNSET
    instance: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        title = self.title

        type_ = self.type_

        detail = self.detail

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        errors_omitted = self.errors_omitted

        instance = self.instance

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "title": title,
                "type": type_,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail
        if errors is not UNSET:
            field_dict["errors"] = errors
        if errors_omitted is not UNSET:
            field_dict["errors_omitted"] = errors_omitted
        if instance is not UNSET:
            field_dict["instance"] = instance

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_problem import FieldProblem  # noqa: PLC0415

        d = dict(src_dict)
        status = d.pop("status")

        title = d.pop("title")

        type_ = d.pop("type")

        detail = d.pop("detail", UNSET)

        _errors = d.pop("errors", UNSET)
        errors: list[FieldProblem] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = FieldProblem.from_dict(errors_item_data)

                errors.append(errors_item)

        errors_omitted = d.pop("errors_omitted", UNSET)

        instance = d.pop("instance", UNSET)

        validation_problem = cls(
            status=status,
            title=title,
            type_=type_,
            detail=detail,
            errors=errors,
            errors_omitted=errors_omitted,
            instance=instance,
        )

        validation_problem.additional_properties = d
        return validation_problem

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
