"""SQLAlchemy ORM models; the schema itself changes only through Alembic migrations."""

from models.base import Base
from models.influencer import Influencer
from models.plan import Plan, PlanAllocation

__all__ = ["Base", "Influencer", "Plan", "PlanAllocation"]
