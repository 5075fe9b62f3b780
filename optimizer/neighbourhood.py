"""Improving a plan of thousands of creators by re-solving a window of them exactly.

A plan rounded from the Lagrangian's choices is off the optimum only at its margin: the
creators whose profit at the multipliers is near zero, whom a small change in the coupling rows
would take in or leave out. The MIP over a window of those, with every other creator held at the
plan's posts, is small: the held creators enter only through the plan-wide rows (their share of
the spend, the engagement, the count), whose bounds are shifted by what they contribute, and
through their own caps against the plan (s_i <= cap S, E_i <= beta T), which become lower bounds
on S and T. Any plan it finds meets every constraint of the full problem; it replaces the plan
when it is better. This only improves plans: the bound comes from elsewhere.

The margin is measured per money (profit over spend): a plan's distance to the optimum is money
that should move between creators, and the cheapest creators, however near zero their profit,
hold little of it. The same re-solve repairs the Lagrangian's choices into a first plan
(``repair``): they may miss a share row by a few percent of the spend, and a large enough window
of the margin takes that back with little loss.
"""

from __future__ import annotations

import time

import numpy as np

from optimizer.arrays import (
    ArrayModel,
    CandidateData,
    IntArray,
    build_arrays,
)
from optimizer.first_plan import FirstPlan, check_plan
from optimizer.highs_run import RunListener, listening
from optimizer.prepare import Prepared
from optimizer.reduce import Pricing, plan_columns
from optimizer.sense import Sense
from optimizer.solve import SolveOutcome, solve_arrays

# Creators per window, the time one window may take, and the gap it is solved to (of the
# window's own objective, a small part of the plan's).
WINDOW = 400
_WINDOW_MAX_S = 2.0
_WINDOW_GAP = 1e-6
# Spend (in budgets) below which a creator counts as spending this much, for the margin order.
_LEAST_SPEND = 1e-12
# Windows tried, each larger, when repairing a plan that misses a row: the smallest that admits
# a plan is the quickest to solve.
_REPAIR_WINDOWS = (WINDOW, 2_000)


def _plan_wide(model: ArrayModel) -> dict[int, int]:
    """Block -> row of the rows that couple creators through the plan (one row per block)."""
    rows = np.flatnonzero((model.row_owner < 0) & ~model.row_local)
    return {int(model.row_block[r]): int(r) for r in rows}


def window_model(
    prepared: Prepared, data: CandidateData, full: ArrayModel, posts: IntArray, window: IntArray
) -> ArrayModel:
    """The model over the ``window`` creators (eligible positions) with every other creator
    held at ``posts``; ``full`` is the model of every creator."""
    model = build_arrays(prepared, keep=window, data=data)
    held = posts.copy()
    held[window] = 0
    x = full.column_values(held)
    x[plan_columns(full)] = 0.0
    col_of = np.repeat(np.arange(full.num_col), np.diff(full.start))
    activity = np.bincount(full.index, weights=full.value * x[col_of], minlength=full.num_row)
    full_rows = _plan_wide(full)
    for block, row in _plan_wide(model).items():
        shift = activity[full_rows[block]]
        model.row_lower[row] -= shift
        model.row_upper[row] -= shift
    model.held_spend = float(np.sum(data.spend(held))) / model.scales.money
    model.held_engagement = float(np.sum(data.engagement(held, prepared.decay)))
    model.held_engagement /= model.scales.engagement
    if model.engagement_col is not None:
        # T's box is the window's most engagement; the held creators' comes on top
        model.col_upper[model.engagement_col] += model.held_engagement
    con = prepared.problem.constraints
    cap = con.max_share_per_influencer
    if cap is not None and cap < 1.0 and np.any(held > 0):
        top = float(np.max(data.spend(held))) / model.scales.money
        lower = max(model.col_lower[model.spend_col], top / cap)
        model.col_lower[model.spend_col] = min(lower, model.col_upper[model.spend_col])
    beta = con.max_engagement_share_per_influencer
    if beta is not None and beta < 1.0 and model.engagement_col is not None and np.any(held > 0):
        top = float(np.max(data.engagement(held, prepared.decay))) / model.scales.engagement
        column = model.engagement_col
        model.col_lower[column] = min(
            max(model.col_lower[column], top / beta), model.col_upper[column]
        )
    return model


def margin_order(full: ArrayModel, pricing: Pricing) -> IntArray:
    """Creators (eligible positions) by how close their profit at the multipliers is to zero,
    per money their best choice spends: a plan's distance to the optimum is in money moved
    between creators, and a window of the cheapest creators, however close to zero their
    profit, moves almost none of it."""
    d = full.data
    spend = (d.price * np.maximum(pricing.posts_used, d.low) + d.fee) / full.scales.money
    with np.errstate(divide="ignore", invalid="ignore"):
        profit = np.abs(pricing.best_used) / np.maximum(spend, _LEAST_SPEND)
    profit = np.where(np.isfinite(pricing.best_used), profit, np.inf)
    usable = np.flatnonzero(np.isfinite(profit))
    out: IntArray = full.keep[usable[np.argsort(profit[usable], kind="stable")]]
    return out


def improve(
    prepared: Prepared,
    data: CandidateData,
    full: ArrayModel,
    order: IntArray,
    best: FirstPlan,
    deadline: float,
    threads: int | None,
    listener: RunListener,
    done: float | None = None,
) -> tuple[FirstPlan, int]:
    """Re-solve windows of ``order`` (nearest the margin first) until ``deadline``, or until the
    plan reaches ``done`` (an objective within the gap asked of the bound); the best plan and
    how many windows were solved."""
    kind = prepared.problem.objective.kind
    sense = Sense.of(kind)
    windows = 0
    for first in range(0, len(order), WINDOW):
        now = time.perf_counter()
        if now >= deadline or (listener.control is not None and listener.control.cancelled):
            break
        if done is not None and sense.at_least_as_good(best.objective, done):
            break
        window = np.sort(order[first : first + WINDOW])
        model = window_model(prepared, data, full, best.posts, window)
        stop = min(deadline, now + _WINDOW_MAX_S)
        with listening(listener):
            raw = solve_arrays(model, stop, _WINDOW_GAP, threads, start=best.posts[window])
        windows += 1
        if raw.posts is None:
            continue
        posts = best.posts.copy()
        posts[window] = np.asarray(raw.posts, dtype=np.int64)[window]
        if not check_plan(prepared, data, posts):
            continue
        value = float(np.sum(data.objective(posts, kind, prepared.decay)))
        if sense.better(value, best.objective):
            best = FirstPlan(posts, value)
    return best, windows


def repair(
    prepared: Prepared,
    data: CandidateData,
    full: ArrayModel,
    order: IntArray,
    posts: IntArray,
    deadline: float,
    threads: int | None,
    listener: RunListener,
) -> FirstPlan | None:
    """A plan from ``posts`` (per eligible position; e.g. the creators' best choices at the
    Lagrangian's multipliers, which may miss a coupling row): the first creators of ``order``
    re-solved with every other creator held at ``posts``, in larger windows while the held
    creators leave no plan. None when no window gives one in time.

    Near the multipliers' optimum those choices are within a fraction of a percent of the bound
    but may miss a share row by a few percent of the spend (when a tier's creators are all used,
    say); a greedy repair by ratios of spend then loses percents, while the margin re-solved
    exactly loses little."""
    kind = prepared.problem.objective.kind
    for size in _REPAIR_WINDOWS:
        now = time.perf_counter()
        if now >= deadline or (listener.control is not None and listener.control.cancelled):
            return None
        window = np.sort(order[:size])
        model = window_model(prepared, data, full, posts, window)
        with listening(listener):
            raw = solve_arrays(model, min(deadline, now + _WINDOW_MAX_S), _WINDOW_GAP, threads)
        if raw.outcome is SolveOutcome.INFEASIBLE:
            if size >= len(order):
                return None
            continue
        if raw.posts is None:
            return None
        found = posts.copy()
        found[window] = np.asarray(raw.posts, dtype=np.int64)[window]
        if not check_plan(prepared, data, found):
            return None
        return FirstPlan(found, float(np.sum(data.objective(found, kind, prepared.decay))))
    return None
