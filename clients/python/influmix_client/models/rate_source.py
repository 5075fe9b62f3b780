from enum import StrEnum


class RateSource(StrEnum):
    GIVEN = "given"
    TIER_PRIOR = "tier_prior"

    def __str__(self) -> str:
        return str(self.value)
