"""A migrated database with one workspace and a planner key, as a benchmark's starting point."""

from __future__ import annotations

from app.db import create_db_engine, make_session_factory, run_migrations
from app.services.scope import WorkspaceScope
from app.services.workspaces import create_key, create_workspace
from models import Role


def bench_workspace(database_url: str) -> tuple[WorkspaceScope, str]:
    """Migrate ``database_url`` and return the scope of a new workspace and a planner key."""
    run_migrations(database_url)
    engine = create_db_engine(database_url)
    try:
        with make_session_factory(engine).begin() as session:
            scope = WorkspaceScope(create_workspace(session, "bench").id)
            key = create_key(session, scope, Role.PLANNER, name="bench")
            return scope, key.secret
    finally:
        engine.dispose()
