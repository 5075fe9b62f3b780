"""Command line: run the service, migrate the database, or solve a request file offline.

Exit codes of ``influmix solve``: 0 when the optimizer answered (``optimal``, ``feasible`` or
``infeasible`` — an infeasible plan is a valid answer, explained in its diagnostics), 1 when the
solver failed, 2 when the request is malformed (every bad field is printed). ``influmix import``
exits 2 when the file is invalid (every bad row is printed, nothing is stored); ``import`` and
``export`` exit 1 when the database is not ready or the plan does not exist.
``create-workspace`` and ``create-key`` exit 1 when the name is taken or the workspace unknown.
``influmix frontier`` exits as ``solve`` does, 1 when the solver failed at any budget.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import math
import os
import shlex
import sys
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.core.config import Settings, get_settings
from app.core.logs import log_config
from app.db import (
    DatabaseNotReadyError,
    assert_migrated,
    create_db_engine,
    make_session_factory,
    run_migrations,
    safe_url,
)
from app.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    SolveFailedError,
    UnsupportedMediaTypeError,
)
from app.schemas.frontiers import FrontierCreate, FrontierPointOut
from app.schemas.plans import PlanAnswer, PlanCreate
from app.services import influencers, planning, workspaces
from app.services.demo import seed_demo
from app.services.executors import run_worker
from app.services.exports import ExportFormat, export_plan
from app.services.frontier_points import PointOutcome, frontier_points, frontier_status
from app.services.planning import answer_from_result, problem_from_request
from app.services.scope import WorkspaceScope
from models import Role, Workspace
from optimizer.errors import ProblemValidationError
from optimizer.prepare import validate
from optimizer.problem import Backend, PlanProblem
from optimizer.result import GroupSummary, PlanResult, PlanStatus

EXIT_SOLVER_FAILED = 1
EXIT_BAD_INPUT = 2

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
DEMO_REQUEST = EXAMPLES_DIR / "demo_request.json"

cli = typer.Typer(
    name="influmix",
    help="Budget optimizer for influencer campaigns.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _wide_console() -> Console:
    """Piped output gets no terminal width; 80 columns would cut money figures short."""
    console = Console()
    return console if console.is_terminal else Console(width=140)


def main() -> None:
    """The console entry point. Once the command is done the process ends at once: tearing
    down the interpreter's modules takes about a second that a planner at a terminal, or a
    script waiting on the answer, should not pay."""
    try:
        cli()
        code = 0
    except SystemExit as done:
        code = _exit_code(done.code)
    planning.close_solver_pools()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that left (| head) has what it wanted
            stream.flush()
    os._exit(code)


def _exit_code(code: str | int | None) -> int:
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=sys.stderr)
    return 1


@cli.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to bind [default: settings, 127.0.0.1]")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port [default: settings, 8000]")] = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo/--no-demo",
            help="Create a workspace, an admin key and a demo plan when no key exists",
        ),
    ] = True,
) -> None:
    """Migrate the database, seed a demo workspace and key, and serve the HTTP API."""
    out = Console()
    settings = get_settings()
    host = settings.host if host is None else host
    port = settings.port if port is None else port

    _migrate(settings.database_url)
    seeded = seed_demo(settings.database_url) if demo else None

    # A wildcard bind is not an address a browser can open.
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{shown}:{port}"
    out.print(
        f"[bold]influmix[/] on {base}  (database: {escape(safe_url(settings.database_url))})",
        highlight=False,
    )
    out.print(f"Planner:    {base}/")
    out.print(f"API docs:   {base}/docs")
    if seeded is not None and seeded.key is not None:
        out.print(
            f"Admin API key of the new workspace (shown once, keep it): {seeded.key}",
            highlight=False,
            soft_wrap=True,
        )
        if seeded.plan_id:
            out.print(f"Demo plan:  {base}/v1/plans/{seeded.plan_id}")
        key_shown = seeded.key
    else:
        out.print("Make a key with: influmix create-key --workspace NAME --role planner")
        key_shown = "$INFLUMIX_KEY"
    out.print("Try it:")
    out.print(
        f"  curl -s -X POST {base}/v1/plans -H 'Authorization: Bearer {key_shown}' "
        f"-H 'Content-Type: application/json' "
        f"--data @{shlex.quote(_display_path(DEMO_REQUEST))}",
        soft_wrap=True,
        highlight=False,
    )
    from app import server  # imports the application: only when serving

    # JSON lines with request ids; SIGTERM drains before exiting (app.server).
    server.run(host, port, log_config(settings.log_level))


@cli.command()
def worker(
    concurrency: Annotated[
        int, typer.Option(min=1, max=64, help="Solves this worker runs at once")
    ] = 1,
    hostname: Annotated[
        str | None, typer.Option(help="Worker name, e.g. solver1@%h [default: celery@host]")
    ] = None,
) -> None:
    """Solve queued plans from the Celery queue (settings: INFLUMIX_BROKER_URL, DATABASE_URL).

    Start as many as needed, on any machines that reach the broker and the database; the
    service must run with INFLUMIX_EXECUTOR=celery to send them jobs.
    """
    settings = get_settings()
    _migrate(settings.database_url)
    run_worker(settings, concurrency=concurrency, hostname=hostname)


@cli.command()
def migrate() -> None:
    """Bring the configured database's schema up to date."""
    settings = get_settings()
    _migrate(settings.database_url)
    Console().print(f"Database at {safe_url(settings.database_url)} is up to date.")


@cli.command("create-workspace")
def create_workspace(
    name: Annotated[str, typer.Argument(help="A name, unique on this database (at most 64)")],
) -> None:
    """Create a workspace (a tenant); give it keys with create-key."""
    err = Console(stderr=True)
    if not 1 <= len(name) <= 64:
        err.print("[red]A workspace name has 1 to 64 characters.[/]")
        raise typer.Exit(EXIT_BAD_INPUT)
    try:
        with _database_session(get_settings().database_url) as session:
            workspace = workspaces.create_workspace(session, name)
    except ConflictError:
        err.print(f"[red]A workspace named {escape(name)!r} exists already.[/]", highlight=False)
        raise typer.Exit(1) from None
    Console().print(
        f"Workspace {escape(workspace.name)} created (id {workspace.id}).", highlight=False
    )


@cli.command("create-key")
def create_key(
    workspace: Annotated[str, typer.Option(help="The workspace's name or id")],
    role: Annotated[Role, typer.Option(help="viewer reads; planner plans; admin manages keys")],
    name: Annotated[str | None, typer.Option(help="A label, e.g. the tool using the key")] = None,
) -> None:
    """Create an API key and print it: this is the only time it is shown."""
    with _database_session(get_settings().database_url) as session:
        found = _workspace(session, workspace)
        new = workspaces.create_key(session, WorkspaceScope(found.id), role, name)
    Console(stderr=True).print(
        f"{role.value} key {new.row.prefix}... for workspace {escape(found.name)} "
        "(shown once, keep it):",
        highlight=False,
    )
    typer.echo(new.secret)


@cli.command()
def solve(
    request: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="Plan request (JSON, as POST /v1/plans)",
        ),
    ],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the answer as JSON, as the API returns it")
    ] = False,
    backend: Annotated[
        Backend | None, typer.Option(help="Solver backend [default: the request's, highs]")
    ] = None,
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", min=0.001, help="Seconds before the best plan so far"),
    ] = None,
) -> None:
    """Solve a request file without the service or database and print the plan."""
    err = Console(stderr=True)
    # One solver process, started now so that it is ready once the request is read.
    settings = _solver_settings(1)
    planning.solver_pool(settings)
    try:
        req = PlanCreate.model_validate_json(request.read_bytes())
    except ValidationError as exc:
        _print_field_errors(
            err,
            request,
            [(".".join(str(p) for p in e["loc"]) or "(body)", e["msg"]) for e in exc.errors()],
        )
        raise typer.Exit(EXIT_BAD_INPUT) from None

    try:
        problem = _problem_for_cli(req, backend, time_limit)
        result = planning.solve(problem, settings)
    except InvalidRequestError as exc:
        # The service's paths start at "body"; in a file the document is the body.
        fields = [".".join(str(p) for p in e.loc if p != "body") or "(body)" for e in exc.errors]
        _print_field_errors(
            err, request, list(zip(fields, (e.message for e in exc.errors), strict=True))
        )
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except SolveFailedError as exc:
        err.print(f"[red]The solver failed:[/] {escape(exc.detail)}", highlight=False)
        raise typer.Exit(EXIT_SOLVER_FAILED) from None
    finally:
        # Nothing of the solve outlives its answer: the command exits as soon as it printed.
        planning.close_solver_pools()

    if json_output:
        typer.echo(answer_from_result(result).model_dump_json(indent=2))
    else:
        _print_plan(_wide_console(), result, problem.currency, problem.name)
    if result.status is PlanStatus.FAILED:
        raise typer.Exit(EXIT_SOLVER_FAILED)


@cli.command()
def frontier(
    request: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="Plan request (as POST /v1/plans) or frontier request (as POST /v1/frontiers)",
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
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the points as JSON, as the API returns them")
    ] = False,
    backend: Annotated[
        Backend | None, typer.Option(help="Solver backend [default: the request's, highs]")
    ] = None,
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
    err = Console(stderr=True)
    body = _frontier_body(err, request, budgets)
    point_requests = body.point_requests()
    try:
        # Every point shares all but the budget, so one check covers them all, before any
        # worker starts.
        validate(_problem_for_cli(point_requests[0], backend, time_limit))
    except InvalidRequestError as exc:
        fields = [".".join(str(p) for p in e.loc if p != "body") or "(body)" for e in exc.errors]
        _print_field_errors(
            err, request, list(zip(fields, (e.message for e in exc.errors), strict=True))
        )
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except ProblemValidationError as exc:
        _print_field_errors(err, request, [(e.field, e.message) for e in exc.errors])
        raise typer.Exit(EXIT_BAD_INPUT) from None

    solved = _solve_points(point_requests, backend, time_limit, jobs)
    points = frontier_points(
        [r.budget for r in point_requests],
        [
            PointOutcome(None, "failed" if s.answer is None else s.answer.status.value, s.answer)
            for s in solved
        ],
    )
    currency = body.request.currency
    name = body.name or body.request.name
    status = frontier_status(p.status for p in points)

    if svg is not None:
        from app.services.frontier_chart import render_frontier_svg  # matplotlib loads slowly

        try:
            svg.write_text(render_frontier_svg(points, currency, name), encoding="utf-8")
        except OSError as exc:
            err.print(f"[red]Cannot write the chart:[/] {escape(str(exc))}", highlight=False)
            raise typer.Exit(1) from None
    if json_output:
        document = {
            "name": name,
            "currency": currency,
            "status": status.value,
            "points": [p.model_dump(mode="json") for p in points],
        }
        typer.echo(json.dumps(document, indent=2))
    else:
        _print_frontier(_wide_console(), points, solved, currency, name)
    if svg is not None:
        err.print(f"Chart written to {escape(str(svg))}", highlight=False)
    if any(s.answer is None or s.answer.status is PlanStatus.FAILED for s in solved):
        raise typer.Exit(EXIT_SOLVER_FAILED)


@dataclasses.dataclass(frozen=True)
class _PointSolve:
    """One point's answer, or why the solver gave none."""

    answer: PlanAnswer | None
    failure: str | None = None


def _solve_point(
    req: PlanCreate, settings: Settings, backend: Backend | None, time_limit: float | None
) -> _PointSolve:
    """Solve one budget point, as the service does."""
    try:
        result = planning.solve(_problem_for_cli(req, backend, time_limit), settings)
    except (InvalidRequestError, SolveFailedError) as exc:
        return _PointSolve(None, exc.detail)
    return _PointSolve(answer_from_result(result))


def _solve_points(
    requests: Sequence[PlanCreate],
    backend: Backend | None,
    time_limit: float | None,
    jobs: int | None,
) -> list[_PointSolve]:
    """Every point's answer, in the order given; ``jobs`` solver processes at once."""
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
    return get_settings().model_copy(update={"solver_processes": processes})


def _cpu_count() -> int:
    """CPUs this process may use (a container's limit, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _frontier_body(err: Console, source: Path, budgets: str | None) -> FrontierCreate:
    """The frontier of a request file and --budgets, or exit 2 naming every bad field.

    A plan request needs --budgets; a frontier request brings its own, which --budgets
    replaces.
    """
    try:
        document: Any = json.loads(source.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        _print_field_errors(err, source, [("(body)", f"not JSON: {exc}")])
        raise typer.Exit(EXIT_BAD_INPUT) from None
    is_frontier = isinstance(document, dict) and "request" in document
    sweep: dict[str, Any] | None = None
    if budgets is not None:
        try:
            sweep = _parse_budgets(budgets)
        except ValueError as exc:
            _print_field_errors(err, source, [("--budgets", str(exc))])
            raise typer.Exit(EXIT_BAD_INPUT) from None
    if sweep is None and not is_frontier:
        _print_field_errors(
            err, source, [("--budgets", "required with a plan request, e.g. 10000:100000:10000")]
        )
        raise typer.Exit(EXIT_BAD_INPUT)

    if is_frontier:
        body = dict(document)
        if sweep is not None:
            body = {k: v for k, v in body.items() if k not in ("budgets", "budget_range")}
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
        _print_field_errors(err, source, errors)
        raise typer.Exit(EXIT_BAD_INPUT) from None


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
    problem = problem_from_request(req, get_settings())
    options = problem.options
    if backend is not None:
        options = dataclasses.replace(options, backend=backend)
    if time_limit is not None:
        options = dataclasses.replace(options, time_limit_s=time_limit)
    return dataclasses.replace(problem, options=options)


@cli.command("import")
def import_roster(
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="Roster, .csv or .xlsx"),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the file and store nothing")
    ] = False,
    workspace: Annotated[
        str | None,
        typer.Option(help="The workspace's name or id [default: the only one there is]"),
    ] = None,
) -> None:
    """Add or update catalog influencers from a spreadsheet: every row, or none."""
    err = Console(stderr=True)
    settings = get_settings()
    upload = influencers.Upload(file.read_bytes(), filename=file.name)
    try:
        with _database_session(settings.database_url) as session:
            scope = WorkspaceScope(_workspace(session, workspace).id)
            summary = influencers.import_influencers(
                session, scope, upload, dry_run=dry_run, max_rows=settings.max_import_rows
            )
    except InvalidRequestError as exc:
        err.print(f"[red]{escape(exc.detail)}[/]", highlight=False)
        for e in exc.errors:
            where = f"row {e.row}, column {e.column}" if e.row is not None else e.field
            err.print(f"  {where}: {e.message}", highlight=False, markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except UnsupportedMediaTypeError as exc:
        err.print(f"[red]{escape(exc.detail)}[/]", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None

    out = Console()
    verb = "Checked (dry run, nothing stored)" if dry_run else "Imported"
    out.print(
        f"{verb} {escape(file.name)}: {summary.rows} rows, {summary.created} created, "
        f"{summary.updated} updated, {summary.unchanged} unchanged.",
        highlight=False,
    )
    if summary.ignored_columns:
        ignored = ", ".join(summary.ignored_columns)
        out.print(f"Columns not read: {ignored}", highlight=False, markup=False)
    for note in summary.notes:
        out.print(f"Note: {note}", highlight=False, markup=False)


@cli.command()
def export(
    plan_id: Annotated[str, typer.Argument(help="Id of a stored plan")],
    fmt: Annotated[
        ExportFormat | None,
        typer.Option("--format", help="[default: from --output's extension, else csv]"),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write, - for standard output [default: the plan's file name]",
        ),
    ] = None,
    workspace: Annotated[
        str | None,
        typer.Option(help="The workspace's name or id [default: the only one there is]"),
    ] = None,
) -> None:
    """Write a stored plan as a CSV or XLSX spreadsheet."""
    settings = get_settings()
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        fmt = ExportFormat(suffix) if suffix in set(ExportFormat) else ExportFormat.CSV
    try:
        with _database_session(settings.database_url) as session:
            scope = WorkspaceScope(_workspace(session, workspace).id)
            exported = export_plan(session, scope, plan_id, fmt)
    except NotFoundError as exc:
        Console(stderr=True).print(f"[red]{escape(exc.detail)}[/]", highlight=False)
        raise typer.Exit(1) from None
    if output is not None and str(output) == "-":
        typer.echo(exported.content, nl=False)
        return
    target = output or Path(exported.filename)
    target.write_bytes(exported.content)
    Console().print(f"Wrote {escape(str(target))}", highlight=False)


@contextmanager
def _database_session(database_url: str) -> Iterator[Session]:
    """One transaction on the configured database: committed if the block ends normally."""
    engine = create_db_engine(database_url)
    try:
        try:
            assert_migrated(engine)
        except DatabaseNotReadyError as exc:
            Console(stderr=True).print(f"[red]{escape(str(exc))}[/]", highlight=False)
            raise typer.Exit(1) from None
        with make_session_factory(engine).begin() as session:
            yield session
    finally:
        engine.dispose()


def _workspace(session: Session, name_or_id: str | None) -> Workspace:
    """The workspace named, or the only one when none is named; else exit 1 saying why."""
    err = Console(stderr=True)
    if name_or_id is not None:
        found = workspaces.find_workspace(session, name_or_id)
        if found is None:
            err.print(f"[red]No workspace {escape(name_or_id)!r}.[/]", highlight=False)
            raise typer.Exit(1)
        return found
    names = session.scalars(select(Workspace).order_by(Workspace.name).limit(2)).all()
    if len(names) == 1:
        return names[0]
    reason = (
        "there is none yet: influmix create-workspace NAME"
        if not names
        else ("there are several: name one with --workspace")
    )
    err.print(f"[red]Which workspace? {reason}[/]", highlight=False)
    raise typer.Exit(1)


def _migrate(database_url: str) -> None:
    """Run the migrations, or exit with one readable line when the database is unusable."""
    try:
        run_migrations(database_url)
    except (DatabaseNotReadyError, SQLAlchemyError) as exc:
        cause = getattr(exc, "orig", None) or exc
        first_line = (str(cause).strip().splitlines() or [""])[0]
        Console(stderr=True).print(
            f"[red]Cannot migrate the database at {escape(safe_url(database_url))}:[/] "
            + escape(f"{type(cause).__name__}: {first_line}"),
            highlight=False,
        )
        raise typer.Exit(1) from None


def _print_field_errors(err: Console, source: Path, errors: list[tuple[str, str]]) -> None:
    err.print(f"[red]Invalid request[/] in {escape(str(source))}:", highlight=False)
    for field, message in errors:
        err.print(f"  {field}: {message}", highlight=False, markup=False)


def _print_plan(out: Console, result: PlanResult, currency: str, name: str | None) -> None:
    solver = result.solver
    status_style = {
        PlanStatus.OPTIMAL: "green",
        PlanStatus.FEASIBLE: "yellow",
        PlanStatus.INFEASIBLE: "red",
        PlanStatus.FAILED: "red",
    }[result.status]
    line = f"[bold {status_style}]{result.status.value}[/]"
    if name:
        line = f"{escape(name)}: {line}"
    details = [f"{solver.backend}, {solver.wall_time_s:.2f} s"]
    if solver.objective is not None:
        details.append(f"objective {solver.objective:,.2f}")
    if solver.gap is not None:
        details.append(f"gap {solver.gap:.2%}")
    out.print(f"{line}  ({'; '.join(details)})", highlight=False)

    if result.allocations:
        table = Table(title="Allocations", title_justify="left")
        table.add_column("Handle", no_wrap=True)
        table.add_column("Platform")
        table.add_column("Tier")
        table.add_column("Posts", justify="right")
        table.add_column(f"Spend ({currency})", justify="right")
        table.add_column("Engagement", justify="right")
        table.add_column("Share of spend", justify="right")
        table.add_column("CPE", justify="right")
        for a in sorted(result.allocations, key=lambda a: -a.spend):
            table.add_row(
                escape(a.handle),
                a.platform,
                escape(a.tier),
                str(a.posts),
                _money(a.spend),
                f"{a.expected_engagement:,.0f}",
                f"{a.share_of_spend:.1%}",
                _cpe(a.cost_per_engagement),
            )
        out.print(table)

    if result.totals is not None:
        t = result.totals
        out.print(
            f"[bold]Totals[/]  spend {_money(t.spend)} {currency}, "
            f"left {_money(t.budget_left)}, "
            f"engagement {t.expected_engagement:,.0f}, reach {t.reach:,.0f}, "
            f"creators {t.influencers}, CPE {_cpe(t.cost_per_engagement)}",
            highlight=False,
        )
    if result.by_tier:
        out.print(_group_table("By tier", result.by_tier, currency))
    if result.by_platform:
        out.print(_group_table("By platform", result.by_platform, currency))
    if result.risk is not None:
        r = result.risk
        out.print(
            f"[bold]Risk[/]  largest share {r.max_share:.1%}, HHI {r.hhi:.3f}, "
            f"effective creators {r.effective_influencers:.1f}",
            highlight=False,
        )

    diag = result.diagnostics
    if diag.binding_constraints:
        out.print("[bold]Binding constraints[/]")
        for line_ in _grouped(diag.binding_constraints):
            out.print(f"  - {line_}", highlight=False, markup=False)
    if diag.relaxation:
        out.print("[bold]To make this plan feasible[/]")
        for rel in diag.relaxation:
            out.print(f"  - {rel.message}", highlight=False, markup=False)
    if diag.excluded:
        out.print("[bold]Excluded candidates[/]")
        for ex in diag.excluded:
            out.print(f"  - {ex.id}: {ex.reason}", highlight=False, markup=False)
    if diag.ignored_exclude_ids:
        ids = ", ".join(diag.ignored_exclude_ids)
        out.print(f"Unknown ids in exclude, ignored: {ids}", highlight=False, markup=False)
    for note in diag.notes:
        out.print(f"Note: {note}", highlight=False, markup=False)


def _print_frontier(
    out: Console,
    points: Sequence[FrontierPointOut],
    solved: Sequence[_PointSolve],
    currency: str,
    name: str | None,
) -> None:
    table = Table(title=escape(name or "Budget frontier"), title_justify="left")
    table.add_column(f"Budget ({currency})", justify="right")
    table.add_column("Status")
    table.add_column("Engagement", justify="right")
    table.add_column(f"Spend ({currency})", justify="right")
    table.add_column("Creators", justify="right")
    table.add_column(f"Per extra 1,000 {currency}", justify="right")
    table.add_column("Tier mix (share of spend)")
    for p in points:
        table.add_row(
            _budget(p.budget),
            _status_text(p.status),
            "-" if p.expected_engagement is None else f"{p.expected_engagement:,.0f}",
            "-" if p.spend is None else _money(p.spend),
            "-" if p.influencers is None else str(p.influencers),
            "-"
            if p.marginal_engagement_per_1000 is None
            else f"{p.marginal_engagement_per_1000:,.1f}",
            escape(_tier_mix_text(p.tier_mix)),
        )
    out.print(table)
    out.print(
        f"Per extra 1,000 {currency}: engagement gained per 1,000 {currency} of budget "
        "since the previous budget with a plan.",
        highlight=False,
    )
    # Why a budget has no plan, so the planner knows what would have to give.
    for p, s in zip(points, solved, strict=True):
        if s.failure is not None:
            out.print(
                f"  {_budget(p.budget)}: solver failed: {s.failure}", highlight=False, markup=False
            )
        elif s.answer is not None and s.answer.diagnostics.relaxation:
            first = s.answer.diagnostics.relaxation[0].message
            out.print(f"  {_budget(p.budget)}: {p.status}: {first}", highlight=False, markup=False)


def _budget(value: float) -> str:
    """Budgets are mostly round: 20,000 reads better than 20,000.00."""
    return f"{value:,.0f}" if value.is_integer() else _money(value)


def _status_text(status: str) -> str:
    style = {"optimal": "green", "feasible": "yellow"}.get(status, "red")
    return f"[{style}]{escape(status)}[/]"


def _tier_mix_text(mix: Mapping[str, float]) -> str:
    """Funded tiers in tier order, so rows compare at a glance: ``micro 43% · macro 42%``."""
    funded = [f"{tier} {share:.0%}" for tier, share in mix.items() if share >= 0.005]
    return " · ".join(funded) or "-"


def _group_table(title: str, groups: Mapping[str, GroupSummary], currency: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("Group")
    table.add_column(f"Spend ({currency})", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("Engagement", justify="right")
    table.add_column("Creators", justify="right")
    for key, g in groups.items():
        table.add_row(
            escape(key),
            _money(g.spend),
            f"{g.share:.1%}",
            f"{g.engagement:,.0f}",
            str(g.influencers),
        )
    return table


def _grouped(names: tuple[str, ...]) -> list[str]:
    """``max_posts:c1``, ``max_posts:c2`` read better as one ``max_posts: c1, c2`` line."""
    groups: dict[str, list[str]] = {}
    for name in names:
        kind, _, subject = name.partition(":")
        groups.setdefault(kind, [])
        if subject:
            groups[kind].append(subject)
    return [
        f"{kind}: {', '.join(subjects)}" if subjects else kind for kind, subjects in groups.items()
    ]


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _cpe(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _display_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    main()
