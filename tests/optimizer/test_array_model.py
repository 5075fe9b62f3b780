"""The array model HiGHS solves by default and the PuLP model (the readable formulation, and what
CBC solves) are one formulation: on random problems both reach the same optimum, and their
elastic models the same phase-one value."""

from __future__ import annotations

import random
import time

import pulp
import pytest

from bench.instances import Variant, instance
from optimizer.arrays import build_arrays
from optimizer.highs_run import FEASIBILITY_TOL, run_highs
from optimizer.model import BuiltModel, build_model, natural_objective
from optimizer.prepare import Prepared, prepare
from optimizer.problem import PlanProblem
from optimizer.solve import SolveOutcome, solve_arrays
from tests.optimizer.bruteforce import creator, random_problem

GAP = 1e-9
LIMIT_S = 60.0
RANDOM_SEEDS = range(20_000, 20_250)
CATALOG_CASES = [
    (seed, variant)
    for seed in (1, 2, 3)
    for variant in (
        Variant(decay=0.85, binding="budget"),
        Variant(decay=1.0, binding="budget"),
        Variant(decay=0.85, binding="capacity", max_influencers=8),
    )
]


def solve_pulp(built: BuiltModel) -> SolveOutcome:
    """The PuLP model solved by HiGHS through PuLP, to optimality or infeasibility."""
    solver = pulp.HiGHS(
        msg=False,
        timeLimit=LIMIT_S,
        gapRel=GAP,
        mip_feasibility_tolerance=FEASIBILITY_TOL,
        primal_feasibility_tolerance=FEASIBILITY_TOL,
    )
    built.prob.solve(solver)
    outcomes = {
        pulp.LpSolutionOptimal: SolveOutcome.OPTIMAL,
        pulp.LpSolutionInfeasible: SolveOutcome.INFEASIBLE,
        pulp.LpSolutionIntegerFeasible: SolveOutcome.FEASIBLE,
    }
    return outcomes.get(built.prob.sol_status, SolveOutcome.NO_SOLUTION)


def pulp_answer(prepared: Prepared) -> tuple[SolveOutcome, float | None]:
    built = build_model(prepared)
    outcome = solve_pulp(built)
    if outcome is not SolveOutcome.OPTIMAL:
        return outcome, None
    posts = [
        round(n.varValue or 0) if round(y.varValue or 0) == 1 else 0
        for n, y in zip(built.posts, built.used, strict=True)
    ]
    return outcome, natural_objective(prepared, posts)


def array_answer(prepared: Prepared) -> tuple[SolveOutcome, float | None]:
    raw = solve_arrays(build_arrays(prepared), time.perf_counter() + LIMIT_S, GAP)
    value = None if raw.posts is None else natural_objective(prepared, raw.posts)
    return raw.outcome, value


def then_same_optimum(problem: PlanProblem) -> None:
    # when
    prepared = prepare(problem)
    expected_status, expected = pulp_answer(prepared)
    status, value = array_answer(prepared)
    # then
    assert status is expected_status
    assert status in (SolveOutcome.OPTIMAL, SolveOutcome.INFEASIBLE)
    if expected is None:
        assert value is None
    else:
        assert value == pytest.approx(expected, rel=1e-6, abs=1e-6)


@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_array_and_pulp_models_reach_the_same_optimum_on_random_problems(seed: int) -> None:
    then_same_optimum(random_problem(random.Random(seed)))


@pytest.mark.parametrize(("seed", "variant"), CATALOG_CASES)
def test_array_and_pulp_models_reach_the_same_optimum_on_catalog_samples(
    seed: int, variant: Variant
) -> None:
    then_same_optimum(instance(60, seed, variant))


@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_elastic_array_and_pulp_models_have_the_same_phase_one_value(seed: int) -> None:
    # given
    prepared = prepare(random_problem(random.Random(seed)))
    # when
    built = build_model(prepared, elastic=True)
    expected_outcome = solve_pulp(built)
    model = build_arrays(prepared, elastic=True)
    run = run_highs(model, time.perf_counter() + LIMIT_S, GAP)
    # then
    assert expected_outcome is SolveOutcome.OPTIMAL
    assert run.objective is not None
    expected = pulp.value(built.prob.objective) or 0.0
    assert run.objective == pytest.approx(expected, rel=1e-6, abs=1e-7)


def test_array_model_folds_what_a_creator_can_afford_into_post_bounds() -> None:
    # given a 1,000 budget with a 25% cap: a 100-per-post creator can take 2 posts, not 4,
    # and one at 300 per post none at all
    problem = PlanProblem(
        budget=1_000,
        candidates=(
            creator("a", 20_000, 0.05, 100, max_posts=4),
            creator("b", 20_000, 0.05, 300, max_posts=4),
        ),
    )
    # when
    model = build_arrays(prepare(problem))
    # then
    assert list(model.col_upper[model.posts_col]) == [2.0, 0.0]
    assert list(model.col_upper[model.used_col]) == [1.0, 0.0]


def test_a_near_free_creator_keeps_its_max_posts_as_bound() -> None:
    # given a price so small that budget / price overflows a 64-bit integer
    problem = PlanProblem(
        budget=1e12,
        candidates=(
            creator("free", 20_000, 0.05, 1e-300, max_posts=3),
            creator("paid", 20_000, 0.05, 100, max_posts=2),
        ),
    )
    # when
    model = build_arrays(prepare(problem))
    # then the bound is its max_posts, not a wrapped-around negative number
    assert list(model.col_upper[model.posts_col]) == [3.0, 2.0]
