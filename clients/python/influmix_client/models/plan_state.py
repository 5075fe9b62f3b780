from enum import StrEnum


class PlanState(StrEnum):
    CANCELLED = "cancelled"
    FAILED = "failed"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    OPTIMAL = "optimal"
    QUEUED = "queued"
    RUNNING = "running"

    def __str__(self) -> str:
        return str(self.value)
