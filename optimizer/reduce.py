"""Exact reductions: dropping creators who cannot appear in any plan better than a known one.

Bound. For row multipliers pi (any values of the right sign: pi_r >= 0 only where row r has an
upper bound, pi_r <= 0 only where it has a lower bound) every plan x of a maximization meets

    c x  <=  sum_r h_r(pi_r) + max over x of (c - pi A) x,   h_r(p) = p u_r if p > 0 else p l_r,

because pi_r (A x)_r <= h_r(pi_r) for each row. Only the rows that couple creators are priced
(plan totals, share caps, tier and platform mixes, the creator count); each creator's own rows
(linking, tangents, one-hot) stay exact, so the maximum splits into one small problem per
creator over their integer choices n in {0} U [l, u'], and the plan columns S and T over their
bounds. With the duals of the LP relaxation the bound is at most the LP bound, and valid for any
multipliers, however inexact the LP.

Fixing. A creator whose best plan-with-them bound (the sum above with their own term restricted
to n >= l) is below the objective of a known plan cannot be in any better plan, so the MIP is
solved without them. The known plan is kept as the answer if nothing better is found, hence the
optimum of the full problem is max(known, optimum without them): same objective, exactly.

On large problems the LP is solved over a core of promising creators; the others are priced with
the core's multipliers (a creator outside the LP has a slack share cap, whose multiplier is 0).
While some would improve the LP, the next round's core is the LP's plan and the creators priced
best. The core keeps its size rather than growing: each round's LP starts afresh, and a large one
is slow.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from optimizer.arrays import (
    ArrayModel,
    BoolArray,
    CandidateData,
    FloatArray,
    IntArray,
    build_arrays,
    engagement_at,
)
from optimizer.highs_run import run_highs
from optimizer.prepare import Prepared, fewest_creators

# Up to this many creators the LP is solved over all of them.
_FULL_LP_MAX = 4_000
_CORE_ROUNDS = 8
_CORE_SIZE = 2_500
# Pair rows are keyed after this many blocks' worth of keys.
_PAIR_KEYS = 10_000
# Float noise allowed when comparing a creator's bound with the known plan's objective.
_FIX_TOL = 1e-9
# Slack on the share cap when proving that no spends are close enough: looser than any check a
# plan passes (at most 1e-7 of the spend), so no plan the solver could answer with is ruled out.
_SHARE_TOL = 1e-6
# Spend bands looked at one by one before giving up on the proof (each costs a unique()).
_SHARE_BANDS_MAX = 10_000


@dataclass(frozen=True, slots=True)
class Pricing:
    """The Lagrangian bound of a model for one set of multipliers, in scaled units of a
    maximization (min_cost models are negated)."""

    bound: float
    # per model candidate: the best own term over all choices, and over n >= l (-inf if none)
    best: FloatArray
    best_used: FloatArray
    # per model candidate: the posts of the best choice with n >= l
    posts_used: IntArray

    def bound_if_used(self) -> FloatArray:
        out: FloatArray = self.bound - self.best + self.best_used
        return out


def _signed_duals(model: ArrayModel, duals: FloatArray) -> FloatArray:
    """Multipliers of the right sign for the bound, priced rows only.

    HiGHS's row duals are d(objective)/d(rhs) of the problem as posed; in the convention of the
    bound above (a maximization) that is pi itself for a max problem and -pi for a min one."""
    pi = model.sense.sign * duals
    pi = np.where(model.row_local, 0.0, pi)
    pi = np.where((pi > 0) & ~np.isfinite(model.row_upper), 0.0, pi)
    out: FloatArray = np.where((pi < 0) & ~np.isfinite(model.row_lower), 0.0, pi)
    return out


def price(model: ArrayModel, duals: FloatArray) -> Pricing:
    """The bound for row multipliers ``duals`` (HiGHS's sign convention, one per model row)."""
    return price_signed(model, _signed_duals(model, duals))


def price_signed(model: ArrayModel, pi: FloatArray) -> Pricing:
    """The bound for multipliers ``pi`` already in the sign convention above (a maximization;
    zero on local rows)."""
    sign = model.sense.sign
    col_of = np.repeat(np.arange(model.num_col), np.diff(model.start))
    reduced = sign * model.cost - np.bincount(
        col_of, weights=model.value * pi[model.index], minlength=model.num_col
    )
    return priced(model, pi, reduced)


def plan_columns(model: ArrayModel) -> BoolArray:
    """Columns outside the creators' own blocks: S, T."""
    own = np.zeros(model.num_col, dtype=np.bool_)
    own[model.posts_col] = True
    own[model.used_col] = True
    if model.extra_start is not None:
        own[2 * len(model.data) : model.spend_col] = True
    out: BoolArray = ~own
    return out


def priced(
    model: ArrayModel, pi: FloatArray, reduced: FloatArray, plan: BoolArray | None = None
) -> Pricing:
    """The bound for multipliers ``pi`` whose reduced costs ``c - pi A`` are ``reduced``."""
    # pi_r is nonzero only where the bound it takes is finite
    taken = np.where(pi > 0, model.row_upper, np.where(pi < 0, model.row_lower, 0.0))
    rows = float(np.sum(pi * taken))
    best, best_used, posts_used = _own_terms(model, reduced)
    if plan is None:
        plan = plan_columns(model)
    r = reduced[plan]
    boxes = np.maximum(r * model.col_lower[plan], r * model.col_upper[plan])
    total = float(rows + np.sum(boxes) + np.sum(best))
    return Pricing(total, best, best_used, posts_used)


def _own_terms(model: ArrayModel, reduced: FloatArray) -> tuple[FloatArray, FloatArray, IntArray]:
    d = model.data
    decay = model.prepared.decay
    r_n = reduced[model.posts_col]
    r_y = reduced[model.used_col]
    low = d.low
    high = np.rint(model.col_upper[model.posts_col]).astype(np.int64)
    can_use = model.col_upper[model.used_col] > 0.5
    can_use &= high >= low
    m = len(d)
    if model.extra_start is None:
        # linear in n: an end of [l, u'] is best
        best_used = r_y + np.maximum(r_n * low, r_n * high)
        posts = np.where(r_n * high > r_n * low, high, low)
    elif model.exact_engagement:
        widths = d.high - d.low + 1
        owner = np.repeat(np.arange(m), widths)
        offset = np.arange(len(owner)) - np.repeat(np.cumsum(widths) - widths, widths)
        k = low[owner] + offset
        w = reduced[model.extra_start[owner] + offset]
        value = np.where(k <= high[owner], r_n[owner] * k + w, -np.inf)
        best_k = np.full(m, -np.inf)
        np.maximum.at(best_k, owner, value)
        best_used = r_y + best_k
        # the first k reaching the best value (the last one written wins)
        winner = value >= best_k[owner]
        posts = low.copy()
        posts[owner[winner][::-1]] = k[winner][::-1]
    else:
        # E(n) is concave: with a positive price on it the best n is where the marginal
        # r_n + r_e E'(n) changes sign, otherwise an end of [l, u']
        r_e = np.maximum(reduced[model.extra_start], 0.0)
        scale = 1.0 / model.scales.engagement
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = -r_n / (r_e * d.first * scale)
            turn = np.where(ratio > 0, np.log(ratio) / np.log(decay), low)
        turn = np.nan_to_num(turn, nan=0.0, posinf=1e9, neginf=-1e9)
        candidates = [
            low,
            high,
            np.clip(np.floor(turn), low, high).astype(np.int64),
            np.clip(np.ceil(turn), low, high).astype(np.int64),
        ]
        best_used = np.full(m, -np.inf)
        posts = low.copy()
        for k in candidates:
            value = r_y + r_n * k + r_e * engagement_at(d.first, k, decay) * scale
            posts = np.where(value > best_used, k, posts)
            best_used = np.maximum(best_used, value)
    best_used = np.where(can_use, best_used, -np.inf)
    must = model.col_lower[model.used_col] > 0.5
    best = np.where(must, best_used, np.maximum(best_used, 0.0))
    return best, best_used, posts.astype(np.int64)


def crude_bound(model: ArrayModel) -> float:
    """The bound above with every multiplier at zero (each creator at their best, as if alone),
    in natural units: weak, but it needs no solve."""
    sign = model.sense.sign
    return sign * price(model, np.zeros(model.num_row)).bound * model.objective_scale()


@dataclass(frozen=True, slots=True)
class LpRelaxation:
    """The LP relaxation of the full problem, solved over all creators or a priced core."""

    model: ArrayModel  # the model the LP was solved on
    x: FloatArray  # its solution
    pricing: Pricing  # the Lagrangian bound over the full model
    bound: float  # valid for the full problem, natural units (upper for a maximization)
    pi: FloatArray  # the multipliers of the bound, one per full model row (signed as above)


def _lp(model: ArrayModel, deadline: float) -> tuple[FloatArray, FloatArray] | None:
    run = run_highs(model, deadline, 0.0, relax=True, presolve=False)
    if run.status != highspy.HighsModelStatus.kOptimal or run.row_dual is None or run.x is None:
        return None
    return run.x, run.row_dual


def _row_keys(model: ArrayModel) -> IntArray:
    """A key per row that names the same row in every model of one problem: its block and
    creator, or for a pair row its pair (all of them share one block and no creator)."""
    width = len(model.prepared.eligible) + 1
    owner = np.where(model.row_owner >= 0, model.keep[np.maximum(model.row_owner, 0)], -1)
    keys: IntArray = model.row_block * width + owner + 1
    if model.row_pair is not None:
        # past every block's keys (a model has a few dozen blocks)
        keys = np.where(model.row_pair >= 0, _PAIR_KEYS * width + model.row_pair, keys)
    return keys


def _full_duals(full: ArrayModel, core: ArrayModel, core_duals: FloatArray) -> FloatArray:
    """Core multipliers placed on the full model's rows; rows of creators outside the core
    get 0 (their share caps are slack in the core's LP optimum), and so do the rows of pairs
    with a creator outside it (any multiplier >= 0 keeps the bound valid)."""
    core_key = _row_keys(core)
    full_key = _row_keys(full)
    order = np.argsort(core_key)
    pos = np.searchsorted(core_key[order], full_key)
    pos = np.minimum(pos, len(order) - 1)
    found = core_key[order][pos] == full_key
    out: FloatArray = np.where(found, core_duals[order][pos], 0.0)
    return out


def relax_lp(
    prepared: Prepared,
    data: CandidateData,
    full: ArrayModel,
    seed: IntArray,
    deadline: float,
) -> LpRelaxation | None:
    """The LP relaxation with its bound, or None if it could not be solved in time.

    Large problems start from a core (``seed``: creators a good plan is likely to use); while
    creators outside it have a positive own term at the core's multipliers (they would improve
    the LP), another round solves the LP over the core's plan and the creators priced best."""
    m = len(data)
    scale = full.objective_scale()
    sign = full.sense.sign
    if m <= _FULL_LP_MAX:
        solved = _lp(full, deadline)
        if solved is None:
            return None
        x, duals = solved
        pi = _signed_duals(full, duals)
        pricing = price_signed(full, pi)
        return LpRelaxation(full, x, pricing, sign * pricing.bound * scale, pi)
    members = np.zeros(m, dtype=np.bool_)
    members[seed] = True
    best: LpRelaxation | None = None
    for _ in range(_CORE_ROUNDS):
        core = build_arrays(prepared, keep=np.flatnonzero(members), data=data)
        solved = _lp(core, deadline)
        if solved is None:
            break
        x, core_duals = solved
        pi = _signed_duals(full, _full_duals(full, core, core_duals))
        pricing = price_signed(full, pi)
        found = LpRelaxation(core, x, pricing, sign * pricing.bound * scale, pi)
        if best is None or pricing.bound < best.pricing.bound:
            best = found
        if not np.any((pricing.best > 1e-9) & ~members):
            break
        members = np.zeros(m, dtype=np.bool_)
        members[core.keep[x[core.used_col] > 1e-9]] = True
        members[np.argsort(-pricing.best_used, kind="stable")[:_CORE_SIZE]] = True
        members[data.must] = True
    return best


def fixed_out(relaxation: LpRelaxation, incumbent: float) -> BoolArray:
    """Creators (per eligible position) who cannot appear in a plan better than ``incumbent``
    (natural units); must_include creators are never dropped."""
    pricing = relaxation.pricing
    scale = relaxation.model.objective_scale()
    sign = relaxation.model.sense.sign
    target = sign * incumbent / scale
    limit = target - _FIX_TOL * max(abs(target), 1.0)
    out: BoolArray = pricing.bound_if_used() < limit
    return out


def share_band(prepared: Prepared, data: CandidateData) -> BoolArray | None:
    """The creators the share cap and the creator limit leave room for; None when they leave
    room for all, or when too many spends are close to tell.

    A plan of m creators, each at most ``cap`` of its spend S, has each spend at least
    (1 - (m - 1) cap) S, so with at most k creators any two of its spends are within a ratio of
    cap / (1 - (k - 1) cap). Its creators are then all in one band of spends that wide, holding
    at least ``fewest_creators`` creators (at some allowed number of posts, within the budget
    and the per-creator limit): a creator in no such band is in no plan, and if there is no
    such band there is no plan. A cap of 1/k with at most k creators asks for k exactly equal
    spends; the MIP over every creator finds those, or disproves them, only by luck."""
    problem = prepared.problem
    con = problem.constraints
    cap, most, fewest = con.max_share_per_influencer, con.max_influencers, fewest_creators(problem)
    if cap is None or most is None or fewest < 1 or len(data) == 0:
        return None
    loose = cap + _SHARE_TOL
    floor = 1.0 - (most - 1) * loose
    if floor <= 0.0:
        return None
    owner, spend = _spends(prepared, data, loose)
    ends = np.searchsorted(spend, spend * (loose / floor), side="right")
    wide = np.flatnonzero(ends - np.arange(len(spend)) >= fewest)
    if len(wide) > _SHARE_BANDS_MAX:
        return None
    band = np.zeros(len(data), dtype=np.bool_)
    for i in wide:
        if len(np.unique(owner[i : ends[i]])) >= fewest:
            band[owner[i : ends[i]]] = True
    return band


def _spends(prepared: Prepared, data: CandidateData, loose: float) -> tuple[IntArray, FloatArray]:
    """Every creator's spend at each allowed number of posts, up to ``loose`` of the budget and
    the per-creator limit, ascending, with whose it is."""
    problem = prepared.problem
    top = loose * problem.budget * (1.0 + _SHARE_TOL)
    limit = problem.constraints.max_spend_per_influencer
    if limit is not None:
        top = min(top, limit + _SHARE_TOL * problem.budget)
    owners, spends = [], []
    low = np.maximum(data.low, 1)
    for posts in range(int(low.min()), int(data.high.max()) + 1):
        allowed = np.flatnonzero((low <= posts) & (posts <= data.high))
        owners.append(allowed)
        spends.append(data.price[allowed] * posts + data.fee[allowed])
    owner, spend = np.concatenate(owners), np.concatenate(spends)
    within = spend <= top
    order = np.argsort(spend[within], kind="stable")
    return owner[within][order], spend[within][order]
