"""SQLAlchemy ORM models; the schema itself changes only through Alembic migrations."""

from models.base import Base
from models.influencer import Influencer
from models.plan import Plan, PlanAllocation
from models.workspace import ApiKey, IdempotencyRecord, Role, Workspace

__all__ = [
    "ApiKey",
    "Base",
    "IdempotencyRecord",
    "Influencer",
    "Plan",
    "PlanAllocation",
    "Role",
    "Workspace",
]
