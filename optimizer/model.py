"""The planning model of PRODUCT.md section 1, written with PuLP.

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

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import count

import pulp

from optimizer.prepare import Eligible, Prepared, fewest_creators
from optimizer.problem import ObjectiveKind

_NO_BOUND = None


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
    slacks: dict[str, pulp.LpVariable] = field(default_factory=dict)


class _Builder:
    def __init__(self, prepared: Prepared, elastic: bool) -> None:
        self.prepared = prepared
        self.elastic = elastic
        self.prob = pulp.LpProblem(
            "influmix_elastic" if elastic else "influmix",
            pulp.LpMinimize
            if elastic or prepared.problem.objective.kind is ObjectiveKind.MIN_COST
            else pulp.LpMaximize,
        )
        self.slacks: dict[str, pulp.LpVariable] = {}
        self.weights: dict[str, float] = {}
        self._row_ids = count()

    def _slack(self, group: str, weight: float, upper: float | None = None) -> pulp.LpVariable:
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
        group: str | None = None,
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


def build_model(prepared: Prepared, elastic: bool = False) -> BuiltModel:
    """A fresh PuLP model of the prepared problem (never reused between solves)."""
    problem = prepared.problem
    con = problem.constraints
    objective = problem.objective
    eligible = prepared.eligible
    decay = prepared.decay
    b = _Builder(prepared, elastic)

    scales = problem_scales(prepared)
    money = 1.0 / scales.money
    eng = 1.0 / scales.engagement

    posts: list[pulp.LpVariable] = []
    used: list[pulp.LpVariable] = []
    spend: list[pulp.LpAffineExpression] = []
    engagement: list[pulp.LpAffineExpression] = []
    exact_engagement = decay < 1.0 and con.max_engagement_share_per_influencer is not None

    for i, e in enumerate(eligible):
        c = e.candidate
        n = b.prob.add_variable(f"n_{i}", lowBound=0, upBound=c.max_posts, cat=pulp.LpInteger)
        y = b.prob.add_variable(f"y_{i}", cat=pulp.LpBinary)
        posts.append(n)
        used.append(y)
        # linking: l_i y_i <= n_i <= u_i y_i
        b.add(n - c.min_posts * y, ">=", 0)
        b.add(n - c.max_posts * y, "<=", 0)
        spend.append(pulp.lpSum([c.price_per_post * money * n, c.fixed_fee * money * y]))

        v = e.first_post_engagement * eng
        if decay == 1.0:
            engagement.append(v * n)
            continue
        table = [x * eng for x in _engagement_table(e, decay)]
        if exact_engagement:
            choices = {
                k: b.prob.add_variable(f"w_{i}_{k}", cat=pulp.LpBinary)
                for k in range(c.min_posts, c.max_posts + 1)
            }
            b.add(pulp.lpSum(choices.values()) - y, "==", 0)
            b.add(pulp.lpSum(k * w for k, w in choices.items()) - n, "==", 0)
            engagement.append(pulp.lpSum(table[k] * w for k, w in choices.items()))
        else:
            ei = b.prob.add_variable(f"e_{i}", lowBound=0)
            for k in range(c.max_posts):
                marginal = table[k + 1] - table[k]
                # E_i <= E(k) y_i + (E(k+1) - E(k)) (n_i - k y_i)
                b.add(ei - marginal * n - (table[k] - marginal * k) * y, "<=", 0)
            engagement.append(pulp.LpAffineExpression(ei))

    total_spend = b.prob.add_variable("plan_spend", lowBound=0)
    b.add(pulp.lpSum(spend) - total_spend, "==", 0)
    total_eng = b.prob.add_variable("plan_engagement", lowBound=0)
    b.add(pulp.lpSum(engagement) - total_eng, "==", 0)

    # 1. budget
    b.add(pulp.LpAffineExpression(total_spend), "<=", scales.budget, "budget")
    if con.min_budget_use > 0:
        b.add(
            pulp.LpAffineExpression(total_spend),
            ">=",
            con.min_budget_use * scales.budget,
            "min_budget_use",
        )

    # 2. concentration
    cap = con.max_share_per_influencer
    if cap is not None and cap < 1.0:
        for s in spend:
            b.add(s - cap * total_spend, "<=", 0, "max_share_per_influencer")
    if con.max_spend_per_influencer is not None:
        limit = con.max_spend_per_influencer * money
        for s in spend:
            b.add(s, "<=", limit, "max_spend_per_influencer")
    beta = con.max_engagement_share_per_influencer
    if beta is not None and beta < 1.0:
        for en in engagement:
            b.add(
                en - beta * total_eng,
                "<=",
                0,
                "max_engagement_share_per_influencer",
                weight=1.0 / max(1.0, sum(_engagement_table(e, decay)[-1] for e in eligible) * eng),
            )

    # 3. tier and platform mix
    tiers = [e.tier for e in eligible]
    platforms = [e.candidate.platform for e in eligible]
    for kind, labels, shares in (
        ("tier", tiers, con.tier_share),
        ("platform", platforms, con.platform_share),
    ):
        for name, bounds in shares.items():
            group_spend = pulp.lpSum(
                s for s, label in zip(spend, labels, strict=True) if label == name
            )
            if bounds.min is not None and bounds.min > 0:
                b.add(group_spend - bounds.min * total_spend, ">=", 0, f"{kind}_min:{name}")
            if bounds.max is not None and bounds.max < 1:
                b.add(group_spend - bounds.max * total_spend, "<=", 0, f"{kind}_max:{name}")

    # 4. management capacity
    count_used = pulp.lpSum(used)
    if con.min_influencers > 0:
        # Never suggest an empty plan while some candidate could be bought.
        b.add(
            count_used,
            ">=",
            con.min_influencers if elastic else fewest_creators(problem),
            "min_influencers",
            weight=1.0 / con.min_influencers,
            slack_upper=con.min_influencers - (1 if eligible else 0),
        )
    if con.max_influencers is not None:
        b.add(
            count_used,
            "<=",
            con.max_influencers,
            "max_influencers",
            weight=1.0 / max(1, con.max_influencers),
        )

    # 5. must include
    index = {e.candidate.id: i for i, e in enumerate(eligible)}
    for cid in con.must_include:
        if cid in index:
            b.add(
                pulp.LpAffineExpression(used[index[cid]]),
                ">=",
                1,
                f"must_include:{cid}",
                slack_upper=1.0,
            )

    target = objective.target_engagement
    if objective.kind is ObjectiveKind.MIN_COST and target is not None and target > 0:
        b.add(
            pulp.LpAffineExpression(total_eng),
            ">=",
            target * eng,
            "target_engagement",
            weight=1.0 / (target * eng),
        )

    if elastic:
        b.prob += pulp.lpSum(b.weights[g] * s for g, s in b.slacks.items())
    elif objective.kind is ObjectiveKind.ENGAGEMENT:
        b.prob += pulp.LpAffineExpression(total_eng)
    elif objective.kind is ObjectiveKind.REACH:
        rs = 1.0 / scales.reach
        b.prob += pulp.lpSum(e.reach * rs * y for e, y in zip(eligible, used, strict=True))
    else:
        b.prob += pulp.LpAffineExpression(total_spend)

    return BuiltModel(prepared, b.prob, posts, used, scales, elastic, b.slacks)


def objective_scale(built: BuiltModel) -> float:
    """Multiply a (scaled) solver objective by this to get natural units."""
    if built.elastic:
        return 1.0
    kind = built.prepared.problem.objective.kind
    if kind is ObjectiveKind.ENGAGEMENT:
        return built.scales.engagement
    if kind is ObjectiveKind.REACH:
        return built.scales.reach
    return built.scales.money


def natural_objective(prepared: Prepared, posts: Iterable[int]) -> float:
    """The objective of a plan in natural units, computed exactly from its posts."""
    kind = prepared.problem.objective.kind
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
