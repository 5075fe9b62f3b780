"""What every benchmark writes: the machine it ran on, and its own section of docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.system()}"


def write_section(name: str, section: str) -> None:
    """Replace the block between ``<!-- name:begin -->`` and ``<!-- name:end -->`` (or append
    it), leaving the other benchmarks' sections as they are."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    block = f"{begin}\n{section.rstrip()}\n{end}"
    if begin in text and end in text:
        head, _, rest = text.partition(begin)
        _, _, tail = rest.partition(end)
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text)
