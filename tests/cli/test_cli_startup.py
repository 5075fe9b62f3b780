"""The command line loads only what the command run needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# The service's stack: an offline solve must not pay for loading any of it.
SERVICE_PACKAGES = ("fastapi", "starlette", "sqlalchemy", "celery", "uvicorn", "alembic")


def imported_packages(*args: str) -> set[str]:
    """Top-level packages a fresh ``influmix ARGS`` process imported (``-X importtime``)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "app" in names  # the listing was read
    return names


def test_solve_loads_neither_the_web_framework_nor_the_database_nor_the_queue() -> None:
    loaded = imported_packages("solve", "--json", str(EXAMPLES / "demo_request.json"))

    assert "optimizer" in loaded
    assert not loaded & set(SERVICE_PACKAGES)


def test_help_loads_no_service_package_and_no_spreadsheet_or_chart_library() -> None:
    loaded = imported_packages("--help")

    assert not loaded & {*SERVICE_PACKAGES, "openpyxl", "matplotlib"}
