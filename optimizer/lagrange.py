"""The Lagrangian bound of reduce.py with the best multipliers on the rows that couple the plan.

The bound of reduce.py holds for any multipliers of the right sign. The LP's duals make it as
tight as the LP, but the LP of a problem whose plan holds thousands of creators is slow, and an
LP over a core of them is only as good as the core. Yet only a handful of rows couple creators
through the plan as a whole (the plan spend S and engagement T, the tier and platform mixes,
the creator count, the engagement target): with the per-creator rows' multipliers held fixed
(those of an LP, or zero), the bound is a convex, piecewise linear function of those few

    L(pi) = sum_r h_r(pi_r) + sum_i max over creator i's choices + max over S, T in their boxes,

where each evaluation is a pass over the creators. Its minimum is found by a cutting-plane
method in a box around the best point so far (Kelley's cuts, the box step): each evaluation at
pi_j gives the cut L(pi) >= L(pi_j) + g_j (pi - pi_j), with g_j = t_j - A x_j (x_j each
creator's best choice at pi_j, t_j the bound each row takes); a small LP over the cuts gives the
next point. Every point evaluated gives a valid bound; the answer is the lowest.

At the minimum the creators' best choices form a plan that nearly meets the coupling rows (a
few creators on the margin aside), and is handed to the greedy fill as its guide.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from optimizer.arrays import ArrayModel, FloatArray, IntArray, engagement_at
from optimizer.first_plan import Guide
from optimizer.reduce import Pricing, plan_columns, priced

# Iterations of the cutting-plane method at most, and its stopping test: the lowest value of
# the cuts in the box is within this share of the best bound.
_MAX_ROUNDS = 400
_TOL = 1e-8
# The box: its half-width per multiplier starts at this many times the multiplier's scale,
# doubles after a step that reaches its edge and shrinks after a step that fails.
_BOX_START = 1.0
_BOX_GROW = 2.0
_BOX_SHRINK = 0.5
# A step is taken when it achieves this share of the decrease the cuts predicted.
_STEP_SHARE = 0.1


@dataclass(frozen=True, slots=True)
class LagrangeBound:
    pi: FloatArray  # all row multipliers, sign convention of reduce.py (a maximization)
    pricing: Pricing  # at pi
    bound: float  # natural units, valid for the full problem
    x: FloatArray  # each creator's best choice at pi (and S, T), as model columns
    rounds: int


class _Coupling:
    """The coupling rows of a model as (columns, values) per row, and what stays fixed."""

    def __init__(self, model: ArrayModel, fixed: FloatArray) -> None:
        self.model = model
        plan_wide = (model.row_owner < 0) & ~model.row_local
        if model.row_pair is not None:
            # one multiplier per pair would make the cutting planes' LP as large as the model:
            # the pair rows keep the multipliers they start with (any >= 0 gives a valid bound)
            plan_wide &= model.row_pair < 0
        self.rows: IntArray = np.flatnonzero(plan_wide)
        self.lower = model.row_lower[self.rows]
        self.upper = model.row_upper[self.rows]
        # the multipliers' signs allowed: >= 0 needs an upper bound, <= 0 a lower one
        self.pi_low = np.where(np.isfinite(self.lower), -np.inf, 0.0)
        self.pi_high = np.where(np.isfinite(self.upper), np.inf, 0.0)
        col_of = np.repeat(np.arange(model.num_col), np.diff(model.start))
        position = np.full(model.num_row, -1)
        position[self.rows] = np.arange(len(self.rows))
        where = position[model.index]
        mine = where >= 0
        order = np.argsort(where[mine], kind="stable")
        self.cols = col_of[mine][order]
        self.vals = model.value[mine][order]
        self.row_of = where[mine][order]
        self.fixed = fixed.copy()
        self.fixed[self.rows] = 0.0
        sign = model.sense.sign
        self.base = sign * model.cost - np.bincount(
            col_of, weights=model.value * self.fixed[model.index], minlength=model.num_col
        )
        self.plan = plan_columns(model)
        self.plan_cols = np.flatnonzero(self.plan)

    def full_pi(self, coupling: FloatArray) -> FloatArray:
        pi = self.fixed.copy()
        pi[self.rows] = coupling
        return pi

    def evaluate(self, coupling: FloatArray) -> tuple[Pricing, FloatArray, FloatArray]:
        """The bound at these coupling multipliers, a subgradient, and the best choice."""
        model = self.model
        reduced = self.base - np.bincount(
            self.cols, weights=self.vals * coupling[self.row_of], minlength=model.num_col
        )
        pricing = priced(model, self.full_pi(coupling), reduced, self.plan)
        x = self.choice(pricing, reduced)
        activity = np.bincount(
            self.row_of, weights=self.vals * x[self.cols], minlength=len(self.rows)
        )
        # the bound each row takes: the upper one where pi > 0, the lower where pi < 0 (at 0
        # either is a subgradient; the finite one)
        taken = np.where(
            coupling > 0,
            self.upper,
            np.where(
                coupling < 0, self.lower, np.where(np.isfinite(self.lower), self.lower, self.upper)
            ),
        )
        return pricing, taken - activity, x

    def choice(self, pricing: Pricing, reduced: FloatArray) -> FloatArray:
        """Column values of each creator's best choice (the plan columns at their best end)."""
        model = self.model
        d = model.data
        x = np.zeros(model.num_col)
        used = pricing.best_used >= pricing.best
        used &= np.isfinite(pricing.best_used)
        posts = np.where(used, pricing.posts_used, 0)
        x[model.posts_col] = posts
        x[model.used_col] = used
        if model.extra_start is not None:
            chosen = np.flatnonzero(used)
            if model.exact_engagement:
                x[model.extra_start[chosen] + posts[chosen] - d.low[chosen]] = 1.0
            else:
                value = engagement_at(d.first, posts, model.prepared.decay)
                gain = reduced[model.extra_start] > 0
                x[model.extra_start] = np.where(used & gain, value / model.scales.engagement, 0.0)
        r = reduced[self.plan_cols]
        x[self.plan_cols] = np.where(
            r > 0, model.col_upper[self.plan_cols], model.col_lower[self.plan_cols]
        )
        return x

    def scales(self, magnitude: float) -> FloatArray:
        """A multiplier's natural size: what makes its row's largest activity worth
        ``magnitude`` of objective."""
        model = self.model
        top = np.abs(self.vals) * np.minimum(model.col_upper[self.cols], 1e12)
        reach = np.bincount(self.row_of, weights=top, minlength=len(self.rows))
        out: FloatArray = magnitude / np.maximum(reach, 1e-12)
        return out


def _master(
    cuts: list[tuple[float, FloatArray, FloatArray]], low: FloatArray, high: FloatArray
) -> tuple[FloatArray, float] | None:
    """The point of the box [low, high] where the cuts' maximum is lowest, and that value."""
    k = len(low)
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    lp = highspy.HighsLp()
    lp.num_col_ = k + 1
    lp.num_row_ = len(cuts)
    lp.col_cost_ = np.concatenate([np.zeros(k), [1.0]])
    lp.col_lower_ = np.concatenate([low, [-highspy.kHighsInf]])
    lp.col_upper_ = np.concatenate([high, [highspy.kHighsInf]])
    # z - g_j pi >= L_j - g_j pi_j
    lp.row_lower_ = np.array([value - float(g @ at) for value, g, at in cuts])
    lp.row_upper_ = np.full(len(cuts), highspy.kHighsInf)
    dense = np.array([np.concatenate([-g, [1.0]]) for _, g, _ in cuts])
    matrix = lp.a_matrix_
    matrix.format_ = highspy.MatrixFormat.kColwise
    matrix.start_ = np.arange(0, (k + 2) * len(cuts), len(cuts), dtype=np.int32)
    matrix.index_ = np.tile(np.arange(len(cuts), dtype=np.int32), k + 1)
    matrix.value_ = dense.T.ravel()
    lp.a_matrix_ = matrix
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = np.asarray(h.getSolution().col_value)
    return x[:k], float(x[k])


def lagrange_bound(
    model: ArrayModel,
    deadline: float,
    start: FloatArray | None = None,
    magnitude: float = 1.0,
    max_rounds: int = _MAX_ROUNDS,
) -> LagrangeBound:
    """The lowest bound the cutting-plane method finds by ``deadline``.

    ``start``: row multipliers to start from (reduce.py's sign convention); its per-creator
    rows' values stay fixed, the coupling rows' are improved. ``magnitude``: the size of the
    objective in the model's units (e.g. a known plan's), to scale the first box."""
    fixed = np.zeros(model.num_row) if start is None else start
    coupling = _Coupling(model, fixed)
    sign = model.sense.sign
    scale = model.objective_scale()
    center = np.clip(fixed[coupling.rows], coupling.pi_low, coupling.pi_high)
    pricing, g, x = coupling.evaluate(center)
    best = LagrangeBound(coupling.full_pi(center), pricing, sign * pricing.bound * scale, x, 0)
    if len(coupling.rows) == 0:
        return best
    value = pricing.bound
    width = _BOX_START * coupling.scales(max(abs(magnitude), abs(value), 1e-9))
    cuts = [(value, g, center)]
    for rounds in range(1, max_rounds + 1):
        if time.perf_counter() >= deadline:
            break
        low = np.maximum(coupling.pi_low, center - width)
        high = np.minimum(coupling.pi_high, center + width)
        found = _master(cuts, low, high)
        if found is None:
            break
        point, predicted = found
        drop = value - predicted
        if drop <= _TOL * max(1.0, abs(value)):
            break
        trial, g, x = coupling.evaluate(point)
        cuts.append((trial.bound, g, point))
        if trial.bound <= value - _STEP_SHARE * drop:
            edge = np.any(np.isclose(point, low) | np.isclose(point, high))
            center, value = point, trial.bound
            best = LagrangeBound(coupling.full_pi(center), trial, sign * value * scale, x, rounds)
            if edge:
                width = width * _BOX_GROW
        else:
            width = width * _BOX_SHRINK
    return best


def guide_of(model: ArrayModel, found: LagrangeBound) -> Guide:
    """The creators' best choices at the multipliers as a guide for the fill: the creators
    chosen, most profitable per money first, then the rest the same way."""
    d = model.data
    posts = found.pricing.posts_used
    used = found.x[model.used_col] > 0.5
    spend = (d.price * posts + d.fee) / model.scales.money
    with np.errstate(divide="ignore", invalid="ignore"):
        profit = np.where(np.isfinite(found.pricing.best_used), found.pricing.best_used, -np.inf)
        rank = profit / np.maximum(spend, 1e-300)
    order = np.lexsort((-rank, ~used))
    full_order = model.keep[order]
    m = len(model.prepared.eligible)
    wanted = np.zeros(m, dtype=np.int64)
    wanted[model.keep] = np.maximum(posts, d.low)
    # the fill aims at what the chosen creators spend
    total = float(np.sum(np.where(used, d.price * posts + d.fee, 0.0)))
    return Guide(full_order, wanted, total)
