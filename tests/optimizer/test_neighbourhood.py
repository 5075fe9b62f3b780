"""Re-solving a window of creators with the others held (optimizer/neighbourhood.py): the
window's model admits exactly the plans that agree with the held posts, so its optimum is the
best such plan (checked by enumeration), and improving a plan keeps every constraint."""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import replace

import numpy as np
import pytest

from bench.instances import FAMILIES, family_instance
from optimizer import lagrange
from optimizer.arrays import ArrayModel, CandidateData, build_arrays
from optimizer.first_plan import check_plan, first_plan
from optimizer.highs_run import RunListener
from optimizer.neighbourhood import improve, margin_order, repair, window_model
from optimizer.prepare import Prepared, prepare
from optimizer.problem import ObjectiveKind, PlanProblem
from optimizer.solve import SolveOutcome, solve_arrays
from tests.optimizer import bruteforce
from tests.optimizer.bruteforce import post_options, random_problem

SEEDS = range(70_000, 70_150)
LIMIT_S = 30.0
GAP = 1e-9


@pytest.mark.parametrize("seed", SEEDS)
def test_window_optimum_is_the_best_plan_agreeing_with_the_held_posts(seed: int) -> None:
    # given a small problem, a plan of it, and a window of up to three creators
    problem = random_problem(random.Random(seed))
    prepared = prepare(problem)
    if prepared.unavailable_must_include or not prepared.eligible:
        return
    data = CandidateData.of(prepared)
    plan = first_plan(prepared, data)
    if plan is None:
        return
    rng = random.Random(seed)
    m = len(data)
    window = np.array(sorted(rng.sample(range(m), k=min(3, m))), dtype=np.int64)
    full = build_arrays(prepared, data=data)
    # when the window is solved with the others held at the plan's posts
    model = window_model(prepared, data, full, plan.posts, window)
    raw = solve_arrays(model, time.perf_counter() + LIMIT_S, GAP, start=plan.posts[window])
    # then its optimum is the best plan, by enumeration, that agrees with the held posts
    ids = [e.candidate.id for e in prepared.eligible]
    must = set(problem.constraints.must_include)
    by_id = {c.id: c for c in problem.candidates}
    choices = [post_options(by_id[ids[i]], ids[i] in must) for i in window]
    minimize = problem.objective.kind is ObjectiveKind.MIN_COST
    best: float | None = None
    for combo in itertools.product(*choices):
        posts = plan.posts.copy()
        posts[window] = combo
        chosen = {ids[i]: int(n) for i, n in enumerate(posts) if n > 0}
        if bruteforce.violations(problem, chosen):
            continue
        value = bruteforce.objective_value(problem, chosen)
        if best is None or (value < best if minimize else value > best):
            best = value
    assert best is not None  # the plan itself agrees
    assert raw.outcome is SolveOutcome.OPTIMAL
    assert raw.posts is not None
    found = plan.posts.copy()
    found[window] = np.asarray(raw.posts)[window]
    value = float(np.sum(data.objective(found, problem.objective.kind, prepared.decay)))
    assert value == pytest.approx(best, rel=1e-7, abs=1e-9)


def with_lagrangian(
    family: str, creators: int
) -> tuple[PlanProblem, Prepared, CandidateData, ArrayModel, lagrange.LagrangeBound]:
    """A family's request (seed 1), prepared, its arrays and its Lagrangian bound."""
    problem = family_instance(family, creators, 1)
    prepared = prepare(problem)
    data = CandidateData.of(prepared)
    full = build_arrays(prepared, data=data)
    return (
        problem,
        prepared,
        data,
        full,
        lagrange.lagrange_bound(full, time.perf_counter() + LIMIT_S),
    )


@pytest.mark.parametrize("family", list(FAMILIES))
def test_improving_a_plan_keeps_every_constraint(family: str) -> None:
    # given a request of a thousand creators and the plan rounded from the Lagrangian's
    problem, prepared, data, full, found = with_lagrangian(family, 1_000)
    plan = first_plan(prepared, data, lagrange.guide_of(full, found)) or first_plan(prepared, data)
    assert plan is not None
    # when windows of its margin are re-solved
    order = margin_order(full, found.pricing)
    better, windows = improve(
        prepared, data, full, order, plan, time.perf_counter() + 5.0, None, RunListener()
    )
    # then the plan meets every constraint, is no worse, and stays under the bound
    assert windows >= 1
    assert check_plan(prepared, data, better.posts)
    ids = (e.candidate.id for e in prepared.eligible)
    chosen = {cid: int(n) for cid, n in zip(ids, better.posts, strict=True) if n}
    assert bruteforce.violations(problem, chosen) == []
    if problem.objective.kind is ObjectiveKind.MIN_COST:
        assert found.bound * (1 - 1e-9) <= better.objective <= plan.objective
    else:
        assert plan.objective <= better.objective <= found.bound * (1 + 1e-9)


@pytest.mark.parametrize("seed", range(71_000, 71_150))
def test_repair_over_every_creator_finds_the_brute_force_optimum(seed: int) -> None:
    # given a small problem and the creators' best choices at the Lagrangian's multipliers,
    # which may miss a coupling row
    problem = random_problem(random.Random(seed))
    prepared = prepare(problem)
    if prepared.unavailable_must_include or not prepared.eligible:
        return
    data = CandidateData.of(prepared)
    full = build_arrays(prepared, data=data)
    found = lagrange.lagrange_bound(full, time.perf_counter() + LIMIT_S)
    posts = np.zeros(len(data), dtype=np.int64)
    used = found.x[full.used_col] > 0.5
    posts[full.keep[used]] = found.pricing.posts_used[used]
    order = margin_order(full, found.pricing)
    # when the margin is re-solved with a window as large as the problem
    plan = repair(
        prepared, data, full, order, posts, time.perf_counter() + LIMIT_S, None, RunListener()
    )
    # then the plan is the optimum (the window holds every usable creator), or there is none
    expected = bruteforce.solve(problem)
    if expected.objective is None:
        assert plan is None
        return
    if len(order) < len(data):
        # a creator who cannot be used is out of every window and held at zero posts
        assert np.all(posts[np.setdiff1d(np.arange(len(data)), order)] == 0)
    assert plan is not None
    ids = [e.candidate.id for e in prepared.eligible]
    chosen = {ids[i]: int(n) for i, n in enumerate(plan.posts) if n > 0}
    assert bruteforce.violations(problem, chosen) == []
    assert plan.objective == pytest.approx(expected.objective, rel=2e-6, abs=1e-6)


@pytest.mark.parametrize("family", list(FAMILIES))
def test_repaired_lagrangian_plan_meets_every_row_within_the_bound(family: str) -> None:
    # given a request of 3,000 creators and its creators' best choices at the multipliers
    problem, prepared, data, full, found = with_lagrangian(family, 3_000)
    posts = np.zeros(len(data), dtype=np.int64)
    used = found.x[full.used_col] > 0.5
    posts[full.keep[used]] = found.pricing.posts_used[used]
    # when their margin is re-solved with the others held
    plan = repair(
        prepared,
        data,
        full,
        margin_order(full, found.pricing),
        posts,
        time.perf_counter() + LIMIT_S,
        None,
        RunListener(),
    )
    # then any plan it gives meets every constraint and stays on the right side of the bound
    if plan is None:
        return
    ids = (e.candidate.id for e in prepared.eligible)
    chosen = {cid: int(n) for cid, n in zip(ids, plan.posts, strict=True) if n}
    assert bruteforce.violations(problem, chosen) == []
    if problem.objective.kind is ObjectiveKind.MIN_COST:
        assert plan.objective >= found.bound * (1 - 1e-9)
    else:
        assert plan.objective <= found.bound * (1 + 1e-9)


def test_margin_puts_money_moved_first() -> None:
    # given two creators with the same profit at the multipliers, one spending ten times more
    problem = family_instance("catalog", 40, 1)
    prepared = prepare(problem)
    full = build_arrays(prepared)
    found = lagrange.lagrange_bound(full, time.perf_counter() + LIMIT_S)
    d = full.data
    spend = d.price * np.maximum(found.pricing.posts_used, d.low) + d.fee
    usable = np.flatnonzero(np.isfinite(found.pricing.best_used))
    small, large = usable[np.argsort(spend[usable])[[0, -1]]]
    best_used = found.pricing.best_used.copy()
    best_used[usable] = 1.0
    best_used[small] = best_used[large] = 1e-9
    pricing = replace(found.pricing, best_used=best_used)
    # when the creators are ordered by their margin
    order = list(margin_order(full, pricing))
    # then the larger spender comes first, and both before every other
    assert order[0] == full.keep[large]
    assert order[1] == full.keep[small]
