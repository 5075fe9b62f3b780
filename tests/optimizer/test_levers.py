"""Levers: each constraint loosened by a planner-sized step, re-solved from the plan; every
gain is checked against an enumeration of the loosened request, which shares no code with the
optimizer."""

from __future__ import annotations

from dataclasses import replace

import pytest

from optimizer import (
    Candidate,
    ConstraintKind,
    Constraints,
    Objective,
    ObjectiveKind,
    Overlap,
    PlanProblem,
    PlanStatus,
    ShareBounds,
    optimize,
)
from optimizer.levers import lever_entry, lever_steps, ranked, skipped
from optimizer.result import Lever, LeverStatus, PlanResult
from tests.optimizer import bruteforce


def creator(cid: str, price: float, rate: float, *, platform: str = "instagram") -> Candidate:
    return bruteforce.creator(cid, 10_000, rate, price, platform=platform)


def levers_of(problem: PlanProblem) -> tuple[PlanResult, dict[ConstraintKind, Lever]]:
    """The plan and every lever of it, re-solved in this process."""
    plan = optimize(problem)
    assert plan.status is PlanStatus.OPTIMAL
    steps = lever_steps(problem, plan)
    levers = [lever_entry(step, plan, optimize(step.problem)) for step in steps]
    return plan, {lever.kind: lever for lever in levers}


def enumerated(problem: PlanProblem) -> float:
    """The optimum of ``problem`` by enumeration."""
    found = bruteforce.solve(problem)
    assert found.objective is not None
    return found.objective


def test_a_share_cap_that_no_chosen_creator_sits_at_is_the_lever_that_pays() -> None:
    # given four cheap creators (100 a post, 100 engagement) and one at 600 with 5,000,
    # budget 1,000 and a 50% share cap: the expensive one needs a plan of 1,200 to stay under
    # the cap, so the plan is the four cheap ones at 25% each, the cap tight for nobody
    cheap = tuple(creator(f"c{i}", 100, 0.01) for i in range(4))
    star = creator("star", 600, 0.5)
    problem = PlanProblem(
        budget=1_000,
        candidates=(*cheap, star),
        constraints=Constraints(max_share_per_influencer=0.5),
    )
    # when
    plan, levers = levers_of(problem)
    # then nothing binds at the plan, yet the share cap is the lever, worth 5,000
    assert plan.solver.objective == pytest.approx(400)
    assert plan.diagnostics.binding == ()
    cap = levers[ConstraintKind.MAX_SHARE_PER_INFLUENCER]
    assert cap.current == 0.5
    assert cap.loosened == pytest.approx(0.6)
    loosened = replace(problem, constraints=Constraints(max_share_per_influencer=0.6))
    assert cap.objective == pytest.approx(enumerated(loosened))
    assert cap.gain == pytest.approx(enumerated(loosened) - 400) == pytest.approx(5_000)
    # and more budget (1,100) does not let the star in: no gain, and not listed
    budget = levers[ConstraintKind.BUDGET]
    assert budget.loosened == pytest.approx(1_100)
    assert budget.gain == 0
    assert enumerated(replace(problem, budget=1_100)) == pytest.approx(400)
    # and a second post from each creator (eight cheap posts) pays 400, after the cap
    posts = levers[ConstraintKind.MAX_POSTS]
    more = tuple(replace(c, max_posts=2) for c in problem.candidates)
    assert posts.gain == pytest.approx(enumerated(replace(problem, candidates=more)) - 400)
    assert posts.gain == pytest.approx(400)
    shown = ranked(tuple(levers.values()), plan.diagnostics.binding)
    assert [lever.kind for lever in shown] == [
        ConstraintKind.MAX_SHARE_PER_INFLUENCER,
        ConstraintKind.MAX_POSTS,
    ]
    assert shown[0].message == "Share cap per creator 50% → 60%: +5,000 engagement (+1250.0%)"


def test_levers_are_sorted_by_gain_each_checked_by_enumeration() -> None:
    # given six creators, at most two of them, budget 700, a 40% share cap and Instagram held
    # to at most 60% of spend
    candidates = (
        creator("a", 300, 0.05),
        creator("b", 250, 0.04),
        creator("c", 200, 0.03, platform="tiktok"),
        creator("d", 150, 0.03, platform="tiktok"),
        creator("e", 100, 0.02, platform="tiktok"),
        creator("f", 120, 0.06),
    )
    problem = PlanProblem(
        budget=700,
        candidates=candidates,
        constraints=Constraints(
            max_share_per_influencer=0.6,
            max_influencers=2,
            platform_share={"instagram": ShareBounds(max=0.6)},
        ),
    )
    # when
    plan, levers = levers_of(problem)
    shown = ranked(tuple(levers.values()), plan.diagnostics.binding)
    # then every gain is what enumerating the loosened request gives
    base = enumerated(problem)
    assert plan.solver.objective == pytest.approx(base)
    for step in lever_steps(problem, plan):
        lever = levers[step.ref.kind]
        assert lever.status is LeverStatus.SOLVED
        assert lever.gain == pytest.approx(max(enumerated(step.problem) - base, 0.0), abs=1e-6)
    gains = [lever.gain or 0.0 for lever in shown]
    assert gains == sorted(gains, reverse=True)
    assert shown[0].gain is not None
    assert shown[0].gain > 0


def test_min_cost_levers_say_how_much_cheaper() -> None:
    # given the cheapest plan reaching 1,000 engagement from creators of 500 each at 100 or 150
    candidates = tuple(creator(f"c{i}", 100 + 50 * (i % 2), 0.05) for i in range(4))
    problem = PlanProblem(
        budget=1_000,
        candidates=candidates,
        objective=Objective(kind=ObjectiveKind.MIN_COST, target_engagement=1_000),
        constraints=Constraints(max_share_per_influencer=None),
    )
    # when
    plan, levers = levers_of(problem)
    # then lowering the target to 900 still needs two creators: the cheapest pair, no gain;
    # the enumeration agrees
    target = levers[ConstraintKind.TARGET_ENGAGEMENT]
    assert target.loosened == pytest.approx(900)
    step = next(s for s in lever_steps(problem, plan) if s.ref.kind is target.kind)
    assert target.objective == pytest.approx(enumerated(step.problem))
    assert plan.solver.objective is not None
    assert target.gain == pytest.approx(plan.solver.objective - enumerated(step.problem))


def test_tier_and_gate_levers_move_ten_points_or_ten_percent() -> None:
    # given a micro minimum of 40%, a mega maximum of 20% and a follower floor
    problem = PlanProblem(
        budget=1_000,
        candidates=(creator("a", 100, 0.05), creator("b", 200, 0.04)),
        constraints=Constraints(
            tier_share={"micro": ShareBounds(min=0.4), "mega": ShareBounds(max=0.2)},
            min_followers=5_000,
            max_share_per_influencer=None,
        ),
    )
    plan = optimize(problem)
    # when
    steps = {(s.ref.id, s.current, s.loosened) for s in lever_steps(problem, plan)}
    # then
    assert ("tier_min:micro", 0.4, 0.3) in steps
    assert ("tier_max:mega", 0.2, 0.3) in steps
    assert ("min_followers", 5_000, 4_500) in steps
    assert ("max_posts", None, None) in steps


def test_a_lever_not_re_solved_is_listed_as_skipped_after_those_that_were() -> None:
    cheap = tuple(creator(f"c{i}", 100, 0.01) for i in range(4))
    problem = PlanProblem(
        budget=1_000,
        candidates=(*cheap, creator("star", 600, 0.5)),
        constraints=Constraints(max_share_per_influencer=0.5),
    )
    plan, levers = levers_of(problem)
    steps = lever_steps(problem, plan)
    late = skipped(steps[0], "the time box for levers ran out before it started")
    # when
    shown = ranked((late, levers[ConstraintKind.MAX_SHARE_PER_INFLUENCER]), ())
    # then
    assert [lever.status for lever in shown] == [LeverStatus.SOLVED, LeverStatus.SKIPPED]
    assert shown[1].gain is None
    assert shown[1].message == (
        "Budget 1,000 → 1,100 USD: not known (the time box for levers ran out before it started)"
    )


def test_an_infeasible_request_has_no_levers() -> None:
    problem = PlanProblem(budget=50, candidates=(creator("a", 100, 0.05),))
    plan = optimize(problem)
    assert plan.status is PlanStatus.INFEASIBLE
    assert lever_steps(problem, plan) == ()


def test_the_re_solve_starts_from_the_plan() -> None:
    # given the plan's posts as the start of a loosened request
    cheap = tuple(creator(f"c{i}", 100, 0.01) for i in range(4))
    problem = PlanProblem(budget=1_000, candidates=(*cheap, creator("star", 600, 0.5)))
    plan = optimize(problem)
    step = next(s for s in lever_steps(problem, plan) if s.ref.kind is ConstraintKind.BUDGET)
    # then the start is the plan, and a re-solve is never worse
    assert dict(step.problem.options.start or {}) == {a.id: a.posts for a in plan.allocations}
    again = optimize(step.problem)
    assert again.solver.objective is not None
    assert plan.solver.objective is not None
    assert again.solver.objective >= plan.solver.objective


def test_an_overlap_cap_that_keeps_a_pair_apart_is_a_lever_though_not_tight() -> None:
    # given a and b (2,500 and 2,400 engagement) sharing 60% of b's 48,000 followers, c (2,000)
    # sharing nobody's, a budget for two, and shared audience capped at 20% of the plan's reach:
    # a and b together share 28,800 of 98,000 (29%), so the plan is a and c, sharing nothing
    problem = PlanProblem(
        budget=1_000,
        candidates=(
            bruteforce.creator("a", 50_000, 0.05, 500),
            bruteforce.creator("b", 48_000, 0.05, 500),
            bruteforce.creator("c", 40_000, 0.05, 500),
        ),
        constraints=Constraints(max_share_per_influencer=None, max_overlap_share=0.2),
        overlaps=(Overlap("a", "b", 0.6),),
    )
    # when
    plan, levers = levers_of(problem)
    # then the cap, raised to 30%, lets b in for c: +400, as enumeration says
    assert plan.solver.objective == pytest.approx(4_500)
    cap = levers[ConstraintKind.MAX_OVERLAP_SHARE]
    assert cap.current == 0.2
    assert cap.loosened == pytest.approx(0.3)
    step = next(s for s in lever_steps(problem, plan) if s.ref.kind is cap.kind)
    assert cap.gain == pytest.approx(enumerated(step.problem) - 4_500) == pytest.approx(400)
    # and listed after a second post of a (5,000: +500), though no pair of the plan overlaps;
    # the budget, used up, last: 1,100 buys no third creator
    shown = ranked(tuple(levers.values()), plan.diagnostics.binding)
    assert [lever.kind for lever in shown] == [
        ConstraintKind.MAX_POSTS,
        ConstraintKind.MAX_OVERLAP_SHARE,
        ConstraintKind.BUDGET,
    ]
    assert shown[2].gain == 0
