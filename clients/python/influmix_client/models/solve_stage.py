from enum import StrEnum


class SolveStage(StrEnum):
    DONE = "done"
    EXPLAIN = "explain"
    FIRST_PLAN = "first_plan"
    KERNEL = "kernel"
    LP = "lp"
    MIP = "mip"
    PREPARE = "prepare"

    def __str__(self) -> str:
        return str(self.value)
