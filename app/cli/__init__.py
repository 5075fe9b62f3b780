"""Command line: run the service, migrate the database, or solve a request file offline.

Exit codes of ``influmix solve``: 0 when the optimizer answered (``optimal``, ``feasible`` or
``infeasible`` — an infeasible plan is a valid answer, explained in its diagnostics), 1 when the
solver failed, 2 when the request is malformed (every bad field is printed). ``influmix import``
exits 2 when the file is invalid (every bad row is printed, nothing is stored); ``import`` and
``export`` exit 1 when the database is not ready or the plan does not exist.
``create-workspace`` and ``create-key`` exit 1 when the name is taken or the workspace unknown.
``influmix frontier`` exits as ``solve`` does, 1 when the solver failed at any budget.

Each command imports what it needs when it runs, so ``--help`` and ``solve`` load neither the
web framework, the database layer nor the job queue.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys

import typer

from app.cli import catalog, service, solving, tenancy
from app.cli.common import EXIT_BAD_INPUT, EXIT_SOLVER_FAILED

__all__ = ["EXIT_BAD_INPUT", "EXIT_SOLVER_FAILED", "cli", "main"]

cli = typer.Typer(
    name="influmix",
    help="Budget optimizer for influencer campaigns.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
cli.command()(service.serve)
cli.command()(service.worker)
cli.command()(service.migrate)
cli.command("create-workspace")(tenancy.create_workspace)
cli.command("create-key")(tenancy.create_key)
cli.command()(solving.solve)
cli.command()(solving.frontier)
cli.command("import")(catalog.import_roster)
cli.command()(catalog.export)


def main() -> None:
    """The console entry point. Once the command is done the process ends at once: tearing
    down the interpreter's modules takes about a second that a planner at a terminal, or a
    script waiting on the answer, should not pay."""
    try:
        cli()
        code = 0
    except SystemExit as done:
        code = _exit_code(done.code)
    planning = sys.modules.get("app.services.planning")
    if planning is not None:  # a command that solved: its solver processes end with it
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
