"""Fails when a function in the given folders is longer than the limit (80 lines by default).

A function's length runs from its ``def`` (decorators aside) to its last line, docstring and
comments included: what a reader has to hold at once. Nested functions count within their
parent and are checked on their own as well.

    python scripts/function_length.py [--max 80] app optimizer
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from pathlib import Path

DEFAULT_MAX_LINES = 80


def function_lengths(path: Path) -> Iterator[tuple[str, int, int]]:
    """(qualified name, first line, length) of every function defined in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    def walk(node: ast.AST, prefix: str) -> Iterator[tuple[str, int, int]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                end = child.end_lineno or child.lineno
                yield name, child.lineno, end - child.lineno + 1
                yield from walk(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.")
            else:
                yield from walk(child, prefix)

    yield from walk(tree, "")


def too_long(roots: list[Path], max_lines: int) -> list[str]:
    found = []
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for path in files:
            for name, line, length in function_lengths(path):
                if length > max_lines:
                    found.append(f"{path}:{line}: {name} is {length} lines (at most {max_lines})")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--max", type=int, default=DEFAULT_MAX_LINES, dest="max_lines")
    args = parser.parse_args(argv)
    found = too_long(args.paths, args.max_lines)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
