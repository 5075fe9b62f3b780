"""A demo plan, so that a fresh install has something to list and open."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.core.config import get_settings
from app.db import assert_migrated, create_db_engine, make_session_factory
from app.schemas.examples import EXAMPLE_PLAN_REQUEST
from app.schemas.plans import PlanCreate
from app.services.plans import create_plan
from models import Plan

DEMO_REQUEST_PATH = Path(__file__).resolve().parents[2] / "examples" / "demo_request.json"


def demo_request() -> PlanCreate:
    """The demo request of examples/, or the OpenAPI example when that file is absent."""
    if DEMO_REQUEST_PATH.is_file():
        return PlanCreate.model_validate_json(DEMO_REQUEST_PATH.read_bytes())
    return PlanCreate.model_validate(EXAMPLE_PLAN_REQUEST)


def seed_demo(database_url: str) -> str | None:
    """Solve and store the demo plan if the database holds no plan yet; return its id.

    Returns None when plans already exist, so running it twice stores one demo plan.
    """
    settings = get_settings().model_copy(update={"database_url": database_url})
    engine = create_db_engine(database_url)
    try:
        assert_migrated(engine)
        with make_session_factory(engine).begin() as session:
            if session.scalar(select(Plan.id).limit(1)) is not None:
                return None
            return create_plan(session, settings, demo_request()).id
    finally:
        engine.dispose()
