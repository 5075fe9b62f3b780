"""influmix optimizer: a pure library that turns a planning problem into an explained plan.

Steps are separate so each can be used and tested alone: ``prepare`` (validate, tiers, gates),
``build_model`` (a fresh PuLP model), ``solve_model`` (a CBC run, read through CBC's own
status) and the explainers; ``optimize`` runs them in order. ``SolverPool`` runs
``optimize`` in processes of their own, ended by their deadline whatever the solver does.
"""

from optimizer.constraints import ConstraintKind, ConstraintRef
from optimizer.contained import SolverPool
from optimizer.control import Progress, SolveControl, SolveStage
from optimizer.errors import (
    FieldError,
    NoFreeSolverError,
    OptimizerError,
    ProblemValidationError,
    SolverError,
)
from optimizer.explain import binding_constraints, plan_figures, relaxations
from optimizer.model import build_model
from optimizer.pipeline import SolveTrace
from optimizer.planner import optimize
from optimizer.prepare import prepare
from optimizer.problem import (
    DEFAULT_ENGAGEMENT_PRIORS,
    DEFAULT_TIERS,
    Backend,
    Candidate,
    Constraints,
    Objective,
    ObjectiveKind,
    Overlap,
    PlanProblem,
    Platform,
    ShareBounds,
    SolveOptions,
    Tier,
)
from optimizer.result import (
    Allocation,
    Binding,
    Diagnostics,
    ExcludedCandidate,
    GroupSummary,
    PlanResult,
    PlanStatus,
    RateSource,
    Relaxation,
    Risk,
    SolverReport,
    StopReason,
    Totals,
)
from optimizer.sense import Sense
from optimizer.solve import solve_model

__all__ = [
    "DEFAULT_ENGAGEMENT_PRIORS",
    "DEFAULT_TIERS",
    "Allocation",
    "Backend",
    "Binding",
    "Candidate",
    "ConstraintKind",
    "ConstraintRef",
    "Constraints",
    "Diagnostics",
    "ExcludedCandidate",
    "FieldError",
    "GroupSummary",
    "NoFreeSolverError",
    "Objective",
    "ObjectiveKind",
    "OptimizerError",
    "Overlap",
    "PlanProblem",
    "PlanResult",
    "PlanStatus",
    "Platform",
    "ProblemValidationError",
    "Progress",
    "RateSource",
    "Relaxation",
    "Risk",
    "Sense",
    "ShareBounds",
    "SolveControl",
    "SolveOptions",
    "SolveStage",
    "SolveTrace",
    "SolverError",
    "SolverPool",
    "SolverReport",
    "StopReason",
    "Tier",
    "Totals",
    "binding_constraints",
    "build_model",
    "optimize",
    "plan_figures",
    "prepare",
    "relaxations",
    "solve_model",
]
