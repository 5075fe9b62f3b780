from enum import StrEnum


class StopReason(StrEnum):
    CANCELLED = "cancelled"
    TIME_LIMIT = "time_limit"

    def __str__(self) -> str:
        return str(self.value)
