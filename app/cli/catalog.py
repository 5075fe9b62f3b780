"""``influmix import`` and ``export``: the catalog from a spreadsheet, a plan to one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from app.cli import common
from app.services.spreadsheets import SpreadsheetFormat


def import_roster(
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="Roster, .csv or .xlsx"),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the file and store nothing")
    ] = False,
    workspace: common.WorkspaceOption = None,
) -> None:
    """Add or update catalog influencers from a spreadsheet: every row, or none."""
    from app.errors import InvalidRequestError, UnsupportedMediaTypeError
    from app.services import catalog
    from app.services.scope import WorkspaceScope

    settings = common.get_settings()
    upload = catalog.Upload(file.read_bytes(), filename=file.name)
    try:
        with common.database_session(settings.database_url) as session:
            scope = WorkspaceScope(common.find_workspace(session, workspace).id)
            summary = catalog.import_influencers(
                session, scope, upload, dry_run=dry_run, max_rows=settings.max_import_rows
            )
    except InvalidRequestError as exc:
        common.invalid_file(exc)
    except UnsupportedMediaTypeError as exc:
        common.fail(escape(exc.detail), code=common.EXIT_BAD_INPUT)

    out = Console()
    verb = "Checked (dry run, nothing stored)" if dry_run else "Imported"
    out.print(
        f"{verb} {escape(file.name)}: {summary.rows} rows, {summary.created} created, "
        f"{summary.updated} updated, {summary.unchanged} unchanged.",
        highlight=False,
    )
    if summary.ignored_columns:
        ignored = ", ".join(summary.ignored_columns)
        common.plain(out, f"Columns not read: {ignored}")
    for note in summary.notes:
        common.plain(out, f"Note: {note}")


def export(
    plan_id: Annotated[str, typer.Argument(help="Id of a stored plan")],
    fmt: Annotated[
        SpreadsheetFormat | None,
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
    workspace: common.WorkspaceOption = None,
) -> None:
    """Write a stored plan as a CSV or XLSX spreadsheet."""
    from app.errors import NotFoundError
    from app.services.exports import export_plan
    from app.services.scope import WorkspaceScope

    settings = common.get_settings()
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output else ""
        fmt = SpreadsheetFormat(suffix) if suffix in set(SpreadsheetFormat) else None
    try:
        with common.database_session(settings.database_url) as session:
            scope = WorkspaceScope(common.find_workspace(session, workspace).id)
            exported = export_plan(session, scope, plan_id, fmt or SpreadsheetFormat.CSV)
    except NotFoundError as exc:
        common.fail(escape(exc.detail))
    if output is not None and str(output) == "-":
        typer.echo(exported.content, nl=False)
        return
    target = output or Path(exported.filename)
    target.write_bytes(exported.content)
    Console().print(f"Wrote {escape(str(target))}", highlight=False)
