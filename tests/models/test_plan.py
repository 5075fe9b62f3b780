"""Plan rows: ids, timestamps and the cascade to allocations, on the backend under test."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from models import Plan, PlanAllocation, PlanState, Workspace
from models.plan import new_plan_id
from optimizer.problem import ObjectiveKind
from optimizer.result import RateSource


@pytest.fixture
def owner(db_engine: Engine) -> str:
    """The id of a workspace for the plans to belong to."""
    with Session(db_engine) as session, session.begin():
        workspace = Workspace(name="rows")
        session.add(workspace)
        session.flush()
        return workspace.id


def a_plan(owner: str, **fields: object) -> Plan:
    values: dict[str, object] = {
        "workspace_id": owner,
        "name": "Row test",
        "status": PlanState.OPTIMAL,
        "currency": "USD",
        "budget": 1000.0,
        "objective_kind": ObjectiveKind.ENGAGEMENT,
        "request": {"budget": 1000},
        "answer": {"status": "optimal"},
        "solver_backend": "highs",
        "wall_time_s": 0.01,
        **fields,
    }
    return Plan(**values)


def an_allocation(influencer_id: str, position: int) -> PlanAllocation:
    return PlanAllocation(
        position=position,
        influencer_id=influencer_id,
        handle=f"@{influencer_id}",
        platform="instagram",
        tier="micro",
        posts=2,
        spend=500.0,
        expected_engagement=1234.5,
        share_of_spend=0.5,
        share_of_engagement=0.5,
        engagement_rate_used=0.05,
        engagement_rate_source=RateSource.GIVEN,
        cost_per_engagement=0.405,
        reach=18000.0,
    )


def test_plan_ids_are_uuid7_and_sort_by_creation_time() -> None:
    earlier = new_plan_id()
    ids = [new_plan_id() for _ in range(100)]

    assert all(uuid.UUID(i).version == 7 for i in ids)
    assert len(set(ids)) == 100
    # Same-millisecond ids may tie on time; the 48-bit prefix never goes backwards.
    assert all(earlier[:13] <= later[:13] for later in ids)


def test_a_plan_round_trips_with_allocations_and_utc_times(db_engine: Engine, owner: str) -> None:
    created = datetime(2025, 3, 1, 10, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    with Session(db_engine) as session, session.begin():
        plan = a_plan(
            owner, created_at=created, allocations=[an_allocation("b", 1), an_allocation("a", 0)]
        )
        session.add(plan)
        session.flush()
        plan_id = plan.id

    with Session(db_engine) as session:
        stored = session.get_one(Plan, plan_id)
        assert stored.created_at == created
        assert stored.created_at.tzinfo is not None
        assert stored.created_at.utcoffset() == timedelta(0)
        assert stored.status is PlanState.OPTIMAL
        assert stored.request == {"budget": 1000}
        assert [a.influencer_id for a in stored.allocations] == ["a", "b"]
        assert stored.allocations[0].engagement_rate_source is RateSource.GIVEN


def test_deleting_a_plan_row_cascades_to_its_allocations(db_engine: Engine, owner: str) -> None:
    with Session(db_engine) as session, session.begin():
        keep = a_plan(owner, allocations=[an_allocation("a", 0)])
        drop = a_plan(owner, allocations=[an_allocation("a", 0), an_allocation("b", 1)])
        session.add_all([keep, drop])
        session.flush()
        drop_id = drop.id

    # A plain SQL delete, not the ORM: the database itself must cascade.
    with db_engine.begin() as conn:
        conn.execute(delete(Plan).where(Plan.id == drop_id))

    with db_engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Plan)) == 1
        assert conn.scalar(select(func.count()).select_from(PlanAllocation)) == 1


def test_created_at_defaults_to_now(db_engine: Engine, owner: str) -> None:
    before = datetime.now(UTC)
    with Session(db_engine) as session, session.begin():
        plan = a_plan(owner)
        session.add(plan)
        session.flush()
        plan_id = plan.id

    with Session(db_engine) as session:
        stored = session.get_one(Plan, plan_id)
    assert before <= stored.created_at <= datetime.now(UTC)
    assert stored.updated_at >= stored.created_at
