"""The optimizer agrees with exhaustive enumeration on seeded random small problems.

Each seed builds one problem over every objective and constraint family (decay, fixed fees,
tier and platform shares, caps, must_include/exclude, gates); the seed is the test id, so a
failure can be replayed with ``random_problem(random.Random(seed))``.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from optimizer import optimize
from optimizer.problem import Backend, Constraints, PlanProblem, SolveOptions
from optimizer.result import PlanStatus
from tests.optimizer import bruteforce
from tests.optimizer.bruteforce import (
    creator,
    optimized_against_bruteforce,
    random_problem,
    violations,
)

HIGHS_SEEDS = range(1000)
CBC_SEEDS = range(10_000, 10_150)


def then_matches_bruteforce(problem: PlanProblem) -> None:
    expected, result = optimized_against_bruteforce(problem)
    if expected.status is PlanStatus.INFEASIBLE:
        return
    assert violations(problem, expected.posts) == []
    assert bruteforce.objective_value(problem, bruteforce.plan_posts(result)) == pytest.approx(
        expected.objective, rel=1e-6, abs=1e-6
    )


@pytest.mark.parametrize("seed", HIGHS_SEEDS)
def test_highs_matches_bruteforce_on_random_small_problems(seed: int) -> None:
    # given
    problem = random_problem(random.Random(seed))
    # when / then
    then_matches_bruteforce(problem)


@pytest.mark.parametrize("seed", CBC_SEEDS)
def test_cbc_matches_bruteforce_on_random_small_problems(seed: int) -> None:
    # given
    problem = random_problem(random.Random(seed), backend=Backend.CBC)
    # when / then
    then_matches_bruteforce(problem)


def test_random_problems_cover_feasible_and_infeasible_answers() -> None:
    # given / when
    statuses = [
        bruteforce.solve(random_problem(random.Random(seed))).status for seed in HIGHS_SEEDS
    ]
    # then a generator that only made one kind of problem would test half the contract
    infeasible = statuses.count(PlanStatus.INFEASIBLE)
    assert 0.15 * len(statuses) < infeasible < 0.7 * len(statuses)


# --- the checkers themselves catch what they are meant to catch ----------------------------


def test_violations_name_each_broken_constraint() -> None:
    # given a problem with a cap, a must_include, a gate and a budget
    problem = PlanProblem(
        budget=250,
        candidates=(
            creator("a", 20_000, 0.05, 100, max_posts=2),
            creator("b", 20_000, 0.05, 100),
            creator("g", 500, 0.05, 100),
        ),
        constraints=Constraints(must_include=("b",), min_followers=1_000),
    )
    # when / then
    assert violations(problem, {"a": 2, "b": 1}) == ["budget", "max_share:a", "max_share:b"]
    assert violations(problem, {"a": 1}) == ["max_share:a", "must_include:b"]
    assert violations(problem, {"a": 3}) == ["posts:a"]
    assert violations(problem, {"g": 1}) == ["removed:g"]
    assert violations(problem, {"z": 1}) == ["unknown:z"]


def test_figure_checker_catches_a_misreported_spend() -> None:
    # given a correct answer
    problem = PlanProblem(
        budget=400,
        candidates=tuple(creator(f"c{i}", 10_000, 0.05, 100) for i in range(4)),
        options=SolveOptions(mip_gap=1e-9),
    )
    result = optimize(problem)
    assert bruteforce.figure_mismatches(problem, result) == []
    # when one figure is off by far less than a cent
    first = dataclasses.replace(result.allocations[0], spend=100.000001)
    tampered = dataclasses.replace(result, allocations=(first, *result.allocations[1:]))
    # then
    assert bruteforce.figure_mismatches(problem, tampered) == ["allocation:c0:spend"]
