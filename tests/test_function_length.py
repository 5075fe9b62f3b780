"""scripts/function_length.py: the check `make lint` runs on function lengths."""

from __future__ import annotations

from pathlib import Path

from scripts.function_length import main, too_long


def function_text(name: str, body_lines: int, indent: str = "") -> str:
    body = "".join(f"{indent}    x{i} = {i}\n" for i in range(body_lines))
    return f"{indent}def {name}() -> None:\n{body}"


def test_a_function_over_the_limit_is_named_with_its_length(tmp_path: Path) -> None:
    source = tmp_path / "module.py"
    # a function of exactly 80 lines, then a method of 81 (starting on line 84)
    source.write_text(
        function_text("short", 79)
        + "\n\nclass Holder:\n"
        + function_text("long", 80, indent="    ")
    )

    found = too_long([tmp_path], 80)

    assert found == [f"{source}:84: Holder.long is 81 lines (at most 80)"]
    assert main([str(tmp_path)]) == 1
    assert main(["--max", "81", str(tmp_path)]) == 0
