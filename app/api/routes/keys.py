"""/v1/keys: the workspace's API keys, managed by its admin keys."""

from __future__ import annotations

from fastapi import Response
from fastapi import status as http_status

from app.api.deps import AdminDep, IdempotencyDep, SessionDep
from app.api.responses import CREATE_RESPONSES, json_answer, not_found, v1_router
from app.schemas.keys import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from app.services import workspaces
from models.states import Role

router = v1_router("keys", Role.ADMIN)

NOT_FOUND = not_found("key with this id in the workspace")


@router.post(
    "",
    status_code=http_status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    summary="Create an API key",
    description="The answer holds the key itself; it is not stored and cannot be shown again.",
    responses={
        201: {"description": "The new key, with its secret."},
        **CREATE_RESPONSES,
    },
)
def create_key(
    principal: AdminDep,
    body: ApiKeyCreate,
    idem: IdempotencyDep,
    session: SessionDep,
) -> Response:
    replay = idem.begin("create_key", body)
    if replay is not None:
        return replay
    created = workspaces.key_created(
        workspaces.create_key(session, principal.scope, body.role, body.name)
    )
    answer = json_answer(created, http_status.HTTP_201_CREATED)
    # The secret is never stored, not even for a replay: a retry gets the key without it.
    redacted = created.model_copy(update={"key": None}).model_dump_json().encode()
    return idem.respond(session, answer, stored_body=redacted)


@router.get("", summary="List the workspace's API keys (prefixes only)")
def list_keys(principal: AdminDep, session: SessionDep) -> list[ApiKeyPublic]:
    return workspaces.list_keys(session, principal.scope)


@router.delete(
    "/{key_id}",
    status_code=http_status.HTTP_204_NO_CONTENT,
    summary="Revoke an API key",
    description="The key stops working at once; it stays listed, with its revocation time.",
    responses=NOT_FOUND,
)
def revoke_key(key_id: str, principal: AdminDep, session: SessionDep) -> Response:
    workspaces.revoke_key(session, principal.scope, key_id)
    return Response(status_code=http_status.HTTP_204_NO_CONTENT)
