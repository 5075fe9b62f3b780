"""Turning integer posts into the answer a planner reads: figures, risk, binding constraints and,
for an infeasible request, the relaxation that would make it solvable."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from optimizer.prepare import Eligible, Prepared
from optimizer.problem import ObjectiveKind
from optimizer.result import (
    Allocation,
    GroupSummary,
    Relaxation,
    Risk,
    Totals,
)

# Constraints are checked on exact figures; this only absorbs floating-point noise.
_REL_TOL = 1e-7


@dataclass(frozen=True, slots=True)
class PlanFigures:
    allocations: tuple[Allocation, ...]
    totals: Totals
    by_tier: dict[str, GroupSummary]
    by_platform: dict[str, GroupSummary]
    risk: Risk


@dataclass(frozen=True, slots=True)
class _Line:
    e: Eligible
    posts: int
    spend: float
    engagement: float


def _lines(prepared: Prepared, posts: Sequence[int]) -> list[_Line]:
    decay = prepared.decay
    return [
        _Line(e, n, e.spend(n), e.engagement(n, decay))
        for e, n in zip(prepared.eligible, posts, strict=True)
        if n > 0
    ]


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 else 0.0


def _summaries(
    lines: list[_Line], names: Iterable[str], key: str, spend: float
) -> dict[str, GroupSummary]:
    out: dict[str, GroupSummary] = {}
    for name in names:
        members = [ln for ln in lines if _label(ln, key) == name]
        group_spend = sum(ln.spend for ln in members)
        out[name] = GroupSummary(
            spend=group_spend,
            share=_ratio(group_spend, spend),
            engagement=sum(ln.engagement for ln in members),
            influencers=len(members),
        )
    return out


def _label(line: _Line, key: str) -> str:
    return line.e.tier if key == "tier" else line.e.candidate.platform


def plan_figures(prepared: Prepared, posts: Sequence[int]) -> PlanFigures:
    lines = _lines(prepared, posts)
    spend = sum(ln.spend for ln in lines)
    engagement = sum(ln.engagement for ln in lines)
    reach = sum(ln.e.reach for ln in lines)
    allocations = tuple(
        Allocation(
            id=ln.e.candidate.id,
            handle=ln.e.candidate.handle,
            platform=ln.e.candidate.platform,
            tier=ln.e.tier,
            posts=ln.posts,
            spend=ln.spend,
            expected_engagement=ln.engagement,
            share_of_spend=_ratio(ln.spend, spend),
            share_of_engagement=_ratio(ln.engagement, engagement),
            engagement_rate_used=ln.e.rate,
            engagement_rate_source=ln.e.rate_source,
            cost_per_engagement=ln.spend / ln.engagement if ln.engagement > 0 else None,
            reach=ln.e.reach,
        )
        for ln in sorted(lines, key=lambda ln: (-ln.spend, ln.e.candidate.id))
    )
    shares = [a.share_of_spend for a in allocations]
    hhi = sum(s * s for s in shares)
    platforms = sorted(
        {e.candidate.platform for e in prepared.eligible}
        | set(prepared.problem.constraints.platform_share)
    )
    return PlanFigures(
        allocations=allocations,
        totals=Totals(
            spend=spend,
            budget_left=prepared.problem.budget - spend,
            expected_engagement=engagement,
            reach=reach,
            influencers=len(lines),
            cost_per_engagement=spend / engagement if engagement > 0 else None,
        ),
        by_tier=_summaries(lines, [t.name for t in prepared.tiers], "tier", spend),
        by_platform=_summaries(lines, platforms, "platform", spend),
        risk=Risk(
            max_share=max(shares, default=0.0),
            hhi=hhi,
            effective_influencers=1.0 / hhi if hhi > 0 else 0.0,
        ),
    )


def binding_constraints(prepared: Prepared, posts: Sequence[int]) -> tuple[str, ...]:
    """Constraints active at the plan, by name. The budget also counts as binding when what is
    left cannot buy any further post, since then it is what stops the plan from growing."""
    problem = prepared.problem
    con = problem.constraints
    lines = _lines(prepared, posts)
    spend = sum(ln.spend for ln in lines)
    engagement = sum(ln.engagement for ln in lines)
    money_tol = _REL_TOL * problem.budget
    eng_tol = _REL_TOL * max(engagement, 1.0)
    out: list[str] = []

    left = problem.budget - spend
    cheapest_addition = min(
        (
            e.candidate.price_per_post
            if n > 0
            else e.candidate.price_per_post * e.candidate.min_posts + e.candidate.fixed_fee
            for e, n in zip(prepared.eligible, posts, strict=True)
            if n < e.candidate.max_posts
        ),
        default=float("inf"),
    )
    if left <= money_tol or left < cheapest_addition:
        out.append("budget")
    if con.min_budget_use > 0 and spend <= con.min_budget_use * problem.budget + money_tol:
        out.append("min_budget_use")
    if con.min_influencers > 0 and len(lines) == con.min_influencers:
        out.append("min_influencers")
    if con.max_influencers is not None and len(lines) == con.max_influencers:
        out.append("max_influencers")
    if (
        problem.objective.target_engagement is not None
        and problem.objective.kind is ObjectiveKind.MIN_COST
        and engagement <= problem.objective.target_engagement + eng_tol
    ):
        out.append("target_engagement")
    for kind, shares in (("tier", con.tier_share), ("platform", con.platform_share)):
        for name, bounds in shares.items():
            group = sum(
                ln.spend
                for ln in lines
                if (ln.e.tier if kind == "tier" else ln.e.candidate.platform) == name
            )
            if (
                bounds.min is not None
                and bounds.min > 0
                and group <= bounds.min * spend + money_tol
            ):
                out.append(f"{kind}_min:{name}")
            if (
                bounds.max is not None
                and bounds.max < 1
                and group >= bounds.max * spend - money_tol
            ):
                out.append(f"{kind}_max:{name}")
    for ln in lines:
        cid = ln.e.candidate.id
        cap = con.max_share_per_influencer
        if cap is not None and cap < 1 and ln.spend >= cap * spend - money_tol:
            out.append(f"max_share:{cid}")
        limit = con.max_spend_per_influencer
        if limit is not None and ln.spend >= limit - money_tol:
            out.append(f"max_spend:{cid}")
        beta = con.max_engagement_share_per_influencer
        if beta is not None and beta < 1 and ln.engagement >= beta * engagement - eng_tol:
            out.append(f"max_engagement_share:{cid}")
        # A creator offering a single package (min_posts == max_posts) had no choice to bind.
        if ln.posts == ln.e.candidate.max_posts > ln.e.candidate.min_posts:
            out.append(f"max_posts:{cid}")
    return tuple(out)


def _money(x: float) -> str:
    return f"{x:,.2f}".removesuffix(".00")


def _pct(x: float) -> str:
    return f"{x * 100:.4g}%"


def _pcts(a: float, b: float) -> tuple[str, str]:
    """Both shares as percentages, with as many digits as it takes to tell them apart."""
    for digits in range(4, 12):
        shown = (f"{a * 100:.{digits}g}%", f"{b * 100:.{digits}g}%")
        if shown[0] != shown[1]:
            return shown
    return _pct(a), _pct(b)


def describe(constraint: str, current: float | None, required: float | None) -> Relaxation:
    """A relaxation entry with its message in a planner's words."""
    kind, _, key = constraint.partition(":")
    if kind == "must_include":
        message = (
            f"{key} cannot be included within the other constraints: drop it from must_include"
        )
        return Relaxation(constraint, None, None, message)
    assert current is not None
    assert required is not None
    if kind == "budget":
        message = (
            f"budget short by {_money(required - current)}: raise it from {_money(current)} "
            f"to {_money(required)}"
        )
    elif kind in ("tier_min", "platform_min", "tier_max", "platform_max"):
        group, side = kind.split("_")
        verb = "fall" if side == "min" else "rise"
        shown = _pcts(current, required)
        message = f"{group} {key} {side} {shown[0]} must {verb} to {shown[1]}"
    else:
        verb = "rise" if required > current else "fall"
        if kind in ("min_influencers", "max_influencers"):
            shown = (f"{current:g}", f"{required:g}")
        elif kind == "max_spend_per_influencer":
            shown = (_money(current), _money(required))
        elif kind == "target_engagement":
            shown = (f"{current:,.0f}", f"{required:,.0f}")
        else:
            shown = _pcts(current, required)
        message = f"{kind} must {verb} from {shown[0]} to {shown[1]}"
    return Relaxation(constraint, current, required, message)


def relaxations(prepared: Prepared, posts: Sequence[int]) -> tuple[Relaxation, ...]:
    """Every planner constraint the plan ``posts`` breaks, with the value that would admit it.

    Called on the plan of the elastic model, so applying all of them together makes that plan,
    and hence the request, feasible.
    """
    problem = prepared.problem
    con = problem.constraints
    budget = problem.budget
    lines = _lines(prepared, posts)
    spend = sum(ln.spend for ln in lines)
    engagement = sum(ln.engagement for ln in lines)
    money_tol = _REL_TOL * budget
    out: list[Relaxation] = []

    if spend > budget + money_tol:
        out.append(describe("budget", budget, spend))
    if con.min_budget_use > 0 and spend < con.min_budget_use * budget - money_tol:
        out.append(describe("min_budget_use", con.min_budget_use, spend / budget))
    cap = con.max_share_per_influencer
    if lines and spend > 0 and cap is not None:
        top = max(ln.spend for ln in lines) / spend
        if top > cap + _REL_TOL:
            out.append(describe("max_share_per_influencer", cap, top))
    largest = max((ln.spend for ln in lines), default=0.0)
    limit = con.max_spend_per_influencer
    if limit is not None and largest > limit + money_tol:
        out.append(describe("max_spend_per_influencer", limit, largest))
    beta = con.max_engagement_share_per_influencer
    if beta is not None and engagement > 0:
        top_eng = max(ln.engagement for ln in lines) / engagement
        if top_eng > beta + _REL_TOL:
            out.append(describe("max_engagement_share_per_influencer", beta, top_eng))
    for kind, shares in (("tier", con.tier_share), ("platform", con.platform_share)):
        for name, bounds in shares.items():
            group = sum(
                ln.spend
                for ln in lines
                if (ln.e.tier if kind == "tier" else ln.e.candidate.platform) == name
            )
            share = _ratio(group, spend)
            if bounds.min is not None and group < bounds.min * spend - money_tol:
                out.append(describe(f"{kind}_min:{name}", bounds.min, share))
            if bounds.max is not None and group > bounds.max * spend + money_tol:
                out.append(describe(f"{kind}_max:{name}", bounds.max, share))
    count = len(lines)
    if count < con.min_influencers:
        out.append(describe("min_influencers", con.min_influencers, count))
    if con.max_influencers is not None and count > con.max_influencers:
        out.append(describe("max_influencers", con.max_influencers, count))
    used_ids = {ln.e.candidate.id for ln in lines}
    eligible_ids = {e.candidate.id for e in prepared.eligible}
    for cid in con.must_include:
        if cid in eligible_ids and cid not in used_ids:
            out.append(describe(f"must_include:{cid}", None, None))
    target = problem.objective.target_engagement
    if (
        problem.objective.kind is ObjectiveKind.MIN_COST
        and target is not None
        and engagement < target - _REL_TOL * max(target, 1.0)
    ):
        out.append(describe("target_engagement", target, engagement))
    return tuple(out)
