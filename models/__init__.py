"""SQLAlchemy ORM models; the schema itself changes only through Alembic migrations."""

from models.base import Base
from models.influencer import Influencer
from models.plan import Frontier, Plan, PlanAllocation, PlanState
from models.workspace import ApiKey, IdempotencyRecord, Role, Workspace

__all__ = [
    "ApiKey",
    "Base",
    "Frontier",
    "IdempotencyRecord",
    "Influencer",
    "Plan",
    "PlanAllocation",
    "PlanState",
    "Role",
    "Workspace",
]
