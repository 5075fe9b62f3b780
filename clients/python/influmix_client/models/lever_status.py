from enum import StrEnum


class LeverStatus(StrEnum):
    SKIPPED = "skipped"
    SOLVED = "solved"

    def __str__(self) -> str:
        return str(self.value)
