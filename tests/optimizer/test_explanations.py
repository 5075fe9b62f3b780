"""Explanations a planner reads: binding constraints, relaxations near the edges, priors."""

from __future__ import annotations

import pytest

from optimizer import (
    Candidate,
    Constraints,
    PlanProblem,
    PlanStatus,
    ProblemValidationError,
    SolveOptions,
    optimize,
)


def creator(cid: str, price: float, max_posts: int = 1) -> Candidate:
    return Candidate(
        id=cid,
        handle=f"@{cid}",
        platform="instagram",
        followers=20_000,
        price_per_post=price,
        max_posts=max_posts,
    )


def test_share_cap_holds_when_the_plan_is_tiny_beside_the_budget() -> None:
    # given a roster costing 60 in total against a budget of 1e10 and the default 25% cap
    problem = PlanProblem(
        budget=1e10, candidates=(creator("a", 10), creator("b", 20), creator("c", 30))
    )
    # when
    result = optimize(problem)
    # then three creators cannot be spread under 25%: all three bought gives 30/60 at best
    assert result.status is PlanStatus.INFEASIBLE
    (relaxation,) = result.diagnostics.relaxation
    assert relaxation.constraint == "max_share_per_influencer"
    assert relaxation.required == pytest.approx(0.5)


def test_share_cap_is_exact_for_cheap_creators_and_a_huge_budget() -> None:
    # given six creators at 0.01-0.06 per post, up to 1,000 posts each, budget 1e12
    prices = (0.01, 0.02, 0.03, 0.04, 0.05, 0.06)
    problem = PlanProblem(
        budget=1e12,
        candidates=tuple(creator(f"c{i}", p, max_posts=1000) for i, p in enumerate(prices)),
    )
    # when
    result = optimize(problem)
    # then every share respects the cap exactly
    assert result.status is PlanStatus.OPTIMAL
    assert result.risk is not None
    assert result.risk.max_share <= 0.25 * (1 + 1e-9)


def test_cap_below_one_over_max_influencers_asks_for_the_cap_alone() -> None:
    # given four equal creators, at most three of them, and the default 25% cap
    problem = PlanProblem(
        budget=1000,
        candidates=tuple(creator(f"c{i}", 100) for i in range(4)),
        constraints=Constraints(max_influencers=3),
    )
    # when
    result = optimize(problem)
    # then raising the cap to a third is the whole answer
    assert result.status is PlanStatus.INFEASIBLE
    (relaxation,) = result.diagnostics.relaxation
    assert relaxation.constraint == "max_share_per_influencer"
    assert relaxation.required == pytest.approx(1 / 3)


def test_relaxation_message_tells_close_shares_apart() -> None:
    # given one creator and a cap a hair under 100%
    problem = PlanProblem(
        budget=1e12,
        candidates=(creator("a", 1e9),),
        constraints=Constraints(max_share_per_influencer=0.999999),
    )
    # when
    result = optimize(problem)
    # then the message does not read "from 100% to 100%"
    (relaxation,) = result.diagnostics.relaxation
    assert relaxation.required == pytest.approx(1.0)
    assert "99.9999%" in relaxation.message
    assert "to 100%" in relaxation.message


def test_single_package_creators_are_not_listed_as_binding_max_posts() -> None:
    # given one creator selling exactly one post and one selling up to three
    problem = PlanProblem(
        budget=10_000,
        candidates=(creator("single", 100), creator("multi", 100, max_posts=3)),
        constraints=Constraints(max_share_per_influencer=None),
    )
    # when
    result = optimize(problem)
    # then only the creator with a choice of posts binds on max_posts
    assert result.status is PlanStatus.OPTIMAL
    binding = result.diagnostics.binding_constraints
    assert "max_posts:multi" in binding
    assert "max_posts:single" not in binding


def test_prior_for_an_unknown_tier_is_refused() -> None:
    # given a prior for a tier that does not exist
    problem = PlanProblem(
        budget=1000,
        candidates=(creator("a", 100),),
        options=SolveOptions(engagement_priors={"giga": 0.1}),
    )
    # when / then
    with pytest.raises(ProblemValidationError) as caught:
        optimize(problem)
    assert [e.field for e in caught.value.errors] == ["options.engagement_priors.giga"]
