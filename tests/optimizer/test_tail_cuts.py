"""The cut form of the CVaR (optimizer/tail_cuts.py): its cuts against the tail average, and its
plans against the model with one row per scenario."""

from __future__ import annotations

import dataclasses
import itertools
import math
import random
import time

import numpy as np
import pytest

from optimizer import optimize
from optimizer.arrays import build_arrays
from optimizer.control import SolveMonitor
from optimizer.model import natural_objective
from optimizer.pipeline import solve_highs
from optimizer.prepare import prepare
from optimizer.problem import (
    Constraints,
    Objective,
    ObjectiveKind,
    PlanProblem,
    RiskOptions,
    ShareBounds,
    SolveOptions,
)
from optimizer.result import PlanStatus
from optimizer.scenarios import cvar
from optimizer.sense import Sense, gap
from optimizer.solve import SolveOutcome, solve_arrays
from optimizer.tail_cuts import CutSolve, TailCuts, risk_start
from tests.optimizer import bruteforce
from tests.optimizer.bruteforce import creator


@pytest.mark.parametrize(
    ("count", "alpha"), [(10, 0.05), (10, 0.25), (7, 1 / 3), (5, 1.0), (9, 0.5)]
)
def test_the_cut_of_a_plan_is_its_tail_average_and_no_cut_is_below_it(
    count: int, alpha: float
) -> None:
    # given creators' multipliers over a few scenarios, alpha S whole or not
    rng = np.random.default_rng(count)
    multipliers = rng.uniform(0.1, 2.0, size=(4, count))
    cuts = TailCuts(multipliers, alpha)
    plans = [rng.uniform(0.0, 10.0, size=4) for _ in range(20)]
    for engagement in plans:
        # when the plan's cut is taken
        row, value = cuts.weights(engagement)
        # then its value is the Rockafellar-Uryasev CVaR, and so is the cut at the plan
        tail = cvar(engagement @ multipliers, alpha)
        assert value == pytest.approx(tail, rel=1e-12)
        assert row @ engagement == pytest.approx(tail, rel=1e-12)
        # and the cut of any other plan lies above this plan's CVaR: every cut is valid
        for other in plans:
            assert cuts.weights(other)[0] @ engagement >= tail * (1 - 1e-12)


def test_every_extreme_weighting_of_the_scenarios_lies_above_the_cvar() -> None:
    # the CVaR is the least of the tail means over any floor(K) scenarios and one more by
    # its fraction: enumerate them on a small case
    rng = np.random.default_rng(7)
    totals = rng.uniform(1.0, 5.0, size=6)
    alpha = 0.25  # K = 1.5
    least = min(
        totals[a] / 1.5 + totals[b] * 0.5 / 1.5 for a, b in itertools.permutations(range(6), 2)
    )
    assert least == pytest.approx(cvar(totals, alpha), rel=1e-12)


SCENARIOS = 20


def roster(size: int, seed: int) -> PlanProblem:
    """Creators with explicit scenarios: their own lognormal spread times a platform shock."""
    rng = random.Random(seed)
    platforms = ("instagram", "tiktok", "youtube", "x")
    shocks = {p: [math.exp(rng.gauss(0.0, 0.2)) for _ in range(SCENARIOS)] for p in platforms}
    candidates = []
    for i in range(size):
        platform = rng.choice(platforms)
        spread = rng.uniform(0.1, 0.6)
        candidates.append(
            dataclasses.replace(
                creator(
                    f"c{i}",
                    rng.randint(2_000, 2_000_000),
                    round(rng.uniform(0.005, 0.08), 4),
                    rng.randint(2, 400) * 25,
                    platform=platform,
                    fixed_fee=rng.choice((0.0, 100.0)),
                    max_posts=rng.choice((1, 2, 3)),
                ),
                engagement_scenarios=tuple(
                    round(math.exp(rng.gauss(0.0, spread)) * shock, 3) for shock in shocks[platform]
                ),
            )
        )
    budget = sum(c.price_per_post for c in candidates) * 0.01
    return PlanProblem(
        budget=budget,
        candidates=tuple(candidates),
        constraints=Constraints(max_influencers=30, tier_share={"micro": ShareBounds(min=0.3)}),
        objective=Objective(ObjectiveKind.CVAR_ENGAGEMENT, risk_aversion=0.5),
        options=SolveOptions(repeat_post_decay=0.9, time_limit_s=120, risk=RiskOptions(alpha=0.1)),
    )


def full_model_optimum(problem: PlanProblem) -> tuple[float, float]:
    """The optimum and bound of the model with one row per scenario, on HiGHS alone."""
    prepared = prepare(problem)
    raw = solve_arrays(build_arrays(prepared), time.perf_counter() + 300, 1e-5)
    assert raw.outcome is SolveOutcome.OPTIMAL
    assert raw.posts is not None
    assert raw.bound is not None
    return natural_objective(prepared, raw.posts), raw.bound


@pytest.mark.parametrize("form", ["objective", "floor"])
def test_the_cut_form_finds_the_optimum_of_the_scenario_rows_at_a_thousand_creators(
    form: str,
) -> None:
    # given a thousand creators over generated scenarios, the CVaR as objective or as a floor
    problem = roster(1_000, 11)
    if form == "floor":
        plain = optimize(dataclasses.replace(problem, objective=Objective()))
        assert plain.risk is not None
        assert plain.risk.engagement_cvar is not None
        problem = dataclasses.replace(
            problem,
            objective=Objective(),
            constraints=dataclasses.replace(
                problem.constraints, min_cvar_engagement=1.02 * plain.risk.engagement_cvar
            ),
        )
    optimum, _ = full_model_optimum(problem)
    # when the cut form solves it
    result = optimize(problem)
    # then it proves the same optimum within the gap, with a sound plan
    assert result.status is PlanStatus.OPTIMAL
    assert result.solver.objective is not None
    assert gap(result.solver.objective, optimum) <= 2e-4
    posts = bruteforce.plan_posts(result)
    assert result.risk is not None
    assert result.risk.engagement_cvar == pytest.approx(
        bruteforce.plan_cvar(problem, posts), rel=1e-9
    )
    assert bruteforce.violations(problem, posts) == []


@pytest.mark.parametrize("seed", range(40))
def test_the_lagrangian_step_bounds_the_optimum_with_any_multipliers(seed: int) -> None:
    # given a small CVaR-objective problem and only the first cuts (no LP: the cuts' mean
    # stands in for its multipliers)
    problem = bruteforce.random_risk_problem(random.Random(seed))
    problem = dataclasses.replace(
        problem,
        objective=Objective(ObjectiveKind.CVAR_ENGAGEMENT, risk_aversion=0.5),
        constraints=dataclasses.replace(
            problem.constraints,
            min_cvar_engagement=None,
            max_engagement_share_per_influencer=None,
        ),
    )
    expected = bruteforce.solve(problem)
    if expected.status is PlanStatus.INFEASIBLE:
        return
    optimum = expected.objective
    assert optimum is not None
    prepared = prepare(problem)
    monitor = SolveMonitor(None, time.perf_counter(), Sense.MAXIMIZE)
    solve = CutSolve(prepared, time.perf_counter() + 30, 1e-4, None, monitor, solve_highs)
    start = risk_start(prepared)
    if start is not None:
        solve.cuts.rows.append(solve.cuts.weights(solve.data.engagement(start, prepared.decay))[0])
    # when the cuts are priced into the objective
    assert solve.dualized(time.perf_counter() + 30)
    # then the bound is above the optimum and the plan, valued exactly, below it
    assert solve.best.bound is not None
    assert solve.best.bound >= optimum * (1 - 1e-9) - 1e-9
    if solve.best.plan is not None:
        assert solve.best.plan.objective <= optimum * (1 + 1e-9) + 1e-9
