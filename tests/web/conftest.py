"""A real service in a Uvicorn process, and headless Chromium driving the planner's page.

Playwright's own browser builds are not downloaded: the system Chromium is used
(INFLUMIX_CHROMIUM names another binary). Without one the browser tests skip on a developer's
machine, and fail in CI (CI=true), where a skip would hide that the page went untested.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Error,
    Page,
    Playwright,
    ViewportSize,
    sync_playwright,
)

from app.db import create_db_engine, make_session_factory, run_migrations
from models import Role
from tests.conftest import bearer, new_key
from tests.servers import free_port, pipe_output, stop, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE / "artifacts"
ROSTER_CSV = HERE / "roster.csv"
CHROMIUM_ENV = "INFLUMIX_CHROMIUM"
CHROMIUM_DEFAULT = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# A 1366x768 laptop: the screen the page is laid out for.
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}
# Each browser step waits at most this long (a solve of the test roster takes well under 5 s).
STEP_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class Service:
    base_url: str
    key: str  # a planner key
    viewer_key: str

    @property
    def auth(self) -> dict[str, str]:
        return bearer(self.key)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, headers=self.auth, timeout=60)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The service on a free port with a fresh SQLite database, and two keys of one workspace."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'influmix.db'}"
    run_migrations(database_url)
    engine = create_db_engine(database_url)
    try:
        sessions = make_session_factory(engine)
        key = new_key(sessions, Role.PLANNER)
        viewer_key = new_key(sessions, Role.VIEWER)
    finally:
        engine.dispose()
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("INFLUMIX_") and name != "DATABASE_URL"
    }
    env["DATABASE_URL"] = database_url
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_healthy(process, base_url, pipe_output(process))
        yield Service(base_url, key, viewer_key)
    finally:
        stop(process)


def chromium_executable() -> str:
    path = os.environ.get(CHROMIUM_ENV) or shutil.which("chromium") or CHROMIUM_DEFAULT
    if Path(path).is_file() and os.access(path, os.X_OK):
        return path
    message = (
        f"no Chromium at {path}: install Debian's chromium package or set {CHROMIUM_ENV} to "
        "a Chromium binary (Playwright's own browser downloads are not used)"
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


# Package scope: the sync API keeps an event loop running in this thread while it is open,
# which the async tests of other packages could not start under.
@pytest.fixture(scope="package")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    executable = chromium_executable()
    try:
        browser = playwright_instance.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS
        )
    except Error as exc:
        pytest.fail(f"Chromium at {executable} did not start: {exc}")
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def page(browser: Browser, service: Service) -> Iterator[Page]:
    """A fresh tab on the planner's page; any script error on it fails the test."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="en-US")
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))

    def on_console(message: ConsoleMessage) -> None:
        # Failed fetches of the API are the page's to show; CSP violations are not.
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(f"console: {message.text}")

    page.on("console", on_console)
    page.goto(service.base_url + "/")
    try:
        yield page
    finally:
        context.close()
    assert not errors, errors


def screenshot(page: Page, name: str) -> Path:
    """A full-page PNG in tests/web/artifacts/, for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
