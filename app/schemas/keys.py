"""API keys on the wire: the secret appears in one answer only, the one that creates it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from models import Role

KeyName = Annotated[str, Field(min_length=1, max_length=128)]


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role = Field(description="viewer reads; planner also plans; admin also manages keys.")
    name: KeyName | None = Field(default=None, description="A label, e.g. the tool using it.")


class ApiKeyPublic(BaseModel):
    id: str
    name: str | None
    prefix: str = Field(description="The key's first characters, to tell keys apart.")
    role: Role
    created_at: datetime
    last_used_at: datetime | None = Field(description="Accurate to the minute.")
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    key: str | None = Field(
        description=(
            "The key itself, shown this once (only its hash is stored): send it as "
            "`Authorization: Bearer <key>`. Null in a replay of this answer to a retry with "
            "the same Idempotency-Key, since the key is not kept anywhere."
        )
    )
