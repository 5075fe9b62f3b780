"""``influmix create-workspace`` and ``create-key``: tenants and their API keys."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from app.cli import common
from models.states import Role


def create_workspace(
    name: Annotated[str, typer.Argument(help="A name, unique on this database (at most 64)")],
) -> None:
    """Create a workspace (a tenant); give it keys with create-key."""
    from app.errors import ConflictError
    from app.services import workspaces

    if not 1 <= len(name) <= 64:
        common.fail("A workspace name has 1 to 64 characters.", code=common.EXIT_BAD_INPUT)
    try:
        with common.database_session(common.get_settings().database_url) as session:
            workspace = workspaces.create_workspace(session, name)
    except ConflictError:
        common.fail(f"A workspace named {escape(name)!r} exists already.")
    Console().print(
        f"Workspace {escape(workspace.name)} created (id {workspace.id}).", highlight=False
    )


def create_key(
    workspace: Annotated[str, typer.Option(help="The workspace's name or id")],
    role: Annotated[Role, typer.Option(help="viewer reads; planner plans; admin manages keys")],
    name: Annotated[str | None, typer.Option(help="A label, e.g. the tool using the key")] = None,
) -> None:
    """Create an API key and print it: this is the only time it is shown."""
    from app.services import workspaces
    from app.services.scope import WorkspaceScope

    with common.database_session(common.get_settings().database_url) as session:
        found = common.find_workspace(session, workspace)
        new = workspaces.create_key(session, WorkspaceScope(found.id), role, name)
    Console(stderr=True).print(
        f"{role.value} key {new.row.prefix}... for workspace {escape(found.name)} "
        "(shown once, keep it):",
        highlight=False,
    )
    typer.echo(new.secret)
