from enum import StrEnum


class FrontierSweep(StrEnum):
    BUDGET = "budget"
    RISK_AVERSION = "risk_aversion"

    def __str__(self) -> str:
        return str(self.value)
