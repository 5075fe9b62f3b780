"""The OpenAPI document that generated clients are built from."""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest

from app.schemas.examples import EXAMPLE_PLAN_ANSWER
from app.schemas.plans import PlanPublic

pytestmark = pytest.mark.anyio


async def openapi(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


async def test_operation_ids_and_tags_are_stable(client: httpx.AsyncClient) -> None:
    ops = operations(await openapi(client))

    assert {name: (op["operationId"], op["tags"]) for name, op in ops.items()} == {
        "POST /v1/plans": ("create_plan", ["plans"]),
        "GET /v1/plans": ("list_plans", ["plans"]),
        "GET /v1/plans/{plan_id}": ("get_plan", ["plans"]),
        "DELETE /v1/plans/{plan_id}": ("delete_plan", ["plans"]),
        "GET /v1/plans/{plan_id}/export.csv": ("export_plan_csv", ["plans"]),
        "GET /v1/plans/{plan_id}/export.xlsx": ("export_plan_xlsx", ["plans"]),
        "GET /v1/plans:compare": ("compare_plans", ["plans"]),
        "GET /v1/plans:compare.xlsx": ("export_comparison_xlsx", ["plans"]),
        "POST /v1/plans/{plan_id}:cancel": ("cancel_plan", ["plans"]),
        "POST /v1/frontiers": ("create_frontier", ["frontiers"]),
        "GET /v1/frontiers/{frontier_id}": ("get_frontier", ["frontiers"]),
        "GET /v1/frontiers/{frontier_id}/chart.svg": ("frontier_chart", ["frontiers"]),
        "POST /v1/frontiers/{frontier_id}:cancel": ("cancel_frontier", ["frontiers"]),
        "POST /v1/influencers": ("create_influencer", ["influencers"]),
        "GET /v1/influencers": ("list_influencers", ["influencers"]),
        "POST /v1/influencers/import": ("import_influencers", ["influencers"]),
        "POST /v1/influencers/parse": ("parse_roster", ["influencers"]),
        "POST /v1/influencers/overlaps/import": ("import_overlaps", ["influencers"]),
        "GET /v1/influencers/overlaps": ("list_overlaps", ["influencers"]),
        "DELETE /v1/influencers/overlaps/{overlap_id}": ("delete_overlap", ["influencers"]),
        "GET /v1/influencers/by-handle/{platform}/{handle}": (
            "get_influencer_by_handle",
            ["influencers"],
        ),
        "GET /v1/influencers/{influencer_id}": ("get_influencer", ["influencers"]),
        "PATCH /v1/influencers/{influencer_id}": ("update_influencer", ["influencers"]),
        "DELETE /v1/influencers/{influencer_id}": ("delete_influencer", ["influencers"]),
        "POST /v1/keys": ("create_key", ["keys"]),
        "GET /v1/keys": ("list_keys", ["keys"]),
        "DELETE /v1/keys/{key_id}": ("revoke_key", ["keys"]),
        "GET /healthz": ("healthz", ["health"]),
        "GET /readyz": ("readyz", ["health"]),
    }


async def test_every_error_answer_is_a_documented_problem(client: httpx.AsyncClient) -> None:
    ops = operations(await openapi(client))

    documented = {
        (name, code): answer["content"]
        for name, op in ops.items()
        for code, answer in op["responses"].items()
        if code[0] in "45"
    }
    assert ("POST /v1/plans", "422") in documented
    assert ("GET /v1/plans/{plan_id}", "404") in documented
    assert ("DELETE /v1/plans/{plan_id}", "404") in documented
    assert ("GET /readyz", "503") in documented
    for content in documented.values():
        assert list(content) == ["application/problem+json"]
        assert content["application/problem+json"]["schema"]["$ref"].endswith("Problem")


async def test_success_answers_have_models(client: httpx.AsyncClient) -> None:
    ops = operations(await openapi(client))

    def ref(name: str, code: str) -> str:
        schema: str = ops[name]["responses"][code]["content"]["application/json"]["schema"]["$ref"]
        return schema.rsplit("/", 1)[-1]

    assert ref("POST /v1/plans", "201") == "PlanPublic"
    assert ref("GET /v1/plans/{plan_id}", "200") == "PlanPublic"
    assert ref("GET /v1/plans", "200") == "PlanPage"
    assert "location" in {h.lower() for h in ops["POST /v1/plans"]["responses"]["201"]["headers"]}
    assert ref("POST /v1/influencers", "201") == "InfluencerPublic"
    assert ref("GET /v1/influencers", "200") == "InfluencerPage"
    assert ref("PATCH /v1/influencers/{influencer_id}", "200") == "InfluencerPublic"
    assert ref("POST /v1/influencers/import", "200") == "ImportSummary"
    for suffix, media_type in [
        ("csv", "text/csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]:
        answer = ops[f"GET /v1/plans/{{plan_id}}/export.{suffix}"]["responses"]["200"]
        assert list(answer["content"]) == [media_type]


async def test_schema_names_are_the_same_for_input_and_output(
    client: httpx.AsyncClient,
) -> None:
    schemas = (await openapi(client))["components"]["schemas"]

    assert "PlanCreate" in schemas
    assert not [name for name in schemas if name.endswith(("-Input", "-Output"))]
    assert "HTTPValidationError" not in schemas


async def test_request_example_is_a_real_request(client: httpx.AsyncClient) -> None:
    schemas = (await openapi(client))["components"]["schemas"]
    (example,) = schemas["PlanCreate"]["examples"]

    response = await client.post("/v1/plans", json=example)

    assert response.status_code == 201, response.text
    answer = response.json()
    expected = PlanPublic.model_validate(EXAMPLE_PLAN_ANSWER).model_dump(mode="json")
    # The shown answer is what this request produces; only identity and timing differ.
    for volatile in ("id", "created_at"):
        answer.pop(volatile)
        expected.pop(volatile)
    answer["solver"].pop("wall_time_s")
    expected["solver"].pop("wall_time_s")
    assert_close(answer, expected)


def assert_close(got: object, want: object, path: str = "answer") -> None:
    """Equal, except floats which may differ in their last digits between solver runs."""
    if isinstance(want, float) and isinstance(got, int | float):
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), path
    elif isinstance(want, dict) and isinstance(got, dict):
        assert got.keys() == want.keys(), path
        for key in want:
            assert_close(got[key], want[key], f"{path}.{key}")
    elif isinstance(want, list) and isinstance(got, list):
        assert len(got) == len(want), path
        for index, (g, w) in enumerate(zip(got, want, strict=True)):
            assert_close(g, w, f"{path}.{index}")
    else:
        assert got == want, path
