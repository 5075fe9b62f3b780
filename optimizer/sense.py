"""Which way an objective goes, and what follows from it: which of two values is better, which
of two bounds is tighter, and how far a plan is from a bound."""

from __future__ import annotations

from enum import StrEnum

from optimizer.problem import ObjectiveKind


def relative_gap(objective: float, bound: float | None) -> float | None:
    """|bound - objective| / |objective|: how much better than the plan a plan might still be."""
    return None if bound is None else gap(objective, bound)


def gap(objective: float, bound: float) -> float:
    """The relative gap of a plan's objective to a bound (0 when they agree to rounding)."""
    diff = abs(bound - objective)
    if diff <= 1e-12 * max(1.0, abs(objective)):
        return 0.0
    return diff / max(abs(objective), 1e-12)


class Sense(StrEnum):
    MINIMIZE = "minimize"
    MAXIMIZE = "maximize"

    @classmethod
    def of(cls, kind: ObjectiveKind) -> Sense:
        """min_cost is minimised; every other objective is maximised."""
        return cls.MINIMIZE if kind is ObjectiveKind.MIN_COST else cls.MAXIMIZE

    @property
    def maximize(self) -> bool:
        return self is Sense.MAXIMIZE

    @property
    def sign(self) -> float:
        """+1 for a maximisation, -1 for a minimisation: ``sign * value`` is to be maximised."""
        return 1.0 if self is Sense.MAXIMIZE else -1.0

    def better(self, a: float, b: float) -> bool:
        """Whether ``a`` is strictly better than ``b``."""
        return a > b if self is Sense.MAXIMIZE else a < b

    def at_least_as_good(self, a: float, b: float) -> bool:
        return a >= b if self is Sense.MAXIMIZE else a <= b

    def best(self, a: float, b: float) -> float:
        """The better of two values (for bounds: the weaker one)."""
        return max(a, b) if self is Sense.MAXIMIZE else min(a, b)

    def tighter(self, a: float | None, b: float | None) -> float | None:
        """The tighter of two bounds on the optimum (either may be missing)."""
        if a is None:
            return b
        if b is None:
            return a
        return min(a, b) if self is Sense.MAXIMIZE else max(a, b)

    def within_gap(self, bound: float, gap: float) -> float:
        """The worst objective still within ``gap`` of ``bound``."""
        return bound / (1 + gap) if self is Sense.MAXIMIZE else bound / (1 - gap)
