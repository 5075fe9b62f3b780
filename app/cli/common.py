"""What the commands share: exit codes, consoles, error lines and the database session.

The database layer is imported inside the functions that use it, so commands that never
touch the database (``solve``, ``frontier``, ``--help``) do not load it.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.core.config import Settings
    from app.errors import InvalidRequestError
    from models import Workspace

EXIT_SOLVER_FAILED = 1
EXIT_BAD_INPUT = 2

WorkspaceOption = Annotated[
    str | None,
    typer.Option(help="The workspace's name or id [default: the only one there is]"),
]

EXAMPLES_DIR = Path(__file__).resolve().parent.parent.parent / "examples"
DEMO_REQUEST = EXAMPLES_DIR / "demo_request.json"


def get_settings() -> Settings:
    from app.core.config import get_settings as configured

    return configured()


def wide_console() -> Console:
    """Piped output gets no terminal width; 80 columns would cut money figures short."""
    console = Console()
    return console if console.is_terminal else Console(width=140)


def plain(out: Console, text: str) -> None:
    """A line printed as it is: names and messages from files may hold [brackets]."""
    out.print(text, highlight=False, markup=False)


def fail(message: str, detail: str = "", code: int = 1) -> NoReturn:
    """Print ``message`` (escaped markup) in red, then ``detail`` (plain text), on stderr, and
    exit with ``code``."""
    line = f"[red]{message}[/]" + (f" {escape(detail)}" if detail else "")
    Console(stderr=True).print(line, highlight=False)
    raise typer.Exit(code)


def invalid_request(source: Path, errors: Sequence[tuple[str, str]]) -> NoReturn:
    """Name every bad field of the request file ``source`` and exit 2."""
    err = Console(stderr=True)
    err.print(f"[red]Invalid request[/] in {escape(str(source))}:", highlight=False)
    for field, message in errors:
        plain(err, f"  {field}: {message}")
    raise typer.Exit(EXIT_BAD_INPUT)


def invalid_file(exc: InvalidRequestError) -> NoReturn:
    """Name every bad row of a spreadsheet (row and column as in the file) and exit 2."""
    err = Console(stderr=True)
    err.print(f"[red]{escape(exc.detail)}[/]", highlight=False)
    for e in exc.errors:
        where = f"row {e.row}, column {e.column}" if e.row is not None else e.field
        plain(err, f"  {where}: {e.message}")
    raise typer.Exit(EXIT_BAD_INPUT)


def request_errors(exc: InvalidRequestError) -> list[tuple[str, str]]:
    """The field errors of a request file: the service's paths start at "body", but in a file
    the document is the body."""
    return [
        (".".join(str(p) for p in e.loc if p != "body") or "(body)", e.message) for e in exc.errors
    ]


@contextmanager
def database_session(database_url: str) -> Iterator[Session]:
    """One transaction on the configured database: committed if the block ends normally."""
    from app.db import (
        DatabaseNotReadyError,
        assert_migrated,
        create_db_engine,
        make_session_factory,
    )

    engine = create_db_engine(database_url)
    try:
        try:
            assert_migrated(engine)
        except DatabaseNotReadyError as exc:
            fail(escape(str(exc)))
        with make_session_factory(engine).begin() as session:
            yield session
    finally:
        engine.dispose()


def find_workspace(session: Session, name_or_id: str | None) -> Workspace:
    """The workspace named, or the only one when none is named; else exit 1 saying why."""
    from sqlalchemy import select

    from app.services import workspaces
    from models import Workspace

    if name_or_id is not None:
        found = workspaces.find_workspace(session, name_or_id)
        if found is None:
            fail(f"No workspace {escape(name_or_id)!r}.", workspaces_hint(session))
        return found
    names = session.scalars(select(Workspace).order_by(Workspace.name).limit(2)).all()
    if len(names) == 1:
        return names[0]
    reason = (
        "there is none yet: influmix create-workspace NAME"
        if not names
        else ("there are several: name one with --workspace")
    )
    fail(f"Which workspace? {reason}")


def workspaces_hint(session: Session) -> str:
    """The workspaces there are, or how to make the first."""
    from app.services import workspaces

    names = workspaces.workspace_names(session)
    if not names:
        return f"There is none yet: {influmix_command()} create-workspace NAME"
    return "Workspaces: " + ", ".join(names)


def influmix_command() -> str:
    """This install's ``influmix`` as a shell would run it: the venv's script (not on the
    PATH after ``make venv``), relative to the working directory when below it."""
    script = Path(sys.executable).parent / "influmix"
    return shlex.quote(display_path(script)) if script.is_file() else "influmix"


def migrate_or_exit(database_url: str) -> None:
    """Run the migrations, or exit with one readable line when the database is unusable."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.db import DatabaseNotReadyError, run_migrations, safe_url

    try:
        run_migrations(database_url)
    except (DatabaseNotReadyError, SQLAlchemyError) as exc:
        cause = getattr(exc, "orig", None) or exc
        first_line = (str(cause).strip().splitlines() or [""])[0]
        fail(
            f"Cannot migrate the database at {escape(safe_url(database_url))}:",
            f"{type(cause).__name__}: {first_line}",
        )


def display_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
