"""Typed dependencies of the routes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings


@dataclass(frozen=True, slots=True)
class Resources:
    """What one application instance owns; kept on ``app.state.resources``."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]


def get_resources(request: Request) -> Resources:
    resources = request.app.state.resources
    assert isinstance(resources, Resources)
    return resources


ResourcesDep = Annotated[Resources, Depends(get_resources)]


def get_settings(resources: ResourcesDep) -> Settings:
    return resources.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session(resources: ResourcesDep) -> Iterator[Session]:
    """One session and one transaction per request: committed if the route returns, rolled
    back if anything raises, so a failed request stores nothing."""
    with resources.session_factory() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()


# scope="function": the commit happens before the answer is sent, so a 201 means stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
