"""optimizer/ is a pure solving library: no web, no database, no request models (PRODUCT 3)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

OPTIMIZER_DIR = Path(__file__).resolve().parents[2] / "optimizer"
ALLOWED_THIRD_PARTY = frozenset({"numpy", "pulp", "highspy", "optimizer"})
FORBIDDEN = frozenset({"app", "models", "fastapi", "sqlalchemy", "pydantic", "alembic"})


def imported_roots(source: Path) -> list[tuple[int, str]]:
    """Top-level package of every absolute import in the file, with its line."""
    tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
    roots: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.extend((node.lineno, alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.append((node.lineno, node.module.split(".")[0]))
    return roots


def optimizer_sources() -> list[Path]:
    return sorted(OPTIMIZER_DIR.rglob("*.py"))


def test_optimizer_package_has_sources() -> None:
    assert optimizer_sources(), OPTIMIZER_DIR


@pytest.mark.parametrize(
    "source", optimizer_sources(), ids=lambda p: str(p.relative_to(OPTIMIZER_DIR))
)
def test_optimizer_imports_only_stdlib_numpy_pulp_highspy_and_itself(source: Path) -> None:
    # given / when
    roots = imported_roots(source)
    # then
    outside = [
        f"{source.name}:{line} imports {root}"
        for line, root in roots
        if root not in sys.stdlib_module_names and root not in ALLOWED_THIRD_PARTY
    ]
    assert outside == []
    assert not [root for _, root in roots if root in FORBIDDEN]
