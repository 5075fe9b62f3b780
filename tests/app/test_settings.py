"""Settings from the environment, and what they switch on."""

from __future__ import annotations

import httpx
import pytest

from app.core.config import Settings
from app.db import normalize_database_url
from tests.support.app import BASE_URL, built_app, make_settings


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "INFLUMIX_DATABASE_URL", "INFLUMIX_CORS_ORIGINS"):
        monkeypatch.delenv(name, raising=False)

    settings = Settings()

    assert settings.database_url == "sqlite:///./influmix.db"
    assert settings.solve_time_limit_s == 60
    assert settings.max_candidates == 100_000
    assert settings.cors_origins == []


def test_database_url_is_read_without_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db:5432/influmix")
    monkeypatch.setenv("INFLUMIX_SOLVE_TIME_LIMIT_S", "15")
    monkeypatch.setenv("INFLUMIX_MAX_CANDIDATES", "500")

    settings = Settings()

    assert settings.database_url == "postgresql://u@db:5432/influmix"
    assert settings.solve_time_limit_s == 15
    assert settings.max_candidates == 500


@pytest.mark.parametrize(
    ("raw", "origins"),
    [
        ("https://a.example, https://b.example", ["https://a.example", "https://b.example"]),
        ('["https://a.example"]', ["https://a.example"]),
        ("", []),
    ],
)
def test_cors_origins_accept_commas_or_json(
    monkeypatch: pytest.MonkeyPatch, raw: str, origins: list[str]
) -> None:
    monkeypatch.setenv("INFLUMIX_CORS_ORIGINS", raw)

    assert Settings().cors_origins == origins


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///./x.db", "sqlite:///./x.db"),
    ],
)
def test_postgres_urls_use_psycopg_3(given: str, used: str) -> None:
    assert normalize_database_url(given) == used


@pytest.mark.anyio
async def test_cors_is_off_by_default_and_on_for_listed_origins(database_url: str) -> None:
    preflight = {
        "origin": "https://planner.example",
        "access-control-request-method": "POST",
    }
    answers = []
    for origins in ([], ["https://planner.example"]):
        with built_app(make_settings(database_url, cors_origins=origins)) as app:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
                answers.append(await client.options("/v1/plans", headers=preflight))

    off, on = answers
    assert "access-control-allow-origin" not in off.headers
    assert on.status_code == 200
    assert on.headers["access-control-allow-origin"] == "https://planner.example"
