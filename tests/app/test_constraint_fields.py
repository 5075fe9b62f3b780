"""Binding constraints and relaxations carry kind, subject and a sentence beside their names,
and answers stored before those fields existed still read."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from app.schemas.examples import EXAMPLE_PLAN_ANSWER
from app.schemas.plans import DiagnosticsOut, PlanAnswer
from tests.support.payloads import example_request, small_request

pytestmark = pytest.mark.anyio


async def test_binding_constraints_are_named_and_worded(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/plans", json=example_request())
    assert response.status_code == 201, response.text
    diagnostics = response.json()["diagnostics"]
    binding = diagnostics["binding"]
    # the same constraints, in the same order, as the list of names
    assert [b["constraint"] for b in binding] == diagnostics["binding_constraints"]
    assert binding
    for entry in binding:
        if entry["subject"] is None:
            assert entry["constraint"] == entry["kind"]
        else:
            assert entry["constraint"].endswith(f":{entry['subject']}")
        # a sentence, not the name again
        assert entry["message"] != entry["constraint"]
        assert entry["message"].endswith(".")


async def test_relaxations_carry_kind_and_subject(client: httpx.AsyncClient) -> None:
    # Two creators cannot each stay under a quarter of the spend.
    response = await client.post("/v1/plans", json=small_request(creators=2))
    relaxation = response.json()["diagnostics"]["relaxation"]
    assert relaxation == [
        {
            "constraint": "max_share_per_influencer",
            "kind": "max_share_per_influencer",
            "subject": None,
            "current": 0.25,
            "required": pytest.approx(0.5),
            "message": relaxation[0]["message"],
            # alone it admits a plan, and the roster shows why it must give
            "role": "alternative",
            "cause": relaxation[0]["cause"],
        }
    ]
    assert "max_share_per_influencer must rise" in relaxation[0]["message"]
    assert relaxation[0]["cause"].startswith("only 2 creator(s) are eligible")


def stored_before_kinds() -> dict[str, Any]:
    answer = copy.deepcopy(EXAMPLE_PLAN_ANSWER)
    diagnostics = answer["diagnostics"]
    del diagnostics["binding"]
    diagnostics["relaxation"] = [
        {"constraint": "tier_min:micro", "current": 0.6, "required": 0.5, "message": "m"},
        {"constraint": "max_share_per_influencer", "current": 0.2, "required": 0.3, "message": "n"},
    ]
    return answer


def test_an_answer_stored_before_kinds_reads_with_kinds_from_the_names() -> None:
    answer = PlanAnswer.model_validate(stored_before_kinds())
    relaxation = answer.diagnostics.relaxation
    assert [(r.kind.value, r.subject) for r in relaxation] == [
        ("tier_min", "micro"),
        ("max_share_per_influencer", None),
    ]
    binding = answer.diagnostics.binding
    assert [b.constraint for b in binding] == answer.diagnostics.binding_constraints
    assert [(b.kind.value, b.subject, b.message) for b in binding][:2] == [
        ("budget", None, "budget"),
        ("max_posts", "ana-beauty", "max_posts:ana-beauty"),
    ]


def test_a_relaxation_of_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="max_vibes"):
        DiagnosticsOut.model_validate(
            {
                "relaxation": [
                    {"constraint": "max_vibes", "current": 1, "required": 2, "message": ""}
                ]
            }
        )
