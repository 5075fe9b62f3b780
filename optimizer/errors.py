"""The optimizer's own exception types."""

from __future__ import annotations

from dataclasses import dataclass


class OptimizerError(Exception):
    """Base of every error the optimizer raises on purpose."""


@dataclass(frozen=True, slots=True)
class FieldError:
    """One bad value: ``field`` is a dotted path into the request (``candidates.3.max_posts``)."""

    field: str
    message: str


class ProblemValidationError(OptimizerError):
    """The problem is malformed (not merely infeasible); every bad field is listed."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))

    def __reduce__(self) -> tuple[type[ProblemValidationError], tuple[list[FieldError]]]:
        # raised in a solver process, re-raised in the caller's
        return type(self), (list(self.errors),)


class SolverError(OptimizerError):
    """The backend could not be run or crashed."""


class NoFreeSolverError(OptimizerError):
    """No solver process became free before the solve's deadline: nothing was solved, and the
    same request may succeed once the solves ahead of it have ended."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        super().__init__(
            f"no solver process was free before the time limit (all {processes} were busy)"
        )
