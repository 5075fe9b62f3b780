from enum import StrEnum


class PlanInclude(StrEnum):
    REQUEST = "request"

    def __str__(self) -> str:
        return str(self.value)
