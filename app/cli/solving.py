"""``influmix solve`` and ``frontier``: request files solved offline, no service or database."""

from __future__ import annotations

import dataclasses
import json
import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from app.cli import common
from optimizer.problem import Backend

if TYPE_CHECKING:
    from app.core.config import Settings
    from app.schemas.frontiers import FrontierCreate, FrontierPointOut, FrontierSweep
    from app.schemas.plans import PlanAnswer, PlanCreate
    from optimizer.problem import PlanProblem


def _request_file(help_text: str) -> Any:
    return typer.Argument(exists=True, dir_okay=False, readable=True, help=help_text)


BackendOption = Annotated[
    Backend | None, typer.Option(help="Solver backend [default: the request's, highs]")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the answer as the API returns it")]


_SPREADSHEET_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


def solve(
    request: Annotated[
        Path | None,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            show_default=False,
            help="Plan request (JSON, as POST /v1/plans), or a roster (.csv, .xlsx)",
        ),
    ] = None,
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            exists=True,
            dir_okay=False,
            readable=True,
            help="Roster spreadsheet (.csv, .xlsx), one creator per row; needs --budget",
        ),
    ] = None,
    budget: Annotated[
        float | None, typer.Option("--budget", help="Budget [default: the request's]")
    ] = None,
    max_creators: Annotated[
        int | None, typer.Option("--max-creators", min=0, help="At most this many creators")
    ] = None,
    max_share: Annotated[
        float | None,
        typer.Option("--max-share", help="Cap on one creator's share of spend, 0.25 = 25%"),
    ] = None,
    currency: Annotated[str | None, typer.Option("--currency", help="ISO code, USD")] = None,
    name: Annotated[str | None, typer.Option("--name", help="The plan's name")] = None,
    json_output: JsonOption = False,
    backend: BackendOption = None,
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", min=0.001, help="Seconds before the best plan so far"),
    ] = None,
) -> None:
    """Solve a request file, or a roster spreadsheet with a budget, without the service or
    database, and print the plan."""
    from app.cli.output import print_plan
    from app.errors import InvalidRequestError, SolveFailedError
    from app.services import planning
    from optimizer.result import PlanStatus

    # One solver process, started now so that it is ready once the request is read.
    settings = _solver_settings(1)
    planning.solver_pool(settings)
    if roster is None and request is not None and request.suffix.lower() in _SPREADSHEET_SUFFIXES:
        request, roster = None, request
    overrides = {
        "budget": budget,
        "currency": currency,
        "name": name,
        "constraints": {"max_influencers": max_creators, "max_share_per_influencer": max_share},
    }
    req, source = _read_request(request, roster, _given(overrides))
    try:
        problem = _problem_for_cli(req, backend, time_limit)
        result = planning.solve(problem, settings, levers=req.options.levers)
    except InvalidRequestError as exc:
        common.invalid_request(source, common.request_errors(exc))
    except SolveFailedError as exc:
        common.fail("The solver failed:", exc.detail, code=common.EXIT_SOLVER_FAILED)
    finally:
        # Nothing of the solve outlives its answer: the command exits as soon as it printed.
        planning.close_solver_pools()

    if json_output:
        typer.echo(planning.answer_from_result(result).model_dump_json(indent=2))
    else:
        print_plan(common.wide_console(), result, problem.currency, problem.name)
    if result.status is PlanStatus.FAILED:
        raise typer.Exit(common.EXIT_SOLVER_FAILED)


def _given(values: dict[str, Any]) -> dict[str, Any]:
    """The options given on the command line, nested as in the request."""
    given = {}
    for key, value in values.items():
        inner = _given(value) if isinstance(value, dict) else value
        if inner is not None and inner != {}:
            given[key] = inner
    return given


def _read_request(
    request: Path | None, roster: Path | None, overrides: dict[str, Any]
) -> tuple[PlanCreate, Path]:
    """The plan request of a JSON file or a roster spreadsheet, with the command line's
    options over it; exits 2 naming every bad field or row."""
    from pydantic import ValidationError

    from app.schemas.plans import PlanCreate

    document: Any = None
    if (request is None) == (roster is None):
        common.fail("Give a request file or --roster FILE (not both).", code=common.EXIT_BAD_INPUT)
    if roster is not None:
        if "budget" not in overrides:
            common.invalid_request(roster, [("--budget", "required with a roster, e.g. 15000")])
        source, document = roster, {"candidates": _roster_candidates(roster)}
    else:
        assert request is not None
        source = request
    try:
        if document is None and not overrides:  # the common case, parsed at full speed
            return PlanCreate.model_validate_json(source.read_bytes()), source
        if document is None:
            document = json.loads(source.read_bytes())
            if not isinstance(document, dict):
                common.invalid_request(source, [("(body)", "a plan request is a JSON object")])
        constraints = {**document.get("constraints", {}), **overrides.get("constraints", {})}
        document = {**document, **overrides, "constraints": constraints}
        return PlanCreate.model_validate(document), source
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        common.invalid_request(source, [("(body)", f"not JSON: {exc}")])
    except ValidationError as exc:
        common.invalid_request(source, _pydantic_errors(exc))


def _roster_candidates(roster: Path) -> list[dict[str, Any]]:
    """The roster's rows as plan candidates (read as the page's roster upload reads them);
    its notes (percent columns, defaults applied) go to stderr."""
    from app.errors import InvalidRequestError, UnsupportedMediaTypeError
    from app.services.catalog import Upload
    from app.services.rosters import parse_roster

    try:
        parsed = parse_roster(
            Upload(roster.read_bytes(), filename=roster.name),
            max_rows=common.get_settings().max_candidates,
        )
    except InvalidRequestError as exc:
        common.invalid_file(exc)
    except UnsupportedMediaTypeError as exc:
        common.fail(exc.detail, code=common.EXIT_BAD_INPUT)
    err = Console(stderr=True, soft_wrap=True)
    common.plain(err, f"Read {parsed.rows} creators from {roster.name}.")
    for note in parsed.notes:
        common.plain(err, f"Note: {note}")
    return [c.model_dump(mode="json", exclude_unset=True) for c in parsed.candidates]


def frontier(
    request: Annotated[
        Path,
        _request_file(
            "Plan request (as POST /v1/plans) or frontier request (as POST /v1/frontiers)"
        ),
    ],
    budgets: Annotated[
        str | None,
        typer.Option(
            "--budgets",
            help=(
                "START:STOP:STEP (10000:100000:10000, STOP included) or a list "
                "(20000,40000,80000); at most 25 budgets [default: the frontier request's]"
            ),
        ),
    ] = None,
    svg: Annotated[
        Path | None, typer.Option("--svg", dir_okay=False, help="Write the chart to this SVG file")
    ] = None,
    json_output: JsonOption = False,
    backend: BackendOption = None,
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit", min=0.001, help="Seconds per budget before its best plan so far"
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", min=1, help="Budgets solved at once [default: the CPU count]"),
    ] = None,
) -> None:
    """Solve a request at several budgets and show what each extra thousand buys."""
    from app.cli.output import print_frontier
    from app.schemas.frontiers import FrontierSweep
    from app.services.frontier_points import PointOutcome, frontier_points, frontier_status
    from optimizer.result import PlanStatus

    body = _frontier_body(request, budgets)
    point_requests = body.point_requests()
    _check_points(request, point_requests[0], backend, time_limit)
    solved = _solve_points(point_requests, backend, time_limit, jobs)
    points = frontier_points(
        [r.budget for r in point_requests],
        [
            PointOutcome(None, "failed" if s.answer is None else s.answer.status.value, s.answer)
            for s in solved
        ],
        body.risk_aversions(),
    )
    currency = body.request.currency
    name = body.name or body.request.name
    sweep = (
        FrontierSweep.BUDGET if body.risk_aversion_range is None else FrontierSweep.RISK_AVERSION
    )
    if svg is not None:
        _write_chart(svg, points, currency, name, sweep)
    if json_output:
        document = {
            "name": name,
            "currency": currency,
            "status": frontier_status(p.status for p in points).value,
            "sweep": sweep.value,
            "points": [p.model_dump(mode="json") for p in points],
        }
        typer.echo(json.dumps(document, indent=2))
    else:
        print_frontier(common.wide_console(), points, solved, currency, name)
    if svg is not None:
        Console(stderr=True).print(f"Chart written to {escape(str(svg))}", highlight=False)
    if any(s.answer is None or s.answer.status is PlanStatus.FAILED for s in solved):
        raise typer.Exit(common.EXIT_SOLVER_FAILED)


def _check_points(
    source: Path, first: PlanCreate, backend: Backend | None, time_limit: float | None
) -> None:
    """Every point shares all but the budget (or the risk aversion), so one check covers them
    all, before any worker starts."""
    from app.errors import InvalidRequestError
    from optimizer.errors import ProblemValidationError
    from optimizer.prepare import validate

    try:
        validate(_problem_for_cli(first, backend, time_limit))
    except InvalidRequestError as exc:
        common.invalid_request(source, common.request_errors(exc))
    except ProblemValidationError as exc:
        common.invalid_request(source, [(e.field, e.message) for e in exc.errors])


def _write_chart(
    svg: Path,
    points: Sequence[FrontierPointOut],
    currency: str,
    name: str | None,
    sweep: FrontierSweep,
) -> None:
    from app.services.frontier_chart import render_frontier_svg  # matplotlib loads slowly

    try:
        svg.write_text(render_frontier_svg(points, currency, name, sweep), encoding="utf-8")
    except OSError as exc:
        common.fail("Cannot write the chart:", str(exc))


@dataclasses.dataclass(frozen=True)
class PointSolve:
    """One point's answer, or why the solver gave none."""

    answer: PlanAnswer | None
    failure: str | None = None


def _solve_point(
    req: PlanCreate, settings: Settings, backend: Backend | None, time_limit: float | None
) -> PointSolve:
    """Solve one budget point, as the service does."""
    from app.errors import InvalidRequestError, SolveFailedError
    from app.services import planning

    try:
        result = planning.solve(_problem_for_cli(req, backend, time_limit), settings)
    except (InvalidRequestError, SolveFailedError) as exc:
        return PointSolve(None, exc.detail)
    return PointSolve(planning.answer_from_result(result))


def _solve_points(
    requests: Sequence[PlanCreate],
    backend: Backend | None,
    time_limit: float | None,
    jobs: int | None,
) -> list[PointSolve]:
    """Every point's answer, in the order given; ``jobs`` solver processes at once."""
    from app.services import planning

    workers = max(1, min(jobs or _cpu_count(), len(requests)))
    settings = _solver_settings(workers)
    threads = ThreadPoolExecutor(workers, thread_name_prefix="frontier")
    try:
        return list(threads.map(lambda r: _solve_point(r, settings, backend, time_limit), requests))
    finally:
        # on an interrupt too: points not started are dropped, running ones end with the pool
        threads.shutdown(wait=False, cancel_futures=True)
        planning.close_solver_pools()


def _solver_settings(processes: int) -> Settings:
    """The settings with a solver pool of ``processes``, for a command that solves."""
    return common.get_settings().model_copy(update={"solver_processes": processes})


def _cpu_count() -> int:
    """CPUs this process may use (a container's limit, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _pydantic_errors(exc: Any) -> list[tuple[str, str]]:
    return [(".".join(str(p) for p in e["loc"]) or "(body)", e["msg"]) for e in exc.errors()]


def _frontier_body(source: Path, budgets: str | None) -> FrontierCreate:
    """The frontier of a request file and --budgets, or exit 2 naming every bad field.

    A plan request needs --budgets; a frontier request brings its own sweep (budgets or risk
    aversions), which --budgets replaces.
    """
    from pydantic import ValidationError

    from app.schemas.frontiers import FrontierCreate

    try:
        document: Any = json.loads(source.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        common.invalid_request(source, [("(body)", f"not JSON: {exc}")])
    is_frontier = isinstance(document, dict) and "request" in document
    sweep: dict[str, Any] | None = None
    if budgets is not None:
        try:
            sweep = _parse_budgets(budgets)
        except ValueError as exc:
            common.invalid_request(source, [("--budgets", str(exc))])
    if sweep is None and not is_frontier:
        common.invalid_request(
            source, [("--budgets", "required with a plan request, e.g. 10000:100000:10000")]
        )

    if is_frontier:
        body = dict(document)
        if sweep is not None:
            swept = ("budgets", "budget_range", "risk_aversion_range")
            body = {k: v for k, v in body.items() if k not in swept}
            body.update(sweep)
    else:
        body = {"request": document, **(sweep or {})}
    try:
        return FrontierCreate.model_validate_json(json.dumps(body))
    except ValidationError as exc:
        errors = []
        for e in exc.errors():
            loc = [str(p) for p in e["loc"]]
            if sweep is not None and loc and loc[0] in ("budgets", "budget_range"):
                where = "--budgets" + (
                    f" ({loc[-1]})" if loc[-1] in ("start", "stop", "step") else ""
                )
            elif not is_frontier and loc and loc[0] == "request":
                where = ".".join(loc[1:]) or "(body)"  # the file is the plan request itself
            else:
                where = ".".join(loc) or "(body)"
            errors.append((where, e["msg"]))
        common.invalid_request(source, errors)


def _parse_budgets(text: str) -> dict[str, Any]:
    """``START:STOP:STEP`` as a budget_range, ``A,B,C`` as budgets (validated by the schema)."""
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 3:
            raise ValueError(f"{text!r}: give START:STOP:STEP, e.g. 10000:100000:10000")
        start, stop, step = (_number(p) for p in parts)
        return {"budget_range": {"start": start, "stop": stop, "step": step}}
    return {"budgets": [_number(p) for p in text.split(",")]}


def _number(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return value


def _problem_for_cli(
    req: PlanCreate, backend: Backend | None, time_limit: float | None
) -> PlanProblem:
    """The request's problem with the command line's --backend and --time-limit."""
    from app.services.planning import problem_from_request

    problem = problem_from_request(req, common.get_settings())
    options = problem.options
    if backend is not None:
        options = dataclasses.replace(options, backend=backend)
    if time_limit is not None:
        options = dataclasses.replace(options, time_limit_s=time_limit)
    return dataclasses.replace(problem, options=options)
