"""The planning model of optimizer/model.py assembled as numpy arrays for HiGHS.

model.py is the readable formulation (and what CBC solves); this builds the same model, with the
same scaled units, straight into the column-wise matrix HiGHS takes in one ``passModel`` call, so
100,000 candidates build in a fraction of a second. Outside the elastic model it takes a few
exact liberties:
- rows on a single variable are column bounds: the budget and min_budget_use bound the plan
  spend S, must_include fixes y_i = 1;
- a creator's posts are capped by what the budget, the share cap (s_i <= cap S <= cap B), the
  max share of their tier and platform and max_spend_per_influencer let them buy (u'_i), and a
  creator who cannot afford min_posts is fixed unused; max_spend_per_influencer then needs no
  rows;
- the objective sits on per-creator columns rather than on a plan total, and the plan
  engagement T exists only where a row needs it.

A model may be built over a subset of the eligible candidates (``keep``): the others are held at
zero posts. Scales always come from the full problem, so objectives of subsets compare directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from optimizer.constraints import ConstraintKind, ConstraintRef
from optimizer.model import Scales, objective_unit, overlap_rows, problem_scales, risk_rows
from optimizer.overlap import Pairs, overlap_cap
from optimizer.prepare import Prepared, fewest_creators
from optimizer.problem import ObjectiveKind
from optimizer.scenarios import value_at_risk
from optimizer.sense import Sense

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

INF = float("inf")
# Bounds folded into post counts accept what the solver's feasibility tolerance (on rows in
# the model's money unit) would accept, so folding never cuts off a plan the unfolded row admits.
_FOLD_TOL = 1e-9


def engagement_at(first: FloatArray, posts: IntArray, decay: float) -> FloatArray:
    """E(n) = v (1 + d + ... + d^(n - 1)) elementwise, as ``Eligible.engagement``."""
    n = np.maximum(posts, 0)
    out: FloatArray = first * n if decay == 1.0 else first * (1.0 - decay**n) / (1.0 - decay)
    return out


@dataclass(frozen=True, slots=True)
class CandidateData:
    """The eligible candidates as arrays, in ``prepared.eligible`` order (or a subset of it)."""

    price: FloatArray
    fee: FloatArray
    low: IntArray  # min_posts
    high: IntArray  # max_posts
    first: FloatArray  # engagement of the first post, f e q
    reach: FloatArray  # f q
    tier: IntArray  # index into tier_names
    platform: IntArray  # index into platform_names
    must: BoolArray
    tier_names: tuple[str, ...]
    platform_names: tuple[str, ...]
    engagement_unit: float  # the model's engagement scale (of every eligible candidate)

    @classmethod
    def of(cls, prepared: Prepared) -> CandidateData:
        eligible = prepared.eligible
        m = len(eligible)
        tier_names = tuple(t.name for t in prepared.tiers)
        tier_index = {name: k for k, name in enumerate(tier_names)}
        platform_names = tuple(sorted({e.candidate.platform for e in eligible}))
        platform_index = {name: k for k, name in enumerate(platform_names)}
        must = set(prepared.problem.constraints.must_include)

        def floats(values: Iterable[float]) -> FloatArray:
            return np.fromiter(values, dtype=np.float64, count=m)

        def ints(values: Iterable[int]) -> IntArray:
            return np.fromiter(values, dtype=np.int64, count=m)

        return cls(
            price=floats(e.candidate.price_per_post for e in eligible),
            fee=floats(e.candidate.fixed_fee for e in eligible),
            low=ints(e.candidate.min_posts for e in eligible),
            high=ints(e.candidate.max_posts for e in eligible),
            first=floats(e.first_post_engagement for e in eligible),
            reach=floats(e.reach for e in eligible),
            tier=ints(tier_index[e.tier] for e in eligible),
            platform=ints(platform_index[e.candidate.platform] for e in eligible),
            must=np.fromiter((e.candidate.id in must for e in eligible), dtype=np.bool_, count=m),
            tier_names=tier_names,
            platform_names=platform_names,
            engagement_unit=problem_scales(prepared).engagement,
        )

    def __len__(self) -> int:
        return len(self.price)

    def subset(self, keep: IntArray) -> CandidateData:
        return CandidateData(
            price=self.price[keep],
            fee=self.fee[keep],
            low=self.low[keep],
            high=self.high[keep],
            first=self.first[keep],
            reach=self.reach[keep],
            tier=self.tier[keep],
            platform=self.platform[keep],
            must=self.must[keep],
            tier_names=self.tier_names,
            platform_names=self.platform_names,
            engagement_unit=self.engagement_unit,
        )

    def spend(self, posts: IntArray) -> FloatArray:
        """s_i = p_i n_i + F_i [n_i > 0], in money."""
        out: FloatArray = np.where(posts > 0, self.price * posts + self.fee, 0.0)
        return out

    def engagement(self, posts: IntArray, decay: float) -> FloatArray:
        return engagement_at(self.first, posts, decay)

    def objective(self, posts: IntArray, kind: ObjectiveKind, decay: float) -> FloatArray:
        """Each candidate's contribution to the objective, in natural units (the CVaR objective
        has none: it is a figure of the whole plan)."""
        if kind is ObjectiveKind.CVAR_ENGAGEMENT:
            raise ValueError("the cvar_engagement objective is not a sum over candidates")
        if kind is ObjectiveKind.ENGAGEMENT:
            return self.engagement(posts, decay)
        if kind in (ObjectiveKind.REACH, ObjectiveKind.UNIQUE_REACH):
            # unique reach: the pairs' shared audience comes off the sum (first_plan.plan_objective)
            out: FloatArray = np.where(posts > 0, self.reach, 0.0)
            return out
        return self.spend(posts)


def affordable_posts(data: CandidateData, prepared: Prepared) -> IntArray:
    """u'_i: the most posts a creator can take in any plan; below min_posts means unusable.

    A creator's spend is bounded by the budget, by cap x budget (s_i <= cap S <= cap B), by
    max_spend_per_influencer and by the max share of their tier and platform
    (s_i <= sum over the group <= max S <= max B)."""
    problem = prepared.problem
    con = problem.constraints
    budget = problem.budget
    cap = budget
    if con.max_share_per_influencer is not None:
        cap = min(cap, con.max_share_per_influencer * budget)
    if con.max_spend_per_influencer is not None:
        cap = min(cap, con.max_spend_per_influencer)
    limit = np.full(len(data), cap)
    for labels, names, shares in (
        (data.tier, data.tier_names, con.tier_share),
        (data.platform, data.platform_names, con.platform_share),
    ):
        for name, bounds in shares.items():
            if bounds.max is not None and name in names:
                member = labels == names.index(name)
                limit[member] = np.minimum(limit[member], bounds.max * budget)
    # the tolerance in the model's money unit (see model.problem_scales), not in budgets
    money_unit = min(budget, float(np.sum(data.price * data.high + data.fee))) or budget
    with np.errstate(over="ignore"):  # a near-free creator has infinite room: fine
        room = (limit - data.fee + _FOLD_TOL * money_unit) / data.price
    # Clipped before the cast, which would wrap a huge room around to a negative count.
    return np.floor(np.clip(room, -1.0, data.high)).astype(np.int64)


@dataclass(slots=True)
class ArrayModel:
    """One HiGHS model, column-wise, with where each planning variable lives in it."""

    prepared: Prepared
    data: CandidateData  # the candidates in the model
    keep: IntArray  # their positions in prepared.eligible
    scales: Scales
    elastic: bool
    sense: Sense
    cost: FloatArray
    col_lower: FloatArray
    col_upper: FloatArray
    integrality: NDArray[np.int32]  # 1 integer, 0 continuous
    row_lower: FloatArray
    row_upper: FloatArray
    start: NDArray[np.int32]
    index: NDArray[np.int32]
    value: FloatArray
    # columns: n_i at posts_col[i], y_i at used_col[i]; e_i (tangent model) or the one-hot
    # w_ik for k = low..high (exact model) of candidate i start at extra_start[i]
    posts_col: IntArray
    used_col: IntArray
    extra_start: IntArray | None
    exact_engagement: bool
    spend_col: int
    engagement_col: int | None
    row_block: IntArray
    row_owner: IntArray  # model candidate of a per-candidate row, -1 for plan-wide rows
    row_local: BoolArray  # rows that involve one candidate's columns only
    slack_cols: dict[ConstraintRef, int] = field(default_factory=dict)
    # the CVaR's t and the u_s (see ColumnLayout), with the multipliers of the model candidates
    cvar_col: int | None = None
    tail_cols: IntArray | None = None
    multipliers: FloatArray | None = None
    # the cut form's tail weights per cut (rows) and model candidate, in place of the u_s
    tail_cuts: FloatArray | None = None
    # E_i (scaled) = sum of vals x[cols] over the terms of owner i
    engagement_terms: tuple[IntArray, FloatArray, IntArray] | None = None
    cut_rows: int | None = None  # the first of the cut form's rows, one per cut in order
    # spend and engagement (scaled) of creators held at fixed posts outside the model, which
    # S and T include (see neighbourhood.py)
    held_spend: float = 0.0
    held_engagement: float = 0.0
    # the pairs of model candidates with a z_ab column (pair k at pair_start + k), and per row
    # the pair (its index in prepared.pairs) of a pair row, -1 for the others
    pairs: Pairs | None = None
    pair_start: int | None = None
    row_pair: IntArray | None = None

    @property
    def num_col(self) -> int:
        return len(self.cost)

    @property
    def num_row(self) -> int:
        return len(self.row_lower)

    @property
    def maximize(self) -> bool:
        return self.sense.maximize

    def objective_scale(self) -> float:
        """Multiply a (scaled) objective of this model by this to get natural units."""
        return objective_unit(self.scales, self.prepared.problem.objective.kind, self.elastic)

    def column_values(self, posts: IntArray) -> FloatArray:
        """The full column vector of a plan given as posts per model candidate (a MIP start)."""
        data = self.data
        decay = self.prepared.decay
        x = np.zeros(self.num_col)
        used = posts > 0
        x[self.posts_col] = posts
        x[self.used_col] = used
        money = 1.0 / self.scales.money
        eng = 1.0 / self.scales.engagement
        x[self.spend_col] = float(np.sum(data.spend(posts))) * money + self.held_spend
        engagement = data.engagement(posts, decay) * eng
        if self.extra_start is not None:
            if self.exact_engagement:
                chosen = np.flatnonzero(used)
                x[self.extra_start[chosen] + posts[chosen] - data.low[chosen]] = 1.0
            else:
                x[self.extra_start] = engagement
        if self.engagement_col is not None:
            x[self.engagement_col] = float(np.sum(engagement)) + self.held_engagement
        if self.pairs is not None and self.pair_start is not None:
            both = used[self.pairs.a] & used[self.pairs.b]
            x[self.pair_start : self.pair_start + len(self.pairs)] = both
        if self.cvar_col is not None and self.tail_cuts is not None:
            # the largest C the cuts allow; the plan's CVaR, below every cut, would also do
            x[self.cvar_col] = float(np.min(self.tail_cuts @ engagement))
        elif self.cvar_col is not None:
            assert self.multipliers is not None
            assert self.tail_cols is not None
            alpha = self.prepared.scenarios.alpha if self.prepared.scenarios else 1.0
            totals = engagement @ self.multipliers
            var = value_at_risk(totals, alpha)
            x[self.cvar_col] = var
            x[self.tail_cols] = np.maximum(var - totals, 0.0)
        return x

    def engagement_of(self, x: FloatArray) -> FloatArray:
        """E_i per model candidate (natural units) from a solver column vector, fractional for
        an LP's."""
        assert self.engagement_terms is not None
        cols, vals, owner = self.engagement_terms
        scaled = np.bincount(owner, weights=vals * x[cols], minlength=len(self.data))
        out: FloatArray = np.asarray(scaled, dtype=np.float64) * self.scales.engagement
        return out

    def cut_row(self, weights: FloatArray) -> tuple[IntArray, FloatArray]:
        """The row sum_i w_i E_i - C (>= 0) of a tail cut, ``weights`` per eligible candidate."""
        assert self.engagement_terms is not None
        assert self.cvar_col is not None
        cols, vals, owner = self.engagement_terms
        return (
            np.append(cols, self.cvar_col),
            np.append(weights[self.keep][owner] * vals, -1.0),
        )

    def posts_of(self, x: FloatArray) -> IntArray:
        """Posts per model candidate from a solver column vector."""
        n = np.rint(x[self.posts_col]).astype(np.int64)
        y = np.rint(x[self.used_col]).astype(np.int64)
        out: IntArray = np.where(y == 1, n, 0)
        return out

    def full_posts(self, posts: IntArray) -> IntArray:
        """Posts per eligible candidate (zero outside the model)."""
        out = np.zeros(len(self.prepared.eligible), dtype=np.int64)
        out[self.keep] = posts
        return out


@dataclass(frozen=True, slots=True)
class Slack:
    """The elastic model's slack of a constraint group: its weight in the objective, its cap."""

    ref: ConstraintRef
    weight: float = 1.0
    upper: float = INF


class _Assembly:
    """Rows gathered block by block as coordinates, turned column-wise at the end."""

    def __init__(self, elastic: bool) -> None:
        self.elastic = elastic
        self.rows: list[IntArray] = []
        self.cols: list[IntArray] = []
        self.vals: list[FloatArray] = []
        self.lower: list[FloatArray] = []
        self.upper: list[FloatArray] = []
        self.num_row = 0
        # per row: the block (one per ``add`` call, numbered the same whatever the candidate
        # subset), the model candidate it belongs to (-1: a plan-wide row) and whether it is
        # local to that candidate (linking, tangents, one-hot) or couples it with the plan
        self.block_count = 0
        self.blocks: list[IntArray] = []
        self.owners: list[IntArray] = []
        self.local: list[BoolArray] = []
        # elastic models: one slack column per constraint group, appended after the others
        self.slack_group: list[ConstraintRef] = []
        self.slack_weight: list[float] = []
        self.slack_upper: list[float] = []
        self.slack_rows: list[IntArray] = []
        self.slack_signs: list[FloatArray] = []

    def add(
        self,
        rows: IntArray,
        cols: IntArray,
        vals: FloatArray,
        lower: FloatArray | float,
        upper: FloatArray | float,
        count: int,
        group: Slack | None = None,
        owner: IntArray | None = None,
        local: bool = False,
    ) -> None:
        """``count`` rows ``lower <= sum vals x[cols] <= upper``, ``rows`` local to the block;
        ``owner`` gives each row's candidate for per-candidate rows.

        In an elastic model a group's rows share one slack: ``<=`` rows get ``- slack``,
        ``>=`` rows ``+ slack`` (a group's rows are all one-sided the same way)."""
        block = self.block_count
        self.block_count += 1
        if count == 0:
            return
        base = self.num_row
        self.blocks.append(np.full(count, block, dtype=np.int64))
        self.owners.append(np.full(count, -1, dtype=np.int64) if owner is None else owner)
        self.local.append(np.full(count, local, dtype=np.bool_))
        self.rows.append(rows.astype(np.int64) + base)
        self.cols.append(cols.astype(np.int64))
        self.vals.append(vals.astype(np.float64))
        lo = np.broadcast_to(np.asarray(lower, dtype=np.float64), (count,))
        up = np.broadcast_to(np.asarray(upper, dtype=np.float64), (count,))
        self.lower.append(lo)
        self.upper.append(up)
        self.num_row += count
        if self.elastic and group is not None:
            if group.ref not in self.slack_group:
                self.slack_group.append(group.ref)
                self.slack_weight.append(group.weight)
                self.slack_upper.append(group.upper)
                self.slack_rows.append(np.zeros(0, dtype=np.int64))
                self.slack_signs.append(np.zeros(0))
            k = self.slack_group.index(group.ref)
            sign = np.where(np.isfinite(up), -1.0, 1.0)
            self.slack_rows[k] = np.concatenate([self.slack_rows[k], np.arange(count) + base])
            self.slack_signs[k] = np.concatenate([self.slack_signs[k], sign])

    def row(
        self,
        cols: IntArray,
        vals: FloatArray,
        span: tuple[float, float],
        group: Slack | None = None,
    ) -> None:
        """One row ``span[0] <= sum vals x[cols] <= span[1]``; ``group`` as for ``add``."""
        self.add(np.zeros(len(cols), dtype=np.int64), cols, vals, span[0], span[1], 1, group)


def _ranges(lengths: IntArray) -> tuple[IntArray, IntArray]:
    """For blocks of the given lengths: the block of each item and its offset in the block."""
    owner = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    starts = np.cumsum(lengths) - lengths
    offset = np.arange(int(lengths.sum()), dtype=np.int64) - starts[owner]
    return owner, offset


@dataclass(frozen=True, slots=True)
class ColumnLayout:
    """Where each planning variable lives among the model's columns (before elastic slacks):
    n_i, then y_i, then the engagement columns (one e_i per candidate in the tangent model, the
    one-hot w_ik for k = low..high in the exact one), then S, then T where a row needs it, then
    the CVaR's columns and the pairs' z_ab where rows need them."""

    m: int
    exact: bool  # one-hot engagement (decay < 1 with an engagement-share cap)
    tangent: bool  # tangent-line engagement (decay < 1 otherwise)
    extra_start: IntArray | None  # first engagement column of each candidate
    spend: int  # S
    engagement: int | None  # T
    count: int
    # the CVaR's t, followed by u_s for every scenario (only with CVaR rows)
    cvar: int | None = None
    scenarios: int = 0
    # z_ab of every pair, last (only with overlap rows)
    pair_start: int | None = None
    pairs: int = 0

    def with_pairs(self, pairs: int) -> ColumnLayout:
        """This layout with ``pairs`` columns z_ab appended."""
        return replace(self, pair_start=self.count, pairs=pairs, count=self.count + pairs)

    @property
    def tails(self) -> IntArray:
        """The columns u_s."""
        if self.cvar is None:
            return np.zeros(0, dtype=np.int64)
        return np.arange(self.cvar + 1, self.cvar + 1 + self.scenarios, dtype=np.int64)

    @property
    def posts(self) -> IntArray:
        return np.arange(self.m, dtype=np.int64)

    @property
    def used(self) -> IntArray:
        return np.arange(self.m, 2 * self.m, dtype=np.int64)

    @classmethod
    def of(cls, d: CandidateData, prepared: Prepared, cut_form: bool = False) -> ColumnLayout:
        """``cut_form``: the CVaR as one column C under tail cuts, without the u_s."""
        m = len(d)
        beta = prepared.problem.constraints.max_engagement_share_per_influencer
        has_beta = beta is not None and beta < 1.0
        exact = prepared.decay < 1.0 and has_beta
        tangent = prepared.decay < 1.0 and not exact
        extra_start: IntArray | None = None
        num_extra = 0
        if exact:
            widths = d.high - d.low + 1
            extra_start = 2 * m + np.cumsum(widths) - widths
            num_extra = int(widths.sum())
        elif tangent:
            extra_start = 2 * m + np.arange(m, dtype=np.int64)
            num_extra = m
        spend = 2 * m + num_extra
        needs_total = has_beta or prepared.problem.objective.kind is ObjectiveKind.MIN_COST
        engagement = spend + 1 if needs_total else None
        count = spend + 1 + (1 if needs_total else 0)
        if not risk_rows(prepared):
            return cls(m, exact, tangent, extra_start, spend, engagement, count)
        assert prepared.scenarios is not None
        scenarios = 0 if cut_form else prepared.scenarios.count
        return cls(
            m,
            exact,
            tangent,
            extra_start,
            spend,
            engagement,
            count + 1 + scenarios,
            count,
            scenarios,
        )


@dataclass(frozen=True, slots=True)
class _Terms:
    """A per-candidate sum as coordinates: ``vals`` at columns ``cols``, row ``owner``."""

    cols: IntArray
    vals: FloatArray
    owner: IntArray


class _Build:
    """What every block builder reads, and the columns and rows they fill in."""

    def __init__(
        self,
        prepared: Prepared,
        elastic: bool,
        keep: IntArray,
        full: CandidateData,
        cuts: FloatArray | None = None,
    ) -> None:
        self.prepared = prepared
        # tail cuts (rows: cuts, columns: eligible candidates) standing for the scenario rows
        self.cuts = None if cuts is None else cuts[:, keep]
        self.cut_rows: int | None = None
        self.con = prepared.problem.constraints
        self.kind = prepared.problem.objective.kind
        self.decay = prepared.decay
        self.elastic = elastic
        self.keep = keep
        self.full = full
        self.d = full.subset(keep)
        self.idx = np.arange(len(self.d), dtype=np.int64)
        self.scales = problem_scales(prepared)
        self.money = 1.0 / self.scales.money
        self.eng = 1.0 / self.scales.engagement
        self.layout = ColumnLayout.of(self.d, prepared, cut_form=cuts is not None)
        # the pairs with both creators in the model; a pair with one held at zero never costs
        self.pairs: Pairs | None = None
        self.pair_ids: IntArray | None = None
        if prepared.pairs is not None and overlap_rows(prepared):
            self.pairs, self.pair_ids = prepared.pairs.within(keep, len(full))
            self.layout = self.layout.with_pairs(len(self.pairs))
        self.pair_row_start = 0
        high = self.d.high if elastic else affordable_posts(self.d, prepared)
        # a must_include creator who cannot be afforded keeps y_i = 1 and n_i <= u'_i < l_i:
        # the linking row then makes the model infeasible, as the request is
        self.usable: BoolArray = (high >= self.d.low) | self.d.must
        self.high: IntArray = np.maximum(high, 0)
        n = self.layout.count
        self.cost = np.zeros(n)
        self.col_lower = np.zeros(n)
        self.col_upper = np.full(n, INF)
        self.integrality = np.zeros(n, dtype=np.int32)
        self.a = _Assembly(elastic)
        self.spend_n = self.d.price * self.money  # s_i's coefficients, scaled
        self.spend_y = self.d.fee * self.money
        self.engagement = _Terms(self.layout.posts, self.d.first * self.eng, self.idx)

    def spend_terms(self, members: IntArray) -> tuple[IntArray, FloatArray]:
        """The columns and coefficients of sum s_i over ``members``."""
        lay = self.layout
        cols = np.concatenate([lay.posts[members], lay.used[members]])
        return cols, np.concatenate([self.spend_n[members], self.spend_y[members]])


def _column_bounds(b: _Build) -> None:
    lay = b.layout
    b.col_upper[lay.posts] = b.high
    b.col_upper[lay.used] = np.where(b.usable, 1.0, 0.0)
    b.integrality[lay.posts] = 1
    b.integrality[lay.used] = 1
    if b.elastic:
        return
    if lay.engagement is not None:
        # finite, so that a Lagrangian bound over the columns' boxes stays finite
        top = float(np.sum(b.d.engagement(b.high, b.decay)))
        b.col_upper[lay.engagement] = top / b.scales.engagement
    b.col_lower[lay.used] = np.where(b.d.must, 1.0, 0.0)
    b.col_upper[lay.spend] = b.scales.budget
    b.col_lower[lay.spend] = b.con.min_budget_use * b.scales.budget


def _tangent_rows(b: _Build) -> None:
    """E_i <= E(k) y_i + (E(k+1) - E(k)) (n_i - k y_i); the k = 0 row has no y_i term.
    Tangents past u'_i are never needed: n_i <= u'_i."""
    lay = b.layout
    assert lay.extra_start is not None
    owner, k = _ranges(b.high)
    e_k = engagement_at(b.d.first[owner], k, b.decay) * b.eng
    marginal = b.d.first[owner] * b.decay**k * b.eng  # E(k+1) - E(k)
    count = len(owner)
    local = np.arange(count, dtype=np.int64)
    intercept = e_k - marginal * k
    with_y = k > 0
    b.a.add(
        np.concatenate([local, local, local[with_y]]),
        np.concatenate([lay.extra_start[owner], lay.posts[owner], lay.used[owner[with_y]]]),
        np.concatenate([np.ones(count), -marginal, -intercept[with_y]]),
        -INF,
        0.0,
        count,
        owner=owner,
        local=True,
    )
    b.col_upper[lay.extra_start] = b.d.engagement(b.high, b.decay) * b.eng
    b.engagement = _Terms(lay.extra_start, np.ones(lay.m), b.idx)


def _one_hot_rows(b: _Build) -> None:
    """sum_k w_ik = y_i and sum_k k w_ik = n_i."""
    lay, d, m = b.layout, b.d, b.layout.m
    assert lay.extra_start is not None
    owner, offset = _ranges(d.high - d.low + 1)
    k = d.low[owner] + offset
    w_cols = lay.extra_start[owner] + offset
    b.col_upper[w_cols] = np.where(k <= b.high[owner], 1.0, 0.0)
    b.integrality[w_cols] = 1
    for coefficient, column in ((np.ones(len(owner)), lay.used), (k.astype(np.float64), lay.posts)):
        b.a.add(
            np.concatenate([owner, b.idx]),
            np.concatenate([w_cols, column]),
            np.concatenate([coefficient, -np.ones(m)]),
            0.0,
            0.0,
            m,
            owner=b.idx,
            local=True,
        )
    b.engagement = _Terms(w_cols, engagement_at(d.first[owner], k, b.decay) * b.eng, owner)


def _linking_rows(b: _Build) -> None:
    """l_i y_i <= n_i <= u_i y_i, as two rows per candidate."""
    lay, m = b.layout, b.layout.m
    both = np.concatenate([b.idx, b.idx])
    cols = np.concatenate([lay.posts, lay.used])
    for bound, lower, upper in ((b.d.low, 0.0, INF), (b.high, -INF, 0.0)):
        vals = np.concatenate([np.ones(m), -bound.astype(np.float64)])
        b.a.add(both, cols, vals, lower, upper, m, owner=b.idx, local=True)


def _totals_rows(b: _Build) -> None:
    """S = sum s_i, and T = sum E_i where T exists."""
    lay = b.layout
    cols, vals = b.spend_terms(b.idx)
    b.a.row(np.append(cols, lay.spend), np.append(vals, -1.0), (0.0, 0.0))
    if lay.engagement is not None:
        e = b.engagement
        b.a.row(np.append(e.cols, lay.engagement), np.append(e.vals, -1.0), (0.0, 0.0))


def _block_1_budget(b: _Build) -> None:
    """S <= B and S >= min_budget_use B (column bounds outside the elastic model)."""
    if not b.elastic:
        return
    spend = np.array([b.layout.spend])
    one = np.ones(1)
    b.a.row(spend, one, (-INF, b.scales.budget), Slack(ConstraintRef(ConstraintKind.BUDGET)))
    if b.con.min_budget_use > 0:
        floor = b.con.min_budget_use * b.scales.budget
        b.a.row(spend, one, (floor, INF), Slack(ConstraintRef(ConstraintKind.MIN_BUDGET_USE)))


def _block_2_concentration(b: _Build) -> None:
    """s_i <= cap S, s_i <= max_spend (rows only in the elastic model), E_i <= beta T."""
    lay, con, m = b.layout, b.con, b.layout.m
    both = np.concatenate([b.idx, b.idx])
    cols, vals = b.spend_terms(b.idx)
    cap = con.max_share_per_influencer
    if cap is not None and cap < 1.0:
        b.a.add(
            np.concatenate([both, b.idx]),
            np.concatenate([cols, np.full(m, lay.spend)]),
            np.concatenate([vals, np.full(m, -cap)]),
            -INF,
            0.0,
            m,
            Slack(ConstraintRef(ConstraintKind.MAX_SHARE_PER_INFLUENCER)),
            owner=b.idx,
        )
    if b.elastic and con.max_spend_per_influencer is not None:
        limit = con.max_spend_per_influencer * b.money
        group = Slack(ConstraintRef(ConstraintKind.MAX_SPEND_PER_INFLUENCER))
        b.a.add(both, cols, vals, -INF, limit, m, group, owner=b.idx)
    beta = con.max_engagement_share_per_influencer
    if beta is not None and beta < 1.0:
        assert lay.engagement is not None
        e = b.engagement
        all_top = float(np.sum(b.full.engagement(b.full.high, b.decay))) * b.eng
        b.a.add(
            np.concatenate([e.owner, b.idx]),
            np.concatenate([e.cols, np.full(m, lay.engagement)]),
            np.concatenate([e.vals, np.full(m, -beta)]),
            -INF,
            0.0,
            m,
            Slack(
                ConstraintRef(ConstraintKind.MAX_ENGAGEMENT_SHARE_PER_INFLUENCER),
                weight=1.0 / max(1.0, all_top),
            ),
            owner=b.idx,
        )


def _block_3_mix(b: _Build) -> None:
    """min S <= sum_{i in g} s_i <= max S for each tier and platform bound."""
    d, con = b.d, b.con
    for group, labels, names, shares in (
        ("tier", d.tier, d.tier_names, con.tier_share),
        ("platform", d.platform, d.platform_names, con.platform_share),
    ):
        for name, bounds in shares.items():
            members = np.flatnonzero(labels == names.index(name)) if name in names else b.idx[:0]
            cols, vals = b.spend_terms(members)
            cols = np.append(cols, b.layout.spend)
            if bounds.min is not None and bounds.min > 0:
                ref = ConstraintRef(ConstraintKind.mix(group, "min"), name)
                b.a.row(cols, np.append(vals, -bounds.min), (0.0, INF), Slack(ref))
            if bounds.max is not None and bounds.max < 1:
                ref = ConstraintRef(ConstraintKind.mix(group, "max"), name)
                b.a.row(cols, np.append(vals, -bounds.max), (-INF, 0.0), Slack(ref))


def _block_4_capacity(b: _Build) -> None:
    """min_influencers <= sum y_i <= max_influencers; outside the elastic model the floor is
    the fewest creators a plan can have, so no empty plan is suggested while one is affordable."""
    con, used, ones = b.con, b.layout.used, np.ones(b.layout.m)
    high_count = INF if con.max_influencers is None else float(con.max_influencers)
    if not b.elastic:
        if con.min_influencers > 0 or high_count < INF:
            floor = float(fewest_creators(b.prepared.problem))
            b.a.row(used, ones, (floor, high_count))
        return
    if con.min_influencers > 0:
        fewest = Slack(
            ConstraintRef(ConstraintKind.MIN_INFLUENCERS),
            weight=1.0 / con.min_influencers,
            upper=con.min_influencers - (1 if b.prepared.eligible else 0),
        )
        b.a.row(used, ones, (float(con.min_influencers), INF), fewest)
    if con.max_influencers is not None:
        most = Slack(
            ConstraintRef(ConstraintKind.MAX_INFLUENCERS), weight=1.0 / max(1, con.max_influencers)
        )
        b.a.row(used, ones, (-INF, high_count), most)


def _block_5_must_include(b: _Build) -> None:
    """y_i >= 1 for a must_include creator (a column bound outside the elastic model)."""
    if not b.elastic:
        return
    position = {int(j): i for i, j in enumerate(b.keep)}
    index = {e.candidate.id: i for i, e in enumerate(b.prepared.eligible)}
    for cid in b.con.must_include:
        if cid in index and index[cid] in position:
            forced = Slack(ConstraintRef(ConstraintKind.MUST_INCLUDE, cid), upper=1.0)
            b.a.row(b.layout.used[[position[index[cid]]]], np.ones(1), (1.0, INF), forced)


def _block_6_target(b: _Build) -> None:
    """T >= target_engagement (min_cost only)."""
    target = b.prepared.problem.objective.target_engagement
    if b.kind is ObjectiveKind.MIN_COST and target is not None and target > 0:
        assert b.layout.engagement is not None
        goal = target * b.eng
        met = Slack(ConstraintRef(ConstraintKind.TARGET_ENGAGEMENT), weight=1.0 / goal)
        b.a.row(np.array([b.layout.engagement]), np.ones(1), (goal, INF), met)


def _block_7_cvar(b: _Build) -> None:
    """u_s - t + sum_i m_is E_i >= 0 per scenario; t - sum_s u_s / (alpha S) >= the CVaR floor.
    In the cut form (``tail_cuts``), sum_i w_ki E_i - C >= 0 per cut k, and C >= the floor."""
    lay = b.layout
    scenarios = b.prepared.scenarios
    if lay.cvar is None or scenarios is None:
        return
    if b.cuts is not None:
        _tail_cut_rows(b, b.cuts)
        return
    count = scenarios.count
    e = b.engagement
    multipliers = scenarios.multipliers[b.keep][e.owner]  # per engagement term, per scenario
    terms = len(e.cols)
    rows = np.concatenate(
        [np.repeat(np.arange(count, dtype=np.int64), terms), np.arange(count), np.arange(count)]
    )
    cols = np.concatenate([np.tile(e.cols, count), np.full(count, lay.cvar), lay.tails])
    vals = np.concatenate(
        [(e.vals[:, None] * multipliers).T.ravel(), -np.ones(count), np.ones(count)]
    )
    b.a.add(rows, cols, vals, 0.0, INF, count)
    b.col_lower[lay.tails] = 0.0
    floor = b.con.min_cvar_engagement
    if floor is not None and floor > 0:
        goal = floor * b.eng
        met = Slack(ConstraintRef(ConstraintKind.MIN_CVAR_ENGAGEMENT), weight=1.0 / goal)
        weight = 1.0 / (scenarios.alpha * count)
        b.a.row(
            np.append(lay.cvar, lay.tails),
            np.append(1.0, np.full(count, -weight)),
            (goal, INF),
            met,
        )


def _tail_cut_rows(b: _Build, cuts: FloatArray) -> None:
    """sum_i w_ki E_i - C >= 0 for every cut k (see optimizer/tail_cuts.py), C >= the floor."""
    lay, e = b.layout, b.engagement
    assert lay.cvar is not None
    count, terms = cuts.shape[0], len(e.cols)
    b.cut_rows = b.a.num_row
    rows = np.concatenate([np.repeat(np.arange(count, dtype=np.int64), terms), np.arange(count)])
    cols = np.concatenate([np.tile(e.cols, count), np.full(count, lay.cvar)])
    vals = np.concatenate([(cuts[:, e.owner] * e.vals).ravel(), -np.ones(count)])
    b.a.add(rows, cols, vals, 0.0, INF, count)
    floor = b.con.min_cvar_engagement
    if floor is not None and floor > 0:
        goal = floor * b.eng
        met = Slack(ConstraintRef(ConstraintKind.MIN_CVAR_ENGAGEMENT), weight=1.0 / goal)
        b.a.row(np.array([lay.cvar]), np.ones(1), (goal, INF), met)


def _block_8_overlap(b: _Build) -> None:
    """y_a + y_b - z_ab <= 1 per pair with 0 <= z_ab <= 1, and
    sum w_ab z_ab - max_overlap_share sum r_i y_i <= 0 (model.py ``_block_8_overlap``).

    The pair rows are plan-wide rows (no owner): a bound that prices creators one by one
    (reduce.py) then sees z_ab as a column of its own in its box, which keeps it valid."""
    pairs, lay = b.pairs, b.layout
    if pairs is None or lay.pair_start is None:
        return
    count = len(pairs)
    z = lay.pair_start + np.arange(count, dtype=np.int64)
    b.col_upper[z] = 1.0
    local = np.arange(count, dtype=np.int64)
    b.pair_row_start = b.a.num_row
    b.a.add(
        np.concatenate([local, local, local]),
        np.concatenate([lay.used[pairs.a], lay.used[pairs.b], z]),
        np.concatenate([np.ones(count), np.ones(count), -np.ones(count)]),
        -INF,
        1.0,
        count,
    )
    cap = overlap_cap(b.prepared.problem)
    if cap is not None:
        rs = 1.0 / b.scales.reach
        group = Slack(ConstraintRef(ConstraintKind.MAX_OVERLAP_SHARE))
        b.a.row(
            np.concatenate([z, lay.used]),
            np.concatenate([pairs.shared * rs, -cap * b.d.reach * rs]),
            (-INF, 0.0),
            group,
        )


def _objective(b: _Build) -> Sense:
    """The objective's coefficients; the elastic model minimises its slacks instead."""
    if b.elastic:
        return Sense.MINIMIZE
    if b.kind is ObjectiveKind.CVAR_ENGAGEMENT:
        lay, scenarios = b.layout, b.prepared.scenarios
        assert lay.cvar is not None
        assert scenarios is not None
        aversion = b.prepared.problem.objective.risk_aversion
        np.add.at(b.cost, b.engagement.cols, (1.0 - aversion) * b.engagement.vals)
        b.cost[lay.cvar] = aversion
        b.cost[lay.tails] = -aversion / (scenarios.alpha * scenarios.count)
    elif b.kind is ObjectiveKind.ENGAGEMENT:
        b.cost[b.engagement.cols] = b.engagement.vals
    elif b.kind in (ObjectiveKind.REACH, ObjectiveKind.UNIQUE_REACH):
        b.cost[b.layout.used] = b.d.reach / b.scales.reach
        unique = b.kind is ObjectiveKind.UNIQUE_REACH
        if unique and b.pairs is not None and b.layout.pair_start is not None:
            z = b.layout.pair_start + np.arange(len(b.pairs))
            b.cost[z] = -b.pairs.shared / b.scales.reach
    else:
        b.cost[b.layout.spend] = 1.0
    return Sense.of(b.kind)


def _slack_columns(b: _Build) -> dict[ConstraintRef, int]:
    """Elastic models: one slack column per constraint group, after the others."""
    a = b.a
    slack_cols: dict[ConstraintRef, int] = {}
    if not (b.elastic and a.slack_group):
        return slack_cols
    first = len(b.cost)
    extra = len(a.slack_group)
    b.cost = np.concatenate([b.cost, np.asarray(a.slack_weight)])
    b.col_lower = np.concatenate([b.col_lower, np.zeros(extra)])
    b.col_upper = np.concatenate([b.col_upper, np.asarray(a.slack_upper)])
    b.integrality = np.concatenate([b.integrality, np.zeros(extra, dtype=np.int32)])
    for j, group in enumerate(a.slack_group):
        slack_cols[group] = first + j
        a.rows.append(a.slack_rows[j])
        a.cols.append(np.full(len(a.slack_rows[j]), first + j, dtype=np.int64))
        a.vals.append(a.slack_signs[j])
    return slack_cols


def _array_model(b: _Build, sense: Sense, slack_cols: dict[ConstraintRef, int]) -> ArrayModel:
    """The rows gathered so far turned column-wise."""
    a, lay = b.a, b.layout
    num_col = len(b.cost)
    all_rows = _joined(a.rows, np.int64)
    all_cols = _joined(a.cols, np.int64)
    all_vals = _joined(a.vals, np.float64)
    order = np.argsort(all_cols, kind="stable")
    start = np.zeros(num_col + 1, dtype=np.int32)
    np.cumsum(np.bincount(all_cols, minlength=num_col), out=start[1:])
    return ArrayModel(
        prepared=b.prepared,
        data=b.d,
        keep=b.keep,
        scales=b.scales,
        elastic=b.elastic,
        sense=sense,
        cost=b.cost,
        col_lower=b.col_lower,
        col_upper=b.col_upper,
        integrality=b.integrality,
        row_lower=np.concatenate(a.lower) if a.lower else np.zeros(0),
        row_upper=np.concatenate(a.upper) if a.upper else np.zeros(0),
        start=start,
        index=all_rows[order].astype(np.int32),
        value=all_vals[order],
        posts_col=lay.posts,
        used_col=lay.used,
        extra_start=lay.extra_start,
        exact_engagement=lay.exact,
        spend_col=lay.spend,
        engagement_col=lay.engagement,
        row_block=_joined(a.blocks, np.int64),
        row_owner=_joined(a.owners, np.int64),
        row_local=_joined(a.local, np.bool_),
        slack_cols=slack_cols,
        cvar_col=lay.cvar,
        tail_cols=lay.tails if lay.cvar is not None else None,
        multipliers=None
        if b.prepared.scenarios is None or lay.cvar is None
        else b.prepared.scenarios.multipliers[b.keep],
        tail_cuts=b.cuts,
        cut_rows=b.cut_rows,
        engagement_terms=(b.engagement.cols, b.engagement.vals, b.engagement.owner),
        pairs=b.pairs,
        pair_start=lay.pair_start,
        row_pair=_row_pairs(b),
    )


def _row_pairs(b: _Build) -> IntArray | None:
    """Per row, the pair of a pair row (index into prepared.pairs), -1 for the others."""
    if b.pair_ids is None:
        return None
    out = np.full(b.a.num_row, -1, dtype=np.int64)
    out[b.pair_row_start : b.pair_row_start + len(b.pair_ids)] = b.pair_ids
    return out


def build_arrays(
    prepared: Prepared,
    elastic: bool = False,
    keep: IntArray | None = None,
    data: CandidateData | None = None,
    cuts: FloatArray | None = None,
) -> ArrayModel:
    """The model of ``prepared`` over the candidates ``keep`` (all when None).

    ``data`` may pass ``CandidateData.of(prepared)`` already computed. The blocks are built in
    the order, and with the numbers, of model.py (docs/model.md lists every row); with ``cuts``
    (tail weights per cut and eligible candidate), block 7 is the cut form of the CVaR."""
    full = data if data is not None else CandidateData.of(prepared)
    if keep is None:
        keep = np.arange(len(full), dtype=np.int64)
    b = _Build(prepared, elastic, keep, full, cuts)
    _column_bounds(b)
    if b.layout.tangent:
        _tangent_rows(b)
    elif b.layout.exact:
        _one_hot_rows(b)
    _linking_rows(b)
    _totals_rows(b)
    _block_1_budget(b)
    _block_2_concentration(b)
    _block_3_mix(b)
    _block_4_capacity(b)
    _block_5_must_include(b)
    _block_6_target(b)
    _block_7_cvar(b)
    _block_8_overlap(b)
    sense = _objective(b)
    return _array_model(b, sense, _slack_columns(b))


def _joined(parts: list[NDArray[Any]], dtype: type) -> NDArray[Any]:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)
