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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from optimizer.model import Scales, problem_scales
from optimizer.prepare import Prepared, fewest_creators
from optimizer.problem import ObjectiveKind

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
        """Each candidate's contribution to the objective, in natural units."""
        if kind is ObjectiveKind.ENGAGEMENT:
            return self.engagement(posts, decay)
        if kind is ObjectiveKind.REACH:
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
    maximize: bool
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
    slack_cols: dict[str, int] = field(default_factory=dict)
    # spend and engagement (scaled) of creators held at fixed posts outside the model, which
    # S and T include (see neighbourhood.py)
    held_spend: float = 0.0
    held_engagement: float = 0.0

    @property
    def num_col(self) -> int:
        return len(self.cost)

    @property
    def num_row(self) -> int:
        return len(self.row_lower)

    def objective_scale(self) -> float:
        """Multiply a (scaled) objective of this model by this to get natural units."""
        if self.elastic:
            return 1.0
        kind = self.prepared.problem.objective.kind
        if kind is ObjectiveKind.ENGAGEMENT:
            return self.scales.engagement
        if kind is ObjectiveKind.REACH:
            return self.scales.reach
        return self.scales.money

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
        return x

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
        self.slack_group: list[str] = []
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
        group: str | None = None,
        weight: float = 1.0,
        slack_upper: float = INF,
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
            if group not in self.slack_group:
                self.slack_group.append(group)
                self.slack_weight.append(weight)
                self.slack_upper.append(slack_upper)
                self.slack_rows.append(np.zeros(0, dtype=np.int64))
                self.slack_signs.append(np.zeros(0))
            k = self.slack_group.index(group)
            sign = np.where(np.isfinite(up), -1.0, 1.0)
            self.slack_rows[k] = np.concatenate([self.slack_rows[k], np.arange(count) + base])
            self.slack_signs[k] = np.concatenate([self.slack_signs[k], sign])

    def row(
        self,
        cols: IntArray,
        vals: FloatArray,
        lower: float,
        upper: float,
        group: str | None = None,
        weight: float = 1.0,
        slack_upper: float = INF,
    ) -> None:
        self.add(
            np.zeros(len(cols), dtype=np.int64),
            cols,
            vals,
            lower,
            upper,
            1,
            group,
            weight,
            slack_upper,
        )


def _ranges(lengths: IntArray) -> tuple[IntArray, IntArray]:
    """For blocks of the given lengths: the block of each item and its offset in the block."""
    owner = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    starts = np.cumsum(lengths) - lengths
    offset = np.arange(int(lengths.sum()), dtype=np.int64) - starts[owner]
    return owner, offset


def build_arrays(
    prepared: Prepared,
    elastic: bool = False,
    keep: IntArray | None = None,
    data: CandidateData | None = None,
) -> ArrayModel:
    """The model of ``prepared`` over the candidates ``keep`` (all when None).

    ``data`` may pass ``CandidateData.of(prepared)`` already computed."""
    problem = prepared.problem
    con = problem.constraints
    kind = problem.objective.kind
    decay = prepared.decay
    full = data if data is not None else CandidateData.of(prepared)
    if keep is None:
        keep = np.arange(len(full), dtype=np.int64)
    d = full.subset(keep)
    m = len(d)
    scales = problem_scales(prepared)
    money = 1.0 / scales.money
    eng = 1.0 / scales.engagement
    idx = np.arange(m, dtype=np.int64)

    # --- columns: n, y, engagement columns, S, T ------------------------------------------
    posts_col = idx
    used_col = idx + m
    beta = con.max_engagement_share_per_influencer
    has_beta = beta is not None and beta < 1.0
    exact = decay < 1.0 and has_beta
    tangent = decay < 1.0 and not exact
    high = d.high if elastic else affordable_posts(d, prepared)
    # a must_include creator who cannot be afforded keeps y_i = 1 and n_i <= u'_i < l_i:
    # the linking row then makes the model infeasible, as the request is
    usable = (high >= d.low) | d.must
    high = np.maximum(high, 0)
    if exact:
        widths = d.high - d.low + 1
        extra_start: IntArray | None = 2 * m + np.cumsum(widths) - widths
        num_extra = int(widths.sum())
    elif tangent:
        extra_start = 2 * m + idx
        num_extra = m
    else:
        extra_start = None
        num_extra = 0
    spend_col = 2 * m + num_extra
    needs_total_engagement = has_beta or kind is ObjectiveKind.MIN_COST
    engagement_col = spend_col + 1 if needs_total_engagement else None
    num_col = spend_col + 1 + (1 if needs_total_engagement else 0)

    cost = np.zeros(num_col)
    col_lower = np.zeros(num_col)
    col_upper = np.full(num_col, INF)
    integrality = np.zeros(num_col, dtype=np.int32)
    col_upper[posts_col] = high
    col_upper[used_col] = np.where(usable, 1.0, 0.0)
    integrality[posts_col] = 1
    integrality[used_col] = 1
    if engagement_col is not None and not elastic:
        # finite, so that a Lagrangian bound over the columns' boxes stays finite
        col_upper[engagement_col] = float(np.sum(d.engagement(high, decay))) / scales.engagement
    if not elastic:
        col_lower[used_col] = np.where(d.must, 1.0, 0.0)
        col_upper[spend_col] = scales.budget
        col_lower[spend_col] = con.min_budget_use * scales.budget

    # engagement at k posts, scaled: the tangent and one-hot coefficients
    a = _Assembly(elastic)
    engagement_cols: IntArray
    engagement_vals: FloatArray
    engagement_owner: IntArray
    spend_vals_n = d.price * money
    spend_vals_y = d.fee * money
    if tangent:
        assert extra_start is not None
        # tangents past u'_i are never needed: n_i <= u'_i
        owner, k = _ranges(high)
        e_k = engagement_at(d.first[owner], k, decay) * eng
        marginal = d.first[owner] * decay**k * eng  # E(k+1) - E(k)
        count = len(owner)
        local = np.arange(count, dtype=np.int64)
        # E_i <= E(k) y_i + (E(k+1) - E(k)) (n_i - k y_i); the k = 0 row has no y_i term
        intercept = e_k - marginal * k
        with_y = k > 0
        a.add(
            np.concatenate([local, local, local[with_y]]),
            np.concatenate([extra_start[owner], posts_col[owner], used_col[owner[with_y]]]),
            np.concatenate([np.ones(count), -marginal, -intercept[with_y]]),
            -INF,
            0.0,
            count,
            owner=owner,
            local=True,
        )
        col_upper[extra_start] = d.engagement(high, decay) * eng
        engagement_cols = extra_start
        engagement_vals = np.ones(m)
        engagement_owner = idx
    elif exact:
        assert extra_start is not None
        owner, offset = _ranges(d.high - d.low + 1)
        k = d.low[owner] + offset
        w_cols = extra_start[owner] + offset
        col_upper[w_cols] = np.where(k <= high[owner], 1.0, 0.0)
        integrality[w_cols] = 1
        # sum_k w_ik = y_i and sum_k k w_ik = n_i
        a.add(
            np.concatenate([owner, idx]),
            np.concatenate([w_cols, used_col]),
            np.concatenate([np.ones(len(owner)), -np.ones(m)]),
            0.0,
            0.0,
            m,
            owner=idx,
            local=True,
        )
        a.add(
            np.concatenate([owner, idx]),
            np.concatenate([w_cols, posts_col]),
            np.concatenate([k.astype(np.float64), -np.ones(m)]),
            0.0,
            0.0,
            m,
            owner=idx,
            local=True,
        )
        engagement_cols = w_cols
        engagement_vals = engagement_at(d.first[owner], k, decay) * eng
        engagement_owner = owner
    else:
        engagement_cols = posts_col
        engagement_vals = d.first * eng
        engagement_owner = idx

    # linking: l_i y_i <= n_i <= u_i y_i
    both = np.concatenate([idx, idx])
    a.add(
        both,
        np.concatenate([posts_col, used_col]),
        np.concatenate([np.ones(m), -d.low.astype(np.float64)]),
        0.0,
        INF,
        m,
        owner=idx,
        local=True,
    )
    a.add(
        both,
        np.concatenate([posts_col, used_col]),
        np.concatenate([np.ones(m), -high.astype(np.float64)]),
        -INF,
        0.0,
        m,
        owner=idx,
        local=True,
    )

    # plan spend S = sum s_i
    a.row(
        np.concatenate([posts_col, used_col, [spend_col]]),
        np.concatenate([spend_vals_n, spend_vals_y, [-1.0]]),
        0.0,
        0.0,
    )
    if engagement_col is not None:
        a.row(
            np.concatenate([engagement_cols, [engagement_col]]),
            np.concatenate([engagement_vals, [-1.0]]),
            0.0,
            0.0,
        )

    # 1. budget (column bounds outside the elastic model)
    if elastic:
        a.row(np.array([spend_col]), np.array([1.0]), -INF, scales.budget, "budget")
        if con.min_budget_use > 0:
            floor = con.min_budget_use * scales.budget
            a.row(np.array([spend_col]), np.array([1.0]), floor, INF, "min_budget_use")

    # 2. concentration: s_i - cap S <= 0
    cap = con.max_share_per_influencer
    if cap is not None and cap < 1.0:
        three = np.concatenate([idx, idx, idx])
        a.add(
            three,
            np.concatenate([posts_col, used_col, np.full(m, spend_col)]),
            np.concatenate([spend_vals_n, spend_vals_y, np.full(m, -cap)]),
            -INF,
            0.0,
            m,
            "max_share_per_influencer",
            owner=idx,
        )
    if elastic and con.max_spend_per_influencer is not None:
        a.add(
            both,
            np.concatenate([posts_col, used_col]),
            np.concatenate([spend_vals_n, spend_vals_y]),
            -INF,
            con.max_spend_per_influencer * money,
            m,
            "max_spend_per_influencer",
            owner=idx,
        )
    if has_beta:
        assert beta is not None
        assert engagement_col is not None
        all_top = float(np.sum(full.engagement(full.high, decay))) * eng
        a.add(
            np.concatenate([engagement_owner, idx]),
            np.concatenate([engagement_cols, np.full(m, engagement_col)]),
            np.concatenate([engagement_vals, np.full(m, -beta)]),
            -INF,
            0.0,
            m,
            "max_engagement_share_per_influencer",
            weight=1.0 / max(1.0, all_top),
            owner=idx,
        )

    # 3. tier and platform mix: min S <= sum_{i in g} s_i <= max S
    for group_kind, labels, names, shares in (
        ("tier", d.tier, d.tier_names, con.tier_share),
        ("platform", d.platform, d.platform_names, con.platform_share),
    ):
        for name, bounds in shares.items():
            members = np.flatnonzero(labels == names.index(name)) if name in names else idx[:0]
            cols = np.concatenate([posts_col[members], used_col[members], [spend_col]])
            if bounds.min is not None and bounds.min > 0:
                vals = np.concatenate([spend_vals_n[members], spend_vals_y[members], [-bounds.min]])
                a.row(cols, vals, 0.0, INF, f"{group_kind}_min:{name}")
            if bounds.max is not None and bounds.max < 1:
                vals = np.concatenate([spend_vals_n[members], spend_vals_y[members], [-bounds.max]])
                a.row(cols, vals, -INF, 0.0, f"{group_kind}_max:{name}")

    # 4. management capacity
    ones = np.ones(m)
    eligible_any = len(prepared.eligible) > 0
    low_count = float(con.min_influencers)
    high_count = INF if con.max_influencers is None else float(con.max_influencers)
    if elastic:
        if con.min_influencers > 0:
            a.row(
                used_col,
                ones,
                low_count,
                INF,
                "min_influencers",
                weight=1.0 / con.min_influencers,
                slack_upper=con.min_influencers - (1 if eligible_any else 0),
            )
        if con.max_influencers is not None:
            a.row(
                used_col,
                ones,
                -INF,
                high_count,
                "max_influencers",
                weight=1.0 / max(1, con.max_influencers),
            )
    elif low_count > 0 or high_count < INF:
        a.row(used_col, ones, float(fewest_creators(prepared.problem)), high_count)

    # 5. must include (a column bound outside the elastic model)
    if elastic:
        position = {int(j): i for i, j in enumerate(keep)}
        index = {e.candidate.id: i for i, e in enumerate(prepared.eligible)}
        for cid in con.must_include:
            if cid in index and index[cid] in position:
                a.row(
                    used_col[[position[index[cid]]]],
                    np.ones(1),
                    1.0,
                    INF,
                    f"must_include:{cid}",
                    slack_upper=1.0,
                )

    target = problem.objective.target_engagement
    if kind is ObjectiveKind.MIN_COST and target is not None and target > 0:
        assert engagement_col is not None
        a.row(
            np.array([engagement_col]),
            np.ones(1),
            target * eng,
            INF,
            "target_engagement",
            weight=1.0 / (target * eng),
        )

    # --- objective ------------------------------------------------------------------------
    if elastic:
        maximize = False
    elif kind is ObjectiveKind.ENGAGEMENT:
        maximize = True
        cost[engagement_cols] = engagement_vals
    elif kind is ObjectiveKind.REACH:
        maximize = True
        cost[used_col] = d.reach / scales.reach
    else:
        maximize = False
        cost[spend_col] = 1.0

    # --- slack columns (elastic) and the column-wise matrix ---------------------------------
    slack_cols: dict[str, int] = {}
    row_parts = list(a.rows)
    col_parts = list(a.cols)
    val_parts = list(a.vals)
    if elastic and a.slack_group:
        first_slack = num_col
        num_col += len(a.slack_group)
        cost = np.concatenate([cost, np.asarray(a.slack_weight)])
        col_lower = np.concatenate([col_lower, np.zeros(len(a.slack_group))])
        col_upper = np.concatenate([col_upper, np.asarray(a.slack_upper)])
        integrality = np.concatenate([integrality, np.zeros(len(a.slack_group), dtype=np.int32)])
        for j, group in enumerate(a.slack_group):
            slack_cols[group] = first_slack + j
            row_parts.append(a.slack_rows[j])
            col_parts.append(np.full(len(a.slack_rows[j]), first_slack + j, dtype=np.int64))
            val_parts.append(a.slack_signs[j])

    all_rows = _joined(row_parts, np.int64)
    all_cols = _joined(col_parts, np.int64)
    all_vals = _joined(val_parts, np.float64)
    order = np.argsort(all_cols, kind="stable")
    start = np.zeros(num_col + 1, dtype=np.int32)
    np.cumsum(np.bincount(all_cols, minlength=num_col), out=start[1:])
    return ArrayModel(
        prepared=prepared,
        data=d,
        keep=keep,
        scales=scales,
        elastic=elastic,
        maximize=maximize,
        cost=cost,
        col_lower=col_lower,
        col_upper=col_upper,
        integrality=integrality,
        row_lower=np.concatenate(a.lower) if a.lower else np.zeros(0),
        row_upper=np.concatenate(a.upper) if a.upper else np.zeros(0),
        start=start,
        index=all_rows[order].astype(np.int32),
        value=all_vals[order],
        posts_col=posts_col,
        used_col=used_col,
        extra_start=extra_start,
        exact_engagement=exact,
        spend_col=spend_col,
        engagement_col=engagement_col,
        row_block=_joined(a.blocks, np.int64),
        row_owner=_joined(a.owners, np.int64),
        row_local=_joined(a.local, np.bool_),
        slack_cols=slack_cols,
    )


def _joined(parts: list[NDArray[Any]], dtype: type) -> NDArray[Any]:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)
