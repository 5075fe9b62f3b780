"""A fast first plan: a greedy fill that meets every constraint of the model, or reports (None)
that it found none.

The fill aims at a plan spend S_t fixed up front, which turns each ratio constraint into an
absolute one: a creator may take at most cap (1 - eps) S_t, a tier or platform at most
max (1 - eps) S_t and at least min S_t. A plan that then spends S >= (1 - eps) S_t meets every
ratio against its real spend; one that falls short sets the next target to what it spent.
Creators are taken in a few orders (engagement per money, and engagement minus a price on money
for a few prices), repeat posts are added while money and caps allow, and the best plan that
passes the exact check of ``check_plan`` wins. The MIP improves on it; the plan exists so that a
solve cut short always has something to answer, and so the reductions have a bound to beat.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np

from optimizer.arrays import (
    ArrayModel,
    CandidateData,
    FloatArray,
    IntArray,
    affordable_posts,
    engagement_at,
)
from optimizer.overlap import overlap_cap
from optimizer.prepare import Prepared
from optimizer.problem import ObjectiveKind
from optimizer.sense import Sense

# Room kept under each ratio bound, so the plan still meets it when it spends a little less than
# its target.
_EPS = 0.02
_ROUNDS = 6
# The room tried when following a guide (an LP's or a Lagrangian's plan).
# The least room first: the first of them that gives a plan gives the best.
_GUIDED_EPS = (2e-5, 2e-4, 2e-3, _EPS)
# Options tried per creator: min_posts, the next few, and the most affordable.
_OPTION_SPAN = 6
_REACH_KINDS = (ObjectiveKind.REACH, ObjectiveKind.UNIQUE_REACH)
# Slack of the exact check, in budgets (money) and engagement units: the solver's feasibility
# tolerance, which the relaxation's bisection relies on (the fill itself keeps _EPS of room under
# each ratio).
CHECK_TOL = 1e-9


@dataclass(frozen=True, slots=True)
class FirstPlan:
    posts: IntArray  # per eligible candidate
    objective: float  # natural units


class _Context:
    """What every fill of one problem shares."""

    def __init__(self, prepared: Prepared, data: CandidateData) -> None:
        problem = prepared.problem
        con = problem.constraints
        self.prepared = prepared
        self.data = data
        self.kind = problem.objective.kind
        self.decay = prepared.decay
        self.budget = problem.budget
        self.cap = con.max_share_per_influencer if con.max_share_per_influencer is not None else 1.0
        self.high = affordable_posts(data, prepared)
        self.usable = self.high >= data.low
        self.max_count = len(data) if con.max_influencers is None else con.max_influencers
        self.min_count = con.min_influencers
        self.target = problem.objective.target_engagement or 0.0
        # groups: (label array, index, min, max) for every tier or platform share given
        self.groups: list[tuple[IntArray, int, float, float]] = []
        for labels, names, shares in (
            (data.tier, data.tier_names, con.tier_share),
            (data.platform, data.platform_names, con.platform_share),
        ):
            for name, bounds in shares.items():
                index = names.index(name) if name in names else -1
                self.groups.append((labels, index, bounds.min or 0.0, _max_or_one(bounds.max)))

    def options(self) -> tuple[IntArray, FloatArray, FloatArray]:
        """Posts, spend and objective value of a few options per creator, shape (m, K)."""
        d = self.data
        span = np.arange(_OPTION_SPAN, dtype=np.int64)
        posts = np.minimum(d.low[:, None] + span[None, :], self.high[:, None])
        posts = np.concatenate([posts, self.high[:, None]], axis=1)
        posts = np.maximum(posts, d.low[:, None])
        spend = d.price[:, None] * posts + d.fee[:, None]
        if self.kind in _REACH_KINDS:
            # unique reach: overlaps are left to the MIP; the fill ranks creators by reach
            value = np.broadcast_to(d.reach[:, None], posts.shape).copy()
        else:
            value = engagement_at(d.first[:, None], posts, self.decay)
        return posts, spend, value


def _max_or_one(value: float | None) -> float:
    return 1.0 if value is None else value


def plan_objective(prepared: Prepared, data: CandidateData, posts: IntArray) -> float:
    """The objective of a plan (posts per eligible candidate), natural units."""
    kind = prepared.problem.objective.kind
    value = float(np.sum(data.objective(posts, kind, prepared.decay)))
    if kind is ObjectiveKind.UNIQUE_REACH and prepared.pairs is not None:
        value -= prepared.pairs.overlapping_audience(posts > 0)
    return value


def _overlap_ok(prepared: Prepared, data: CandidateData, posts: IntArray, tol: float) -> bool:
    """The overlapping audience within max_overlap_share of the reach, up to ``tol`` of the
    largest reach (the model's unit of reach)."""
    cap = overlap_cap(prepared.problem)
    if cap is None or prepared.pairs is None:
        return True
    used = posts > 0
    reach = float(np.sum(data.reach[used]))
    unit = float(np.max(data.reach, initial=0.0)) or 1.0
    return prepared.pairs.overlapping_audience(used) <= cap * reach + tol * unit


def check_plan(
    prepared: Prepared, data: CandidateData, posts: IntArray, tol: float = CHECK_TOL
) -> bool:
    """Does the plan (posts per eligible candidate) meet every constraint of the model, up to
    ``tol`` budgets of money and ``tol`` engagement units?"""
    problem = prepared.problem
    con = problem.constraints
    used = posts > 0
    if np.any(posts[used] < data.low[used]) or np.any(posts > data.high) or np.any(posts < 0):
        return False
    if np.any(~used & data.must):
        return False
    spend = data.spend(posts)
    total = float(np.sum(spend))
    money_tol = tol * problem.budget
    if total > problem.budget + money_tol:
        return False
    if total < con.min_budget_use * problem.budget - money_tol:
        return False
    # Shares are checked relative to the plan itself: against the budget, a plan far smaller
    # than the budget could break a cap by more than the whole of a small creator's spend.
    share_tol = tol * total
    cap = con.max_share_per_influencer
    if cap is not None and np.any(spend > cap * total + share_tol):
        return False
    if con.max_spend_per_influencer is not None and np.any(
        spend > con.max_spend_per_influencer + money_tol
    ):
        return False
    count = int(np.sum(used))
    if count < con.min_influencers:
        return False
    if con.max_influencers is not None and count > con.max_influencers:
        return False
    for labels, names, shares in (
        (data.tier, data.tier_names, con.tier_share),
        (data.platform, data.platform_names, con.platform_share),
    ):
        for name, bounds in shares.items():
            member = labels == names.index(name) if name in names else np.zeros(len(posts), bool)
            group = float(np.sum(spend[member]))
            if bounds.min is not None and group < bounds.min * total - share_tol:
                return False
            if bounds.max is not None and group > bounds.max * total + share_tol:
                return False
    engagement = data.engagement(posts, prepared.decay)
    total_engagement = float(np.sum(engagement))
    eng_tol = tol * data.engagement_unit
    beta = con.max_engagement_share_per_influencer
    if beta is not None and np.any(engagement > (beta + tol) * total_engagement):
        return False
    target = problem.objective.target_engagement
    if (
        problem.objective.kind is ObjectiveKind.MIN_COST
        and target is not None
        and total_engagement < target - eng_tol
    ):
        return False
    return _overlap_ok(prepared, data, posts, tol)


class _Fill:
    """One greedy fill toward a target spend."""

    def __init__(self, ctx: _Context, target_spend: float, eps: float = _EPS) -> None:
        self.ctx = ctx
        d = ctx.data
        self.target_spend = target_spend
        self.limit = ctx.cap * target_spend * (1 - eps) if ctx.cap < 1 else target_spend
        self.posts = np.zeros(len(d), dtype=np.int64)
        self.total = 0.0
        self.engagement = 0.0
        self.count = 0
        self.group_spend = [0.0] * len(ctx.groups)
        self.group_room = [
            (high * target_spend * (1 - eps) if high < 1 else math.inf)
            for _, _, _, high in ctx.groups
        ]
        self.member: list[list[bool]] = [
            ((labels == index) if index >= 0 else np.zeros(len(d), bool)).tolist()
            for labels, index, _, _ in ctx.groups
        ]
        self.smallest: list[float] = (d.price * d.low + d.fee).tolist()
        self.price: list[float] = d.price.tolist()
        self.fee: list[float] = d.fee.tolist()
        self.low: list[int] = d.low.tolist()
        self.high: list[int] = ctx.high.tolist()
        self.first: list[float] = d.first.tolist()

    def spend_of(self, i: int, k: int) -> float:
        return self.price[i] * k + self.fee[i] if k > 0 else 0.0

    def engagement_of(self, i: int, k: int) -> float:
        decay = self.ctx.decay
        if k <= 0:
            return 0.0
        if decay == 1.0:
            return self.first[i] * k
        return self.first[i] * (1.0 - decay**k) / (1.0 - decay)

    def fits(self, i: int, k: int) -> bool:
        """Can creator i go from their current posts to k?"""
        current = int(self.posts[i])
        extra = self.spend_of(i, k) - self.spend_of(i, current)
        if self.spend_of(i, k) > self.limit or self.total + extra > self.target_spend:
            return False
        if current == 0 and self.count >= self.ctx.max_count:
            return False
        for g, member in enumerate(self.member):
            if member[i] and self.group_spend[g] + extra > self.group_room[g]:
                return False
        return True

    def set(self, i: int, k: int) -> None:
        current = int(self.posts[i])
        extra = self.spend_of(i, k) - self.spend_of(i, current)
        self.total += extra
        self.engagement += self.engagement_of(i, k) - self.engagement_of(i, current)
        self.count += (k > 0) - (current > 0)
        for g, member in enumerate(self.member):
            if member[i]:
                self.group_spend[g] += extra
        self.posts[i] = k

    def supported_spend(self) -> float:
        """The largest plan spend the groups' minimum shares allow with what they hold."""
        out = math.inf
        for g, (_, _, low, _) in enumerate(self.ctx.groups):
            if low > 0:
                out = min(out, self.group_spend[g] / low)
        return out

    def best_fitting(self, i: int, wanted: int) -> int:
        """The most posts, at most ``wanted``, creator i can take; 0 if not even min_posts."""
        k = min(wanted, self.high[i])
        while k >= self.low[i] and not self.fits(i, k):
            k -= 1
        return k if k >= self.low[i] else 0

    def done(self) -> bool:
        if self.ctx.kind is ObjectiveKind.MIN_COST:
            return self.engagement >= self.ctx.target
        return self.count >= self.ctx.max_count or self.total >= self.target_spend * (1 - 1e-9)

    def run(self, order: list[int], wanted: IntArray) -> IntArray:
        ctx = self.ctx
        want = wanted.tolist()
        for i in np.flatnonzero(ctx.data.must).tolist():
            k = self.best_fitting(i, want[i])
            if k == 0:
                return self.posts
            self.set(i, k)
        for g, (_, _, low, _) in enumerate(ctx.groups):
            need = low * self.target_spend
            if need <= 0:
                continue
            member = self.member[g]
            for i in order:
                if self.group_spend[g] >= need:
                    break
                if member[i] and self.posts[i] == 0:
                    k = self.best_fitting(i, want[i])
                    if k:
                        self.set(i, k)
            # still short at the posts wanted: as many posts as fit, in the same order
            for i in order:
                if self.group_spend[g] >= need:
                    break
                if member[i] and self.posts[i] < self.high[i]:
                    k = self.best_fitting(i, self.high[i])
                    if k > self.posts[i]:
                        self.set(i, k)
        for i in order:
            if self.done():
                break
            room = min(self.limit, self.target_spend - self.total)
            if self.posts[i] == 0 and self.smallest[i] <= room:
                k = self.best_fitting(i, want[i])
                if k:
                    self.set(i, k)
        self.add_posts()
        self.add_creators(order)
        return self.posts

    def add_posts(self) -> None:
        """Repeat posts of chosen creators, best engagement per money first."""
        if self.ctx.kind in _REACH_KINDS:
            return
        heap: list[tuple[float, int]] = []
        for i in np.flatnonzero(self.posts).tolist():
            self._push(heap, i)
        while heap and not (self.ctx.kind is ObjectiveKind.MIN_COST and self.done()):
            _, i = heapq.heappop(heap)
            k = int(self.posts[i]) + 1
            if self.fits(i, k):
                self.set(i, k)
                self._push(heap, i)

    def _push(self, heap: list[tuple[float, int]], i: int) -> None:
        k = int(self.posts[i])
        if k < self.high[i]:
            gain = self.engagement_of(i, k + 1) - self.engagement_of(i, k)
            heapq.heappush(heap, (-gain / self.price[i], i))

    def add_creators(self, order: list[int]) -> None:
        """Reach min_influencers with the cheapest creators that still fit."""
        if self.count >= self.ctx.min_count:
            return
        cheapest = sorted(
            (i for i in order if self.posts[i] == 0),
            key=lambda i: self.spend_of(i, self.low[i]),
        )
        for i in cheapest:
            if self.count >= self.ctx.min_count:
                break
            if self.fits(i, self.low[i]):
                self.set(i, self.low[i])


def _orders(ctx: _Context) -> list[tuple[list[int], IntArray]]:
    """Candidate orders, each with the posts wanted per creator."""
    posts, spend, value = ctx.options()
    usable = np.flatnonzero(ctx.usable)
    rows = np.arange(len(posts))
    orders: list[tuple[list[int], IntArray]] = []
    ratio = value / spend
    best = np.argmax(ratio, axis=1)
    efficiency = ratio[rows, best]
    wanted = posts[rows, best]
    orders.append((usable[np.argsort(-efficiency[usable], kind="stable")].tolist(), wanted))
    if ctx.kind is ObjectiveKind.MIN_COST or len(usable) == 0:
        return orders
    # Prices on money, around the efficiency of the creator who would fill the last slot.
    ranked = np.sort(efficiency[usable])[::-1]
    reference = float(ranked[min(len(ranked) - 1, max(ctx.max_count, 1) - 1)])
    for factor in (0.0, 0.5, 1.0):
        gain = value - factor * reference * spend
        best = np.argmax(gain, axis=1)
        top = gain[rows, best]
        chosen = usable[top[usable] > 0] if factor > 0 else usable
        order = chosen[np.argsort(-top[chosen], kind="stable")].tolist()
        orders.append((order, posts[rows, best]))
    return orders


def _initial_target(ctx: _Context) -> float:
    if ctx.kind is not ObjectiveKind.MIN_COST:
        return ctx.budget
    # Engagement at the best efficiency, times a margin for worse creators.
    _, spend, value = ctx.options()
    usable = ctx.usable
    if not np.any(usable):
        return ctx.budget
    efficiency = float(np.max((value / spend)[usable]))
    return min(ctx.budget, 2.0 * ctx.target / efficiency) if efficiency > 0 else ctx.budget


@dataclass(frozen=True, slots=True)
class Guide:
    """An LP relaxation's answer: creators in order of use, posts wanted, plan spend."""

    order: IntArray
    posts: IntArray
    spend: float


def lp_guide(prepared: Prepared, data: CandidateData, model: ArrayModel, x: FloatArray) -> Guide:
    """The guide of an LP solution ``x`` of ``model`` (over all or some eligible creators):
    creators the LP uses, most used first, then the rest by engagement per money."""
    used = np.zeros(len(data))
    wanted = np.zeros(len(data))
    y = x[model.used_col]
    used[model.keep] = y
    with np.errstate(divide="ignore", invalid="ignore"):
        wanted[model.keep] = np.where(y > 1e-9, x[model.posts_col] / y, 0.0)
    ctx = _Context(prepared, data)
    efficiency_order, efficiency_posts = _orders(ctx)[0]
    chosen = np.flatnonzero(used > 1e-6)
    chosen = chosen[np.argsort(-used[chosen], kind="stable")]
    rest = np.asarray(efficiency_order, dtype=np.int64)
    rest = rest[used[rest] <= 1e-6]
    posts = np.where(used > 1e-6, np.floor(wanted + 0.5).astype(np.int64), efficiency_posts)
    spend = float(x[model.spend_col]) * model.scales.money
    return Guide(np.concatenate([chosen, rest]), posts, spend)


def first_plan(
    prepared: Prepared, data: CandidateData | None = None, guide: Guide | None = None
) -> FirstPlan | None:
    """The best plan the greedy fills find, or None when none of them meets every constraint.

    With a ``guide`` the fill follows the LP relaxation instead: its creators first, at its posts
    rounded, toward its spend (LP rounding, repaired by the fill's rules)."""
    if data is None:
        data = CandidateData.of(prepared)
    if len(data) == 0:
        return None
    ctx = _Context(prepared, data)
    sense = Sense.of(ctx.kind)
    minimize = not sense.maximize
    best: FirstPlan | None = None
    floor = prepared.problem.constraints.min_budget_use * ctx.budget
    runs: list[tuple[list[int], IntArray, float, float, int]]
    if guide is None:
        start = _initial_target(ctx)
        runs = [(order, wanted, start, _EPS, _ROUNDS) for order, wanted in _orders(ctx)]
    else:
        # A guide nearly meets every ratio already: less room under them loses less. Its
        # spend may fall short of what the plan can spend; then the budget does better.
        # (one try: a fill that overshoots the ratios would retry round after round)
        order = guide.order.tolist()
        target = min(guide.spend, ctx.budget)
        runs = [(order, guide.posts, target, eps, _ROUNDS) for eps in _GUIDED_EPS]
        if not minimize and target < ctx.budget:
            runs.append((order, guide.posts, ctx.budget, _GUIDED_EPS[1], 1))
    found_at: set[float] = set()
    for order, wanted, start_target, eps, rounds in runs:
        if guide is not None and start_target in found_at:
            continue
        target = start_target
        for _ in range(rounds):
            fill = _Fill(ctx, target, eps)
            posts = fill.run(order, wanted)
            if check_plan(prepared, data, posts):
                value = plan_objective(prepared, data, posts)
                if best is None or sense.better(value, best.objective):
                    best = FirstPlan(posts.copy(), value)
                found_at.add(start_target)
                break
            spent = fill.total
            supported = fill.supported_spend()
            if minimize and fill.engagement < ctx.target and guide is not None:
                # a guide's spend falls just short of the target: a little more money
                short = (ctx.target - fill.engagement) / max(ctx.target, 1e-300)
                target = min(ctx.budget, target * (1 + max(1e-3, 2 * short)))
            elif minimize and fill.engagement < ctx.target:
                target = min(ctx.budget, target * 2)
            elif spent < target * (1 - eps) and spent > 0:
                target = max(spent, floor)
            elif supported < target * (1 - 1e-12) and supported > floor:
                # a tier or platform ran out of creators before its minimum share
                target = supported * (1 - eps)
            else:
                break
    return best


def promising(prepared: Prepared, data: CandidateData, count: int) -> IntArray:
    """About ``count`` creators a good plan is likely to use: the head of each greedy order."""
    ctx = _Context(prepared, data)
    orders = _orders(ctx)
    share = max(1, count // max(1, len(orders)))
    heads = [np.asarray(order[:share], dtype=np.int64) for order, _ in orders]
    # each tier or platform with a share bound gets its own head, so that the LP can meet it
    efficiency = np.asarray(orders[0][0], dtype=np.int64)
    for labels, index, _, _ in ctx.groups:
        members = efficiency[labels[efficiency] == index] if index >= 0 else efficiency[:0]
        heads.append(members[:share])
    heads.append(np.flatnonzero(data.must))
    return np.unique(np.concatenate(heads))
