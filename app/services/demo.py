"""A demo workspace, key and plan, so that a fresh install can be tried at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.core.config import get_settings
from app.db import assert_migrated, create_db_engine, make_session_factory
from app.schemas.examples import EXAMPLE_PLAN_REQUEST
from app.schemas.plans import PlanCreate
from app.services.plans import create_plan
from app.services.scope import WorkspaceScope
from app.services.workspaces import create_key, create_workspace
from models import ApiKey, Plan, Role, Workspace

DEMO_REQUEST_PATH = Path(__file__).resolve().parents[2] / "examples" / "demo_request.json"
DEMO_WORKSPACE = "demo"


@dataclass(frozen=True, slots=True)
class DemoSeed:
    """What a seeding stored: the key (shown once) only when one was created."""

    workspace_id: str
    key: str | None
    plan_id: str | None


def demo_request() -> PlanCreate:
    """The demo request of examples/, or the OpenAPI example when that file is absent."""
    if DEMO_REQUEST_PATH.is_file():
        return PlanCreate.model_validate_json(DEMO_REQUEST_PATH.read_bytes())
    return PlanCreate.model_validate(EXAMPLE_PLAN_REQUEST)


def seed_demo(database_url: str) -> DemoSeed | None:
    """On a database without any usable key: a workspace (the oldest, else a new "demo" one),
    an admin key for it, and the demo plan in it if it has no plan yet.

    Returns None when a usable key exists already, so running it twice seeds once.
    """
    settings = get_settings().model_copy(update={"database_url": database_url})
    engine = create_db_engine(database_url)
    try:
        assert_migrated(engine)
        with make_session_factory(engine).begin() as session:
            active = select(ApiKey.id).where(ApiKey.revoked_at.is_(None)).limit(1)
            if session.scalar(active) is not None:
                return None
            oldest = select(Workspace).order_by(Workspace.created_at).limit(1)
            workspace = session.scalar(oldest) or create_workspace(session, DEMO_WORKSPACE)
            scope = WorkspaceScope(workspace.id)
            key = create_key(session, scope, Role.ADMIN, name="demo")
            plan_id = None
            if session.scalar(select(Plan.id).where(scope.owns(Plan)).limit(1)) is None:
                plan_id = create_plan(session, settings, scope, demo_request()).id
            return DemoSeed(workspace.id, key.secret, plan_id)
    finally:
        engine.dispose()
