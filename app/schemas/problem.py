"""RFC 9457 problem details, the body of every error answer."""

from __future__ import annotations

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from app.schemas.wire import with_examples

# Optional members are left out of a problem rather than sent as null (RFC 9457 section 3.1):
# documented as "string, may be absent", clients type them without a null they never get.
Absent = SkipJsonSchema[None]


class FieldProblem(BaseModel):
    """One invalid value of a request."""

    loc: list[str | int] = Field(
        description="Path to the value: where it was sent, then keys and list indexes.",
        examples=[["body", "candidates", 3, "max_posts"]],
    )
    field: str = Field(
        description="The same path, dotted.", examples=["body.candidates.3.max_posts"]
    )
    message: str = Field(examples=["max_posts (1) must be at least min_posts (2)"])
    type: str = Field(description="Machine-readable kind of error.", examples=["value_error"])
    row: int | Absent = Field(
        default=None,
        description="Spreadsheet imports: the row as numbered in the file (the header is row 1).",
        examples=[12],
    )
    column: str | Absent = Field(
        default=None,
        description="Spreadsheet imports: the column's header as written in the file.",
        examples=["Follower Count"],
    )


class Problem(BaseModel):
    """An error answer (``application/problem+json``)."""

    model_config = with_examples(
        {
            "type": "urn:influmix:problem:not-found",
            "title": "Not Found",
            "status": 404,
            "detail": "no plan with id '0190f1c2-7d1e-7c1a-9e2b-3f4a5b6c7d8e'",
            "instance": "/v1/plans/0190f1c2-7d1e-7c1a-9e2b-3f4a5b6c7d8e",
        }
    )

    type: str = Field(
        description=(
            "URI naming the kind of problem, stable for clients to switch on: "
            "`urn:influmix:problem:<kind>` (`not-found`, `validation-error`, `conflict`, "
            "`unauthorized`, `forbidden`, `too-many-requests`, ...), or `about:blank` when the "
            "status code says it all."
        ),
        examples=["urn:influmix:problem:not-found"],
    )
    title: str = Field(description="Short summary of the kind of problem.", examples=["Not Found"])
    status: int = Field(description="The HTTP status code.", examples=[404])
    detail: str | Absent = Field(default=None, description="What went wrong for this request.")
    instance: str | Absent = Field(default=None, description="The request path.")


class ValidationProblem(Problem):
    """A request that failed validation: the bad values are listed (the first 100, and a
    count of the others)."""

    model_config = with_examples(
        {
            "type": "urn:influmix:problem:validation-error",
            "title": "Unprocessable Content",
            "status": 422,
            "detail": "1 invalid value: body.candidates.0.price_per_post",
            "instance": "/v1/plans",
            "errors": [
                {
                    "loc": ["body", "candidates", 0, "price_per_post"],
                    "field": "body.candidates.0.price_per_post",
                    "message": "Input should be greater than 0",
                    "type": "greater_than",
                }
            ],
        }
    )

    errors: list[FieldProblem] = Field(
        default_factory=list,
        description="The invalid values, at most 100 of them (see errors_omitted).",
    )
    errors_omitted: int | Absent = Field(
        default=None,
        description="How many more invalid values there were beyond those listed; absent if none.",
        examples=[0],
    )
