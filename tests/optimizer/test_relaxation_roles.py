"""Why infeasible: each relaxation says whether it is enough on its own (an alternative) or needed
with the others (together), checked by enumerating the request with each applied alone; and the
cause, when the roster shows it."""

from __future__ import annotations

from optimizer import (
    Candidate,
    ConstraintKind,
    Constraints,
    PlanProblem,
    PlanStatus,
    ShareBounds,
    optimize,
)
from optimizer.relax import apply_relaxation
from optimizer.result import PlanResult, RelaxationRole
from tests.optimizer import bruteforce


def creator(cid: str, price: float, followers: int = 20_000) -> Candidate:
    return bruteforce.creator(cid, followers, 0.03, price)


def infeasible(problem: PlanProblem) -> PlanResult:
    assert bruteforce.solve(problem).status is PlanStatus.INFEASIBLE
    result = optimize(problem)
    assert result.status is PlanStatus.INFEASIBLE
    return result


def alone_admits_a_plan(problem: PlanProblem, result: PlanResult) -> dict[ConstraintKind, bool]:
    return {
        r.kind: bruteforce.solve(apply_relaxation(problem, r)).status is PlanStatus.OPTIMAL
        for r in result.diagnostics.relaxation
    }


def test_a_mega_share_above_the_budget_has_two_alternatives_and_says_why() -> None:
    # given mega at least half the spend, budget 5,000, the cheapest mega creator at 12,000
    problem = PlanProblem(
        budget=5_000,
        candidates=(
            creator("m1", 12_000, followers=2_000_000),
            creator("m2", 15_000, followers=3_000_000),
            *(creator(f"n{i}", 500) for i in range(6)),
        ),
        constraints=Constraints(
            tier_share={"mega": ShareBounds(min=0.5)}, max_share_per_influencer=None
        ),
    )
    # when
    result = infeasible(problem)
    # then the mega minimum falling to 0% or the budget rising to 12,000 will each do
    entries = {r.kind: r for r in result.diagnostics.relaxation}
    assert set(entries) == {ConstraintKind.TIER_MIN, ConstraintKind.BUDGET}
    assert entries[ConstraintKind.TIER_MIN].required == 0.0
    assert entries[ConstraintKind.BUDGET].required == 12_000
    assert {r.role for r in entries.values()} == {RelaxationRole.ALTERNATIVE}
    assert alone_admits_a_plan(problem, result) == {
        ConstraintKind.TIER_MIN: True,
        ConstraintKind.BUDGET: True,
    }
    cause = "the cheapest mega creator costs 12,000, above the 5,000 budget"
    assert entries[ConstraintKind.TIER_MIN].cause == cause
    assert entries[ConstraintKind.BUDGET].cause == cause


def test_changes_needed_together_are_marked_so_each_short_alone() -> None:
    # given two creators (200 and 300) against a budget of 100 and at least three creators
    problem = PlanProblem(
        budget=100,
        candidates=(creator("a", 200), creator("b", 300)),
        constraints=Constraints(min_influencers=3, max_share_per_influencer=None),
    )
    # when
    result = infeasible(problem)
    # then both changes are needed, and neither is enough alone
    entries = {r.kind: r for r in result.diagnostics.relaxation}
    assert set(entries) == {ConstraintKind.BUDGET, ConstraintKind.MIN_INFLUENCERS}
    assert {r.role for r in entries.values()} == {RelaxationRole.TOGETHER}
    assert alone_admits_a_plan(problem, result) == {
        ConstraintKind.BUDGET: False,
        ConstraintKind.MIN_INFLUENCERS: False,
    }
    both = problem
    for r in result.diagnostics.relaxation:
        both = apply_relaxation(both, r)
    assert bruteforce.solve(both).status is PlanStatus.OPTIMAL
    assert entries[ConstraintKind.BUDGET].cause == (
        "the cheapest creator costs 200, above the 100 budget"
    )
    assert entries[ConstraintKind.MIN_INFLUENCERS].cause == (
        "only 2 creator(s) are eligible, fewer than the 3 asked"
    )


def test_a_share_cap_with_too_few_creators_says_how_many_it_needs() -> None:
    problem = PlanProblem(budget=10_000, candidates=(creator("a", 100), creator("b", 100)))
    result = infeasible(problem)
    (entry,) = result.diagnostics.relaxation
    assert entry.kind is ConstraintKind.MAX_SHARE_PER_INFLUENCER
    assert entry.role is RelaxationRole.ALTERNATIVE
    assert entry.cause == "only 2 creator(s) are eligible: a 25% cap per creator needs at least 4"
