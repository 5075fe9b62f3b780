"""The reductions keep the optimum: the Lagrangian bound is never below it, a creator dropped
against a known plan is in no better plan, and the MIP over the creators kept reaches the same
objective as the MIP over all of them."""

from __future__ import annotations

import random
import time

import numpy as np
import pytest

from bench.instances import Variant, instance
from optimizer import pipeline, reduce
from optimizer.arrays import CandidateData, build_arrays
from optimizer.first_plan import FirstPlan, first_plan, promising
from optimizer.model import natural_objective
from optimizer.pipeline import solve_highs
from optimizer.prepare import Prepared, prepare
from optimizer.problem import ObjectiveKind, PlanProblem
from optimizer.result import PlanStatus
from optimizer.solve import SolveOutcome, solve_arrays
from tests.optimizer import bruteforce
from tests.optimizer.bruteforce import random_problem

SEEDS = range(50_000, 50_400)
LIMIT_S = 60.0
GAP = 1e-9
CATALOG_CASES = [
    (seed, variant)
    for seed in (1, 2)
    for variant in (
        Variant(decay=0.85, binding="budget"),
        Variant(decay=1.0, binding="budget"),
        Variant(decay=0.85, binding="capacity", max_influencers=12),
        Variant(decay=1.0, binding="capacity", max_influencers=30),
    )
]


def relaxation_of(
    prepared: Prepared, data: CandidateData, plan: FirstPlan | None
) -> reduce.LpRelaxation | None:
    full = build_arrays(prepared, data=data)
    seed = promising(prepared, data, 40)
    if plan is not None:
        seed = np.union1d(seed, np.flatnonzero(plan.posts))
    return reduce.relax_lp(prepared, data, full, seed, time.perf_counter() + LIMIT_S)


@pytest.mark.parametrize("seed", SEEDS)
def test_bound_holds_and_dropped_creators_are_not_in_the_optimum(seed: int) -> None:
    # given a random problem
    then_bound_holds_and_drops_no_creator_of_the_optimum(random_problem(random.Random(seed)))


def then_bound_holds_and_drops_no_creator_of_the_optimum(problem: PlanProblem) -> None:
    # given the problem's optimum
    prepared = prepare(problem)
    if prepared.unavailable_must_include:
        return
    expected = bruteforce.solve(problem)
    data = CandidateData.of(prepared)
    # when
    relaxation = relaxation_of(prepared, data, first_plan(prepared, data))
    # then
    if expected.status is PlanStatus.INFEASIBLE or relaxation is None:
        return
    assert expected.objective is not None
    optimum = expected.objective
    slack = 1e-7 * max(1.0, abs(optimum))
    minimize = problem.objective.kind is ObjectiveKind.MIN_COST
    assert relaxation.bound <= optimum + slack if minimize else relaxation.bound >= optimum - slack
    crude = reduce.crude_bound(build_arrays(prepared, data=data))
    assert crude <= optimum + slack if minimize else crude >= optimum - slack
    # Dropping is sound for any value to beat, not only a found plan's: against a value just
    # short of the optimum, the optimum's creators must all stay.
    for short_by in (1e-6, 1e-3, 1e-2, 1e-1):
        step = short_by * abs(optimum)
        beaten = optimum + step if minimize else optimum - step
        dropped = reduce.fixed_out(relaxation, beaten)
        ids = {e.candidate.id for e, out in zip(prepared.eligible, dropped, strict=True) if out}
        assert not ids & set(expected.posts), (short_by, ids, expected.posts)


def test_dropping_is_exercised_by_the_random_problems() -> None:
    # given / when: how often a value 10% short of the optimum drops someone
    cases = 0
    for seed in SEEDS:
        problem = random_problem(random.Random(seed))
        prepared = prepare(problem)
        expected = bruteforce.solve(problem)
        if prepared.unavailable_must_include or expected.objective is None:
            continue
        data = CandidateData.of(prepared)
        relaxation = relaxation_of(prepared, data, first_plan(prepared, data))
        if relaxation is None:
            continue
        minimize = problem.objective.kind is ObjectiveKind.MIN_COST
        beaten = expected.objective * (1.1 if minimize else 0.9)
        cases += bool(reduce.fixed_out(relaxation, beaten).any())
    # then the test above is not vacuous
    assert cases >= 10


@pytest.mark.parametrize("core_limit", [None, 10], ids=["full LP", "priced core"])
@pytest.mark.parametrize(("seed", "variant"), CATALOG_CASES)
def test_mip_over_the_creators_kept_reaches_the_unreduced_optimum(
    seed: int, variant: Variant, core_limit: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a catalog sample, solved over every creator
    if core_limit is not None:
        monkeypatch.setattr(reduce, "_FULL_LP_MAX", core_limit)
        # a core smaller than the catalog, so that rounds drop creators as well as add them
        monkeypatch.setattr(reduce, "_CORE_SIZE", 20)
    problem = instance(80, seed, variant)
    prepared = prepare(problem)
    data = CandidateData.of(prepared)
    unreduced = solve_arrays(build_arrays(prepared, data=data), time.perf_counter() + LIMIT_S, GAP)
    assert unreduced.outcome is SolveOutcome.OPTIMAL
    assert unreduced.posts is not None
    optimum = natural_objective(prepared, unreduced.posts)
    plan = first_plan(prepared, data)
    assert plan is not None
    # when the creators who cannot beat the greedy plan are dropped
    relaxation = relaxation_of(prepared, data, plan)
    assert relaxation is not None
    keep = np.flatnonzero(~reduce.fixed_out(relaxation, plan.objective) | (plan.posts > 0))
    model = build_arrays(prepared, keep=keep, data=data)
    reduced = solve_arrays(model, time.perf_counter() + LIMIT_S, GAP, start=plan.posts[keep])
    # then
    assert reduced.outcome is SolveOutcome.OPTIMAL
    assert reduced.posts is not None
    assert natural_objective(prepared, reduced.posts) == pytest.approx(optimum, rel=1e-7)
    assert relaxation.bound >= optimum * (1 - 1e-9)


@pytest.mark.parametrize(("seed", "variant"), CATALOG_CASES)
def test_pipeline_reaches_the_unreduced_optimum(seed: int, variant: Variant) -> None:
    # given
    problem = instance(80, seed, variant)
    prepared = prepare(problem)
    unreduced = solve_arrays(build_arrays(prepared), time.perf_counter() + LIMIT_S, GAP)
    assert unreduced.posts is not None
    # when greedy, LP, kernel, reductions and the MIP run in turn
    raw = solve_highs(prepared, time.perf_counter() + LIMIT_S, GAP)
    # then
    assert raw.outcome is SolveOutcome.OPTIMAL
    assert raw.posts is not None
    optimum = natural_objective(prepared, unreduced.posts)
    assert natural_objective(prepared, raw.posts) == pytest.approx(optimum, rel=1e-7)
    assert raw.bound is not None
    assert raw.bound >= optimum * (1 - 1e-9)


@pytest.mark.parametrize(("seed", "variant"), CATALOG_CASES[:2])
def test_without_the_lp_the_pipeline_still_reports_a_valid_bound(
    seed: int, variant: Variant, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an LP that runs out of its time
    monkeypatch.setattr(pipeline, "relax_lp", lambda *args: None)
    problem = instance(80, seed, variant)
    prepared = prepare(problem)
    unreduced = solve_arrays(build_arrays(prepared), time.perf_counter() + LIMIT_S, GAP)
    assert unreduced.posts is not None
    optimum = natural_objective(prepared, unreduced.posts)
    # when
    raw = solve_highs(prepared, time.perf_counter() + LIMIT_S, GAP)
    # then the MIP still finds the optimum, and the bound holds
    assert raw.posts is not None
    assert natural_objective(prepared, raw.posts) == pytest.approx(optimum, rel=1e-7)
    assert raw.bound is not None
    assert raw.bound >= optimum * (1 - 1e-9)
