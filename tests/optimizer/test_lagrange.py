"""The Lagrangian bound over the coupling rows (optimizer/lagrange.py) is never below the
optimum, however far its cutting-plane method got, and the creators it drops are in no optimal
plan: checked against brute force on random small problems and on small requests of every
benchmark family, and against the known LP bound of a hand-worked knapsack."""

from __future__ import annotations

import random
import time

import numpy as np
import pytest

from bench.instances import FAMILIES, family_instance
from optimizer import lagrange, reduce
from optimizer.arrays import CandidateData, FloatArray, build_arrays
from optimizer.first_plan import first_plan, promising
from optimizer.model import natural_objective
from optimizer.pipeline import solve_highs
from optimizer.prepare import prepare
from optimizer.problem import Constraints, ObjectiveKind, PlanProblem, SolveOptions
from optimizer.solve import SolveOutcome, solve_arrays
from tests.optimizer import bruteforce
from tests.optimizer.bruteforce import creator, random_problem

SEEDS = range(60_000, 60_300)
FAMILY_SEEDS = range(1, 9)
LIMIT_S = 60.0
GAP = 1e-9


def _holds(problem: PlanProblem, bound: float, optimum: float) -> bool:
    slack = 1e-7 * max(1.0, abs(optimum))
    if problem.objective.kind is ObjectiveKind.MIN_COST:
        return bound <= optimum + slack
    return bound >= optimum - slack


def _check_against_brute_force(problem: PlanProblem) -> None:
    prepared = prepare(problem)
    if prepared.unavailable_must_include:
        return
    expected = bruteforce.solve(problem)
    if expected.objective is None:
        return
    optimum = expected.objective
    data = CandidateData.of(prepared)
    full = build_arrays(prepared, data=data)
    minimize = problem.objective.kind is ObjectiveKind.MIN_COST
    starts: list[FloatArray | None] = [None]
    seed = promising(prepared, data, 40)
    lp = reduce.relax_lp(prepared, data, full, seed, time.perf_counter() + LIMIT_S)
    if lp is not None:
        starts.append(lp.pi)
    for start in starts:
        for rounds in (0, 3, 400):
            # given the method stopped after a few rounds, or run to its end
            deadline = time.perf_counter() + (LIMIT_S if rounds else -1.0)
            found = lagrange.lagrange_bound(full, deadline, start, 1.0, max_rounds=rounds)
            # then the bound holds
            assert _holds(problem, found.bound, optimum), (start is None, rounds, found.bound)
            # and whoever it drops against a value short of the optimum is not in the optimum
            relaxation = reduce.LpRelaxation(full, found.x, found.pricing, found.bound, found.pi)
            for short_by in (1e-6, 1e-2):
                step = short_by * abs(optimum)
                beaten = optimum + step if minimize else optimum - step
                dropped = reduce.fixed_out(relaxation, beaten)
                ids = {
                    e.candidate.id for e, out in zip(prepared.eligible, dropped, strict=True) if out
                }
                assert not ids & set(expected.posts), (short_by, ids, expected.posts)


@pytest.mark.parametrize("seed", SEEDS)
def test_lagrangian_bound_holds_on_random_problems(seed: int) -> None:
    _check_against_brute_force(random_problem(random.Random(seed)))


@pytest.mark.parametrize("seed", FAMILY_SEEDS)
@pytest.mark.parametrize("family", list(FAMILIES))
def test_lagrangian_bound_holds_on_small_family_requests(family: str, seed: int) -> None:
    _check_against_brute_force(family_instance(family, 6, seed, mip_gap=GAP))


def test_lagrangian_bound_of_a_knapsack_is_its_lp_bound() -> None:
    # given three creators of 100 each and a budget of 250: engagement 1000, 800 and 600
    # (followers x rate x quality), no share cap
    problem = PlanProblem(
        budget=250.0,
        candidates=(
            creator("a", 20_000, 0.05, 100.0),
            creator("b", 20_000, 0.04, 100.0),
            creator("c", 20_000, 0.03, 100.0),
        ),
        constraints=Constraints(max_share_per_influencer=None),
        options=SolveOptions(mip_gap=GAP),
    )
    prepared = prepare(problem)
    full = build_arrays(prepared)
    # when
    found = lagrange.lagrange_bound(full, time.perf_counter() + LIMIT_S)
    # then the bound is the LP's, 1000 + 800 + 600 / 2 = 2100, while the optimum is 1800
    assert found.bound == pytest.approx(2100.0, rel=1e-6)
    assert bruteforce.solve(problem).objective == pytest.approx(1800.0)


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("family", list(FAMILIES))
def test_pipeline_reaches_the_unreduced_optimum_on_every_family(family: str, seed: int) -> None:
    # given a small request of the family, solved over every creator
    problem = family_instance(family, 60, seed, mip_gap=GAP)
    prepared = prepare(problem)
    unreduced = solve_arrays(build_arrays(prepared), time.perf_counter() + LIMIT_S, GAP)
    if unreduced.outcome is not SolveOutcome.OPTIMAL:
        assert unreduced.outcome is SolveOutcome.INFEASIBLE
        return
    assert unreduced.posts is not None
    optimum = natural_objective(prepared, unreduced.posts)
    # when the whole pipeline runs
    raw = solve_highs(prepared, time.perf_counter() + LIMIT_S, GAP)
    # then it reaches the same optimum, and its bound holds
    assert raw.outcome is SolveOutcome.OPTIMAL
    assert raw.posts is not None
    assert natural_objective(prepared, raw.posts) == pytest.approx(optimum, rel=1e-7)
    assert raw.bound is not None
    assert _holds(problem, raw.bound, optimum)


def test_first_plan_follows_the_lagrangian_plan() -> None:
    # given a request whose tiers bound the plan, of thousands of creators
    problem = family_instance("tier_platform", 3_000, 1)
    prepared = prepare(problem)
    data = CandidateData.of(prepared)
    full = build_arrays(prepared, data=data)
    # when the Lagrangian's plan is repaired by the fill
    found = lagrange.lagrange_bound(full, time.perf_counter() + LIMIT_S)
    plan = first_plan(prepared, data, lagrange.guide_of(full, found))
    # then it is a plan within 1% of the bound (a creator or two on the margin)
    assert plan is not None
    assert plan.objective <= found.bound * (1 + 1e-9)
    assert plan.objective >= found.bound * 0.99
    assert np.all(plan.posts >= 0)
