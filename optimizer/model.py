"""The planning model of docs/model.md, written with PuLP, block by block as numbered there.

Notation (per eligible candidate i): n_i posts (integer), y_i used (binary), spend
s_i = p_i n_i + F_i y_i, engagement E_i = v_i (1 + d + ... + d^(n_i - 1)) with v_i = f_i e_i q_i,
plan spend S = sum s_i and plan engagement T = sum E_i.

Units are scaled so the solver sees numbers near 1: money in budgets (B = 1), engagement in the
largest single-post engagement, reach in the largest single reach. Reported figures are always
recomputed from the integer posts, never read back from scaled solver values.

With decay d < 1, E_i is concave in n_i and is modelled by its tangent lines, scaled by y_i
(E_i <= E(k) y_i + dE_k (n_i - k y_i) for every k): exact at integer n_i whenever the solver wants
E_i large. Scaling by y_i changes no plan but tightens the LP relaxation: a fraction y of a creator
is worth y E(n/y), not the first posts' engagement at a fraction of the fee. Only the
engagement-share cap (E_i <= beta T) rewards understating E_i, so with that cap the
choice of n_i is modelled one-hot instead, which is exact whatever the objective.

``elastic=True`` builds the phase-one model used to explain infeasibility: every planner-facing
constraint group gets one non-negative slack, and the objective is the weighted sum of slacks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import count

import numpy as np
import pulp

from optimizer.constraints import ConstraintKind, ConstraintRef
from optimizer.overlap import BoolArray, overlap_cap
from optimizer.prepare import Eligible, Prepared, fewest_creators
from optimizer.problem import ObjectiveKind
from optimizer.scenarios import FloatArray, asks_for_cvar, cvar, scenario_engagement
from optimizer.sense import Sense


@dataclass(slots=True)
class Scales:
    money: float
    engagement: float
    reach: float
    budget: float  # the budget in money units (1 unless the whole roster costs less)


@dataclass(slots=True)
class BuiltModel:
    prepared: Prepared
    prob: pulp.LpProblem
    posts: list[pulp.LpVariable]
    used: list[pulp.LpVariable]
    scales: Scales
    elastic: bool
    # relaxation group -> its slack variable (elastic models only)
    slacks: dict[ConstraintRef, pulp.LpVariable] = field(default_factory=dict)


class _Builder:
    def __init__(self, prepared: Prepared, elastic: bool) -> None:
        self.prepared = prepared
        self.elastic = elastic
        self.scales = problem_scales(prepared)
        sense = Sense.MINIMIZE if elastic else Sense.of(prepared.problem.objective.kind)
        self.prob = pulp.LpProblem(
            "influmix_elastic" if elastic else "influmix",
            pulp.LpMaximize if sense.maximize else pulp.LpMinimize,
        )
        self.slacks: dict[ConstraintRef, pulp.LpVariable] = {}
        self.weights: dict[ConstraintRef, float] = {}
        self._row_ids = count()

    def _slack(
        self, group: ConstraintRef, weight: float, upper: float | None = None
    ) -> pulp.LpVariable:
        if group not in self.slacks:
            self.slacks[group] = self.prob.add_variable(
                f"slack_{len(self.slacks)}", lowBound=0, upBound=upper
            )
            self.weights[group] = weight
        return self.slacks[group]

    def add(
        self,
        expr: pulp.LpAffineExpression,
        sense: str,
        rhs: float,
        group: ConstraintRef | None = None,
        weight: float = 1.0,
        slack_upper: float | None = None,
    ) -> None:
        """Add ``expr (<=|>=|==) rhs``; in an elastic model, a group's rows share one slack."""
        if self.elastic and group is not None:
            slack = self._slack(group, weight, slack_upper)
            expr = expr - slack if sense == "<=" else expr + slack
        name = f"r{next(self._row_ids)}"
        if sense == "<=":
            self.prob += (expr <= rhs, name)
        elif sense == ">=":
            self.prob += (expr >= rhs, name)
        else:
            self.prob += (expr == rhs, name)


def middle_scale(values: Iterable[float]) -> float:
    """Geometric mean of the smallest and largest positive value: keeps both ends near 1."""
    positive = [v for v in values if v > 0]
    if not positive:
        return 1.0
    return float((min(positive) * max(positive)) ** 0.5)


def problem_scales(prepared: Prepared) -> Scales:
    """Units that keep the solver's numbers near 1: money in budgets, engagement in a middle
    single-post engagement, reach in the largest single reach.

    When the whole roster costs far less than the budget, money is counted in what the roster
    costs instead: in budgets, a share row's violation would fall below the solver's
    feasibility tolerance and a cap could be broken unnoticed."""
    eligible = prepared.eligible
    budget = prepared.problem.budget
    roster_cost = sum(e.spend(e.candidate.max_posts) for e in eligible)
    money = min(budget, roster_cost) if roster_cost > 0 else budget
    return Scales(
        money=money,
        engagement=middle_scale(e.first_post_engagement for e in eligible),
        reach=max((e.reach for e in eligible), default=0.0) or 1.0,
        budget=budget / money,
    )


def _engagement_table(e: Eligible, decay: float) -> list[float]:
    """E(k) for k = 0..max_posts."""
    return [e.engagement(k, decay) for k in range(e.candidate.max_posts + 1)]


@dataclass(slots=True)
class _Terms:
    """The model's per-candidate expressions and plan totals, shared by the blocks."""

    posts: list[pulp.LpVariable]
    used: list[pulp.LpVariable]
    spend: list[pulp.LpAffineExpression]  # s_i
    engagement: list[pulp.LpAffineExpression]  # E_i
    total_spend: pulp.LpVariable  # S
    total_engagement: pulp.LpVariable  # T
    # t - sum_s u_s / (alpha S), the CVaR of plan engagement (only with CVaR rows)
    cvar: pulp.LpAffineExpression | None = None
    # sum w_ab z_ab, the overlapping audience (only with overlap rows), in reach units
    overlapping: pulp.LpAffineExpression | None = None


def _engagement_expr(
    b: _Builder, i: int, e: Eligible, n: pulp.LpVariable, y: pulp.LpVariable, exact: bool
) -> pulp.LpAffineExpression:
    """E_i: linear without decay, else one-hot (``exact``) or bounded by tangent lines."""
    eng = 1.0 / b.scales.engagement
    c = e.candidate
    if b.prepared.decay == 1.0:
        return e.first_post_engagement * eng * n
    table = [x * eng for x in _engagement_table(e, b.prepared.decay)]
    if exact:
        choices = {
            k: b.prob.add_variable(f"w_{i}_{k}", cat=pulp.LpBinary)
            for k in range(c.min_posts, c.max_posts + 1)
        }
        b.add(pulp.lpSum(choices.values()) - y, "==", 0)
        b.add(pulp.lpSum(k * w for k, w in choices.items()) - n, "==", 0)
        return pulp.lpSum(table[k] * w for k, w in choices.items())
    ei = b.prob.add_variable(f"e_{i}", lowBound=0)
    for k in range(c.max_posts):
        marginal = table[k + 1] - table[k]
        # E_i <= E(k) y_i + (E(k+1) - E(k)) (n_i - k y_i)
        b.add(ei - marginal * n - (table[k] - marginal * k) * y, "<=", 0)
    return pulp.LpAffineExpression(ei)


def _candidate_terms(b: _Builder) -> _Terms:
    """Variables n_i, y_i, the linking rows l_i y_i <= n_i <= u_i y_i, and S, T."""
    con = b.prepared.problem.constraints
    money = 1.0 / b.scales.money
    exact = b.prepared.decay < 1.0 and con.max_engagement_share_per_influencer is not None
    posts, used, spend, engagement = [], [], [], []
    for i, e in enumerate(b.prepared.eligible):
        c = e.candidate
        n = b.prob.add_variable(f"n_{i}", lowBound=0, upBound=c.max_posts, cat=pulp.LpInteger)
        y = b.prob.add_variable(f"y_{i}", cat=pulp.LpBinary)
        posts.append(n)
        used.append(y)
        b.add(n - c.min_posts * y, ">=", 0)
        b.add(n - c.max_posts * y, "<=", 0)
        spend.append(pulp.lpSum([c.price_per_post * money * n, c.fixed_fee * money * y]))
        engagement.append(_engagement_expr(b, i, e, n, y, exact))
    total_spend = b.prob.add_variable("plan_spend", lowBound=0)
    b.add(pulp.lpSum(spend) - total_spend, "==", 0)
    total_eng = b.prob.add_variable("plan_engagement", lowBound=0)
    b.add(pulp.lpSum(engagement) - total_eng, "==", 0)
    return _Terms(posts, used, spend, engagement, total_spend, total_eng)


def _block_1_budget(b: _Builder, t: _Terms) -> None:
    """S <= B; S >= min_budget_use B."""
    con = b.prepared.problem.constraints
    spend = pulp.LpAffineExpression(t.total_spend)
    b.add(spend, "<=", b.scales.budget, ConstraintRef(ConstraintKind.BUDGET))
    if con.min_budget_use > 0:
        floor = con.min_budget_use * b.scales.budget
        b.add(spend, ">=", floor, ConstraintRef(ConstraintKind.MIN_BUDGET_USE))


def _block_2_concentration(b: _Builder, t: _Terms) -> None:
    """s_i <= cap S; s_i <= max_spend_per_influencer; E_i <= beta T."""
    con = b.prepared.problem.constraints
    cap = con.max_share_per_influencer
    if cap is not None and cap < 1.0:
        ref = ConstraintRef(ConstraintKind.MAX_SHARE_PER_INFLUENCER)
        for s in t.spend:
            b.add(s - cap * t.total_spend, "<=", 0, ref)
    if con.max_spend_per_influencer is not None:
        limit = con.max_spend_per_influencer / b.scales.money
        ref = ConstraintRef(ConstraintKind.MAX_SPEND_PER_INFLUENCER)
        for s in t.spend:
            b.add(s, "<=", limit, ref)
    beta = con.max_engagement_share_per_influencer
    if beta is not None and beta < 1.0:
        eligible, decay = b.prepared.eligible, b.prepared.decay
        top = sum(_engagement_table(e, decay)[-1] for e in eligible) / b.scales.engagement
        ref = ConstraintRef(ConstraintKind.MAX_ENGAGEMENT_SHARE_PER_INFLUENCER)
        for en in t.engagement:
            b.add(en - beta * t.total_engagement, "<=", 0, ref, weight=1.0 / max(1.0, top))


def _block_3_mix(b: _Builder, t: _Terms) -> None:
    """min S <= sum over a tier or platform of s_i <= max S."""
    con = b.prepared.problem.constraints
    tiers = [e.tier for e in b.prepared.eligible]
    platforms = [e.candidate.platform for e in b.prepared.eligible]
    for group, labels, shares in (
        ("tier", tiers, con.tier_share),
        ("platform", platforms, con.platform_share),
    ):
        for name, bounds in shares.items():
            members = zip(t.spend, labels, strict=True)
            group_spend = pulp.lpSum(s for s, label in members if label == name)
            if bounds.min is not None and bounds.min > 0:
                ref = ConstraintRef(ConstraintKind.mix(group, "min"), name)
                b.add(group_spend - bounds.min * t.total_spend, ">=", 0, ref)
            if bounds.max is not None and bounds.max < 1:
                ref = ConstraintRef(ConstraintKind.mix(group, "max"), name)
                b.add(group_spend - bounds.max * t.total_spend, "<=", 0, ref)


def _block_4_capacity(b: _Builder, t: _Terms) -> None:
    """min_influencers <= sum y_i <= max_influencers."""
    problem = b.prepared.problem
    con = problem.constraints
    count_used = pulp.lpSum(t.used)
    if con.min_influencers > 0:
        # Never suggest an empty plan while some candidate could be bought.
        b.add(
            count_used,
            ">=",
            con.min_influencers if b.elastic else fewest_creators(problem),
            ConstraintRef(ConstraintKind.MIN_INFLUENCERS),
            weight=1.0 / con.min_influencers,
            slack_upper=con.min_influencers - (1 if b.prepared.eligible else 0),
        )
    if con.max_influencers is not None:
        b.add(
            count_used,
            "<=",
            con.max_influencers,
            ConstraintRef(ConstraintKind.MAX_INFLUENCERS),
            weight=1.0 / max(1, con.max_influencers),
        )


def _block_5_must_include(b: _Builder, t: _Terms) -> None:
    """y_i >= 1 for every must_include creator."""
    index = {e.candidate.id: i for i, e in enumerate(b.prepared.eligible)}
    for cid in b.prepared.problem.constraints.must_include:
        if cid in index:
            used = pulp.LpAffineExpression(t.used[index[cid]])
            ref = ConstraintRef(ConstraintKind.MUST_INCLUDE, cid)
            b.add(used, ">=", 1, ref, slack_upper=1.0)


def _block_6_target(b: _Builder, t: _Terms) -> None:
    """T >= target_engagement (min_cost only)."""
    objective = b.prepared.problem.objective
    target = objective.target_engagement
    if objective.kind is ObjectiveKind.MIN_COST and target is not None and target > 0:
        goal = target / b.scales.engagement
        ref = ConstraintRef(ConstraintKind.TARGET_ENGAGEMENT)
        b.add(pulp.LpAffineExpression(t.total_engagement), ">=", goal, ref, weight=1.0 / goal)


def risk_rows(prepared: Prepared) -> bool:
    """Whether the model has the CVaR variables and scenario rows."""
    return prepared.scenarios is not None and asks_for_cvar(prepared.problem)


def _block_7_cvar(b: _Builder, t: _Terms) -> None:
    """u_s >= t - sum_i m_is E_i, u_s >= 0 (Rockafellar-Uryasev); CVaR = t - sum u_s / (alpha S)
    and CVaR >= min_cvar_engagement."""
    scenarios = b.prepared.scenarios
    if scenarios is None or not risk_rows(b.prepared):
        return
    m = scenarios.multipliers
    # t is the value at risk at the optimum, a plan engagement: never negative
    var = b.prob.add_variable("cvar_t", lowBound=0)
    tails = []
    for s in range(scenarios.count):
        u = b.prob.add_variable(f"cvar_u_{s}", lowBound=0)
        tails.append(u)
        terms = pulp.lpSum(float(m[i, s]) * e for i, e in enumerate(t.engagement))
        b.add(u - var + terms, ">=", 0)
    t.cvar = var - pulp.lpSum(tails) * (1.0 / (scenarios.alpha * scenarios.count))
    floor = b.prepared.problem.constraints.min_cvar_engagement
    if floor is not None and floor > 0:
        goal = floor / b.scales.engagement
        ref = ConstraintRef(ConstraintKind.MIN_CVAR_ENGAGEMENT)
        b.add(t.cvar, ">=", goal, ref, weight=1.0 / goal)


def overlap_rows(prepared: Prepared) -> bool:
    """Whether the model has the pair variables z_ab: the request has overlaps among eligible
    creators, and the unique-reach objective or an overlap cap that can bind reads them."""
    pairs = prepared.pairs
    problem = prepared.problem
    return (
        pairs is not None
        and len(pairs) > 0
        and (
            problem.objective.kind is ObjectiveKind.UNIQUE_REACH or overlap_cap(problem) is not None
        )
    )


def _block_8_overlap(b: _Builder, t: _Terms) -> None:
    """z_ab >= y_a + y_b - 1, 0 <= z_ab <= 1 per pair (z_ab = y_a y_b wherever the model wants
    z small, as both the unique-reach objective and the cap do), and
    sum w_ab z_ab <= max_overlap_share sum r_i y_i."""
    pairs = b.prepared.pairs
    if pairs is None or not overlap_rows(b.prepared):
        return
    rs = 1.0 / b.scales.reach
    shared = []
    ends = zip(pairs.a.tolist(), pairs.b.tolist(), pairs.shared.tolist(), strict=True)
    for k, (a, c, w) in enumerate(ends):
        z = b.prob.add_variable(f"z_{k}", lowBound=0, upBound=1)
        b.add(t.used[a] + t.used[c] - z, "<=", 1)
        shared.append(w * rs * z)
    t.overlapping = pulp.lpSum(shared)
    cap = overlap_cap(b.prepared.problem)
    if cap is not None:
        eligible = b.prepared.eligible
        reach = pulp.lpSum(e.reach * rs * y for e, y in zip(eligible, t.used, strict=True))
        ref = ConstraintRef(ConstraintKind.MAX_OVERLAP_SHARE)
        b.add(t.overlapping - cap * reach, "<=", 0, ref)


def _objective(b: _Builder, t: _Terms) -> None:
    """The objective kind's total; the elastic model's weighted slacks instead."""
    objective = b.prepared.problem.objective
    kind = objective.kind
    if b.elastic:
        b.prob += pulp.lpSum(b.weights[g] * s for g, s in b.slacks.items())
    elif kind is ObjectiveKind.CVAR_ENGAGEMENT:
        assert t.cvar is not None
        aversion = objective.risk_aversion
        b.prob += (1.0 - aversion) * t.total_engagement + aversion * t.cvar
    elif kind is ObjectiveKind.ENGAGEMENT:
        b.prob += pulp.LpAffineExpression(t.total_engagement)
    elif kind in (ObjectiveKind.REACH, ObjectiveKind.UNIQUE_REACH):
        rs = 1.0 / b.scales.reach
        eligible = b.prepared.eligible
        reach = pulp.lpSum(e.reach * rs * y for e, y in zip(eligible, t.used, strict=True))
        if kind is ObjectiveKind.UNIQUE_REACH and t.overlapping is not None:
            reach = reach - t.overlapping
        b.prob += reach
    else:
        b.prob += pulp.LpAffineExpression(t.total_spend)


def build_model(prepared: Prepared, elastic: bool = False) -> BuiltModel:
    """A fresh PuLP model of the prepared problem (never reused between solves)."""
    b = _Builder(prepared, elastic)
    t = _candidate_terms(b)
    _block_1_budget(b, t)
    _block_2_concentration(b, t)
    _block_3_mix(b, t)
    _block_4_capacity(b, t)
    _block_5_must_include(b, t)
    _block_6_target(b, t)
    _block_7_cvar(b, t)
    _block_8_overlap(b, t)
    _objective(b, t)
    return BuiltModel(prepared, b.prob, t.posts, t.used, b.scales, elastic, b.slacks)


def objective_unit(scales: Scales, kind: ObjectiveKind, elastic: bool) -> float:
    """Multiply a (scaled) solver objective by this to get natural units."""
    if elastic:
        return 1.0
    if kind in (ObjectiveKind.ENGAGEMENT, ObjectiveKind.CVAR_ENGAGEMENT):
        return scales.engagement
    if kind in (ObjectiveKind.REACH, ObjectiveKind.UNIQUE_REACH):
        return scales.reach
    return scales.money


def objective_scale(built: BuiltModel) -> float:
    """Multiply a (scaled) solver objective by this to get natural units."""
    return objective_unit(built.scales, built.prepared.problem.objective.kind, built.elastic)


def plan_scenarios(prepared: Prepared, posts: Iterable[int], multipliers: FloatArray) -> FloatArray:
    """Plan engagement in each scenario of ``multipliers`` (rows: eligible candidates)."""
    decay = prepared.decay
    engagement = np.fromiter(
        (e.engagement(n, decay) for e, n in zip(prepared.eligible, posts, strict=True)),
        dtype=np.float64,
        count=len(prepared.eligible),
    )
    return scenario_engagement(multipliers, engagement)


def unique_reach(prepared: Prepared, used: BoolArray) -> float:
    """sum r_i y_i - sum w_ab y_a y_b for the creators ``used`` (per eligible position)."""
    reach = math.fsum(e.reach for e, u in zip(prepared.eligible, used.tolist(), strict=True) if u)
    pairs = prepared.pairs
    return reach if pairs is None else reach - pairs.overlapping_audience(used)


def natural_objective(prepared: Prepared, posts: Iterable[int]) -> float:
    """The objective of a plan in natural units, computed exactly from its posts."""
    objective = prepared.problem.objective
    kind = objective.kind
    if kind is ObjectiveKind.CVAR_ENGAGEMENT:
        posts = list(posts)
        scenarios = prepared.scenarios
        assert scenarios is not None
        expected = sum(
            e.engagement(n, prepared.decay) for e, n in zip(prepared.eligible, posts, strict=True)
        )
        tail = cvar(plan_scenarios(prepared, posts, scenarios.multipliers), scenarios.alpha)
        return (1.0 - objective.risk_aversion) * expected + objective.risk_aversion * tail
    if kind is ObjectiveKind.UNIQUE_REACH:
        posts = list(posts)
        return unique_reach(prepared, np.asarray(posts, dtype=np.int64) > 0)
    total = 0.0
    for e, n in zip(prepared.eligible, posts, strict=True):
        if n <= 0:
            continue
        if kind is ObjectiveKind.ENGAGEMENT:
            total += e.engagement(n, prepared.decay)
        elif kind is ObjectiveKind.REACH:
            total += e.reach
        else:
            total += e.spend(n)
    return total
