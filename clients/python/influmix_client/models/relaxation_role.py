from enum import StrEnum


class RelaxationRole(StrEnum):
    ALTERNATIVE = "alternative"
    TOGETHER = "together"

    def __str__(self) -> str:
        return str(self.value)
