"""The band of spends a share cap and a creator limit leave room for: every plan's creators are
in it (checked against enumeration on small problems and against the MIP over every creator on a
catalog of 2,000), and no band means no plan."""

from __future__ import annotations

import dataclasses
import random
import time

import numpy as np
import pytest

from bench.instances import candidates
from optimizer import optimize
from optimizer.arrays import CandidateData, build_arrays
from optimizer.model import natural_objective
from optimizer.prepare import prepare
from optimizer.problem import Constraints, PlanProblem, ShareBounds, SolveOptions
from optimizer.reduce import share_band
from optimizer.result import PlanStatus
from optimizer.solve import solve_arrays
from tests.optimizer import bruteforce
from tests.optimizer.bruteforce import random_problem

SEEDS = range(70_000, 70_200)
# (cap, most): 1/k asks for k equal spends; the others for spends within a few percent
LIMITS = ((0.5, 2), (1 / 3, 3), (0.34, 3), (0.25, 4), (0.26, 4))


def limited(seed: int) -> PlanProblem:
    """A random small problem whose share cap and creator limit leave a narrow band."""
    rng = random.Random(seed)
    problem = random_problem(rng)
    cap, most = rng.choice(LIMITS)
    constraints = dataclasses.replace(
        problem.constraints,
        max_share_per_influencer=cap,
        max_influencers=most,
        min_influencers=min(most, max(1, problem.constraints.min_influencers)),
        must_include=(),
    )
    return dataclasses.replace(problem, constraints=constraints)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_band_holds_every_plan_and_the_answer_matches_enumeration(seed: int) -> None:
    # given a small problem with a narrow band and its optimum by enumeration
    problem = limited(seed)
    prepared = prepare(problem)
    # when
    band = share_band(prepared, CandidateData.of(prepared))
    expected, _ = bruteforce.optimized_against_bruteforce(problem)
    # then no band means no plan, and the optimum's creators are all in the band
    if band is None:
        return
    if not band.any():
        assert expected.status is PlanStatus.INFEASIBLE
    inside = {e.candidate.id for e, kept in zip(prepared.eligible, band, strict=True) if kept}
    assert set(expected.posts) <= inside, (expected.posts, inside)


def test_the_band_is_exercised_by_the_random_problems() -> None:
    # given / when: how often the band leaves someone out, and how often it leaves nobody
    narrowed = empty = 0
    for seed in SEEDS:
        prepared = prepare(limited(seed))
        band = share_band(prepared, CandidateData.of(prepared))
        if band is not None:
            narrowed += bool(0 < np.count_nonzero(band) < len(band))
            empty += not band.any()
    # then the test above is not vacuous
    assert narrowed >= 10
    assert empty >= 10


def _equal_spends(plant: int) -> PlanProblem:
    """2,000 creators of the bench catalog, at most 10 of them, none above 10% of the spend:
    only equal spends qualify; ``plant`` creators are given one spend (price 777, one post)."""
    pool = candidates(2_000, random.Random(7))
    for i in range(plant):
        pool[i] = dataclasses.replace(pool[i], price_per_post=777.0, fixed_fee=0.0, max_posts=1)
    return PlanProblem(
        budget=100_000.0,
        candidates=tuple(pool),
        constraints=Constraints(
            max_share_per_influencer=0.1,
            max_influencers=10,
            tier_share={"micro": ShareBounds(min=0.2)},
        ),
        options=SolveOptions(repeat_post_decay=0.9, time_limit_s=10.0, mip_gap=1e-9),
    )


@pytest.mark.parametrize("plant", [0, 10])
def test_the_band_loses_no_plan_of_the_full_mip_at_2000_creators(plant: int) -> None:
    # given a catalog of 2,000 with equal spends planted, and the MIP over every creator
    problem = _equal_spends(plant)
    prepared = prepare(problem)
    data = CandidateData.of(prepared)
    full = solve_arrays(build_arrays(prepared, data=data), time.perf_counter() + 10.0, 1e-9)
    # when
    band = share_band(prepared, data)
    answer = optimize(problem)
    # then the full MIP's plans are all in the band, and the answer is at least as good
    assert band is not None
    if full.posts is not None:
        used = np.flatnonzero(np.asarray(full.posts) > 0)
        assert band[used].all()
        assert answer.solver.objective is not None
        value = natural_objective(prepared, list(full.posts))
        assert answer.solver.objective >= value * (1 - 1e-9)
    if plant == 0:
        # the catalog's ties (at its price floor) leave 20 creators, none 10 of whom fit the mix;
        # the MIP over every creator finds no plan in its time, and cannot say there is none
        assert answer.status is PlanStatus.INFEASIBLE
    else:
        assert answer.status is PlanStatus.OPTIMAL
        bruteforce.assert_sound_plan(problem, answer)
