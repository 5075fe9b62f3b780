"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from datetime import datetime

from alembic.autogenerate import compare_metadata
from alembic.command import downgrade, upgrade
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from app.db import alembic_config, assert_migrated, run_migrations
from models import Base
from tests.support.app import engine_at


def test_migrated_schema_matches_the_models(unmigrated_database_url: str) -> None:
    run_migrations(unmigrated_database_url)
    with engine_at(unmigrated_database_url) as engine:
        assert_migrated(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []


def test_downgrade_then_upgrade_round_trips(unmigrated_database_url: str) -> None:
    run_migrations(unmigrated_database_url)
    downgrade(alembic_config(unmigrated_database_url), "base")
    with engine_at(unmigrated_database_url) as engine:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        run_migrations(unmigrated_database_url)
        assert {"plans", "plan_allocations", "influencers", "workspaces", "api_keys"} <= set(
            inspect(engine).get_table_names()
        )
        assert_migrated(engine)


def test_running_migrations_twice_is_harmless(database_url: str) -> None:
    run_migrations(database_url)
    with engine_at(database_url) as engine:
        assert_migrated(engine)


def test_upgrading_a_populated_database_gives_its_rows_to_a_default_workspace(
    unmigrated_database_url: str,
) -> None:
    upgrade(alembic_config(unmigrated_database_url), "0002")
    with engine_at(unmigrated_database_url) as engine:
        with engine.begin() as conn:
            conn.execute(text(PLAN_0002), {"now": datetime(2026, 1, 1)})
            conn.execute(text(INFLUENCER_0002), {"now": datetime(2026, 1, 1)})

        run_migrations(unmigrated_database_url)

        with engine.connect() as conn:
            workspaces = conn.execute(text("SELECT id, name FROM workspaces")).all()
            plan_owner = conn.scalar(text("SELECT workspace_id FROM plans"))
            entry_owner = conn.scalar(text("SELECT workspace_id FROM influencers"))
        assert [name for _, name in workspaces] == ["default"]
        assert plan_owner == entry_owner == workspaces[0][0]
        assert_migrated(engine)


def test_upgrading_an_empty_database_creates_no_workspace(unmigrated_database_url: str) -> None:
    run_migrations(unmigrated_database_url)
    with engine_at(unmigrated_database_url) as engine, engine.connect() as conn:
        assert conn.scalar(text("SELECT COUNT(*) FROM workspaces")) == 0


def test_upgrading_gives_every_stored_handle_one_leading_at(
    unmigrated_database_url: str,
) -> None:
    upgrade(alembic_config(unmigrated_database_url), "0008")
    long_handle = "x" * 128
    with engine_at(unmigrated_database_url) as engine:
        with engine.begin() as conn:
            now = {"now": datetime(2026, 1, 1)}
            conn.execute(text("INSERT INTO workspaces VALUES ('w1', 'demo', :now)"), now)
            for key, display in (
                ("lena_runs", "lena_runs"),
                ("techtom", "@TechTom"),
                (long_handle, long_handle),
            ):
                conn.execute(
                    text(INFLUENCER_0008), {**now, "id": key[:36], "key": key, "display": display}
                )

        run_migrations(unmigrated_database_url)

        with engine.connect() as conn:
            found = conn.execute(text("SELECT handle, display_handle FROM influencers")).all()
            rows = {str(key): str(display) for key, display in found}
    assert rows == {"lena_runs": "@lena_runs", "techtom": "@TechTom", long_handle: long_handle}


# Rows as revision 0002 stored them (no workspace yet), in plain SQL: the models have moved on.
PLAN_0002 = """
INSERT INTO plans (id, name, status, currency, budget, objective_kind, request, answer,
    solver_backend, wall_time_s, created_at, updated_at)
VALUES ('p1', 'Old plan', 'optimal', 'USD', 1000, 'engagement', '{}', '{}', 'highs', 0.1,
    :now, :now)
"""
INFLUENCER_0002 = """
INSERT INTO influencers (id, platform, handle, display_handle, followers, price_per_post,
    fixed_fee, min_posts, max_posts, audience_quality, tags, created_at, updated_at)
VALUES ('i1', 'instagram', 'ana', '@ana', 20000, 500, 0, 1, 1, 1, '[]', :now, :now)
"""
INFLUENCER_0008 = """
INSERT INTO influencers (id, workspace_id, platform, handle, display_handle, followers,
    price_per_post, fixed_fee, min_posts, max_posts, audience_quality, tags, created_at,
    updated_at)
VALUES (:id, 'w1', 'instagram', :key, :display, 20000, 500, 0, 1, 1, 1, '[]', :now, :now)
"""
