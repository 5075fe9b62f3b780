"""``influmix serve``, ``worker`` and ``migrate``: the long-running processes and the schema."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from app.cli import common

if TYPE_CHECKING:
    from app.services.demo import DemoSeed


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
    from app import server
    from app.core.logs import log_config
    from app.db import safe_url
    from app.services.demo import seed_demo

    out = Console()
    settings = common.get_settings()
    host = settings.host if host is None else host
    port = settings.port if port is None else port

    common.migrate_or_exit(settings.database_url)
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
    _first_run_hints(out, base, settings.database_url, seeded)
    # JSON lines with request ids; SIGTERM drains before exiting (app.server).
    server.run(host, port, log_config(settings.log_level))


def _first_run_hints(out: Console, base: str, database_url: str, seeded: DemoSeed | None) -> None:
    """The key to use and a curl line that works when pasted: double quotes, so that the
    shell fills in $INFLUMIX_KEY, and the real workspace name and ``influmix`` path."""
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
        from app.services.workspaces import workspace_names

        influmix = common.influmix_command()
        with common.database_session(database_url) as session:
            names = workspace_names(session)
        if not names:
            out.print("Make a workspace first:", highlight=False)
            out.print(f"  {influmix} create-workspace demo", highlight=False, soft_wrap=True)
        workspace = shlex.quote(names[0] if names else "demo")
        others = f" (workspaces: {', '.join(names)})" if len(names) > 1 else ""
        out.print(f"Make a key and keep it in this shell{escape(others)}:", highlight=False)
        out.print(
            f'  export INFLUMIX_KEY="$({influmix} create-key --workspace {escape(workspace)} '
            '--role planner)"',
            highlight=False,
            soft_wrap=True,
        )
        key_shown = "$INFLUMIX_KEY"
    out.print("Try it:")
    out.print(
        f'  curl -s -X POST {base}/v1/plans -H "Authorization: Bearer {key_shown}" '
        '-H "Content-Type: application/json" '
        f"--data @{shlex.quote(common.display_path(common.DEMO_REQUEST))}",
        soft_wrap=True,
        highlight=False,
    )


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
    from app.services.executors import run_worker

    settings = common.get_settings()
    common.migrate_or_exit(settings.database_url)
    run_worker(settings, concurrency=concurrency, hostname=hostname)


def migrate() -> None:
    """Bring the configured database's schema up to date."""
    from app.db import safe_url

    settings = common.get_settings()
    common.migrate_or_exit(settings.database_url)
    Console().print(f"Database at {safe_url(settings.database_url)} is up to date.")
