"""Malformed problems raise ProblemValidationError naming the field (PRODUCT section 5).

Infeasible-but-well-formed problems are not errors; those are covered by the known optima.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from optimizer import optimize
from optimizer.errors import ProblemValidationError
from optimizer.problem import (
    Constraints,
    Objective,
    ObjectiveKind,
    PlanProblem,
    ShareBounds,
    SolveOptions,
    Tier,
)
from optimizer.result import PlanStatus
from tests.optimizer.bruteforce import creator

ROSTER = (
    creator("a", 20_000, 0.05, 100),
    creator("b", 5_000, None, 100),
    creator("c", 200_000, 0.02, 100),
    creator("d", 2_000_000, 0.01, 100),
)


def valid_problem(**constraints: Any) -> PlanProblem:
    return PlanProblem(budget=1000, candidates=ROSTER, constraints=Constraints(**constraints))


def error_fields(problem: PlanProblem) -> list[str]:
    with pytest.raises(ProblemValidationError) as caught:
        optimize(problem)
    fields = [e.field for e in caught.value.errors]
    assert fields, "a validation error must name at least one field"
    return fields


def names(fields: list[str], wanted: str) -> bool:
    """``wanted`` is reported, itself or as the parent of a reported field."""
    return any(f == wanted or f.startswith(wanted + ".") for f in fields)


def test_the_baseline_problem_is_valid() -> None:
    # given / when
    result = optimize(valid_problem())
    # then
    assert result.status is PlanStatus.OPTIMAL


def test_duplicate_candidate_id_names_the_second_occurrence() -> None:
    # given
    problem = dataclasses.replace(
        valid_problem(), candidates=(ROSTER[0], creator("a", 1_000, 0.05, 50))
    )
    # when / then
    assert "candidates.1.id" in error_fields(problem)


def test_min_posts_above_max_posts_names_the_candidate_posts() -> None:
    # given
    problem = dataclasses.replace(
        valid_problem(), candidates=(creator("a", 20_000, 0.05, 100, min_posts=3, max_posts=2),)
    )
    # when
    fields = error_fields(problem)
    # then
    assert {"candidates.0.min_posts", "candidates.0.max_posts"} & set(fields)


def test_tier_share_min_above_max_names_the_tier() -> None:
    # given
    problem = valid_problem(tier_share={"micro": ShareBounds(min=0.6, max=0.4)})
    # when / then
    assert names(error_fields(problem), "constraints.tier_share.micro")


def test_platform_share_min_above_max_names_the_platform() -> None:
    # given
    problem = valid_problem(platform_share={"tiktok": ShareBounds(min=0.6, max=0.4)})
    # when / then
    assert names(error_fields(problem), "constraints.platform_share.tiktok")


def test_tier_min_shares_summing_above_one_name_the_tier_shares() -> None:
    # given
    problem = valid_problem(
        tier_share={"micro": ShareBounds(min=0.6), "macro": ShareBounds(min=0.5)}
    )
    # when / then
    assert names(error_fields(problem), "constraints.tier_share")


def test_platform_min_shares_summing_above_one_name_the_platform_shares() -> None:
    # given
    problem = valid_problem(
        platform_share={"tiktok": ShareBounds(min=0.7), "instagram": ShareBounds(min=0.4)}
    )
    # when / then
    assert names(error_fields(problem), "constraints.platform_share")


def test_min_shares_summing_to_exactly_one_are_valid() -> None:
    # given
    problem = valid_problem(
        max_share_per_influencer=None,
        tier_share={"micro": ShareBounds(min=0.5), "nano": ShareBounds(min=0.5)},
    )
    # when
    result = optimize(problem)
    # then
    assert result.status is PlanStatus.OPTIMAL


@pytest.mark.parametrize(
    ("constraints", "field"),
    [
        ({"tier_share": {"micro": ShareBounds(max=1.5)}}, "constraints.tier_share.micro"),
        ({"tier_share": {"micro": ShareBounds(min=-0.1)}}, "constraints.tier_share.micro"),
        (
            {"platform_share": {"tiktok": ShareBounds(max=1.01)}},
            "constraints.platform_share.tiktok",
        ),
        ({"max_share_per_influencer": 1.2}, "constraints.max_share_per_influencer"),
        (
            {"max_engagement_share_per_influencer": -0.5},
            "constraints.max_engagement_share_per_influencer",
        ),
        ({"min_budget_use": 1.5}, "constraints.min_budget_use"),
    ],
)
def test_share_outside_zero_one_names_the_field(constraints: dict[str, Any], field: str) -> None:
    # given
    problem = valid_problem(**constraints)
    # when / then
    assert names(error_fields(problem), field)


def test_unknown_must_include_id_names_must_include() -> None:
    # given
    problem = valid_problem(must_include=("a", "ghost"))
    # when / then
    assert names(error_fields(problem), "constraints.must_include")


def test_share_on_unknown_tier_names_the_tier() -> None:
    # given
    problem = valid_problem(tier_share={"giga": ShareBounds(max=0.5)})
    # when / then
    assert names(error_fields(problem), "constraints.tier_share.giga")


def test_share_on_a_default_tier_name_is_unknown_under_custom_tiers() -> None:
    # given custom tiers replace the defaults entirely
    problem = dataclasses.replace(
        valid_problem(tier_share={"micro": ShareBounds(max=0.5)}),
        options=SolveOptions(
            tiers=(Tier("small", 0), Tier("large", 100_000)),
            engagement_priors={"small": 0.05, "large": 0.02},
        ),
    )
    # when / then
    assert names(error_fields(problem), "constraints.tier_share.micro")


def test_followers_below_the_lowest_custom_tier_bound_name_the_candidate() -> None:
    # given the lowest tier starts at 1000 followers
    problem = PlanProblem(
        budget=1000,
        candidates=(creator("a", 5_000, 0.05, 100), creator("b", 999, 0.05, 100)),
        options=SolveOptions(tiers=(Tier("small", 1_000), Tier("large", 100_000))),
    )
    # when / then
    assert "candidates.1.followers" in error_fields(problem)


def test_candidate_without_rate_in_a_custom_tier_without_prior_is_named() -> None:
    # given "large" has no prior and b gives no rate
    problem = PlanProblem(
        budget=1000,
        candidates=(creator("a", 5_000, None, 100), creator("b", 500_000, None, 100)),
        options=SolveOptions(
            tiers=(Tier("small", 0), Tier("large", 100_000)),
            engagement_priors={"small": 0.05},
        ),
    )
    # when
    fields = error_fields(problem)
    # then
    assert names(fields, "candidates.1.engagement_rate") or names(
        fields, "options.engagement_priors"
    )
    assert not names(fields, "candidates.0")


def test_min_cost_without_target_names_target_engagement() -> None:
    # given
    problem = dataclasses.replace(valid_problem(), objective=Objective(ObjectiveKind.MIN_COST))
    # when / then
    assert "objective.target_engagement" in error_fields(problem)


def test_target_engagement_is_ignored_by_other_objectives() -> None:
    # given
    problem = dataclasses.replace(
        valid_problem(), objective=Objective(ObjectiveKind.ENGAGEMENT, target_engagement=1e12)
    )
    # when
    result = optimize(problem)
    # then
    assert result.status is PlanStatus.OPTIMAL


@pytest.mark.parametrize("budget", [0.0, -100.0])
def test_budget_not_above_zero_names_budget(budget: float) -> None:
    # given
    problem = dataclasses.replace(valid_problem(), budget=budget)
    # when / then
    assert "budget" in error_fields(problem)


def test_every_bad_field_is_reported_at_once() -> None:
    # given two independent defects
    problem = dataclasses.replace(
        valid_problem(must_include=("ghost",)),
        budget=-1,
    )
    # when
    fields = error_fields(problem)
    # then
    assert "budget" in fields
    assert names(fields, "constraints.must_include")


def test_unknown_exclude_ids_are_ignored_and_listed() -> None:
    # given
    problem = valid_problem(exclude=("ghost", "a"), max_share_per_influencer=None)
    # when
    result = optimize(problem)
    # then
    assert result.status is PlanStatus.OPTIMAL
    assert result.diagnostics.ignored_exclude_ids == ("ghost",)
    assert {e.id for e in result.diagnostics.excluded} == {"a"}
