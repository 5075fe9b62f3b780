from enum import StrEnum


class ObjectiveKind(StrEnum):
    CVAR_ENGAGEMENT = "cvar_engagement"
    ENGAGEMENT = "engagement"
    MIN_COST = "min_cost"
    REACH = "reach"
    UNIQUE_REACH = "unique_reach"

    def __str__(self) -> str:
        return str(self.value)
