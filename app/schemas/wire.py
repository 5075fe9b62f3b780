"""Value types of the request models: numbers that are numbers, and text a database can store.

- A number is a JSON number. ``true`` is not 1 and ``"1"`` is not 1: a client that sends those
  has a bug, and a 422 tells it so where a silent conversion would plan with a wrong budget.
  Integers still accept a whole float (``24000.0``), as tools exporting from data frames send.
- Text never holds NUL (``\\u0000``): PostgreSQL cannot store it, and no name, handle or tag
  needs it. The 422 names the field on every database.

Floats are checked by pydantic's own strict mode (in Rust, no cost per value); integers and
text by a small function each.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Strict, ValidationInfo
from pydantic_core import PydanticCustomError

NUL = "\x00"
NUL_MESSAGE = "text must not contain the NUL character (\\u0000)"


def _integer(value: Any) -> Any:
    # bool is an int in Python, and "1" would be parsed by lax mode: refused before either.
    if isinstance(value, bool | str | bytes):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


def refuse_nul(value: str) -> str:
    """Field validator of text: NUL cannot be stored, so it is never accepted."""
    if NUL in value:
        raise PydanticCustomError("string_nul", NUL_MESSAGE)
    return value


Number = Annotated[float, Strict()]
Integer = Annotated[int, BeforeValidator(_integer)]
NO_NUL = AfterValidator(refuse_nul)


def one_of_two(
    value: object, info: ValidationInfo, other: str, *, missing: str, conflict: str
) -> None:
    """Checks that exactly one of a field and ``other`` (validated before it) is given; an
    invalid ``other`` is reported on its own."""
    if other not in info.data:
        return
    other_given = info.data[other] is not None
    if value is None and not other_given:
        raise PydanticCustomError("missing", f"Field required: {missing}")
    if value is not None and other_given:
        raise PydanticCustomError(conflict, f"give {info.field_name} or {other}, not both")


def with_examples(*examples: Any) -> ConfigDict:
    """A model's config whose JSON schema (the OpenAPI document's) shows these examples."""
    return ConfigDict(json_schema_extra={"examples": list(examples)})
