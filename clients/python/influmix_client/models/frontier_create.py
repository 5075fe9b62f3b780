from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.budget_range import BudgetRange
    from ..models.plan_create import PlanCreate
    from ..models.risk_aversion_range import RiskAversionRange


T = TypeVar("T", bound="FrontierCreate")


@_attrs_define
class FrontierCreate:
    """A plan request to solve at several budgets (give ``budgets`` or ``budget_range``), or
    at its own budget for several risk aversions (give ``risk_aversion_range``).

        Attributes:
            request (PlanCreate): A plan request: a budget and the candidate creators, given inline (``candidates``) or
                drawn from the catalog (``catalog``); every other block is optional.
            budget_range (BudgetRange | None | Unset): Budgets every step from start to stop, at most 25.
            budgets (list[float] | None | Unset): Distinct budgets, in any order: the points are sorted ascending.
            name (None | str | Unset):
            risk_aversion_range (None | RiskAversionRange | Unset): Instead of budgets: solve the request at its own budget
                for each risk aversion from start to stop (objective cvar_engagement), giving expected engagement against CVaR,
                the plan's efficient frontier. The request's objective must be engagement or cvar_engagement.
    """

    request: PlanCreate
    budget_range: BudgetRange | None | Unset = UNSET
    budgets: list[float] | None | Unset = UNSET
    name: None | str | Unset = UNSET
    risk_aversion_range: None | RiskAversionRange | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.budget_range import BudgetRange  # noqa: PLC0415
        from ..models.risk_aversion_range import RiskAversionRange  # noqa: PLC0415

        request = self.request.to_dict()

        budget_range: dict[str, Any] | None | Unset
        if isinstance(self.budget_range, Unset):
            budget_range = UNSET
        elif isinstance(self.budget_range, BudgetRange):
            budget_range = self.budget_range.to_dict()
        else:
            budget_range = self.budget_range

        budgets: list[float] | None | Unset
        if isinstance(self.budgets, Unset):
            budgets = UNSET
        elif isinstance(self.budgets, list):
            budgets = self.budgets

        else:
            budgets = self.budgets

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        risk_aversion_range: dict[str, Any] | None | Unset
        if isinstance(self.risk_aversion_range, Unset):
            risk_aversion_range = UNSET
        elif isinstance(self.risk_aversion_range, RiskAversionRange):
            risk_aversion_range = self.risk_aversion_range.to_dict()
        else:
            risk_aversion_range = self.risk_aversion_range

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "request": request,
            }
        )
        if budget_range is not UNSET:
            field_dict["budget_range"] = budget_range
        if budgets is not UNSET:
            field_dict["budgets"] = budgets
        if name is not UNSET:
            field_dict["name"] = name
        if risk_aversion_range is not UNSET:
            field_dict["risk_aversion_range"] = risk_aversion_range

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget_range import BudgetRange  # noqa: PLC0415
        from ..models.plan_create import PlanCreate  # noqa: PLC0415
        from ..models.risk_aversion_range import RiskAversionRange  # noqa: PLC0415

        d = dict(src_dict)
        request = PlanCreate.from_dict(d.pop("request"))

        def _parse_budget_range(data: object) -> BudgetRange | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                budget_range_type_0 = BudgetRange.from_dict(data)

                return budget_range_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BudgetRange | None | Unset, data)

        budget_range = _parse_budget_range(d.pop("budget_range", UNSET))

        def _parse_budgets(data: object) -> list[float] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                budgets_type_0 = cast(list[float], data)

                return budgets_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float] | None | Unset, data)

        budgets = _parse_budgets(d.pop("budgets", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_risk_aversion_range(data: object) -> None | RiskAversionRange | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                risk_aversion_range_type_0 = RiskAversionRange.from_dict(data)

                return risk_aversion_range_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RiskAversionRange | Unset, data)

        risk_aversion_range = _parse_risk_aversion_range(d.pop("risk_aversion_range", UNSET))

        frontier_create = cls(
            request=request,
            budget_range=budget_range,
            budgets=budgets,
            name=name,
            risk_aversion_range=risk_aversion_range,
        )

        return frontier_create
