"""A cut-off solve returns its best plan as ``feasible`` with an honest gap, never ``optimal``."""

from __future__ import annotations

import dataclasses
import time

import pytest

from bench.instances import Variant, instance
from optimizer import PlanProblem, PlanStatus, optimize
from optimizer.arrays import build_arrays
from optimizer.highs_run import run_highs
from optimizer.prepare import prepare
from tests.optimizer.bruteforce import assert_sound_plan


def with_limits(problem: PlanProblem, time_limit_s: float, mip_gap: float) -> PlanProblem:
    options = dataclasses.replace(problem.options, time_limit_s=time_limit_s, mip_gap=mip_gap)
    return dataclasses.replace(problem, options=options)


@pytest.fixture(scope="module")
def hard_problem() -> PlanProblem:
    return instance(2000, seed=1, variant=Variant(decay=0.85))


@pytest.fixture(scope="module")
def true_optimum(hard_problem: PlanProblem) -> float:
    result = optimize(with_limits(hard_problem, 120.0, 1e-7))
    assert result.status is PlanStatus.OPTIMAL
    assert result.solver.objective is not None
    return result.solver.objective


def test_cut_off_solve_reports_a_gap_no_smaller_than_the_true_one(
    hard_problem: PlanProblem, true_optimum: float
) -> None:
    # given a problem that takes seconds to prove, and a limit far below that
    problem = with_limits(hard_problem, 0.3, 0.0)
    # when
    started = time.perf_counter()
    result = optimize(problem)
    elapsed = time.perf_counter() - started
    # then it stops near the limit and never claims more than it proved
    assert elapsed < 0.3 + 2.0
    assert result.status in (PlanStatus.FEASIBLE, PlanStatus.FAILED)
    if result.status is PlanStatus.FEASIBLE:
        objective, bound, gap = result.solver.objective, result.solver.bound, result.solver.gap
        assert objective is not None
        assert bound is not None
        assert gap is not None
        assert objective <= true_optimum * (1 + 1e-9)
        assert bound >= true_optimum * (1 - 1e-9)
        assert gap >= (true_optimum - objective) / objective - 1e-9
        assert result.totals is not None
        assert result.allocations


def test_optimal_status_means_the_gap_was_proven(hard_problem: PlanProblem) -> None:
    # given the default gap of 1e-4
    result = optimize(with_limits(hard_problem, 60.0, 1e-4))
    # then
    assert result.status is PlanStatus.OPTIMAL
    assert result.solver.gap is not None
    assert result.solver.gap <= 1e-4 + 1e-12


@pytest.mark.parametrize("limit_s", [0.05, 0.6, 1.2])
def test_gap_after_any_cut_off_is_no_smaller_than_the_true_gap(
    hard_problem: PlanProblem, true_optimum: float, limit_s: float
) -> None:
    # given limits from before the first plan to well into the MIP
    problem = with_limits(hard_problem, limit_s, 0.0)
    # when
    started = time.perf_counter()
    result = optimize(problem)
    elapsed = time.perf_counter() - started
    # then
    assert elapsed < limit_s + 2.0
    if result.status is PlanStatus.OPTIMAL:
        # only if it was proven, to a gap of 0
        assert result.solver.objective == pytest.approx(true_optimum, rel=1e-9)
        assert result.solver.gap is not None
        assert result.solver.gap <= 1e-12
    if result.status is PlanStatus.FEASIBLE:
        assert_sound_plan(problem, result)
        objective, bound, gap = result.solver.objective, result.solver.bound, result.solver.gap
        assert objective is not None
        assert objective <= true_optimum * (1 + 1e-9)
        if bound is not None:
            assert gap is not None
            assert bound >= true_optimum * (1 - 1e-9)
            assert gap >= (true_optimum - objective) / objective - 1e-9


@pytest.fixture(scope="module")
def catalog_10k() -> PlanProblem:
    return instance(10_000, seed=3, variant=Variant(decay=0.85, binding="budget"))


def test_one_second_limit_answers_with_a_plan_within_three_seconds_at_10k(
    catalog_10k: PlanProblem,
) -> None:
    # given 10,000 creators, which take several seconds to prove
    problem = with_limits(catalog_10k, 1.0, 1e-4)
    # when
    started = time.perf_counter()
    result = optimize(problem)
    elapsed = time.perf_counter() - started
    # then a sound plan comes back in time, with an honest gap
    assert elapsed < 3.0
    assert result.status in (PlanStatus.FEASIBLE, PlanStatus.OPTIMAL)
    assert_sound_plan(problem, result)
    assert result.solver.gap is not None
    if result.status is PlanStatus.OPTIMAL:
        assert result.solver.gap <= 1e-4 + 1e-12


def test_solver_answers_by_its_deadline_even_in_presolve() -> None:
    # given a model whose presolve alone runs far past the deadline and checks no clock
    problem = instance(30_000, seed=1, variant=Variant(decay=0.85))
    model = build_arrays(prepare(problem))
    # when
    started = time.perf_counter()
    run = run_highs(model, started + 0.2, 1e-4)
    elapsed = time.perf_counter() - started
    # then it answers with what it has instead of waiting for HiGHS
    assert elapsed < 0.2 + 0.5
    assert run.status is None or run.stopped_early
