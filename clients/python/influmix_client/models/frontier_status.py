from enum import StrEnum


class FrontierStatus(StrEnum):
    CANCELLED = "cancelled"
    DONE = "done"
    QUEUED = "queued"
    RUNNING = "running"

    def __str__(self) -> str:
        return str(self.value)
