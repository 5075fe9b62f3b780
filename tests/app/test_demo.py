"""The demo workspace, key and plan stored for a fresh install."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from app.db import make_session_factory
from app.services.demo import DEMO_REQUEST_PATH, demo_request, seed_demo
from app.services.workspaces import authenticate
from models import Plan, Role, Workspace


def test_demo_is_seeded_once_with_an_admin_key_of_its_workspace(
    database_url: str, db_engine: Engine
) -> None:
    first = seed_demo(database_url)
    second = seed_demo(database_url)

    assert first is not None
    assert first.key is not None
    assert first.plan_id is not None
    assert second is None
    with db_engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Plan)) == 1
        assert conn.scalar(select(func.count()).select_from(Workspace)) == 1
        assert conn.scalar(select(Plan.status).where(Plan.id == first.plan_id)) == "optimal"
        assert conn.scalar(select(Plan.workspace_id)) == first.workspace_id
    with make_session_factory(db_engine).begin() as session:
        principal = authenticate(session, first.key)
    assert principal is not None
    assert (principal.workspace_id, principal.role) == (first.workspace_id, Role.ADMIN)


def test_demo_request_is_the_shipped_example() -> None:
    assert DEMO_REQUEST_PATH.is_file()
    assert len(demo_request().candidates or ()) >= 20
