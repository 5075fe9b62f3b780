"""A real service in a Uvicorn process, and headless Chromium driving the planner's page.

Playwright's own browser builds are not downloaded: the system Chromium is used
(INFLUMIX_CHROMIUM names another binary). Without one the browser tests skip on a developer's
machine, and fail in CI (CI=true), where a skip would hide that the page went untested.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Error,
    Page,
    Playwright,
    ViewportSize,
    expect,
    sync_playwright,
)

from app.db import run_migrations
from models import Role
from tests.servers import free_port, pipe_output, wait_until_healthy
from tests.support.app import key_at, uvicorn_process
from tests.support.web import STEP_TIMEOUT_MS, Service

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ENV = "INFLUMIX_CHROMIUM"
CHROMIUM_DEFAULT = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# A 1366x768 laptop: the screen the page is laid out for.
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The service on a free port with a fresh SQLite database, and two keys of one workspace."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'influmix.db'}"
    run_migrations(database_url)
    key = key_at(database_url, Role.PLANNER)
    viewer_key = key_at(database_url, Role.VIEWER)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with uvicorn_process(database_url, port) as process:
        wait_until_healthy(process, base_url, pipe_output(process))
        yield Service(base_url, key, viewer_key)


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
    # Assertions wait as long as actions do, not Playwright's 5 s.
    expect.set_options(timeout=STEP_TIMEOUT_MS)
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
