"""Risk under uncertainty (contract section 6): scenarios, the CVaR floor and objective in both
model forms, the answer's risk figures, their explanations and their validation."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest

from optimizer import optimize
from optimizer.constraints import ConstraintKind
from optimizer.contained import pack_problem, unpack_problem
from optimizer.errors import ProblemValidationError
from optimizer.prepare import prepare
from optimizer.problem import (
    Backend,
    Candidate,
    Constraints,
    Objective,
    ObjectiveKind,
    PlanProblem,
    RiskOptions,
    SolveOptions,
)
from optimizer.result import PlanResult, PlanStatus
from tests.optimizer import bruteforce
from tests.optimizer.bruteforce import (
    assert_infeasible_answer,
    creator,
    optimized_against_bruteforce,
    random_risk_problem,
)

HIGHS_SEEDS = range(200)
CBC_SEEDS = range(20_000, 20_060)


def then_risk_matches_bruteforce(problem: PlanProblem) -> PlanResult:
    expected, result = optimized_against_bruteforce(problem)
    if expected.status is not PlanStatus.INFEASIBLE:
        then_risk_figures_recompute(problem, result)
    return result


def then_risk_figures_recompute(problem: PlanProblem, result: PlanResult) -> None:
    """The reported CVaR is the tail average of the scenarios, recomputed from the posts."""
    posts = bruteforce.plan_posts(result)
    risk = result.risk
    assert risk is not None
    assert risk.engagement_cvar == pytest.approx(
        bruteforce.plan_cvar(problem, posts), rel=1e-9, abs=1e-9
    )
    by_id = {c.id: c for c in problem.candidates}
    pool = [by_id[cid] for cid in posts]
    m = bruteforce.multipliers(problem, pool)
    assert m is not None
    assert risk.scenarios == m.shape[1]
    assert risk.alpha == bruteforce.alpha(problem)
    e = np.array([bruteforce.engagement(problem, c, posts[c.id]) for c in pool])
    totals = e @ m if pool else np.zeros(m.shape[1])
    quantiles = risk.engagement_quantiles
    assert quantiles is not None
    expected = np.quantile(totals, [0.05, 0.5, 0.95])
    assert (quantiles.p05, quantiles.p50, quantiles.p95) == pytest.approx(tuple(expected))
    # explicit scenarios: nothing was drawn, so there is nothing out of sample
    assert risk.out_of_sample is None


@pytest.mark.parametrize("seed", HIGHS_SEEDS)
def test_highs_matches_bruteforce_on_random_risk_problems(seed: int) -> None:
    then_risk_matches_bruteforce(random_risk_problem(random.Random(seed)))


@pytest.mark.parametrize("seed", CBC_SEEDS)
def test_cbc_matches_bruteforce_on_random_risk_problems(seed: int) -> None:
    then_risk_matches_bruteforce(random_risk_problem(random.Random(seed), backend=Backend.CBC))


def test_random_risk_problems_cover_both_forms_and_both_answers() -> None:
    problems = [random_risk_problem(random.Random(seed)) for seed in HIGHS_SEEDS]
    statuses = [bruteforce.solve(p).status for p in problems]
    floors = sum(p.constraints.min_cvar_engagement is not None for p in problems)
    objectives = sum(p.objective.kind is ObjectiveKind.CVAR_ENGAGEMENT for p in problems)
    assert 0.1 * len(problems) < statuses.count(PlanStatus.INFEASIBLE) < 0.7 * len(problems)
    assert floors > 0.3 * len(problems)
    assert objectives > 0.3 * len(problems)


def test_the_tail_average_counts_the_boundary_scenario_by_its_fraction() -> None:
    # worst 0.3 of 5 scenarios = 1.5 of them: the worst whole, half the next
    values = np.array([[10.0, 1.0, 4.0, 7.0, 2.0]])
    assert bruteforce.tail_mean(values, 0.3)[0] == pytest.approx((1.0 + 0.5 * 2.0) / 1.5)


# --- the two objectives against each other --------------------------------------------------


def volatile_roster() -> tuple[Candidate, ...]:
    """Creators on two platforms, the big ones much more volatile than the small ones."""
    out = []
    for i in range(8):
        c = creator(
            f"c{i}",
            20_000 + 15_000 * i,
            0.05,
            100 + 30 * i,
            platform=("tiktok", "instagram")[i % 2],
            max_posts=2,
        )
        out.append(dataclasses.replace(c, engagement_rate_sd=0.01 + 0.02 * i))
    return tuple(out)


def risk_plan(aversion: float, backend: Backend = Backend.HIGHS) -> PlanResult:
    problem = PlanProblem(
        budget=1_500,
        candidates=volatile_roster(),
        constraints=Constraints(max_share_per_influencer=None),
        objective=Objective(ObjectiveKind.CVAR_ENGAGEMENT, risk_aversion=aversion),
        options=SolveOptions(
            mip_gap=1e-9,
            backend=backend,
            risk=RiskOptions(scenarios=200, seed=7, alpha=0.1, platform_shock_sd=0.3),
        ),
    )
    result = optimize(problem)
    assert result.status is PlanStatus.OPTIMAL
    return result


@pytest.mark.parametrize("backend", [Backend.HIGHS, Backend.CBC])
def test_a_risk_averse_plan_trades_expectation_for_a_better_tail(backend: Backend) -> None:
    neutral, averse = risk_plan(0.0, backend), risk_plan(1.0, backend)
    assert neutral.risk is not None
    assert averse.risk is not None
    assert neutral.totals is not None
    assert averse.totals is not None
    assert neutral.risk.engagement_cvar is not None
    assert averse.risk.engagement_cvar is not None
    assert averse.risk.engagement_cvar >= neutral.risk.engagement_cvar - 1e-9
    assert averse.totals.expected_engagement <= neutral.totals.expected_engagement + 1e-9
    # the roster is built so that the two plans differ
    assert averse.risk.engagement_cvar > neutral.risk.engagement_cvar
    # lambda = 0 is the plain engagement objective
    assert neutral.solver.objective == pytest.approx(neutral.totals.expected_engagement)
    assert averse.solver.objective == pytest.approx(averse.risk.engagement_cvar)


# --- generated scenarios ---------------------------------------------------------------------


def generated_problem(seed: int = 3, scenarios: int = 2_000) -> PlanProblem:
    candidates = (
        *volatile_roster()[:3],
        creator("plain", 50_000, None, 200, platform="youtube"),
        creator("zero", 50_000, 0.0, 200, platform="x"),
    )
    return PlanProblem(
        budget=1_000,
        candidates=candidates,
        options=SolveOptions(
            risk=RiskOptions(
                scenarios=scenarios,
                seed=seed,
                platform_shock_sd=0.2,
                tier_relative_sd={"micro": 0.7},
            )
        ),
    )


def test_generated_multipliers_have_mean_one_per_creator() -> None:
    scenarios = prepare(generated_problem()).scenarios
    assert scenarios is not None
    m = scenarios.multipliers
    assert m.shape == (5, 2_000)
    assert (m > 0).all()
    error = m.std(axis=1) / np.sqrt(m.shape[1])
    assert (np.abs(m.mean(axis=1) - 1.0) < 4 * error + 1e-12).all()
    # the spread of log m is sigma_i and tau together: the rate's sd, or the tier's relative sd
    c0 = volatile_roster()[0]
    assert c0.engagement_rate_sd is not None
    sigma0 = np.sqrt(np.log1p((c0.engagement_rate_sd / 0.05) ** 2))
    assert np.log(m[0]).std() == pytest.approx(np.sqrt(sigma0**2 + 0.2**2), rel=0.05)
    sigma_plain = np.sqrt(np.log1p(0.7**2))  # micro, from tier_relative_sd
    assert np.log(m[3]).std() == pytest.approx(np.sqrt(sigma_plain**2 + 0.2**2), rel=0.05)


def test_generated_scenarios_are_reproducible_by_seed_and_differ_between_seeds() -> None:
    first = prepare(generated_problem(seed=3, scenarios=50)).scenarios
    again = prepare(generated_problem(seed=3, scenarios=50)).scenarios
    other = prepare(generated_problem(seed=4, scenarios=50)).scenarios
    assert first is not None
    assert again is not None
    assert other is not None
    assert np.array_equal(first.multipliers, again.multipliers)
    assert not np.allclose(first.multipliers, other.multipliers)


def test_excluding_a_creator_leaves_the_others_scenarios_as_they_were() -> None:
    problem = generated_problem(scenarios=50)
    full = prepare(problem).scenarios
    fewer = prepare(
        dataclasses.replace(problem, constraints=Constraints(exclude=("c1",)))
    ).scenarios
    assert full is not None
    assert fewer is not None
    assert np.array_equal(fewer.multipliers, np.delete(full.multipliers, 1, axis=0))


def test_out_of_sample_figures_differ_and_are_reproducible_by_seed() -> None:
    problem = dataclasses.replace(
        generated_problem(scenarios=300),
        objective=Objective(ObjectiveKind.CVAR_ENGAGEMENT, risk_aversion=0.5),
        constraints=Constraints(max_share_per_influencer=None),
    )
    first, again = optimize(problem), optimize(problem)
    assert first.risk is not None
    assert again.risk is not None
    outside = first.risk.out_of_sample
    assert outside is not None
    assert outside == again.risk.out_of_sample
    assert outside.seed == 4
    assert outside.scenarios == 300
    assert outside.engagement_cvar != first.risk.engagement_cvar
    assert outside.engagement_quantiles != first.risk.engagement_quantiles
    # the fresh scenarios are those the next seed generates
    shifted = dataclasses.replace(
        problem,
        options=dataclasses.replace(
            problem.options,
            risk=dataclasses.replace(problem.options.risk or RiskOptions(), seed=4),
        ),
    )
    fresh = prepare(shifted).scenarios
    assert fresh is not None
    posts = [dict(bruteforce.plan_posts(first)).get(c.id, 0) for c in problem.candidates]
    engagement = np.array(
        [
            bruteforce.engagement(problem, c, n)
            for c, n in zip(problem.candidates, posts, strict=True)
        ]
    )
    totals = engagement @ fresh.multipliers
    assert outside.engagement_cvar == pytest.approx(
        bruteforce.tail_mean(totals, first.risk.alpha or 0.05)[0]
    )


def test_risk_options_alone_report_the_figures_without_changing_the_plan() -> None:
    problem = generated_problem(scenarios=100)
    plain = optimize(dataclasses.replace(problem, options=SolveOptions()))
    with_risk = optimize(problem)
    assert plain.risk is not None
    assert with_risk.risk is not None
    assert plain.risk.engagement_cvar is None
    assert plain.risk.out_of_sample is None
    assert with_risk.risk.scenarios == 100
    assert bruteforce.plan_posts(plain) == bruteforce.plan_posts(with_risk)


def test_explicit_scenarios_win_over_generated_ones() -> None:
    problem = generated_problem(scenarios=100)
    first = dataclasses.replace(problem.candidates[0], engagement_scenarios=(0.5, 1.5))
    scenarios = prepare(
        dataclasses.replace(problem, candidates=(first, *problem.candidates[1:]))
    ).scenarios
    assert scenarios is not None
    assert not scenarios.generated
    assert scenarios.multipliers.tolist()[:2] == [[0.5, 1.5], [1.0, 1.0]]


# --- explanations ----------------------------------------------------------------------------


def two_creator_problem(floor: float, backend: Backend = Backend.HIGHS) -> PlanProblem:
    """Room for one creator: ``bold`` engages more on average, ``steady`` in the bad scenario."""
    return PlanProblem(
        budget=100,
        candidates=(
            dataclasses.replace(
                creator("bold", 12_000, 0.1, 100), engagement_scenarios=(0.2, 2.0, 2.0, 2.0)
            ),
            dataclasses.replace(
                creator("steady", 10_000, 0.1, 100), engagement_scenarios=(0.8, 1.0, 1.0, 1.0)
            ),
        ),
        constraints=Constraints(max_share_per_influencer=None, min_cvar_engagement=floor),
        options=SolveOptions(backend=backend, risk=RiskOptions(alpha=0.25)),
    )


@pytest.mark.parametrize("backend", [Backend.HIGHS, Backend.CBC])
def test_a_binding_cvar_floor_is_named_with_a_sentence(backend: Backend) -> None:
    # steady's worst quarter is 800 engagements; bold's 240 (of 1,200 expected, not 1,000)
    result = optimize(two_creator_problem(800.0, backend))
    assert bruteforce.plan_posts(result) == {"steady": 1}
    binding = {b.kind: b for b in result.diagnostics.binding}
    floor = binding[ConstraintKind.MIN_CVAR_ENGAGEMENT]
    assert floor.constraint == "min_cvar_engagement"
    assert "worst 25% of scenarios" in floor.message
    assert floor.message.endswith(".")
    # a floor that does not bind is not named
    loose = optimize(two_creator_problem(100.0, backend))
    assert bruteforce.plan_posts(loose) == {"bold": 1}
    assert ConstraintKind.MIN_CVAR_ENGAGEMENT not in {b.kind for b in loose.diagnostics.binding}


@pytest.mark.parametrize("backend", [Backend.HIGHS, Backend.CBC])
def test_an_unreachable_cvar_floor_says_how_far_it_must_fall(backend: Backend) -> None:
    result = optimize(two_creator_problem(1_500.0, backend))
    assert_infeasible_answer(result)
    (relaxation,) = result.diagnostics.relaxation
    assert relaxation.kind is ConstraintKind.MIN_CVAR_ENGAGEMENT
    assert relaxation.current == 1_500.0
    assert relaxation.required == pytest.approx(800.0, rel=1e-6)
    assert relaxation.message == "min_cvar_engagement must fall from 1,500 to 800"


# --- validation and the wire to solver processes ---------------------------------------------


def invalid_fields(problem: PlanProblem) -> list[str]:
    with pytest.raises(ProblemValidationError) as caught:
        prepare(problem)
    return [e.field for e in caught.value.errors]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"alpha": 0.0}, "options.risk.alpha"),
        ({"alpha": 1.5}, "options.risk.alpha"),
        ({"scenarios": 0}, "options.risk.scenarios"),
        ({"scenarios": 2_001}, "options.risk.scenarios"),
        ({"seed": -1}, "options.risk.seed"),
        ({"platform_shock_sd": -0.1}, "options.risk.platform_shock_sd"),
        ({"tier_relative_sd": {"giant": 0.3}}, "options.risk.tier_relative_sd.giant"),
        ({"tier_relative_sd": {"micro": -1.0}}, "options.risk.tier_relative_sd.micro"),
    ],
)
def test_bad_risk_options_name_their_field(change: dict[str, object], field: str) -> None:
    problem = generated_problem(scenarios=10)
    risk = dataclasses.replace(RiskOptions(), **change)  # type: ignore[arg-type]
    bad = dataclasses.replace(problem, options=SolveOptions(risk=risk))
    assert invalid_fields(bad) == [field]


def test_bad_scenarios_and_risk_fields_name_their_field() -> None:
    base = two_creator_problem(100.0)
    bold, steady = base.candidates
    cases = {
        "candidates.1.engagement_scenarios": (
            bold,
            dataclasses.replace(steady, engagement_scenarios=(1.0, 1.0)),
        ),
        "candidates.0.engagement_scenarios": (
            dataclasses.replace(bold, engagement_scenarios=(1.0, 0.0, 1.0, 1.0)),
            steady,
        ),
        "candidates.0.engagement_rate_sd": (
            dataclasses.replace(bold, engagement_rate_sd=-0.01),
            steady,
        ),
    }
    for field, candidates in cases.items():
        assert invalid_fields(dataclasses.replace(base, candidates=candidates)) == [field]
    negative = dataclasses.replace(base, constraints=Constraints(min_cvar_engagement=-1.0))
    assert invalid_fields(negative) == ["constraints.min_cvar_engagement"]
    averse = dataclasses.replace(
        base, objective=Objective(ObjectiveKind.CVAR_ENGAGEMENT, risk_aversion=1.5)
    )
    assert invalid_fields(averse) == ["objective.risk_aversion"]


def test_too_many_scenario_entries_are_refused_before_any_model_is_built() -> None:
    many = tuple(creator(f"c{i}", 20_000, 0.05, 100) for i in range(5_001))
    problem = PlanProblem(
        budget=1_000,
        candidates=many,
        options=SolveOptions(risk=RiskOptions(scenarios=2_000)),
    )
    assert invalid_fields(problem) == ["options.risk.scenarios"]


def test_risk_fields_travel_to_solver_processes() -> None:
    problem = dataclasses.replace(
        two_creator_problem(800.0),
        objective=Objective(ObjectiveKind.CVAR_ENGAGEMENT, risk_aversion=0.3),
    )
    problem = dataclasses.replace(
        problem,
        candidates=(
            dataclasses.replace(problem.candidates[0], engagement_rate_sd=0.02),
            problem.candidates[1],
        ),
    )
    assert unpack_problem(pack_problem(problem)) == problem


def test_a_risk_plan_cut_short_by_the_time_limit_still_answers_with_a_plan() -> None:
    # given a CVaR objective over more rows than HiGHS can settle in a few hundredths of a second
    rng = random.Random(5)
    candidates = tuple(
        creator(
            f"c{i}",
            rng.randint(2_000, 2_000_000),
            round(rng.uniform(0.005, 0.08), 3),
            rng.randint(2, 200) * 25,
            platform=rng.choice(("instagram", "tiktok", "youtube")),
            max_posts=rng.choice((1, 2, 3)),
        )
        for i in range(400)
    )
    problem = PlanProblem(
        budget=sum(c.price_per_post for c in candidates) * 0.2,
        candidates=candidates,
        objective=Objective(ObjectiveKind.CVAR_ENGAGEMENT, risk_aversion=0.5),
        options=SolveOptions(time_limit_s=0.05, risk=RiskOptions(scenarios=500)),
    )
    # when
    result = optimize(problem)
    # then the greedy fill's plan (or a better one) is the answer, never "failed"
    assert result.status in (PlanStatus.FEASIBLE, PlanStatus.OPTIMAL)
    assert bruteforce.violations(problem, bruteforce.plan_posts(result)) == []
    # with a bound, hence a gap, even when HiGHS had none
    assert result.solver.bound is not None
    assert result.solver.objective is not None
    assert result.solver.bound >= result.solver.objective
    assert result.solver.gap is not None
    assert result.risk is not None
    assert result.solver.objective == pytest.approx(
        0.5 * (result.totals.expected_engagement if result.totals else 0.0)
        + 0.5 * (result.risk.engagement_cvar or 0.0)
    )
