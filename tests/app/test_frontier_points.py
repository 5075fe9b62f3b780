"""Budget frontiers without a database: the request shapes, the points and their marginals,
the frontier's status and its chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from pydantic import ValidationError

from app.schemas.frontiers import (
    MAX_FRONTIER_POINTS,
    BudgetRange,
    FrontierCreate,
    FrontierPointOut,
    FrontierStatus,
)
from app.schemas.plans import (
    DiagnosticsOut,
    GroupSummaryOut,
    PlanAnswer,
    SolverOut,
    TotalsOut,
)
from app.services.frontier_chart import render_frontier_svg
from app.services.frontier_points import PointOutcome, frontier_points, frontier_status
from optimizer.problem import Backend
from optimizer.result import PlanStatus
from tests.support.payloads import small_request


def error_locs(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str | int, ...]]:
    return [tuple(e["loc"]) for e in exc.value.errors()]


def frontier_body(**fields: Any) -> dict[str, Any]:
    return {"request": small_request(), **fields}


# --- budget ranges -------------------------------------------------------------------------


def test_range_includes_stop_when_it_falls_on_a_step() -> None:
    budgets = BudgetRange(start=10_000, stop=100_000, step=10_000).budgets()

    assert budgets == [10_000.0 * k for k in range(1, 11)]


def test_range_tolerates_float_error_at_stop_and_between() -> None:
    # 0.1 + 2 * 0.1 is 0.30000000000000004 and (0.3 - 0.1) / 0.1 is 1.9999999999999998.
    assert BudgetRange(start=0.1, stop=0.3, step=0.1).budgets() == [0.1, 0.2, 0.3]
    assert BudgetRange(start=10_000, stop=10_000.3, step=0.1).budgets() == [
        10_000.0,
        10_000.1,
        10_000.2,
        10_000.3,
    ]


def test_range_stops_before_a_stop_between_steps() -> None:
    assert BudgetRange(start=10_000, stop=25_000, step=10_000).budgets() == [10_000, 20_000]


def test_range_of_one_budget_when_start_is_stop() -> None:
    assert BudgetRange(start=5_000, stop=5_000, step=1_000).budgets() == [5_000]


def test_range_of_exactly_the_cap_is_accepted() -> None:
    budgets = BudgetRange(start=1, stop=MAX_FRONTIER_POINTS, step=1).budgets()

    assert len(budgets) == MAX_FRONTIER_POINTS


def test_range_over_the_cap_names_the_step_and_the_step_that_fits() -> None:
    with pytest.raises(ValidationError) as exc:
        BudgetRange(start=1_000, stop=100_000, step=1_000)

    assert error_locs(exc) == [("step",)]
    message = exc.value.errors()[0]["msg"]
    assert "100 budgets" in message
    assert f"at most {MAX_FRONTIER_POINTS}" in message
    assert "4,125.00" in message  # (100,000 - 1,000) / 24


def test_range_with_a_vanishing_step_is_refused_not_expanded() -> None:
    with pytest.raises(ValidationError) as exc:
        BudgetRange(start=1, stop=1e12, step=5e-324)

    assert error_locs(exc) == [("step",)]


def test_range_stop_below_start_names_stop() -> None:
    with pytest.raises(ValidationError) as exc:
        BudgetRange(start=5_000, stop=1_000, step=1_000)

    assert error_locs(exc) == [("stop",)]


@pytest.mark.parametrize(
    ("field", "value"),
    [("start", 0), ("stop", -1), ("step", 0), ("step", 2e12)],
)
def test_range_bounds_are_the_plan_budget_bounds(field: str, value: float) -> None:
    given = {"start": 1_000, "stop": 2_000, "step": 500, field: value}

    with pytest.raises(ValidationError) as exc:
        BudgetRange.model_validate(given)

    assert (field,) in error_locs(exc)


# --- frontier requests ---------------------------------------------------------------------


def test_budgets_are_sorted_and_replace_the_request_budget() -> None:
    body = FrontierCreate.model_validate(frontier_body(budgets=[30_000, 10_000, 20_000]))

    assert body.budget_points() == [10_000, 20_000, 30_000]
    assert [r.budget for r in body.point_requests()] == [10_000, 20_000, 30_000]
    assert body.request.budget == 10_000  # the stored request is left as sent


def test_budget_range_points() -> None:
    body = FrontierCreate.model_validate(
        frontier_body(budget_range={"start": 1_000, "stop": 3_000, "step": 1_000})
    )

    assert body.budget_points() == [1_000, 2_000, 3_000]


def test_request_budget_may_be_left_out() -> None:
    request = small_request()
    del request["budget"]

    body = FrontierCreate.model_validate({"request": request, "budgets": [4_000, 2_000]})

    assert body.request.budget == 2_000
    assert [r.budget for r in body.point_requests()] == [2_000, 4_000]


def test_point_requests_do_not_share_state() -> None:
    body = FrontierCreate.model_validate(frontier_body(budgets=[1_000, 2_000]))
    first, second = body.point_requests()

    assert first.candidates is not None
    first.candidates[0].tags.append("changed")
    assert second.candidates is not None
    assert second.candidates[0].tags == []


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({}, ("budgets",)),
        (
            {"budgets": [1_000, 2_000], "budget_range": {"start": 1, "stop": 2, "step": 1}},
            ("budgets",),
        ),
        ({"budgets": [1_000, 2_000, 1_000]}, ("budgets",)),
        ({"budgets": [1_000]}, ("budgets",)),
        ({"budgets": [float(b) for b in range(1, MAX_FRONTIER_POINTS + 2)]}, ("budgets",)),
        ({"budgets": [1_000, -5]}, ("budgets", 1)),
        ({"budgets": [1_000, 2e12]}, ("budgets", 1)),
        ({"budget_range": {"start": 1, "stop": 1_000, "step": 1}}, ("budget_range", "step")),
        ({"budget_range": {"start": 1, "stop": 1_000}}, ("budget_range", "step")),
        ({"budgets": [1_000, 2_000], "colour": "red"}, ("colour",)),
    ],
)
def test_validation_errors_name_the_field(
    fields: dict[str, Any], loc: tuple[str | int, ...]
) -> None:
    with pytest.raises(ValidationError) as exc:
        FrontierCreate.model_validate(frontier_body(**fields))

    assert error_locs(exc) == [loc]


def test_duplicate_budgets_are_named_in_the_message() -> None:
    with pytest.raises(ValidationError) as exc:
        FrontierCreate.model_validate(frontier_body(budgets=[1_000, 2_000, 1_000]))

    assert "1,000" in exc.value.errors()[0]["msg"]


def test_errors_inside_the_request_are_named_under_request() -> None:
    request = small_request()
    request["candidates"][0]["followers"] = -1

    with pytest.raises(ValidationError) as exc:
        FrontierCreate.model_validate({"request": request, "budgets": [1_000, 2_000]})

    assert error_locs(exc) == [("request", "candidates", 0, "followers")]


def test_bad_budgets_alone_do_not_blame_a_left_out_request_budget() -> None:
    request = small_request()
    del request["budget"]

    with pytest.raises(ValidationError) as exc:
        FrontierCreate.model_validate({"request": request, "budgets": [-1, -2]})

    assert error_locs(exc) == [("budgets", 0), ("budgets", 1)]


# --- points and marginals ------------------------------------------------------------------


def answer(engagement: float, spend: float, tiers: dict[str, float]) -> PlanAnswer:
    """An optimal answer with only the figures a frontier reads."""
    return PlanAnswer(
        status=PlanStatus.OPTIMAL,
        allocations=[],
        totals=TotalsOut(
            spend=spend,
            budget_left=0.0,
            expected_engagement=engagement,
            reach=0.0,
            influencers=4,
            cost_per_engagement=spend / engagement,
        ),
        by_tier={
            name: GroupSummaryOut(spend=share * spend, share=share, engagement=0.0, influencers=1)
            for name, share in tiers.items()
        },
        by_platform={},
        risk=None,
        solver=SolverOut(
            backend=Backend.HIGHS, wall_time_s=0.1, objective=engagement, bound=None, gap=0
        ),
        diagnostics=DiagnosticsOut(),
    )


def infeasible() -> PlanAnswer:
    return PlanAnswer(
        status=PlanStatus.INFEASIBLE,
        allocations=[],
        totals=None,
        by_tier=None,
        by_platform=None,
        risk=None,
        solver=SolverOut(
            backend=Backend.HIGHS, wall_time_s=0.1, objective=None, bound=None, gap=None
        ),
        diagnostics=DiagnosticsOut(),
    )


def test_marginals_by_hand_skip_points_without_figures() -> None:
    mix = {"micro": 0.75, "macro": 0.25}
    # Given out of order: points come back ascending by budget.
    budgets = [4_000.0, 1_000.0, 3_000.0, 2_000.0, 500.0]
    outcomes = [
        PointOutcome("p4", "optimal", answer(600.0, 3_900.0, mix)),
        PointOutcome("p1", "optimal", answer(100.0, 1_000.0, mix)),
        PointOutcome("p3", "running", None),
        PointOutcome("p2", "optimal", answer(300.0, 1_950.0, mix)),
        PointOutcome("p0", "infeasible", infeasible()),
    ]

    points = frontier_points(budgets, outcomes)

    assert [p.budget for p in points] == [500, 1_000, 2_000, 3_000, 4_000]
    assert [p.plan_id for p in points] == ["p0", "p1", "p2", "p3", "p4"]
    assert [p.status for p in points] == ["infeasible", "optimal", "optimal", "running", "optimal"]
    # The first point with figures has nothing to compare with; 1,000 -> 2,000 gains 200
    # engagement; the running 3,000 is skipped, so 4,000 compares with 2,000: 300 over 2,000.
    assert [p.marginal_engagement_per_unit for p in points] == [None, None, 0.2, None, 0.15]
    per_1000 = [p.marginal_engagement_per_1000 for p in points]
    assert per_1000 == [None, None, pytest.approx(200), None, pytest.approx(150)]
    assert [p.expected_engagement for p in points] == [None, 100, 300, None, 600]
    assert [p.spend for p in points] == [None, 1_000, 1_950, None, 3_900]
    assert points[4].influencers == 4
    assert points[4].gap == 0
    assert points[4].tier_mix == mix


def test_points_without_figures_are_null_not_zero() -> None:
    points = frontier_points(
        [1_000, 2_000, 3_000],
        [("a", "queued", None), ("b", "cancelled", None), ("c", "infeasible", infeasible())],
    )

    for point in points:
        assert point.expected_engagement is None
        assert point.spend is None
        assert point.influencers is None
        assert point.gap is None
        assert point.tier_mix == {}
        assert point.marginal_engagement_per_unit is None
        assert point.marginal_engagement_per_1000 is None


def test_a_plateau_has_zero_marginal() -> None:
    same = answer(500.0, 900.0, {"micro": 1.0})

    points = frontier_points([1_000, 2_000], [(None, "optimal", same), (None, "optimal", same)])

    assert points[1].marginal_engagement_per_unit == 0


def test_budgets_and_outcomes_must_pair_up() -> None:
    with pytest.raises(ValueError, match="2 budgets but 1 outcomes"):
        frontier_points([1_000, 2_000], [(None, "queued", None)])


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["queued", "queued"], FrontierStatus.QUEUED),
        (["optimal", "queued"], FrontierStatus.RUNNING),
        (["queued", "running"], FrontierStatus.RUNNING),
        (["cancelled", "running"], FrontierStatus.RUNNING),
        (["optimal", "cancelled", "infeasible"], FrontierStatus.CANCELLED),
        (["optimal", "feasible", "infeasible", "failed"], FrontierStatus.DONE),
    ],
)
def test_frontier_status(statuses: list[str], expected: FrontierStatus) -> None:
    assert frontier_status(statuses) == expected


# --- chart ---------------------------------------------------------------------------------


def chart_points() -> list[FrontierPointOut]:
    mix = {"nano": 0.0, "micro": 0.6, "macro": 0.4}
    return frontier_points(
        [1_000, 2_000, 3_000, 4_000],
        [
            ("a", "optimal", answer(1_000.0, 990.0, mix)),
            ("b", "running", None),
            ("c", "infeasible", infeasible()),
            ("d", "optimal", answer(4_000.0, 3_950.0, mix)),
        ],
    )


def test_chart_is_deterministic_svg_with_labelled_axes() -> None:
    svg = render_frontier_svg(chart_points(), "EUR", "Autumn $ sweep")

    assert svg == render_frontier_svg(chart_points(), "EUR", "Autumn $ sweep")
    root = ET.fromstring(svg.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    for text in (
        "Autumn $ sweep",
        "Budget (EUR)",
        "Expected engagement",
        "per 1,000 EUR",
        "share of spend",
        "Not solved yet (queued or running)",
        "No plan (infeasible, failed or cancelled)",
        "micro",
        "macro",
        "4,000",
    ):
        assert text in svg
    assert "dc:date" not in svg


def test_chart_of_a_frontier_without_any_plan_yet() -> None:
    points = frontier_points([1_000, 2_000], [(None, "queued", None), (None, "queued", None)])

    svg = render_frontier_svg(points, "USD", None)

    ET.fromstring(svg.encode())
    assert "Budget frontier" in svg
    assert "No budget point has a plan yet" in svg
