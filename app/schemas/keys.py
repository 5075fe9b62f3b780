"""API keys on the wire: the secret appears in one answer only, the one that creates it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from app.schemas.wire import NO_NUL, with_examples
from models.states import Role

KeyName = Annotated[str, Field(min_length=1, max_length=128), NO_NUL]

# Examples in the shapes the service answers (uuid7 ids, keys of "imx_" and 43 URL-safe
# characters, the first 12 shown as the prefix); this key was never issued.
_EXAMPLE_KEY = "imx_EXAMPLE-ONLY-not-a-real-key-000000000000000"
_EXAMPLE_PUBLIC: JsonDict = {
    "id": "01a21308-391e-760a-b9f7-922bd3d2fd1f",
    "name": "reporting tool",
    "prefix": _EXAMPLE_KEY[:12],
    "role": "planner",
    "created_at": "2026-11-25T14:12:03.511203Z",
    "last_used_at": None,
    "revoked_at": None,
}


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"role": "planner", "name": "reporting tool"}]},
    )

    role: Role = Field(description="viewer reads; planner also plans; admin also manages keys.")
    name: KeyName | None = Field(default=None, description="A label, e.g. the tool using it.")


class ApiKeyPublic(BaseModel):
    model_config = with_examples(_EXAMPLE_PUBLIC)

    id: str
    name: str | None
    prefix: str = Field(description="The key's first characters, to tell keys apart.")
    role: Role
    created_at: datetime
    last_used_at: datetime | None = Field(description="Accurate to the minute.")
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{**_EXAMPLE_PUBLIC, "key": _EXAMPLE_KEY}]}
    )

    key: str | None = Field(
        description=(
            "The key itself, shown this once (only its hash is stored): send it as "
            "`Authorization: Bearer <key>`. Null in a replay of this answer to a retry with "
            "the same Idempotency-Key, since the key is not kept anywhere."
        )
    )
