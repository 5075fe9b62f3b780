"""Audience overlap in the model: unique reach and the overlap cap against enumeration on both
backends (HiGHS solves the array model, CBC the PuLP one), both model forms against each other,
the reductions and the pipeline's steps against the unreduced optimum, and the answer's
binding and relaxation entries of the cap."""

from __future__ import annotations

import random
import time
from dataclasses import replace

import numpy as np
import pytest

from bench.instances import overlap_instance
from optimizer import optimize, pipeline, reduce
from optimizer.arrays import build_arrays
from optimizer.constraints import ConstraintKind
from optimizer.model import natural_objective
from optimizer.prepare import prepare
from optimizer.problem import (
    Backend,
    Constraints,
    Objective,
    ObjectiveKind,
    Overlap,
    PlanProblem,
    SolveOptions,
)
from optimizer.result import PlanStatus
from optimizer.solve import SolveOutcome, solve_arrays
from tests.optimizer import bruteforce
from tests.optimizer.bruteforce import creator, optimized_against_bruteforce, random_overlap_problem
from tests.optimizer.test_array_model import then_same_optimum
from tests.optimizer.test_reductions import then_bound_holds_and_drops_no_creator_of_the_optimum

HIGHS_SEEDS = range(60_000, 60_300)
CBC_SEEDS = range(61_000, 61_080)
LIMIT_S = 60.0
GAP = 1e-9
UNIQUE = Objective(ObjectiveKind.UNIQUE_REACH)


def three_creators(**constraints: object) -> PlanProblem:
    """A and B reach 50,000 and 48,000 and share 60% of B's audience; C reaches 40,000 and
    shares nobody's. The budget buys two of them."""
    return PlanProblem(
        budget=1_000,
        candidates=(
            creator("a", 50_000, 0.05, 500),
            creator("b", 48_000, 0.05, 500),
            creator("c", 40_000, 0.05, 500),
        ),
        constraints=Constraints(max_share_per_influencer=None, **constraints),  # type: ignore[arg-type]
        objective=UNIQUE,
        overlaps=(Overlap("a", "b", 0.6),),
    )


@pytest.mark.parametrize("seed", HIGHS_SEEDS)
def test_highs_matches_bruteforce_with_overlaps(seed: int) -> None:
    optimized_against_bruteforce(random_overlap_problem(random.Random(seed)))


@pytest.mark.parametrize("seed", CBC_SEEDS)
def test_cbc_matches_bruteforce_with_overlaps(seed: int) -> None:
    optimized_against_bruteforce(random_overlap_problem(random.Random(seed), backend=Backend.CBC))


@pytest.mark.parametrize("seed", range(62_000, 62_100))
def test_array_and_pulp_models_agree_with_overlaps(seed: int) -> None:
    then_same_optimum(random_overlap_problem(random.Random(seed)))


def test_random_overlap_problems_exercise_the_pair_terms() -> None:
    # given / when: how often the overlaps change the best plan, and the cap holds it back
    changed = capped = 0
    for seed in HIGHS_SEEDS:
        problem = random_overlap_problem(random.Random(seed))
        expected = bruteforce.solve(problem)
        if expected.objective is None:
            continue
        uncapped = replace(
            problem, constraints=replace(problem.constraints, max_overlap_share=None)
        )
        capped += bruteforce.solve(uncapped).objective != expected.objective
        if problem.objective.kind is ObjectiveKind.UNIQUE_REACH:
            as_reach = replace(problem, objective=Objective(ObjectiveKind.REACH))
            plan = bruteforce.solve(as_reach).posts
            changed += bruteforce.objective_value(problem, plan) < expected.objective - 1e-6
    # then the tests above are not vacuous
    assert changed >= 5
    assert capped >= 10


@pytest.mark.parametrize("backend", [Backend.HIGHS, Backend.CBC])
def test_unique_reach_swaps_the_creator_whose_audience_is_shared(backend: Backend) -> None:
    # given A + B reach the most (98,000) but only 69,200 once; A + C reach 90,000 once
    problem = replace(three_creators(), options=SolveOptions(backend=backend))
    # when
    result = optimize(problem)
    as_reach = optimize(replace(problem, objective=Objective(ObjectiveKind.REACH)))
    # then B is swapped for C, which buys 20,800 more unique reach
    assert {a.id for a in as_reach.allocations} == {"a", "b"}
    assert as_reach.totals is not None
    assert as_reach.totals.unique_reach == pytest.approx(69_200)
    assert result.status is PlanStatus.OPTIMAL
    assert {a.id for a in result.allocations} == {"a", "c"}
    assert result.totals is not None
    assert result.totals.unique_reach == pytest.approx(90_000)
    assert result.totals.overlapping_audience == 0
    assert result.solver.objective == pytest.approx(90_000)


def test_an_overlap_cap_steers_the_reach_objective() -> None:
    # given the reach objective would take A and B, whose shared audience is 29% of their reach,
    # while at most 20% may be shared
    problem = replace(
        three_creators(max_overlap_share=0.2), objective=Objective(ObjectiveKind.REACH)
    )
    # when
    result = optimize(problem)
    # then it takes A and C instead
    assert result.status is PlanStatus.OPTIMAL
    assert {a.id for a in result.allocations} == {"a", "c"}
    assert result.solver.objective == pytest.approx(90_000)


@pytest.mark.parametrize("backend", [Backend.HIGHS, Backend.CBC])
def test_an_overlap_cap_held_at_its_value_is_binding(backend: Backend) -> None:
    # given two creators who must both be in the plan, sharing 10,000 of 40,000 reach: 25%
    problem = PlanProblem(
        budget=1_000,
        candidates=(creator("a", 20_000, 0.05, 500), creator("b", 20_000, 0.05, 500)),
        constraints=Constraints(max_share_per_influencer=None, max_overlap_share=0.25),
        objective=UNIQUE,
        overlaps=(Overlap("a", "b", 0.5),),
        options=SolveOptions(backend=backend),
    )
    problem = replace(problem, constraints=replace(problem.constraints, min_influencers=2))
    # when
    result = optimize(problem)
    # then
    assert result.status is PlanStatus.OPTIMAL
    binding = {b.kind: b for b in result.diagnostics.binding}
    assert "25% of its reach" in binding[ConstraintKind.MAX_OVERLAP_SHARE].message


@pytest.mark.parametrize("backend", [Backend.HIGHS, Backend.CBC])
def test_an_overlap_cap_that_admits_no_plan_says_how_far_it_must_rise(backend: Backend) -> None:
    # given the same two creators, both required, and at most 10% of the reach overlapping
    problem = PlanProblem(
        budget=1_000,
        candidates=(creator("a", 20_000, 0.05, 500), creator("b", 20_000, 0.05, 500)),
        constraints=Constraints(
            max_share_per_influencer=None, min_influencers=2, max_overlap_share=0.1
        ),
        objective=UNIQUE,
        overlaps=(Overlap("a", "b", 0.5),),
        options=SolveOptions(backend=backend),
    )
    # when
    result = optimize(problem)
    # then
    bruteforce.assert_infeasible_answer(result)
    (relaxation,) = result.diagnostics.relaxation
    assert relaxation.kind is ConstraintKind.MAX_OVERLAP_SHARE
    assert relaxation.current == pytest.approx(0.1)
    assert relaxation.required == pytest.approx(0.25, abs=1e-6)
    assert relaxation.message.startswith("max_overlap_share must rise from 10% to 25")


@pytest.mark.parametrize("seed", range(63_000, 63_200))
def test_reductions_keep_the_optimum_with_overlaps(seed: int) -> None:
    then_bound_holds_and_drops_no_creator_of_the_optimum(
        random_overlap_problem(random.Random(seed))
    )


@pytest.mark.parametrize("core_limit", [None, 30], ids=["full LP", "priced core"])
@pytest.mark.parametrize("seed", [1, 3])
def test_pipeline_reaches_the_unreduced_optimum_with_overlaps(
    seed: int, core_limit: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a catalog sample with clustered overlaps, solved by one MIP over every creator
    if core_limit is not None:
        monkeypatch.setattr(reduce, "_FULL_LP_MAX", core_limit)
        monkeypatch.setattr(reduce, "_CORE_SIZE", 40)
    problem = overlap_instance(120, 600, seed)
    problem = replace(problem, constraints=replace(problem.constraints, max_influencers=12))
    prepared = prepare(problem)
    unreduced = solve_arrays(build_arrays(prepared), time.perf_counter() + LIMIT_S, GAP)
    assert unreduced.outcome is SolveOutcome.OPTIMAL
    assert unreduced.posts is not None
    optimum = natural_objective(prepared, unreduced.posts)
    # when the Lagrangian bound, greedy plans, LP, kernel, reductions and the MIP run in turn
    raw = pipeline.solve_highs(prepared, time.perf_counter() + LIMIT_S, GAP)
    # then
    assert raw.outcome is SolveOutcome.OPTIMAL
    assert raw.posts is not None
    assert natural_objective(prepared, raw.posts) == pytest.approx(optimum, rel=1e-7)
    assert raw.bound is not None
    assert raw.bound >= optimum * (1 - 1e-9)
    # and the pairs made a difference: the reach optimum has less unique reach
    as_reach = prepare(replace(problem, objective=Objective(ObjectiveKind.REACH)))
    reach_plan = solve_arrays(build_arrays(as_reach), time.perf_counter() + LIMIT_S, GAP)
    assert reach_plan.posts is not None
    assert natural_objective(prepared, reach_plan.posts) < optimum
    assert np.any(np.asarray(reach_plan.posts) != np.asarray(raw.posts))
