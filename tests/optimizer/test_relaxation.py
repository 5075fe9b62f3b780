"""An infeasible answer names a relaxation that works and that cannot be made smaller.

Applying every entry of ``diagnostics.relaxation`` must make the request solvable; each entry
must loosen its constraint, starting from the request's own value; and no single entry can be
tightened (nor a must_include drop skipped) while the others stay applied — otherwise the answer
was not the smallest relaxation (PRODUCT section 2).
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

import pytest

from optimizer import optimize
from optimizer.problem import (
    Candidate,
    Constraints,
    Objective,
    ObjectiveKind,
    PlanProblem,
    ShareBounds,
    SolveOptions,
)
from optimizer.result import PlanResult, PlanStatus, Relaxation, RelaxationRole
from tests.optimizer import bruteforce
from tests.optimizer.bruteforce import (
    assert_infeasible_answer,
    assert_sound_plan,
    creator,
    random_problem,
)

SHARE_NAMES = frozenset(
    {"min_budget_use", "max_share_per_influencer", "max_engagement_share_per_influencer"}
)
COUNT_NAMES = frozenset({"min_influencers", "max_influencers"})
GROUP_NAMES = frozenset({"tier_min", "tier_max", "platform_min", "platform_max"})
# Tightening a relaxed value by this much (relative, or absolute on fractions) must break it again.
TIGHTEN = 1e-5
ZERO_STEP = 1e-3


def _share_field(name: str) -> tuple[str, str]:
    group, bound = name.split("_")
    return f"{group}_share", bound


def apply_relaxation(problem: PlanProblem, entry: Relaxation) -> PlanProblem:
    """The request with one relaxation entry applied, as a planner would edit it."""
    name, _, key = entry.constraint.partition(":")
    cons = problem.constraints
    if name == "must_include":
        kept = tuple(m for m in cons.must_include if m != key)
        return dataclasses.replace(
            problem, constraints=dataclasses.replace(cons, must_include=kept)
        )
    value = entry.required
    assert value is not None, entry
    if name == "budget":
        return dataclasses.replace(problem, budget=value)
    if name == "target_engagement":
        objective = dataclasses.replace(problem.objective, target_engagement=value)
        return dataclasses.replace(problem, objective=objective)
    changes: dict[str, Any]
    if name in COUNT_NAMES:
        assert value == int(value), entry
        changes = {name: int(value)}
    elif name in SHARE_NAMES or name == "max_spend_per_influencer":
        changes = {name: value}
    elif name in GROUP_NAMES:
        field, bound = _share_field(name)
        shares = dict(getattr(cons, field))
        shares[key] = dataclasses.replace(shares.get(key, ShareBounds()), **{bound: value})
        changes = {field: shares}
    else:
        pytest.fail(f"unknown relaxation {entry.constraint!r}")
    return dataclasses.replace(problem, constraints=dataclasses.replace(cons, **changes))


def apply_all(problem: PlanProblem, entries: tuple[Relaxation, ...]) -> PlanProblem:
    for entry in entries:
        problem = apply_relaxation(problem, entry)
    return problem


def current_value(problem: PlanProblem, entry: Relaxation) -> float | None:
    name, _, key = entry.constraint.partition(":")
    cons = problem.constraints
    if name == "budget":
        return problem.budget
    if name == "target_engagement":
        return problem.objective.target_engagement
    if name in GROUP_NAMES:
        field, bound = _share_field(name)
        bounds = getattr(cons, field).get(key)
        return None if bounds is None else float(getattr(bounds, bound))
    if name == "must_include":
        return None
    value = getattr(cons, name)
    return None if value is None else float(value)


def loosens(problem: PlanProblem, entry: Relaxation) -> bool:
    name, _, key = entry.constraint.partition(":")
    if name == "must_include":
        return entry.required is None and key in problem.constraints.must_include
    current = current_value(problem, entry)
    required = entry.required
    if current is None or required is None:
        return False
    lower_is_looser = name in {"min_budget_use", "min_influencers", "target_engagement"} or (
        name in {"tier_min", "platform_min"}
    )
    return required < current if lower_is_looser else required > current


def tightened(entry: Relaxation) -> Relaxation | None:
    """The entry moved a hair back toward the original request; None: not applied at all."""
    name = entry.constraint.partition(":")[0]
    required = entry.required
    if name == "must_include" or required is None:
        return None
    if name in COUNT_NAMES:
        step = 1.0 if name == "min_influencers" else -1.0
        return dataclasses.replace(entry, required=required + step)
    if name in SHARE_NAMES or name in GROUP_NAMES:
        up = name in {"min_budget_use", "tier_min", "platform_min"}
        return dataclasses.replace(entry, required=required + (TIGHTEN if up else -TIGHTEN))
    up = name == "target_engagement"
    factor = 1 + TIGHTEN if up else 1 - TIGHTEN
    # From zero, a step must clear the checker's own tolerance (1e-9 of the plan's engagement).
    return dataclasses.replace(entry, required=required * factor if required else ZERO_STEP)


def then_relaxation_is_sound(problem: PlanProblem, result: PlanResult) -> PlanProblem:
    """Each entry loosens its constraint; all of them together make the request solvable."""
    assert_infeasible_answer(result)
    entries = result.diagnostics.relaxation
    assert len({e.constraint for e in entries}) == len(entries), entries
    for entry in entries:
        assert entry.message, entry
        assert loosens(problem, entry), entry
        if not entry.constraint.startswith("must_include:"):
            assert entry.current == pytest.approx(current_value(problem, entry)), entry
    relaxed = apply_all(problem, entries)
    assert bruteforce.solve(relaxed).status is PlanStatus.OPTIMAL, entries
    again = optimize(relaxed)
    assert again.status is PlanStatus.OPTIMAL, (entries, again.status)
    assert_sound_plan(relaxed, again)
    return relaxed


def then_relaxation_is_minimal(problem: PlanProblem, result: PlanResult) -> None:
    """No entry needed together with others can be tightened while those stay applied; each
    alternative admits a plan on its own, and not once tightened."""
    entries = result.diagnostics.relaxation
    together = tuple(e for e in entries if e.role is not RelaxationRole.ALTERNATIVE)
    for i, entry in enumerate(together):
        others = together[:i] + together[i + 1 :]
        tighter = tightened(entry)
        attempt = apply_all(problem, others if tighter is None else (*others, tighter))
        assert bruteforce.solve(attempt).status is PlanStatus.INFEASIBLE, (entry, tighter)
    for entry in entries:
        if entry.role is not RelaxationRole.ALTERNATIVE:
            continue
        assert bruteforce.solve(apply_all(problem, (entry,))).status is PlanStatus.OPTIMAL, entry
        tighter = tightened(entry)
        attempt = problem if tighter is None else apply_all(problem, (tighter,))
        assert bruteforce.solve(attempt).status is PlanStatus.INFEASIBLE, (entry, tighter)


def relaxations_by_name(result: PlanResult) -> dict[str, float | None]:
    return {e.constraint: e.required for e in result.diagnostics.relaxation}


def plan(budget: float, *candidates: Candidate, **constraints: Any) -> PlanProblem:
    return PlanProblem(
        budget=budget,
        candidates=candidates,
        constraints=Constraints(**constraints),
        options=SolveOptions(mip_gap=1e-9),
    )


# --- hand cases with the smallest relaxation worked out ------------------------------------

Named = dict[str, Any]


def case(
    name: str, problem: PlanProblem, *answers: Named, minimal: bool = True
) -> Any:  # a pytest ParameterSet
    """A request, the relaxations a smallest answer may name (any one of ``answers``), and
    whether the minimality check runs (it cannot where a cheaper creator always needs more)."""
    return pytest.param(problem, answers, minimal, id=name)


THREE_EQUAL = (
    creator("a", 10_000, 0.05, 100),
    creator("b", 10_000, 0.05, 100),
    creator("c", 10_000, 0.05, 100),
)

HAND_CASES = [
    # three equal creators under the default 0.25 cap: the most even plan gives each a third
    case(
        "share cap rises to a third for three equal creators",
        plan(1000, *THREE_EQUAL),
        {"max_share_per_influencer": pytest.approx(1 / 3)},
    ),
    # three creators at 100 and one at 10: buying all four puts the largest at 100/310, while
    # the cheap one alone would need a cap of 100%
    case(
        "share cap relaxation is the smallest cap any plan needs",
        plan(1000, *THREE_EQUAL, creator("d", 10_000, 0.05, 10)),
        {"max_share_per_influencer": pytest.approx(100 / 310)},
        minimal=False,
    ),
    # macro at most 10% and at least three creators: buying everything (m 100, n 2x100, k 10)
    # gives macro 100/310, the least it can take; with one n post it would take 100/210
    case(
        "tier max relaxation is the smallest share any plan needs",
        plan(
            1000,
            creator("m", 200_000, 0.02, 100),
            creator("n", 5_000, 0.06, 100, max_posts=2),
            creator("k", 5_000, 0.06, 10),
            max_share_per_influencer=None,
            min_influencers=3,
            tier_share={"macro": ShareBounds(max=0.1)},
        ),
        {"tier_max:macro": pytest.approx(100 / 310)},
        {"min_influencers": 2},
    ),
    # b must be included but costs 300 against a 200 budget: the budget must reach 300, or b go
    case(
        "budget short for a must include creator names the budget or the creator",
        plan(
            200,
            creator("a", 20_000, 0.05, 100),
            creator("b", 4_000, 0.05, 300),
            max_share_per_influencer=None,
            must_include=("b",),
        ),
        {"budget": pytest.approx(300)},
        {"must_include:b": None},
    ),
    # the whole roster costs 200 and 90% of 1000 must be spent
    case(
        "min budget use falls to what the roster can absorb",
        plan(
            1000,
            creator("a", 10_000, 0.05, 100),
            creator("b", 10_000, 0.05, 100),
            max_share_per_influencer=None,
            min_budget_use=0.9,
        ),
        {"min_budget_use": pytest.approx(0.2)},
    ),
    # one macro and one nano creator at 100 each, both required, macro at most 20%: macro takes
    # half of any two-creator plan
    case(
        "tier max rises to the smallest share the tier can take",
        plan(
            1000,
            creator("m", 200_000, 0.02, 100),
            creator("n", 5_000, 0.06, 100),
            max_share_per_influencer=None,
            min_influencers=2,
            tier_share={"macro": ShareBounds(max=0.2)},
        ),
        {"tier_max:macro": pytest.approx(0.5)},
        {"min_influencers": 1},
    ),
    # only nano creators and micro at least 30%
    case(
        "tier min on an absent tier falls to zero",
        plan(
            1000,
            creator("a", 5_000, 0.06, 100),
            creator("b", 6_000, 0.06, 100),
            max_share_per_influencer=None,
            tier_share={"micro": ShareBounds(min=0.3)},
        ),
        {"tier_min:micro": pytest.approx(0, abs=1e-9)},
    ),
    # a tiktok and an instagram creator at 100 each, both required, tiktok at least 60%
    case(
        "platform min falls to the largest share the platform can take",
        plan(
            1000,
            creator("t", 10_000, 0.05, 100, platform="tiktok"),
            creator("i", 10_000, 0.05, 100, platform="instagram"),
            max_share_per_influencer=None,
            min_influencers=2,
            platform_share={"tiktok": ShareBounds(min=0.6)},
        ),
        {"platform_min:tiktok": pytest.approx(0.5)},
        {"min_influencers": 1},
    ),
    # two creators and at least three wanted
    case(
        "min influencers falls to the roster size",
        plan(
            1000,
            creator("a", 10_000, 0.05, 100),
            creator("b", 10_000, 0.05, 100),
            max_share_per_influencer=None,
            min_influencers=3,
        ),
        {"min_influencers": 2},
    ),
    # the default cap needs 4 creators and at most 3 are allowed
    case(
        "max influencers below what the share cap needs names one of the two",
        plan(1000, *(creator(f"c{i}", 10_000, 0.05, 100) for i in range(5)), max_influencers=3),
        {"max_influencers": 4},
        {"max_share_per_influencer": pytest.approx(1 / 3)},
    ),
    # a single 1000-engagement post at 200 and a 5000 target
    case(
        "unreachable target falls to the most engagement the budget buys",
        dataclasses.replace(
            plan(1000, creator("a", 20_000, 0.05, 200), max_share_per_influencer=None),
            objective=Objective(ObjectiveKind.MIN_COST, target_engagement=5_000),
        ),
        {"target_engagement": pytest.approx(1_000)},
    ),
    # a must be included, costs 300, and no creator may take more than 200
    case(
        "max spend rises to the price of a must include creator",
        plan(
            1000,
            creator("a", 20_000, 0.05, 300),
            creator("b", 20_000, 0.05, 100),
            max_share_per_influencer=None,
            max_spend_per_influencer=200,
            must_include=("a",),
        ),
        {"max_spend_per_influencer": pytest.approx(300)},
        {"must_include:a": None},
    ),
    # two creators, both required, engaging 1000 and 600, nobody above half: a holds 1000/1600
    case(
        "engagement share cap rises to the leaders share",
        plan(
            1000,
            creator("a", 20_000, 0.05, 100),
            creator("b", 12_000, 0.05, 100),
            max_share_per_influencer=None,
            max_engagement_share_per_influencer=0.5,
            min_influencers=2,
        ),
        {"max_engagement_share_per_influencer": pytest.approx(0.625)},
        {"min_influencers": 1},
    ),
    # b is both required and excluded
    case(
        "excluded must include creator is dropped from must include",
        plan(
            200,
            creator("a", 20_000, 0.05, 100),
            creator("b", 4_000, 0.05, 100),
            max_share_per_influencer=None,
            must_include=("b",),
            exclude=("b",),
        ),
        {"must_include:b": None},
        minimal=False,
    ),
]


@pytest.mark.parametrize(("problem", "answers", "minimal"), HAND_CASES)
def test_hand_case_is_infeasible_with_the_relaxation_worked_out(
    problem: PlanProblem, answers: tuple[Named, ...], minimal: bool
) -> None:
    # when
    result = optimize(problem)
    # then the reference agrees no plan exists, and the answer names the smallest relaxation
    assert bruteforce.solve(problem).status is PlanStatus.INFEASIBLE
    assert_infeasible_answer(result)
    then_relaxation_is_sound(problem, result)
    if minimal:
        then_relaxation_is_minimal(problem, result)
    assert relaxations_by_name(result) in answers


def test_gated_must_include_creator_plus_a_second_cause_lists_both() -> None:
    # given b is gated out and, without b, a lone creator breaks the default cap
    problem = plan(
        200,
        creator("a", 20_000, 0.05, 100),
        creator("b", 4_000, 0.05, 100),
        must_include=("b",),
        min_followers=10_000,
    )
    # when
    result = optimize(problem)
    # then
    then_relaxation_is_sound(problem, result)
    named = relaxations_by_name(result)
    assert named["must_include:b"] is None
    assert named.get("max_share_per_influencer") == pytest.approx(1.0)
    then_relaxation_is_minimal(problem, result)


def test_infeasible_answer_survives_a_numerically_awkward_explanation() -> None:
    # given an infeasible request (c1 alone breaks the 0.6 cap, c0 and c1 together break the
    # engagement-share cap) whose explanation model HiGHS finishes with a tiny residual
    # infeasibility after presolve
    problem = PlanProblem(
        budget=2777,
        candidates=(
            creator("c0", 78_730, 0.05, 750, platform="tiktok", quality=0.75),
            creator("c1", 565_672, 0.047, 350, platform="youtube", max_posts=3, quality=0.75),
        ),
        constraints=Constraints(
            max_share_per_influencer=0.6, max_engagement_share_per_influencer=0.5
        ),
        options=SolveOptions(repeat_post_decay=0.5),
    )
    # when
    result = optimize(problem)
    # then it is still an infeasible answer, not a solver failure
    then_relaxation_is_sound(problem, result)


# --- random infeasible problems ------------------------------------------------------------

RANDOM_SEEDS = range(30_000, 30_300)
INFEASIBLE_SEEDS = [
    seed
    for seed in RANDOM_SEEDS
    if bruteforce.solve(random_problem(random.Random(seed))).status is PlanStatus.INFEASIBLE
]


def test_random_seeds_give_enough_infeasible_problems() -> None:
    assert len(INFEASIBLE_SEEDS) >= 60


@pytest.mark.parametrize("seed", INFEASIBLE_SEEDS)
def test_relaxation_of_random_infeasible_problem_makes_it_solvable(seed: int) -> None:
    # given
    problem = random_problem(random.Random(seed))
    # when
    result = optimize(problem)
    # then
    then_relaxation_is_sound(problem, result)


@pytest.mark.parametrize("seed", INFEASIBLE_SEEDS)
def test_relaxation_of_random_infeasible_problem_cannot_be_tightened(seed: int) -> None:
    # given
    problem = random_problem(random.Random(seed))
    # when
    result = optimize(problem)
    # then
    assert result.status is PlanStatus.INFEASIBLE
    then_relaxation_is_minimal(problem, result)
