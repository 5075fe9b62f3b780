from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.plan_state import PlanState

if TYPE_CHECKING:
    from ..models.allocation_out import AllocationOut
    from ..models.diagnostics_out import DiagnosticsOut
    from ..models.job_out import JobOut
    from ..models.plan_create import PlanCreate
    from ..models.plan_public_by_platform_type_0 import PlanPublicByPlatformType0
    from ..models.plan_public_by_tier_type_0 import PlanPublicByTierType0
    from ..models.risk_out import RiskOut
    from ..models.solver_out import SolverOut
    from ..models.totals_out import TotalsOut


T = TypeVar("T", bound="PlanPublic")


@_attrs_define
class PlanPublic:
    """A stored plan. ``request`` is filled only by ``GET /v1/plans/{id}?include=request``.

    A plan still ``queued`` or ``running`` has no allocations yet and a null ``solver``;
    ``job`` tracks it (null for plans solved within their request).

        Attributes:
            allocations (list[AllocationOut]):
            budget (float):
            by_platform (None | PlanPublicByPlatformType0):
            by_tier (None | PlanPublicByTierType0):
            created_at (datetime.datetime):
            currency (str):
            diagnostics (DiagnosticsOut):
            id (str):
            job (JobOut | None): null for a plan solved in its request.
            name (None | str):
            request (None | PlanCreate): The request, with defaults filled in (re-posting it gives the same problem); only
                with ?include=request, null otherwise.
            risk (None | RiskOut):
            solver (None | SolverOut): null until the plan is solved.
            status (PlanState): A stored plan's status: the solve's own (``PlanStatus``) once it has one, and the job's
                before that.
            totals (None | TotalsOut):
    """

    allocations: list[AllocationOut]
    budget: float
    by_platform: None | PlanPublicByPlatformType0
    by_tier: None | PlanPublicByTierType0
    created_at: datetime.datetime
    currency: str
    diagnostics: DiagnosticsOut
    id: str
    job: JobOut | None
    name: None | str
    request: None | PlanCreate
    risk: None | RiskOut
    solver: None | SolverOut
    status: PlanState
    totals: None | TotalsOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.job_out import JobOut  # noqa: PLC0415
        from ..models.plan_create import PlanCreate  # noqa: PLC0415
        from ..models.plan_public_by_platform_type_0 import PlanPublicByPlatformType0  # noqa: PLC0415
        from ..models.plan_public_by_tier_type_0 import PlanPublicByTierType0  # noqa: PLC0415
        from ..models.risk_out import RiskOut  # noqa: PLC0415
        from ..models.solver_out import SolverOut  # noqa: PLC0415
        from ..models.totals_out import TotalsOut  # noqa: PLC0415

        allocations = []
        for allocations_item_data in self.allocations:
            allocations_item = allocations_item_data.to_dict()
            allocations.append(allocations_item)

        budget = self.budget

        by_platform: dict[str, Any] | None
        if isinstance(self.by_platform, PlanPublicByPlatformType0):
            by_platform = self.by_platform.to_dict()
        else:
            by_platform = self.by_platform

        by_tier: dict[str, Any] | None
        if isinstance(self.by_tier, PlanPublicByTierType0):
            by_tier = self.by_tier.to_dict()
        else:
            by_tier = self.by_tier

        created_at = self.created_at.isoformat()

        currency = self.currency

        diagnostics = self.diagnostics.to_dict()

        id = self.id

        job: dict[str, Any] | None
        if isinstance(self.job, JobOut):
            job = self.job.to_dict()
        else:
            job = self.job

        name: None | str
        name = self.name

        request: dict[str, Any] | None
        if isinstance(self.request, PlanCreate):
            request = self.request.to_dict()
        else:
            request = self.request

        risk: dict[str, Any] | None
        if isinstance(self.risk, RiskOut):
            risk = self.risk.to_dict()
        else:
            risk = self.risk

        solver: dict[str, Any] | None
        if isinstance(self.solver, SolverOut):
            solver = self.solver.to_dict()
        else:
            solver = self.solver

        status = self.status.value

        totals: dict[str, Any] | None
        if isinstance(self.totals, TotalsOut):
            totals = self.totals.to_dict()
        else:
            totals = self.totals

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allocations": allocations,
                "budget": budget,
                "by_platform": by_platform,
                "by_tier": by_tier,
                "created_at": created_at,
                "currency": currency,
                "diagnostics": diagnostics,
                "id": id,
                "job": job,
                "name": name,
                "request": request,
                "risk": risk,
                "solver": solver,
                "status": status,
                "totals": totals,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.allocation_out import AllocationOut  # noqa: PLC0415
        from ..models.diagnostics_out import DiagnosticsOut  # noqa: PLC0415
        from ..models.job_out import JobOut  # noqa: PLC0415
        from ..models.plan_create import PlanCreate  # noqa: PLC0415
        from ..models.plan_public_by_platform_type_0 import PlanPublicByPlatformType0  # noqa: PLC0415
        from ..models.plan_public_by_tier_type_0 import PlanPublicByTierType0  # noqa: PLC0415
        from ..models.risk_out import RiskOut  # noqa: PLC0415
        from ..models.solver_out import SolverOut  # noqa: PLC0415
        from ..models.totals_out import TotalsOut  # noqa: PLC0415

        d = dict(src_dict)
        allocations = []
        _allocations = d.pop("allocations")
        for allocations_item_data in _allocations:
            allocations_item = AllocationOut.from_dict(allocations_item_data)

            allocations.append(allocations_item)

        budget = d.pop("budget")

        def _parse_by_platform(data: object) -> None | PlanPublicByPlatformType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                by_platform_type_0 = PlanPublicByPlatformType0.from_dict(data)

                return by_platform_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PlanPublicByPlatformType0, data)

        by_platform = _parse_by_platform(d.pop("by_platform"))

        def _parse_by_tier(data: object) -> None | PlanPublicByTierType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                by_tier_type_0 = PlanPublicByTierType0.from_dict(data)

                return by_tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PlanPublicByTierType0, data)

        by_tier = _parse_by_tier(d.pop("by_tier"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency")

        diagnostics = DiagnosticsOut.from_dict(d.pop("diagnostics"))

        id = d.pop("id")

        def _parse_job(data: object) -> JobOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                job_type_0 = JobOut.from_dict(data)

                return job_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobOut | None, data)

        job = _parse_job(d.pop("job"))

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        def _parse_request(data: object) -> None | PlanCreate:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                request_type_0 = PlanCreate.from_dict(data)

                return request_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PlanCreate, data)

        request = _parse_request(d.pop("request"))

        def _parse_risk(data: object) -> None | RiskOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                risk_type_0 = RiskOut.from_dict(data)

                return risk_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RiskOut, data)

        risk = _parse_risk(d.pop("risk"))

        def _parse_solver(data: object) -> None | SolverOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                solver_type_0 = SolverOut.from_dict(data)

                return solver_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SolverOut, data)

        solver = _parse_solver(d.pop("solver"))

        status = PlanState(d.pop("status"))

        def _parse_totals(data: object) -> None | TotalsOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                totals_type_0 = TotalsOut.from_dict(data)

                return totals_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TotalsOut, data)

        totals = _parse_totals(d.pop("totals"))

        plan_public = cls(
            allocations=allocations,
            budget=budget,
            by_platform=by_platform,
            by_tier=by_tier,
            created_at=created_at,
            currency=currency,
            diagnostics=diagnostics,
            id=id,
            job=job,
            name=name,
            request=request,
            risk=risk,
            solver=solver,
            status=status,
            totals=totals,
        )

        plan_public.additional_properties = d
        return plan_public

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
