"""The fast first plan (greedy, and LP rounding with repair) meets every constraint of the model,
or says it found none; it is what a solve cut short answers with."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import numpy as np
import pytest

from bench.instances import Variant, instance
from optimizer.arrays import CandidateData, build_arrays
from optimizer.first_plan import FirstPlan, first_plan, lp_guide
from optimizer.highs_run import run_highs
from optimizer.prepare import Prepared, prepare
from optimizer.problem import PlanProblem
from optimizer.result import PlanStatus
from tests.optimizer import bruteforce
from tests.optimizer.bruteforce import objective_value, random_problem, violations

SEEDS = range(40_000, 40_600)
CATALOG_VARIANTS = (
    Variant(decay=0.85, binding="budget"),
    Variant(decay=1.0, binding="budget"),
    Variant(decay=0.85, binding="capacity"),
    Variant(decay=1.0, binding="capacity", max_influencers=500),
)


def posts_by_id(prepared: Prepared, plan: FirstPlan) -> dict[str, int]:
    return {e.candidate.id: int(k) for e, k in zip(prepared.eligible, plan.posts, strict=True) if k}


def then_sound(problem: PlanProblem, prepared: Prepared, plan: FirstPlan | None) -> None:
    if plan is None:
        return
    posts = posts_by_id(prepared, plan)
    assert violations(problem, posts) == [], posts
    assert plan.objective == pytest.approx(objective_value(problem, posts), rel=1e-9, abs=1e-9)


def lp_guided(prepared: Prepared) -> FirstPlan | None:
    data = CandidateData.of(prepared)
    model = build_arrays(prepared, data=data)
    run = run_highs(model, time.perf_counter() + 30, 0.0, relax=True, presolve=False)
    if run.x is None:
        return None
    return first_plan(prepared, data, lp_guide(prepared, data, model, run.x))


def random_prepared(seed: int) -> tuple[PlanProblem, Prepared] | None:
    problem = random_problem(random.Random(seed))
    prepared = prepare(problem)
    # the planner answers these before any plan is sought
    return None if prepared.unavailable_must_include else (problem, prepared)


def greedy(prepared: Prepared) -> FirstPlan | None:
    return first_plan(prepared)


@pytest.mark.parametrize("make", [greedy, lp_guided], ids=["greedy", "lp rounded"])
@pytest.mark.parametrize("seed", SEEDS)
def test_first_plan_meets_every_constraint_or_is_none(
    seed: int, make: Callable[[Prepared], FirstPlan | None]
) -> None:
    # given
    case = random_prepared(seed)
    if case is None:
        return
    problem, prepared = case
    # when
    plan = make(prepared)
    # then
    then_sound(problem, prepared, plan)


def test_first_plan_is_found_for_most_feasible_random_problems() -> None:
    # given the feasible random problems
    found = feasible = 0
    for seed in SEEDS:
        case = random_prepared(seed)
        if case is None or bruteforce.solve(case[0]).status is not PlanStatus.OPTIMAL:
            continue
        feasible += 1
        # when
        plan = first_plan(case[1]) or lp_guided(case[1])
        found += plan is not None
    # then a greedy that gave up on everything hard would be no safety net
    assert feasible > 200
    assert found >= 0.8 * feasible


@pytest.mark.parametrize("variant", CATALOG_VARIANTS, ids=lambda v: v.label)
@pytest.mark.parametrize("seed", [1, 2])
def test_greedy_finds_a_sound_plan_on_catalog_instances(seed: int, variant: Variant) -> None:
    # given a catalog of 2,000 creators
    problem = instance(2_000, seed, variant)
    prepared = prepare(problem)
    # when
    plan = first_plan(prepared)
    # then
    assert plan is not None
    then_sound(problem, prepared, plan)
    assert np.count_nonzero(plan.posts) > 0
