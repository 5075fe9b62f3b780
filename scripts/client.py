"""The Python client in clients/python, generated from the service's OpenAPI document.

    python scripts/client.py generate [--openapi FILE]   # rewrite clients/python
    python scripts/client.py check [--openapi FILE]      # exit 1 if clients/python is stale

The document is built in-process from ``app.main.create_app`` (no server, no database);
``--openapi`` reads a JSON document instead. Generation runs openapi-python-client with
clients/config.yaml and formats with the venv's ruff, so the same document always gives the
same bytes: ``check`` regenerates into a temporary directory and compares file by file.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CLIENT_DIR = ROOT / "clients" / "python"
CONFIG = ROOT / "clients" / "config.yaml"
# What tools leave beside the sources (caches, the editable install's metadata): never drift.
IGNORED_DIRS = ("__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache")
IGNORED_SUFFIXES = (".egg-info",)
# Enough of a diff to see what changed without burying the CI log.
MAX_DIFF_LINES = 400


class GenerationError(Exception):
    """openapi-python-client failed, or warned (a warning means part of the API is missing)."""


def service_document() -> dict[str, Any]:
    """The OpenAPI document the service serves at /openapi.json."""
    # Imported here so that --openapi works without the service's dependencies.
    from app.core.config import Settings
    from app.main import create_app

    # The document does not depend on the database; an in-memory URL is never even opened.
    document: dict[str, Any] = create_app(Settings(database_url="sqlite://")).openapi()
    return document


def render(document: dict[str, Any], destination: Path) -> None:
    """Generate the client project for ``document`` into ``destination`` (which must not exist)."""
    with tempfile.TemporaryDirectory(prefix="influmix-openapi-") as scratch:
        source = Path(scratch) / "openapi.json"
        source.write_text(json.dumps(document, indent=2, sort_keys=True), encoding="utf-8")
        env = dict(os.environ)
        # The post hooks in config.yaml call `ruff`: the venv's pinned one, not whatever is on PATH.
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        command = [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(source),
            "--config",
            str(CONFIG),
            "--meta",
            "setup",
            "--output-path",
            str(destination),
            "--fail-on-warning",
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise GenerationError(f"openapi-python-client failed:\n{done.stdout}{done.stderr}")


def _ignored(relative: Path) -> bool:
    return any(part in IGNORED_DIRS or part.endswith(IGNORED_SUFFIXES) for part in relative.parts)


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` but caches, by POSIX path relative to it."""
    if not directory.is_dir():
        return {}
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file() and not _ignored(path.relative_to(directory))
    }


def _lines(content: bytes | None) -> list[str]:
    if content is None:
        return []
    return content.decode("utf-8", errors="replace").splitlines(keepends=True)


def drift(expected: dict[str, bytes], actual: dict[str, bytes], label: str) -> list[str]:
    """A summary of what differs (one line per file), then the unified diff; empty if equal."""
    names = sorted(expected.keys() | actual.keys())
    changed = [name for name in names if expected.get(name) != actual.get(name)]
    if not changed:
        return []
    summary = []
    diff: list[str] = []
    for name in changed:
        want, got = expected.get(name), actual.get(name)
        kind = "missing" if got is None else "extra" if want is None else "differs"
        summary.append(f"  {kind:8} {label}/{name}\n")
        diff.extend(
            difflib.unified_diff(
                _lines(got),
                _lines(want),
                fromfile=f"{label}/{name}" if got is not None else "/dev/null",
                tofile=f"{label}/{name} (generated)" if want is not None else "/dev/null",
            )
        )
    head = [f"{label} does not match the OpenAPI document ({len(changed)} file(s)):\n", *summary]
    if len(diff) > MAX_DIFF_LINES:
        more = len(diff) - MAX_DIFF_LINES
        diff = [*diff[:MAX_DIFF_LINES], f"... {more} more diff line(s)\n"]
    return [*head, *(line if line.endswith("\n") else line + "\n" for line in diff)]


def _display(directory: Path) -> str:
    try:
        return directory.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(directory)


def check(document: dict[str, Any], client_dir: Path = CLIENT_DIR) -> list[str]:
    """How ``client_dir`` differs from the client ``document`` generates (empty: no drift)."""
    with tempfile.TemporaryDirectory(prefix="influmix-client-") as scratch:
        fresh = Path(scratch) / "python"
        render(document, fresh)
        return drift(snapshot(fresh), snapshot(client_dir), _display(client_dir))


def generate(document: dict[str, Any], client_dir: Path = CLIENT_DIR) -> list[str]:
    """Make ``client_dir`` the client of ``document``; answers the files written or removed."""
    with tempfile.TemporaryDirectory(prefix="influmix-client-") as scratch:
        fresh = Path(scratch) / "python"
        render(document, fresh)
        wanted = snapshot(fresh)
    current = snapshot(client_dir)
    touched = []
    # File by file rather than replacing the directory: an editable install's metadata and
    # the caches beside the sources stay where they are.
    for name in sorted(current.keys() - wanted.keys()):
        (client_dir / name).unlink()
        touched.append(f"removed {name}")
    for name, content in sorted(wanted.items()):
        if current.get(name) != content:
            target = client_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            touched.append(f"wrote   {name}")
    for directory in sorted(client_dir.rglob("*"), reverse=True):
        if directory.is_dir() and not _ignored(directory.relative_to(client_dir)):
            _remove_if_empty(directory)
    return touched


def _remove_if_empty(directory: Path) -> None:
    leftovers = [p for p in directory.iterdir() if p.name not in IGNORED_DIRS]
    if not leftovers:
        shutil.rmtree(directory)


def _document(path: Path | None) -> dict[str, Any]:
    if path is None:
        return service_document()
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["generate", "check"])
    parser.add_argument(
        "--openapi",
        type=Path,
        help="read the OpenAPI document from this JSON file instead of building the app",
    )
    parser.add_argument(
        "--client-dir",
        type=Path,
        default=CLIENT_DIR,
        help=f"the generated project (default: {_display(CLIENT_DIR)})",
    )
    args = parser.parse_args(argv)
    document = _document(args.openapi)
    client_dir: Path = args.client_dir
    try:
        if args.command == "generate":
            touched = generate(document, client_dir)
            print(f"{_display(client_dir)}: {len(touched) or 'no'} file(s) changed")
            for line in touched:
                print(f"  {line}")
            return 0
        problems = check(document, client_dir)
    except GenerationError as exc:
        print(exc, file=sys.stderr)
        return 2
    if problems:
        sys.stdout.writelines(problems)
        print("Regenerate with: python scripts/client.py generate (make client)")
        return 1
    print(f"{_display(client_dir)} is up to date with the OpenAPI document.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
