"""The process's own counters and histograms: requests by route, solves by status and backend.

Apart from ``metrics`` (which serves them with the figures read from the database) so that a
solve from the command line counts without loading the database layer.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

from optimizer.result import PlanResult

# The route label of a request no route matched: one series, whatever the path.
UNMATCHED_ROUTE = "<unmatched>"

REQUEST_SECONDS = Histogram(
    "influmix_http_request_duration_seconds",
    "Time to answer a request, by route template.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
SOLVES = Counter(
    "influmix_solves",
    "Solves finished in this process, by status and backend.",
    ["status", "backend"],
)
SOLVE_SECONDS = Histogram(
    "influmix_solve_seconds",
    "Solver wall time of each solve.",
    ["backend"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300),
)
SOLVE_GAP = Histogram(
    "influmix_solve_gap",
    "Relative gap between each solved plan and the solver's bound (0: proven optimal).",
    ["backend"],
    buckets=(0.0, 1e-4, 1e-3, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0),
)


# Any other method is one label value: a client cannot grow the series without bound.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    method = method if method in _METHODS else "OTHER"
    REQUEST_SECONDS.labels(method, route, str(status)).observe(seconds)


def observe_solve(result: PlanResult) -> None:
    backend = result.solver.backend
    SOLVES.labels(result.status.value, backend).inc()
    SOLVE_SECONDS.labels(backend).observe(result.solver.wall_time_s)
    if result.solver.gap is not None:
        SOLVE_GAP.labels(backend).observe(result.solver.gap)
