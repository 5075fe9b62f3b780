"""The stored enumerations, apart from the ORM: the wire schemas and the command line use them
without loading the database layer."""

from __future__ import annotations

from enum import StrEnum

from optimizer.result import PlanStatus


class PlanState(StrEnum):
    """A stored plan's status: the solve's own (``PlanStatus``) once it has one, and the job's
    before that."""

    QUEUED = "queued"
    RUNNING = "running"
    OPTIMAL = PlanStatus.OPTIMAL.value
    FEASIBLE = PlanStatus.FEASIBLE.value
    INFEASIBLE = PlanStatus.INFEASIBLE.value
    FAILED = PlanStatus.FAILED.value
    CANCELLED = "cancelled"  # before any plan was found; a running cancel keeps its best plan

    @classmethod
    def of(cls, status: PlanStatus) -> PlanState:
        return cls(status.value)

    @property
    def pending(self) -> bool:
        return self in (PlanState.QUEUED, PlanState.RUNNING)


class Role(StrEnum):
    """What a key may do; each role can do everything the ones before it can."""

    VIEWER = "viewer"  # reads plans and the catalog
    PLANNER = "planner"  # also solves plans and edits the catalog
    ADMIN = "admin"  # also manages the workspace's keys

    def allows(self, needed: Role) -> bool:
        order = list(Role)
        return order.index(self) >= order.index(needed)
