"""SQLAlchemy ORM models; the schema itself changes only through Alembic migrations.

The ORM loads on first use of one of its names: ``models.states`` (the enumerations) is read
by code that never touches the database, such as ``influmix solve``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from models.states import PlanState, Role

if TYPE_CHECKING:
    from models.base import Base
    from models.influencer import Influencer, InfluencerOverlap
    from models.plan import Frontier, Plan, PlanAllocation
    from models.workspace import ApiKey, IdempotencyRecord, Workspace

__all__ = [
    "ApiKey",
    "Base",
    "Frontier",
    "IdempotencyRecord",
    "Influencer",
    "InfluencerOverlap",
    "Plan",
    "PlanAllocation",
    "PlanState",
    "Role",
    "Workspace",
]

_ORM_MODULES = ("models.base", "models.influencer", "models.plan", "models.workspace")


def __getattr__(name: str) -> Any:
    # Every table module at once, so Base.metadata is whole whichever name comes first.
    if name not in __all__:
        raise AttributeError(f"module 'models' has no attribute {name!r}")
    for module in _ORM_MODULES:
        importlib.import_module(module)
    value = next(
        getattr(loaded, name)
        for loaded in (importlib.import_module(m) for m in _ORM_MODULES)
        if hasattr(loaded, name)
    )
    globals()[name] = value
    return value
