"""The demo plan stored for a fresh install."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from app.services.demo import DEMO_REQUEST_PATH, demo_request, seed_demo
from models import Plan


def test_demo_is_seeded_once(database_url: str, db_engine: Engine) -> None:
    first = seed_demo(database_url)
    second = seed_demo(database_url)

    assert first is not None
    assert second is None
    with db_engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Plan)) == 1
        assert conn.scalar(select(Plan.status).where(Plan.id == first)) == "optimal"


def test_demo_request_is_the_shipped_example() -> None:
    assert DEMO_REQUEST_PATH.is_file()
    assert len(demo_request().candidates or ()) >= 20
