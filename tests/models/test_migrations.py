"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.command import downgrade
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from app.db import alembic_config, assert_migrated, create_db_engine, run_migrations
from models import Base


def test_migrated_schema_matches_the_models(unmigrated_database_url: str) -> None:
    run_migrations(unmigrated_database_url)
    engine = create_db_engine(unmigrated_database_url)
    try:
        assert_migrated(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_downgrade_then_upgrade_round_trips(unmigrated_database_url: str) -> None:
    run_migrations(unmigrated_database_url)
    downgrade(alembic_config(unmigrated_database_url), "base")
    engine = create_db_engine(unmigrated_database_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        run_migrations(unmigrated_database_url)
        assert {"plans", "plan_allocations", "influencers"} <= set(
            inspect(engine).get_table_names()
        )
        assert_migrated(engine)
    finally:
        engine.dispose()


def test_running_migrations_twice_is_harmless(database_url: str) -> None:
    run_migrations(database_url)
    engine = create_db_engine(database_url)
    try:
        assert_migrated(engine)
    finally:
        engine.dispose()
