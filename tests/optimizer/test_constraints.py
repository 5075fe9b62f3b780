"""Constraint names: every kind and subject has one wire name and reads back from it, and the
objective's sense decides better plans, tighter bounds and gaps the same way everywhere."""

from __future__ import annotations

import pytest

from optimizer.constraints import ConstraintKind, ConstraintRef
from optimizer.problem import ObjectiveKind
from optimizer.sense import Sense, gap, relative_gap

REFS = [
    *(ConstraintRef(kind) for kind in ConstraintKind),
    *(ConstraintRef(kind, "c:7") for kind in ConstraintKind),
]


@pytest.mark.parametrize("ref", REFS, ids=str)
def test_a_reference_reads_back_from_its_wire_name(ref: ConstraintRef) -> None:
    assert ConstraintRef.parse(ref.id) == ref


@pytest.mark.parametrize(
    ("ref", "name"),
    [
        (ConstraintRef(ConstraintKind.BUDGET), "budget"),
        (ConstraintRef(ConstraintKind.TIER_MIN, "micro"), "tier_min:micro"),
        (ConstraintRef(ConstraintKind.PLATFORM_MAX, "tiktok"), "platform_max:tiktok"),
        (ConstraintRef(ConstraintKind.MUST_INCLUDE, "c1"), "must_include:c1"),
        (ConstraintRef(ConstraintKind.MAX_SHARE_PER_INFLUENCER, "c1"), "max_share:c1"),
        (ConstraintRef(ConstraintKind.MAX_SPEND_PER_INFLUENCER, "c1"), "max_spend:c1"),
        (
            ConstraintRef(ConstraintKind.MAX_ENGAGEMENT_SHARE_PER_INFLUENCER, "c1"),
            "max_engagement_share:c1",
        ),
        (ConstraintRef(ConstraintKind.MAX_POSTS, "c1"), "max_posts:c1"),
        (ConstraintRef(ConstraintKind.MAX_SHARE_PER_INFLUENCER), "max_share_per_influencer"),
    ],
)
def test_wire_names_are_the_ones_clients_have_always_read(ref: ConstraintRef, name: str) -> None:
    assert ref.id == name


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="max_vibes"):
        ConstraintRef.parse("max_vibes:c1")


def test_mix_kinds_say_their_group_and_side() -> None:
    kind = ConstraintKind.mix("platform", "min")
    assert kind is ConstraintKind.PLATFORM_MIN
    assert kind.is_mix
    assert (kind.group, kind.side) == ("platform", "min")
    assert not ConstraintKind.MIN_INFLUENCERS.is_mix


def test_min_cost_is_minimised_and_the_others_maximised() -> None:
    assert Sense.of(ObjectiveKind.MIN_COST) is Sense.MINIMIZE
    assert Sense.of(ObjectiveKind.ENGAGEMENT) is Sense.MAXIMIZE
    assert Sense.of(ObjectiveKind.REACH) is Sense.MAXIMIZE


@pytest.mark.parametrize(
    ("sense", "better", "worse", "tighter_bound", "looser_bound"),
    [(Sense.MAXIMIZE, 10.0, 9.0, 11.0, 12.0), (Sense.MINIMIZE, 9.0, 10.0, 8.0, 7.0)],
)
def test_sense_decides_better_plans_and_tighter_bounds(
    sense: Sense, better: float, worse: float, tighter_bound: float, looser_bound: float
) -> None:
    assert sense.better(better, worse)
    assert not sense.better(worse, better)
    assert not sense.better(better, better)
    assert sense.at_least_as_good(better, better)
    assert sense.best(better, worse) == better
    assert sense.tighter(tighter_bound, looser_bound) == tighter_bound
    assert sense.tighter(looser_bound, tighter_bound) == tighter_bound
    assert sense.tighter(None, looser_bound) == looser_bound
    assert sense.tighter(tighter_bound, None) == tighter_bound
    # sign * value is what a maximisation of it would maximise
    assert sense.sign * better > sense.sign * worse


@pytest.mark.parametrize(("sense", "expected"), [(Sense.MAXIMIZE, 100.0), (Sense.MINIMIZE, 102.5)])
def test_within_gap_is_the_worst_objective_the_gap_admits(sense: Sense, expected: float) -> None:
    bound = 102.0 if sense is Sense.MAXIMIZE else 82.0
    done = sense.within_gap(bound, 0.02 if sense is Sense.MAXIMIZE else 0.2)
    assert done == pytest.approx(expected)


def test_relative_gap_is_measured_against_the_plan() -> None:
    assert gap(100.0, 110.0) == pytest.approx(0.1)
    assert gap(100.0, 100.0 + 1e-11) == 0.0
    assert relative_gap(100.0, None) is None
    assert relative_gap(50.0, 40.0) == pytest.approx(0.2)
