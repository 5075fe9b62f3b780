"""The planner's page under test: the service it talks to, how long its steps may take, and
screenshots for people to look at."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
from playwright.sync_api import Page

from optimizer.problem import SolveOptions
from tests.support.app import bearer

WEB_TESTS = Path(__file__).resolve().parents[1] / "web"
ARTIFACTS = WEB_TESTS / "artifacts"
ROSTER_CSV = WEB_TESTS / "roster.csv"

# The page sends no time limit, so a solve stops at the optimizer's default one at the latest.
SOLVE_TIME_LIMIT_S = SolveOptions().time_limit_s
# A step that waits on a solve: the whole time limit twice over (a loaded machine runs the
# solver and the browser on the same cores), plus the request's round trip and the rendering.
SOLVE_WAIT_MS = round((2 * SOLVE_TIME_LIMIT_S + 10) * 1000)
# Any other browser step (typing, reading a roster, a download).
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


def screenshot(page: Page, name: str) -> Path:
    """A full-page PNG in tests/web/artifacts/, for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
