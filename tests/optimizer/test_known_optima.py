"""Hand-worked plans: each test writes its optimum out and checks the optimizer finds it.
(Infeasible requests whose smallest relaxation is worked out by hand are in test_relaxation.py.)

Every case is small enough to enumerate by hand; the reference enumeration in ``bruteforce``
must agree too, so a wrong hand figure cannot hide. Per-post engagement is f·e·q and is noted
next to each creator.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pytest

from optimizer import optimize
from optimizer.problem import (
    Candidate,
    Constraints,
    Objective,
    ObjectiveKind,
    PlanProblem,
    ShareBounds,
    SolveOptions,
    Tier,
)
from optimizer.result import PlanResult, PlanStatus, RateSource
from tests.optimizer import bruteforce
from tests.optimizer.bruteforce import assert_infeasible_answer, assert_sound_plan, creator

# A gap this small makes "optimal" mean the exact optimum on these tiny problems.
EXACT_GAP = 1e-9


def plan(
    budget: float,
    *candidates: Candidate,
    objective: Objective | None = None,
    decay: float = 1.0,
    tiers: tuple[Tier, ...] | None = None,
    priors: Mapping[str, float] | None = None,
    **constraints: Any,
) -> PlanProblem:
    options = SolveOptions(repeat_post_decay=decay, mip_gap=EXACT_GAP)
    if tiers is not None:
        options = SolveOptions(
            repeat_post_decay=decay, mip_gap=EXACT_GAP, tiers=tiers, engagement_priors=priors or {}
        )
    elif priors is not None:
        options = SolveOptions(repeat_post_decay=decay, mip_gap=EXACT_GAP, engagement_priors=priors)
    return PlanProblem(
        budget=budget,
        candidates=candidates,
        constraints=Constraints(**constraints),
        objective=objective or Objective(),
        options=options,
    )


def then_optimal(
    problem: PlanProblem,
    result: PlanResult,
    objective: float,
    posts: Mapping[str, int] | None = None,
) -> None:
    """The plan is optimal with the hand-worked objective (and posts, where unique)."""
    reference = bruteforce.solve(problem)
    assert reference.status is PlanStatus.OPTIMAL
    assert reference.objective == pytest.approx(objective, rel=1e-9, abs=1e-9)
    assert result.status is PlanStatus.OPTIMAL
    assert_sound_plan(problem, result)
    assert result.solver.objective is not None
    assert result.solver.objective == pytest.approx(objective, rel=1e-6, abs=1e-9)
    assert bruteforce.objective_value(problem, bruteforce.plan_posts(result)) == pytest.approx(
        objective, rel=1e-6, abs=1e-9
    )
    if posts is not None:
        assert bruteforce.plan_posts(result) == dict(posts)


def then_infeasible(problem: PlanProblem, result: PlanResult) -> None:
    assert bruteforce.solve(problem).status is PlanStatus.INFEASIBLE
    assert_infeasible_answer(result)


def relaxation_for(result: PlanResult, constraint: str) -> float | None:
    entries = [r for r in result.diagnostics.relaxation if r.constraint == constraint]
    assert entries, [r.constraint for r in result.diagnostics.relaxation]
    return entries[0].required


def excluded_ids(result: PlanResult) -> set[str]:
    return {e.id for e in result.diagnostics.excluded}


# --- budget ------------------------------------------------------------------------------


def test_budget_binds_and_buys_the_most_engagement_it_can_afford() -> None:
    # given a 350 budget: a 500/post at 100 (3 max), b 1000/post at 260, c 300/post at 50
    problem = plan(
        350,
        creator("a", 10_000, 0.05, 100, max_posts=3),
        creator("b", 20_000, 0.05, 260),
        creator("c", 5_000, 0.06, 50),
        max_share_per_influencer=None,
    )
    # when
    result = optimize(problem)
    # then three posts of a plus c spend exactly 350 for 1800; b+c (1300) is second best
    then_optimal(problem, result, 1800, {"a": 3, "c": 1})
    assert result.totals is not None
    assert result.totals.budget_left == pytest.approx(0, abs=1e-9)
    assert "budget" in result.diagnostics.binding_constraints


def test_min_budget_use_forces_spend_above_the_cheapest_plan() -> None:
    # given min_cost for 400 engagement: a 500 at 100, b 300 at 250, c 200 at 150, and at
    # least half of the 500 budget must be spent
    problem = plan(
        500,
        creator("a", 10_000, 0.05, 100),
        creator("b", 5_000, 0.06, 250),
        creator("c", 4_000, 0.05, 150),
        objective=Objective(ObjectiveKind.MIN_COST, target_engagement=400),
        max_share_per_influencer=None,
        min_budget_use=0.5,
    )
    # when
    result = optimize(problem)
    # then a alone (100) no longer qualifies; a+c spends exactly 250, b alone misses the target
    then_optimal(problem, result, 250, {"a": 1, "c": 1})
    assert "min_budget_use" in result.diagnostics.binding_constraints


# --- concentration -----------------------------------------------------------------------


def test_share_cap_forces_four_creators() -> None:
    # given a star (10000/post, up to 4 posts) and three small creators (100/post), all at 100,
    # with the default 0.25 cap and 400 to spend
    problem = plan(
        400,
        creator("s", 200_000, 0.05, 100, max_posts=4),
        creator("a", 2_000, 0.05, 100),
        creator("b", 2_000, 0.05, 100),
        creator("c", 2_000, 0.05, 100),
    )
    # when
    result = optimize(problem)
    # then the star gets one post and a quarter of the plan; the others fill the rest
    then_optimal(problem, result, 10_300, {"s": 1, "a": 1, "b": 1, "c": 1})
    assert result.risk is not None
    assert result.risk.max_share == pytest.approx(0.25)
    assert result.risk.effective_influencers == pytest.approx(4)
    assert "max_share:s" in result.diagnostics.binding_constraints


# --- tier and platform mix -----------------------------------------------------------------


TIER_ROSTER = (
    creator("m", 200_000, 0.02, 1000, max_posts=2),  # macro, 4000/post
    creator("u", 50_000, 0.05, 500, max_posts=2),  # micro, 2500/post
    creator("n", 5_000, 0.06, 100, max_posts=3),  # nano, 300/post
)


def test_tier_min_share_reserves_spend_for_that_tier() -> None:
    # given nano must be at least a quarter of spend; nano can absorb only 300
    problem = plan(
        2000,
        *TIER_ROSTER,
        max_share_per_influencer=None,
        tier_share={"nano": ShareBounds(min=0.25)},
    )
    # when
    result = optimize(problem)
    # then spend is held at 1200 or less: one micro post and three nano posts (800)
    then_optimal(problem, result, 3_400, {"u": 1, "n": 3})
    assert result.by_tier is not None
    assert result.by_tier["nano"].share >= 0.25 - 1e-9


PLATFORM_ROSTER = (
    creator("a", 20_000, 0.05, 100, max_posts=3, platform="instagram"),  # 1000/post
    creator("b", 10_000, 0.05, 100, max_posts=3, platform="tiktok"),  # 500/post
)


def test_platform_min_share_shifts_posts_to_the_platform() -> None:
    # given tiktok at least half of spend (unconstrained optimum is a3 + b1 = 3500)
    problem = plan(
        400,
        *PLATFORM_ROSTER,
        max_share_per_influencer=None,
        platform_share={"tiktok": ShareBounds(min=0.5)},
    )
    # when
    result = optimize(problem)
    # then tiktok gets exactly half
    then_optimal(problem, result, 3_000, {"a": 2, "b": 2})
    assert "platform_min:tiktok" in result.diagnostics.binding_constraints


def test_platform_max_share_caps_the_platform() -> None:
    # given instagram at most 60%: a3+b1 (75%) and a2+b1 (67%) break it
    problem = plan(
        400,
        *PLATFORM_ROSTER,
        max_share_per_influencer=None,
        platform_share={"instagram": ShareBounds(max=0.6)},
    )
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, 3_000, {"a": 2, "b": 2})
    assert result.by_platform is not None
    assert result.by_platform["instagram"].share == pytest.approx(0.5)


# --- management capacity -------------------------------------------------------------------


def test_max_influencers_limits_the_roster() -> None:
    # given three creators at 100 (1000, 900, 800 per post, 2 posts max), a 0.5 cap, 600 to
    # spend, and at most 2 creators
    problem = plan(
        600,
        creator("a", 20_000, 0.05, 100, max_posts=2),
        creator("b", 18_000, 0.05, 100, max_posts=2),
        creator("c", 16_000, 0.05, 100, max_posts=2),
        max_share_per_influencer=0.5,
        max_influencers=2,
    )
    # when
    result = optimize(problem)
    # then the two best split the plan evenly, each exactly at the cap
    then_optimal(problem, result, 3_800, {"a": 2, "b": 2})
    assert "max_influencers" in result.diagnostics.binding_constraints


def test_min_influencers_zero_allows_the_empty_plan() -> None:
    # given nothing is affordable, but zero creators is allowed (the default cap stays on)
    problem = plan(50, creator("a", 20_000, 0.05, 100), min_influencers=0)
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, 0, {})
    assert result.totals is not None
    assert result.totals.spend == 0
    assert result.totals.influencers == 0
    assert result.totals.budget_left == pytest.approx(50)


def test_default_min_influencers_makes_an_unaffordable_roster_infeasible() -> None:
    # given the same roster with the default of at least one creator
    problem = plan(50, creator("a", 20_000, 0.05, 100), max_share_per_influencer=None)
    # when
    result = optimize(problem)
    # then
    then_infeasible(problem, result)


def test_everyone_gated_out_with_min_influencers_zero_gives_the_empty_plan() -> None:
    # given no creator reaches the followers gate
    problem = plan(
        500,
        creator("a", 5_000, 0.05, 100),
        creator("b", 8_000, 0.05, 100),
        min_influencers=0,
        min_followers=10_000,
    )
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, 0, {})
    assert excluded_ids(result) == {"a", "b"}


def test_everyone_gated_out_is_infeasible_when_a_creator_is_required() -> None:
    # given the same gate with the default of at least one creator
    problem = plan(
        500,
        creator("a", 5_000, 0.05, 100),
        creator("b", 8_000, 0.05, 100),
        min_followers=10_000,
    )
    # when
    result = optimize(problem)
    # then
    then_infeasible(problem, result)
    assert excluded_ids(result) == {"a", "b"}


# --- must_include and exclude --------------------------------------------------------------

PAIR = (
    creator("a", 20_000, 0.05, 100, max_posts=2),  # 1000/post
    creator("b", 4_000, 0.05, 100),  # 200/post
)


def test_must_include_of_a_gated_creator_is_infeasible() -> None:
    # given b (4000 followers) falls below the 10000 followers gate
    problem = plan(
        200, *PAIR, max_share_per_influencer=None, must_include=("b",), min_followers=10_000
    )
    # when
    result = optimize(problem)
    # then
    then_infeasible(problem, result)
    assert "b" in excluded_ids(result)


def test_must_include_of_an_unaffordable_creator_is_infeasible() -> None:
    # given b costs 300 and the budget is 200
    problem = plan(
        200,
        creator("a", 20_000, 0.05, 100, max_posts=2),
        creator("b", 4_000, 0.05, 300),
        max_share_per_influencer=None,
        must_include=("b",),
    )
    # when
    result = optimize(problem)
    # then
    then_infeasible(problem, result)


def test_exclude_removes_the_creator_and_lists_it() -> None:
    # given the best creator is excluded
    problem = plan(200, *PAIR, max_share_per_influencer=None, exclude=("a",))
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, 200, {"b": 1})
    assert excluded_ids(result) == {"a"}


# --- quality gates (a value on the threshold passes) ---------------------------------------


def test_min_audience_quality_gate_passes_the_threshold_value() -> None:
    # given a at quality 0.8 (800/post) and b at 0.79 (790/post), gate 0.8
    problem = plan(
        200,
        creator("a", 20_000, 0.05, 100, quality=0.8),
        creator("b", 20_000, 0.05, 100, quality=0.79),
        max_share_per_influencer=None,
        min_audience_quality=0.8,
    )
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, 800, {"a": 1})
    assert excluded_ids(result) == {"b"}


def test_min_engagement_rate_gate_compares_the_rate_actually_used() -> None:
    # given gate 0.05: a gives 0.05 (passes), b falls back on the micro prior 0.05 (passes),
    # c gives 0.049, d falls back on the macro prior 0.02, and e gives 0, which counts as given
    # (the nano prior 0.06 would have passed)
    problem = plan(
        1000,
        creator("a", 10_000, 0.05, 100),  # 500/post
        creator("b", 20_000, None, 100),  # 1000/post
        creator("c", 10_000, 0.049, 100),
        creator("d", 200_000, None, 100),
        creator("e", 5_000, 0.0, 100),
        max_share_per_influencer=None,
        min_engagement_rate=0.05,
    )
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, 1_500, {"a": 1, "b": 1})
    assert excluded_ids(result) == {"c", "d", "e"}


def test_min_followers_gate_passes_the_threshold_value() -> None:
    # given a has exactly 10000 followers (500/post), b 9999 at a higher rate (999.9/post)
    problem = plan(
        200,
        creator("a", 10_000, 0.05, 100),
        creator("b", 9_999, 0.1, 100),
        max_share_per_influencer=None,
        min_followers=10_000,
    )
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, 500, {"a": 1})
    assert excluded_ids(result) == {"b"}


def test_max_followers_gate_passes_the_threshold_value() -> None:
    # given a has exactly 100000 followers (1000/post), b one more (1000.01/post)
    problem = plan(
        200,
        creator("a", 100_000, 0.01, 100),
        creator("b", 100_001, 0.01, 100),
        max_share_per_influencer=None,
        max_followers=100_000,
    )
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, 1_000, {"a": 1})
    assert excluded_ids(result) == {"b"}


# --- posts, fees and decay -----------------------------------------------------------------


def test_fixed_fee_is_paid_once_when_the_creator_is_used() -> None:
    # given a: 1000/post at 100 plus a 300 fee; b: 500/post at 100
    problem = plan(
        700,
        creator("a", 20_000, 0.05, 100, fixed_fee=300, max_posts=4),
        creator("b", 10_000, 0.05, 100, max_posts=2),
        max_share_per_influencer=None,
    )
    # when
    result = optimize(problem)
    # then four posts of a cost 4·100 + 300 = 700 (a3 + b1 also costs 700 but yields 3500)
    then_optimal(problem, result, 4_000, {"a": 4})
    assert result.allocations[0].spend == pytest.approx(700)


def test_max_posts_caps_a_creator() -> None:
    # given a is by far the best but sells only 2 posts
    problem = plan(
        500,
        creator("a", 200_000, 0.05, 100, max_posts=2),
        creator("b", 2_000, 0.05, 100, max_posts=2),
        max_share_per_influencer=None,
    )
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, 20_200, {"a": 2, "b": 2})
    assert "max_posts:a" in result.diagnostics.binding_constraints


def test_repeat_post_decay_makes_a_second_creator_worth_more_than_a_third_post() -> None:
    # given decay 0.5: a's posts 1000, 500, 250; b's posts 700, 350, 175; 3 posts affordable
    problem = plan(
        300,
        creator("a", 20_000, 0.05, 100, max_posts=3),
        creator("b", 14_000, 0.05, 100, max_posts=3),
        decay=0.5,
        max_share_per_influencer=None,
    )
    # when
    result = optimize(problem)
    # then the three best posts: a's first two and b's first
    then_optimal(problem, result, 2_200, {"a": 2, "b": 1})
    allocation = {a.id: a for a in result.allocations}
    assert allocation["a"].expected_engagement == pytest.approx(1_500, rel=1e-9)


# --- other objectives ----------------------------------------------------------------------


def test_reach_objective_prefers_many_mid_size_audiences() -> None:
    # given reach f·q: a 100000·0.5 = 50000 at 300; b 30000, c 27000, d 20000 at 100 each
    problem = plan(
        300,
        creator("a", 100_000, 0.05, 300, quality=0.5),
        creator("b", 30_000, 0.01, 100),
        creator("c", 30_000, 0.01, 100, quality=0.9),
        creator("d", 20_000, 0.01, 100),
        objective=Objective(ObjectiveKind.REACH),
        max_share_per_influencer=None,
    )
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, 77_000, {"b": 1, "c": 1, "d": 1})
    assert result.totals is not None
    assert result.totals.reach == pytest.approx(77_000)


def test_reach_ignores_decay_and_extra_posts() -> None:
    # given a can buy 3 posts but reach counts its audience once
    problem = plan(
        300,
        creator("a", 30_000, 0.05, 100, max_posts=3),
        creator("b", 10_000, 0.05, 100),
        objective=Objective(ObjectiveKind.REACH),
        decay=0.5,
        max_share_per_influencer=None,
    )
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, 40_000)
    assert {a.id for a in result.allocations} == {"a", "b"}


# --- tiers, priors and rate sources ---------------------------------------------------------


def test_custom_tiers_are_sorted_and_their_priors_used() -> None:
    # given tiers out of order, priors small 0.08 and large 0.01, no rates given
    problem = plan(
        100,
        creator("a", 40_000, None, 100),  # small: 3200/post
        creator("b", 60_000, None, 100),  # large: 600/post
        tiers=(Tier("large", 50_000), Tier("small", 0)),
        priors={"small": 0.08, "large": 0.01},
        max_share_per_influencer=None,
    )
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, 3_200, {"a": 1})
    (allocation,) = result.allocations
    assert allocation.tier == "small"
    assert allocation.engagement_rate_used == pytest.approx(0.08)
    assert allocation.engagement_rate_source is RateSource.TIER_PRIOR


def test_share_on_a_custom_tier_applies() -> None:
    # given the same tiers, large at least half of spend
    problem = plan(
        200,
        creator("a", 40_000, None, 100, max_posts=2),
        creator("b", 60_000, None, 100),
        tiers=(Tier("large", 50_000), Tier("small", 0)),
        priors={"small": 0.08, "large": 0.01},
        max_share_per_influencer=None,
        tier_share={"large": ShareBounds(min=0.5)},
    )
    # when
    result = optimize(problem)
    # then a2 (6400) would leave large at 0%
    then_optimal(problem, result, 3_800, {"a": 1, "b": 1})
    assert result.by_tier is not None
    assert result.by_tier["large"].share == pytest.approx(0.5)


def test_given_priors_override_defaults_name_by_name() -> None:
    # given only the micro prior is overridden (0.1); nano keeps its default 0.06
    problem = plan(
        200,
        creator("u", 20_000, None, 100),  # micro: 2000/post
        creator("n", 5_000, None, 100),  # nano: 300/post
        priors={"micro": 0.1},
        max_share_per_influencer=None,
    )
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, 2_300, {"u": 1, "n": 1})
    rates = {a.id: a.engagement_rate_used for a in result.allocations}
    assert rates == pytest.approx({"u": 0.1, "n": 0.06})


def test_rate_source_says_given_or_tier_prior() -> None:
    # given g gives 0.03 (600/post), p falls back on the micro prior 0.05 (1000/post)
    problem = plan(
        200,
        creator("g", 20_000, 0.03, 100),
        creator("p", 20_000, None, 100),
        max_share_per_influencer=None,
    )
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, 1_600, {"g": 1, "p": 1})
    sources = {a.id: a.engagement_rate_source for a in result.allocations}
    assert sources == {"g": RateSource.GIVEN, "p": RateSource.TIER_PRIOR}


def test_zero_engagement_rate_is_used_as_given() -> None:
    # given z states a rate of 0: it must not fall back on the nano prior
    problem = plan(
        200,
        creator("z", 5_000, 0.0, 100),
        creator("a", 10_000, 0.05, 100),
        max_share_per_influencer=None,
        min_influencers=2,
    )
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, 500, {"z": 1, "a": 1})
    allocation = {a.id: a for a in result.allocations}
    assert allocation["z"].engagement_rate_source is RateSource.GIVEN
    assert allocation["z"].expected_engagement == 0
    assert math.isclose(allocation["a"].share_of_engagement, 1.0)


# --- plans whose optimum alone is the point --------------------------------------------------


def optimum(
    name: str, problem: PlanProblem, objective: float, posts: Mapping[str, int] | None
) -> Any:  # a pytest ParameterSet
    return pytest.param(problem, objective, posts, id=name)


OPTIMA = [
    # given the same roster with the cap removed
    optimum(
        "explicit none share cap lets one creator take the whole plan",
        plan(
            400,
            creator("s", 200_000, 0.05, 100, max_posts=4),
            creator("a", 2_000, 0.05, 100),
            creator("b", 2_000, 0.05, 100),
            creator("c", 2_000, 0.05, 100),
            max_share_per_influencer=None,
        ),
        40_000,
        {"s": 4},
    ),
    # given a star (10000/post) and a filler (100/post), both at 100, at most 250 per creator
    # then the star stops at two posts (200); a third would cost 300
    optimum(
        "max spend per influencer caps each creator in currency",
        plan(
            400,
            creator("s", 200_000, 0.05, 100, max_posts=4),
            creator("a", 2_000, 0.05, 100, max_posts=2),
            max_share_per_influencer=None,
            max_spend_per_influencer=250,
        ),
        20_200,
        {"s": 2, "a": 2},
    ),
    # given a 150 fee on the star: two posts now cost 350, above the 300 limit
    # then one star post (250) and the two filler posts the 500 budget still allows
    optimum(
        "max spend per influencer counts the fixed fee",
        plan(
            500,
            creator("s", 200_000, 0.05, 100, max_posts=4, fixed_fee=150),
            creator("a", 2_000, 0.05, 100, max_posts=3),
            max_share_per_influencer=None,
            max_spend_per_influencer=300,
        ),
        10_200,
        {"s": 1, "a": 2},
    ),
    # given a 1000/post, b 600/post, c 100/post, all at 100 with up to 3 posts, 900 to spend,
    # and nobody above half of the plan's engagement (E_a ≤ E_b + E_c)
    # then a's third post would give 3000 > 2100: a stops at two
    optimum(
        "engagement share cap spreads engagement across creators",
        plan(
            900,
            creator("a", 20_000, 0.05, 100, max_posts=3),
            creator("b", 12_000, 0.05, 100, max_posts=3),
            creator("c", 2_000, 0.05, 100, max_posts=3),
            max_share_per_influencer=None,
            max_engagement_share_per_influencer=0.5,
        ),
        4_100,
        {"a": 2, "b": 3, "c": 3},
    ),
    # given decay 0.5: a's posts are worth 1000, 500, 250; b gives 700 and c 600 once each.
    # Half the plan caps a at 1300 (b+c), so a second post (a at 1500) breaks the cap; a model
    # that could count a's later, cheaper posts first (1000+250=1250) would wrongly buy it
    optimum(
        "engagement share cap counts decayed posts exactly",
        plan(
            400,
            creator("a", 20_000, 0.05, 100, max_posts=3),
            creator("b", 14_000, 0.05, 100),
            creator("c", 12_000, 0.05, 100),
            decay=0.5,
            max_share_per_influencer=None,
            max_engagement_share_per_influencer=0.5,
        ),
        2_300,
        {"a": 1, "b": 1, "c": 1},
    ),
    # then two micro posts and one macro post spend the 2000
    optimum(
        "tier roster without shares buys by engagement per dollar",
        plan(2000, *TIER_ROSTER, max_share_per_influencer=None),
        9_000,
        {"m": 1, "u": 2},
    ),
    # given macro at most 40% of spend; one macro post (1000) would need a 2500 plan
    optimum(
        "tier max share keeps the tier out when it cannot fit",
        plan(
            2000,
            *TIER_ROSTER,
            max_share_per_influencer=None,
            tier_share={"macro": ShareBounds(max=0.4)},
        ),
        5_900,
        {"u": 2, "n": 3},
    ),
    # given macro at most half, one macro post of 1000 and a 2000 budget
    # then macro takes exactly half: m1 + u2 (9000) is still reachable
    optimum(
        "tier max share on the bound passes",
        plan(
            2000,
            *TIER_ROSTER,
            max_share_per_influencer=None,
            tier_share={"macro": ShareBounds(max=0.5)},
        ),
        9_000,
        {"m": 1, "u": 2},
    ),
    # given a 1000/post (4 max), b 100/post, c 50/post, all at 100, and at least 3 creators
    optimum(
        "min influencers forces weaker creators in",
        plan(
            400,
            creator("a", 20_000, 0.05, 100, max_posts=4),
            creator("b", 2_000, 0.05, 100),
            creator("c", 1_000, 0.05, 100),
            max_share_per_influencer=None,
            min_influencers=3,
        ),
        2_150,
        {"a": 2, "b": 1, "c": 1},
    ),
    # given a 200 budget: alone, a would take both posts (2000)
    optimum(
        "must include forces a weaker creator in",
        plan(200, *PAIR, max_share_per_influencer=None, must_include=("b",)),
        1_200,
        {"a": 1, "b": 1},
    ),
    # given a needs at least 2 posts (2·100 + 300 fee = 500), b at 100 for 500/post, 550 budget
    # then a2 (2000) beats b2 (1000); a2+b1 would cost 600
    optimum(
        "min posts makes a creator all or nothing above its minimum",
        plan(
            550,
            creator("a", 20_000, 0.05, 100, fixed_fee=300, min_posts=2, max_posts=4),
            creator("b", 10_000, 0.05, 100, max_posts=2),
            max_share_per_influencer=None,
        ),
        2_000,
        {"a": 2},
    ),
    # given the same roster with 450: a's minimum purchase costs 500
    optimum(
        "min posts above the budget leaves the creator out",
        plan(
            450,
            creator("a", 20_000, 0.05, 100, fixed_fee=300, min_posts=2, max_posts=4),
            creator("b", 10_000, 0.05, 100, max_posts=2),
            max_share_per_influencer=None,
        ),
        1_000,
        {"b": 2},
    ),
    # given the same roster with decay 1
    optimum(
        "without decay repeat posts keep their value",
        plan(
            300,
            creator("a", 20_000, 0.05, 100, max_posts=3),
            creator("b", 14_000, 0.05, 100, max_posts=3),
            max_share_per_influencer=None,
        ),
        3_000,
        {"a": 3},
    ),
    # given a 1000 at 200, b 600 at 100, c 500 at 100, and 1100 engagement needed
    # then b+c meet it exactly for 200; a alone falls short, a+b costs 300
    optimum(
        "min cost buys the cheapest plan that meets the target",
        plan(
            1000,
            creator("a", 20_000, 0.05, 200),
            creator("b", 12_000, 0.05, 100),
            creator("c", 10_000, 0.05, 100),
            objective=Objective(ObjectiveKind.MIN_COST, target_engagement=1100),
            max_share_per_influencer=None,
        ),
        200,
        {"b": 1, "c": 1},
    ),
    # given decay 0.5: a's posts 1000, 500; b's one post 600; target 1500
    # then a2 (200) reaches 1500 exactly; a1+b (250) also works but costs more
    optimum(
        "min cost with decay pays for the lost value of repeat posts",
        plan(
            1000,
            creator("a", 20_000, 0.05, 100, max_posts=2),
            creator("b", 12_000, 0.05, 150),
            objective=Objective(ObjectiveKind.MIN_COST, target_engagement=1500),
            decay=0.5,
            max_share_per_influencer=None,
        ),
        200,
        {"a": 2},
    ),
]


@pytest.mark.parametrize(("problem", "objective", "posts"), OPTIMA)
def test_hand_worked_optimum_is_found(
    problem: PlanProblem, objective: float, posts: Mapping[str, int] | None
) -> None:
    # when
    result = optimize(problem)
    # then
    then_optimal(problem, result, objective, posts)
