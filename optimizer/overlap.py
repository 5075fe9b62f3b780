"""Audience overlap between creators (PRODUCT.md section 7, docs/model.md).

An overlap ``{a, b, share}`` says that ``share`` of the smaller of the two audiences follows both.
With r_i = f_i q_i (the reach of creator i), the pair's shared audience is
w_ab = share_ab min(r_a, r_b), and a plan's unique reach is the pairwise inclusion-exclusion

    sum_i r_i y_i - sum_(a,b) w_ab y_a y_b,

the second sum being its overlapping audience. The model makes the product linear with one
z_ab >= y_a + y_b - 1, z_ab >= 0 per pair (model.py, arrays.py); here are the checks of the
given pairs, the pairs among eligible creators as arrays, and the answer's figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from optimizer.errors import FieldError
from optimizer.problem import Candidate, ObjectiveKind, PlanProblem
from optimizer.result import OverlappingPair

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

# The answer lists at most this many overlapping pairs of the plan.
MAX_LISTED_PAIRS = 50
# A creator's overlapped audience may exceed its reach by this share (float noise in the sum).
_AUDIENCE_TOL = 1e-9


def reach_of(c: Candidate) -> float:
    """r_i = f_i q_i, the audience a creator reaches (as ``Eligible.reach``)."""
    return c.followers * c.audience_quality


def validate_overlaps(problem: PlanProblem, errors: list[FieldError]) -> None:
    """Unknown ids, self pairs, a pair given twice (in either order), a share outside [0, 1],
    and a creator whose overlapped audience sum_b w_ab exceeds its own reach."""
    index = {c.id: row for row, c in enumerate(problem.candidates)}
    reach = [reach_of(c) for c in problem.candidates]
    seen: dict[frozenset[str], int] = {}
    overlapped = [0.0] * len(reach)
    over: set[int] = set()
    for k, pair in enumerate(problem.overlaps):
        here = f"overlaps.{k}"
        known = True
        for side in ("a", "b"):
            cid = getattr(pair, side)
            if cid not in index:
                errors.append(FieldError(f"{here}.{side}", f"unknown candidate {cid!r}"))
                known = False
        if not (math.isfinite(pair.share) and 0.0 <= pair.share <= 1.0):
            errors.append(FieldError(f"{here}.share", "must be a fraction in [0, 1]"))
            known = False
        if pair.a == pair.b:
            errors.append(FieldError(f"{here}.b", f"a creator never overlaps itself ({pair.a!r})"))
            continue
        key = frozenset((pair.a, pair.b))
        if key in seen:
            first = f"overlaps.{seen[key]}"
            message = f"the pair {pair.a!r}, {pair.b!r} is given twice (first at {first})"
            errors.append(FieldError(here, message))
            continue
        seen[key] = k
        if not known:
            continue
        a, b = index[pair.a], index[pair.b]
        shared = pair.share * min(reach[a], reach[b])
        for row in (a, b):
            overlapped[row] += shared
            if row not in over and overlapped[row] > reach[row] * (1 + _AUDIENCE_TOL):
                over.add(row)
                cid = problem.candidates[row].id
                errors.append(
                    FieldError(
                        here,
                        f"creator {cid!r} overlaps more audience ({overlapped[row]:,.0f}) than "
                        f"it reaches ({reach[row]:,.0f}, followers x audience_quality) once "
                        "this pair is added: lower the shares of its pairs",
                    )
                )


@dataclass(frozen=True, slots=True)
class Pairs:
    """The overlaps between eligible creators with an audience in common, as arrays: positions
    in ``Prepared.eligible``, the given share, and w_ab = share min(r_a, r_b)."""

    a: IntArray
    b: IntArray
    share: FloatArray
    shared: FloatArray

    def __len__(self) -> int:
        return len(self.a)

    def within(self, keep: IntArray, size: int) -> tuple[Pairs, IntArray]:
        """The pairs with both creators among ``keep`` (positions of ``size`` eligible ones),
        renumbered to positions in ``keep``, and which pairs they are."""
        position = np.full(size, -1, dtype=np.int64)
        position[keep] = np.arange(len(keep), dtype=np.int64)
        a, b = position[self.a], position[self.b]
        chosen = np.flatnonzero((a >= 0) & (b >= 0))
        inner = Pairs(a[chosen], b[chosen], self.share[chosen], self.shared[chosen])
        return inner, chosen

    def overlapping_audience(self, used: BoolArray) -> float:
        """sum_(a,b) w_ab y_a y_b for the creators ``used`` (per eligible position)."""
        both = used[self.a] & used[self.b]
        return float(np.sum(self.shared[both]))


def eligible_pairs(problem: PlanProblem, eligible_ids: Sequence[str]) -> Pairs:
    """The given overlaps among ``eligible_ids`` (in that order) with w_ab > 0; those with a
    creator that exclude or a gate removed can never both be in a plan."""
    position = {cid: k for k, cid in enumerate(eligible_ids)}
    reach = {c.id: reach_of(c) for c in problem.candidates}
    rows = [
        (position[o.a], position[o.b], o.share, o.share * min(reach[o.a], reach[o.b]))
        for o in problem.overlaps
        if o.a in position and o.b in position
    ]
    rows = [row for row in rows if row[3] > 0]
    a, b, share, shared = zip(*rows, strict=True) if rows else ((), (), (), ())
    return Pairs(
        np.asarray(a, dtype=np.int64),
        np.asarray(b, dtype=np.int64),
        np.asarray(share, dtype=np.float64),
        np.asarray(shared, dtype=np.float64),
    )


def wants_overlap(problem: PlanProblem) -> bool:
    """Whether the answer carries unique reach and the overlapping pairs: the request has
    overlaps, or asks for unique reach or an overlap cap (then with none, unique reach is reach)."""
    return (
        bool(problem.overlaps)
        or problem.objective.kind is ObjectiveKind.UNIQUE_REACH
        or problem.constraints.max_overlap_share is not None
    )


def overlap_cap(problem: PlanProblem) -> float | None:
    """max_overlap_share where it can bind: the overlapping audience of a plan is at most half
    its reach (each creator's overlapped audience is at most its reach, and each pair counts
    for both of its creators), so a cap of 1/2 or more holds nothing back."""
    cap = problem.constraints.max_overlap_share
    return cap if cap is not None and cap < 0.5 else None


@dataclass(frozen=True, slots=True)
class OverlapFigures:
    unique_reach: float
    overlapping_audience: float
    pairs: tuple[OverlappingPair, ...]  # the largest MAX_LISTED_PAIRS of the plan


def overlap_figures(
    pairs: Pairs, ids: Sequence[str], reach: float, used: BoolArray
) -> OverlapFigures:
    """The plan's figures: ``reach`` is its reach sum_i r_i y_i, ``used`` its creators (per
    eligible position, whose ids are ``ids``)."""
    both = np.flatnonzero(used[pairs.a] & used[pairs.b])
    overlapping = float(np.sum(pairs.shared[both]))
    a_ids = [ids[k] for k in pairs.a[both].tolist()]
    b_ids = [ids[k] for k in pairs.b[both].tolist()]
    # largest shared audience first; ties by the ids, so the list does not depend on the order
    order = sorted(
        range(len(both)), key=lambda k: (-float(pairs.shared[both[k]]), a_ids[k], b_ids[k])
    )
    listed = tuple(
        OverlappingPair(
            a_ids[k], b_ids[k], float(pairs.share[both[k]]), float(pairs.shared[both[k]])
        )
        for k in order[:MAX_LISTED_PAIRS]
    )
    return OverlapFigures(reach - overlapping, overlapping, listed)
