from enum import StrEnum


class Backend(StrEnum):
    CBC = "cbc"
    HIGHS = "highs"

    def __str__(self) -> str:
        return str(self.value)
