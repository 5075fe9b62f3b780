from enum import StrEnum


class ObjectiveKind(StrEnum):
    ENGAGEMENT = "engagement"
    MIN_COST = "min_cost"
    REACH = "reach"

    def __str__(self) -> str:
        return str(self.value)
