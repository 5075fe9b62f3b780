"""Turning integer posts into the answer a planner reads: figures, risk, binding constraints and,
for an infeasible request, the relaxation that would make it solvable."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from optimizer.constraints import ConstraintKind, ConstraintRef
from optimizer.model import plan_scenarios
from optimizer.overlap import OverlapFigures, overlap_cap, overlap_figures
from optimizer.prepare import Eligible, Prepared, fresh_multipliers
from optimizer.problem import ObjectiveKind, ShareBounds
from optimizer.result import (
    Allocation,
    Binding,
    EngagementHistogram,
    EngagementQuantiles,
    GroupSummary,
    Relaxation,
    Risk,
    ScenarioFigures,
    Totals,
)
from optimizer.scenarios import cvar, histogram, quantiles

# Constraints are checked on exact figures; this only absorbs floating-point noise.
_REL_TOL = 1e-7


@dataclass(frozen=True, slots=True)
class PlanFigures:
    allocations: tuple[Allocation, ...]
    totals: Totals
    by_tier: dict[str, GroupSummary]
    by_platform: dict[str, GroupSummary]
    risk: Risk
    overlap: OverlapFigures | None = None


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
    overlap = _overlap(prepared, posts, reach)
    return PlanFigures(
        allocations=allocations,
        totals=Totals(
            spend=spend,
            budget_left=prepared.problem.budget - spend,
            expected_engagement=engagement,
            reach=reach,
            influencers=len(lines),
            cost_per_engagement=spend / engagement if engagement > 0 else None,
            unique_reach=None if overlap is None else overlap.unique_reach,
            overlapping_audience=None if overlap is None else overlap.overlapping_audience,
        ),
        by_tier=_summaries(lines, [t.name for t in prepared.tiers], "tier", spend),
        by_platform=_summaries(lines, platforms, "platform", spend),
        risk=_scenario_risk(
            prepared,
            posts,
            Risk(
                max_share=max(shares, default=0.0),
                hhi=hhi,
                effective_influencers=1.0 / hhi if hhi > 0 else 0.0,
            ),
        ),
        overlap=overlap,
    )


def _overlap(prepared: Prepared, posts: Sequence[int], reach: float) -> OverlapFigures | None:
    """Unique reach and the overlapping pairs, when the request has overlaps."""
    if prepared.pairs is None:
        return None
    ids = [e.candidate.id for e in prepared.eligible]
    used = np.asarray(posts, dtype=np.int64) > 0
    return overlap_figures(prepared.pairs, ids, reach, used)


def plan_cvar(prepared: Prepared, posts: Sequence[int]) -> float | None:
    """CVaR_alpha of the plan's engagement over the request's scenarios (None without any)."""
    scenarios = prepared.scenarios
    if scenarios is None:
        return None
    return cvar(plan_scenarios(prepared, posts, scenarios.multipliers), scenarios.alpha)


def _scenario_risk(prepared: Prepared, posts: Sequence[int], risk: Risk) -> Risk:
    """The risk figures with the scenarios' ones, when the request has scenarios."""
    scenarios = prepared.scenarios
    if scenarios is None:
        return risk
    totals = plan_scenarios(prepared, posts, scenarios.multipliers)
    fresh = fresh_multipliers(prepared)
    out_of_sample = None
    if fresh is not None and scenarios.seed is not None:
        fresh_totals = plan_scenarios(prepared, posts, fresh)
        out_of_sample = ScenarioFigures(
            seed=scenarios.seed + 1,
            scenarios=int(fresh.shape[1]),
            engagement_cvar=cvar(fresh_totals, scenarios.alpha),
            engagement_quantiles=EngagementQuantiles(*quantiles(fresh_totals)),
        )
    return replace(
        risk,
        alpha=scenarios.alpha,
        scenarios=scenarios.count,
        engagement_cvar=cvar(totals, scenarios.alpha),
        engagement_quantiles=EngagementQuantiles(*quantiles(totals)),
        engagement_histogram=EngagementHistogram(*histogram(totals)),
        out_of_sample=out_of_sample,
    )


def _group_spend(lines: list[_Line], group: str, name: str) -> float:
    """Spend on the creators of one tier (``group`` "tier") or platform."""
    return sum(ln.spend for ln in lines if _label(ln, group) == name)


_PLATFORM_NAMES = {
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "x": "X",
    "twitch": "Twitch",
    "facebook": "Facebook",
    "linkedin": "LinkedIn",
    "other": "Other",
}


def _group_label(group: str, name: str) -> str:
    shown = name[:1].upper() + name[1:]
    if group == "platform":
        shown = _PLATFORM_NAMES.get(name, shown)
    return f"{shown} creators"


def _plan_wide(prepared: Prepared, posts: Sequence[int]) -> list[Binding]:
    """The budget, the spend floor, the creator counts and the engagement target."""
    problem = prepared.problem
    con = problem.constraints
    lines = _lines(prepared, posts)
    spend = sum(ln.spend for ln in lines)
    engagement = sum(ln.engagement for ln in lines)
    money_tol = _REL_TOL * problem.budget
    out: list[Binding] = []
    if problem.budget - spend <= money_tol or problem.budget - spend < _cheapest(prepared, posts):
        budget = f"{_money(problem.budget)} {problem.currency}"
        out.append(
            _bound(
                ConstraintKind.BUDGET,
                f"The budget ({budget}) is used up: what is left buys no further post. "
                "More budget would buy more.",
            )
        )
    if con.min_budget_use > 0 and spend <= con.min_budget_use * problem.budget + money_tol:
        share = _pct(con.min_budget_use)
        message = f"The plan spends exactly the minimum you asked for ({share} of the budget)."
        out.append(_bound(ConstraintKind.MIN_BUDGET_USE, message))
    if con.min_influencers > 0 and len(lines) == con.min_influencers:
        message = f"The plan uses exactly the minimum number of creators ({con.min_influencers})."
        out.append(_bound(ConstraintKind.MIN_INFLUENCERS, message))
    if con.max_influencers is not None and len(lines) == con.max_influencers:
        message = (
            f"The cap of {con.max_influencers} creators is reached: allowing more would spread "
            "the budget further."
        )
        out.append(_bound(ConstraintKind.MAX_INFLUENCERS, message))
    target = problem.objective.target_engagement
    if (
        target is not None
        and problem.objective.kind is ObjectiveKind.MIN_COST
        and engagement <= target + _REL_TOL * max(engagement, 1.0)
    ):
        out.append(
            _bound(ConstraintKind.TARGET_ENGAGEMENT, "The engagement target is met exactly.")
        )
    floor = con.min_cvar_engagement
    tail = plan_cvar(prepared, posts)
    if (
        floor is not None
        and floor > 0
        and tail is not None
        and tail <= floor + _REL_TOL * max(floor, 1.0)
    ):
        out.append(_bound(ConstraintKind.MIN_CVAR_ENGAGEMENT, _cvar_sentence(prepared, floor)))
    overlapping = overlap_share(prepared, posts)
    cap = overlap_cap(problem)
    if cap is not None and overlapping is not None and overlapping >= cap - _REL_TOL:
        message = (
            f"The audience the plan's creators share is {_pct(cap)} of its reach, the most you "
            "allowed: a higher overlap cap would let it take creators whose audiences overlap."
        )
        out.append(_bound(ConstraintKind.MAX_OVERLAP_SHARE, message))
    return out


def overlap_share(prepared: Prepared, posts: Sequence[int]) -> float | None:
    """The plan's overlapping audience as a share of its reach (None without overlaps)."""
    if prepared.pairs is None:
        return None
    used = np.asarray(posts, dtype=np.int64) > 0
    reach = sum(e.reach for e, u in zip(prepared.eligible, used.tolist(), strict=True) if u)
    return _ratio(prepared.pairs.overlapping_audience(used), reach)


def _cvar_sentence(prepared: Prepared, floor: float) -> str:
    scenarios = prepared.scenarios
    assert scenarios is not None
    share = _pct(scenarios.alpha)
    return (
        f"The plan's worst {share} of scenarios average exactly the engagement floor you asked "
        f"for ({floor:,.0f}): a lower floor would let it chase more expected engagement."
    )


def _bound(kind: ConstraintKind, message: str, subject: str | None = None) -> Binding:
    return Binding(ConstraintRef(kind, subject), message)


def _cheapest(prepared: Prepared, posts: Sequence[int]) -> float:
    """What the cheapest further post (or a new creator's first package) costs."""
    return min(
        (
            e.candidate.price_per_post
            if n > 0
            else e.candidate.price_per_post * e.candidate.min_posts + e.candidate.fixed_fee
            for e, n in zip(prepared.eligible, posts, strict=True)
            if n < e.candidate.max_posts
        ),
        default=float("inf"),
    )


@dataclass(frozen=True, slots=True)
class _MixSpend:
    """A tier's or platform's spend in a plan, against its share bounds."""

    group: str  # "tier" or "platform"
    name: str
    bounds: ShareBounds
    amount: float
    spend: float  # the plan's

    def room(self, side: str) -> float | None:
        """How far (in money) the group's spend is inside the bound on ``side``; negative when
        outside it, None without that bound."""
        if side == "min":
            low = self.bounds.min
            return None if low is None else self.amount - low * self.spend
        high = self.bounds.max
        return None if high is None else high * self.spend - self.amount


def _mix_spend(prepared: Prepared, lines: list[_Line]) -> Iterator[_MixSpend]:
    con = prepared.problem.constraints
    spend = sum(ln.spend for ln in lines)
    for group, shares in (("tier", con.tier_share), ("platform", con.platform_share)):
        for name, bounds in shares.items():
            yield _MixSpend(group, name, bounds, _group_spend(lines, group, name), spend)


def _mix(prepared: Prepared, lines: list[_Line]) -> list[Binding]:
    """Tier and platform shares held at a bound (a bound of 0 or 1 holds nothing back)."""
    tol = _REL_TOL * prepared.problem.budget
    out: list[Binding] = []
    for mix in _mix_spend(prepared, lines):
        label = _group_label(mix.group, mix.name)
        low, high = mix.bounds.min, mix.bounds.max
        at_low, at_high = mix.room("min"), mix.room("max")
        if low is not None and low > 0 and at_low is not None and at_low <= tol:
            message = f"{label} are held at their minimum share of spend ({_pct(low)})."
            out.append(_bound(ConstraintKind.mix(mix.group, "min"), message, mix.name))
        if high is not None and high < 1 and at_high is not None and at_high <= tol:
            message = f"{label} are held down at their maximum share of spend ({_pct(high)})."
            out.append(_bound(ConstraintKind.mix(mix.group, "max"), message, mix.name))
    return out


def _per_creator(prepared: Prepared, lines: list[_Line]) -> list[Binding]:
    """Creators at a per-creator cap, or booked for every post they offer."""
    con = prepared.problem.constraints
    spend = sum(ln.spend for ln in lines)
    engagement = sum(ln.engagement for ln in lines)
    money_tol = _REL_TOL * prepared.problem.budget
    eng_tol = _REL_TOL * max(engagement, 1.0)
    cap, limit = con.max_share_per_influencer, con.max_spend_per_influencer
    beta = con.max_engagement_share_per_influencer
    out: list[Binding] = []
    for ln in lines:
        cid, who = ln.e.candidate.id, ln.e.candidate.handle
        if cap is not None and cap < 1 and ln.spend >= cap * spend - money_tol:
            message = f"{who} is at the share cap ({_pct(cap)} of spend)."
            out.append(_bound(ConstraintKind.MAX_SHARE_PER_INFLUENCER, message, cid))
        if limit is not None and ln.spend >= limit - money_tol:
            message = f"{who} is at the spend limit per creator ({_money(limit)})."
            out.append(_bound(ConstraintKind.MAX_SPEND_PER_INFLUENCER, message, cid))
        if beta is not None and beta < 1 and ln.engagement >= beta * engagement - eng_tol:
            message = f"{who} is at the engagement share limit per creator ({_pct(beta)})."
            out.append(_bound(ConstraintKind.MAX_ENGAGEMENT_SHARE_PER_INFLUENCER, message, cid))
        # A creator offering a single package (min_posts == max_posts) had no choice to bind.
        if ln.posts == ln.e.candidate.max_posts > ln.e.candidate.min_posts:
            message = f"{who} is booked for every post they offer (more would be bought)."
            out.append(_bound(ConstraintKind.MAX_POSTS, message, cid))
    return out


def binding_constraints(prepared: Prepared, posts: Sequence[int]) -> tuple[Binding, ...]:
    """Constraints active at the plan. The budget also counts as binding when what is left
    cannot buy any further post, since then it is what stops the plan from growing."""
    lines = _lines(prepared, posts)
    return (
        *_plan_wide(prepared, posts),
        *_mix(prepared, lines),
        *_per_creator(prepared, lines),
    )


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


def describe(ref: ConstraintRef, current: float | None, required: float | None) -> Relaxation:
    """A relaxation entry with its message in a planner's words."""
    kind, key = ref.kind, ref.subject
    if kind is ConstraintKind.MUST_INCLUDE:
        message = (
            f"{key} cannot be included within the other constraints: drop it from must_include"
        )
        return Relaxation(ref, None, None, message)
    assert current is not None
    assert required is not None
    if kind is ConstraintKind.BUDGET:
        message = (
            f"budget short by {_money(required - current)}: raise it from {_money(current)} "
            f"to {_money(required)}"
        )
    elif kind.is_mix:
        verb = "fall" if kind.side == "min" else "rise"
        shown = _pcts(current, required)
        message = f"{kind.group} {key} {kind.side} {shown[0]} must {verb} to {shown[1]}"
    else:
        verb = "rise" if required > current else "fall"
        if kind in (ConstraintKind.MIN_INFLUENCERS, ConstraintKind.MAX_INFLUENCERS):
            shown = (f"{current:g}", f"{required:g}")
        elif kind is ConstraintKind.MAX_SPEND_PER_INFLUENCER:
            shown = (_money(current), _money(required))
        elif kind in (ConstraintKind.TARGET_ENGAGEMENT, ConstraintKind.MIN_CVAR_ENGAGEMENT):
            shown = (f"{current:,.0f}", f"{required:,.0f}")
        else:
            shown = _pcts(current, required)
        message = f"{kind} must {verb} from {shown[0]} to {shown[1]}"
    return Relaxation(ref, current, required, message)


def _broken(kind: ConstraintKind, current: float, required: float) -> Relaxation:
    return describe(ConstraintRef(kind), current, required)


def relaxations(prepared: Prepared, posts: Sequence[int]) -> tuple[Relaxation, ...]:
    """Every planner constraint the plan ``posts`` breaks, with the value that would admit it.

    Called on the plan of the elastic model, so applying all of them together makes that plan,
    and hence the request, feasible.
    """
    lines = _lines(prepared, posts)
    return (
        *_broken_money(prepared, lines),
        *_broken_mix(prepared, lines),
        *_broken_counts(prepared, lines),
    )


def _broken_money(prepared: Prepared, lines: list[_Line]) -> list[Relaxation]:
    """The budget, the spend floor and the per-creator caps."""
    con = prepared.problem.constraints
    budget = prepared.problem.budget
    spend = sum(ln.spend for ln in lines)
    engagement = sum(ln.engagement for ln in lines)
    money_tol = _REL_TOL * budget
    out: list[Relaxation] = []
    if spend > budget + money_tol:
        out.append(_broken(ConstraintKind.BUDGET, budget, spend))
    if con.min_budget_use > 0 and spend < con.min_budget_use * budget - money_tol:
        out.append(_broken(ConstraintKind.MIN_BUDGET_USE, con.min_budget_use, spend / budget))
    cap = con.max_share_per_influencer
    if lines and spend > 0 and cap is not None:
        top = max(ln.spend for ln in lines) / spend
        if top > cap + _REL_TOL:
            out.append(_broken(ConstraintKind.MAX_SHARE_PER_INFLUENCER, cap, top))
    largest = max((ln.spend for ln in lines), default=0.0)
    limit = con.max_spend_per_influencer
    if limit is not None and largest > limit + money_tol:
        out.append(_broken(ConstraintKind.MAX_SPEND_PER_INFLUENCER, limit, largest))
    beta = con.max_engagement_share_per_influencer
    if beta is not None and engagement > 0:
        top_eng = max(ln.engagement for ln in lines) / engagement
        if top_eng > beta + _REL_TOL:
            kind = ConstraintKind.MAX_ENGAGEMENT_SHARE_PER_INFLUENCER
            out.append(_broken(kind, beta, top_eng))
    return out


def _broken_mix(prepared: Prepared, lines: list[_Line]) -> list[Relaxation]:
    """Tier and platform shares outside their bounds."""
    tol = _REL_TOL * prepared.problem.budget
    return [
        describe(
            ConstraintRef(ConstraintKind.mix(mix.group, side), mix.name),
            mix.bounds.min if side == "min" else mix.bounds.max,
            _ratio(mix.amount, mix.spend),
        )
        for mix in _mix_spend(prepared, lines)
        for side in ("min", "max")
        if (room := mix.room(side)) is not None and room < -tol
    ]


def _broken_counts(prepared: Prepared, lines: list[_Line]) -> list[Relaxation]:
    """The creator counts, must_include and the engagement target."""
    problem = prepared.problem
    con = problem.constraints
    engagement = sum(ln.engagement for ln in lines)
    out: list[Relaxation] = []
    count = len(lines)
    if count < con.min_influencers:
        out.append(_broken(ConstraintKind.MIN_INFLUENCERS, con.min_influencers, count))
    if con.max_influencers is not None and count > con.max_influencers:
        out.append(_broken(ConstraintKind.MAX_INFLUENCERS, con.max_influencers, count))
    used_ids = {ln.e.candidate.id for ln in lines}
    eligible_ids = {e.candidate.id for e in prepared.eligible}
    for cid in con.must_include:
        if cid in eligible_ids and cid not in used_ids:
            out.append(describe(ConstraintRef(ConstraintKind.MUST_INCLUDE, cid), None, None))
    target = problem.objective.target_engagement
    if (
        problem.objective.kind is ObjectiveKind.MIN_COST
        and target is not None
        and engagement < target - _REL_TOL * max(target, 1.0)
    ):
        out.append(_broken(ConstraintKind.TARGET_ENGAGEMENT, target, engagement))
    floor = con.min_cvar_engagement
    tail = plan_cvar(prepared, _eligible_posts(prepared, lines))
    if floor is not None and tail is not None and tail < floor - _REL_TOL * max(floor, 1.0):
        out.append(_broken(ConstraintKind.MIN_CVAR_ENGAGEMENT, floor, tail))
    cap = overlap_cap(problem)
    share = overlap_share(prepared, _eligible_posts(prepared, lines))
    if cap is not None and share is not None and share > cap + _REL_TOL:
        out.append(_broken(ConstraintKind.MAX_OVERLAP_SHARE, cap, share))
    return out


def _eligible_posts(prepared: Prepared, lines: list[_Line]) -> list[int]:
    """Posts per eligible candidate (0 for those the plan leaves out)."""
    posts = {ln.e.candidate.id: ln.posts for ln in lines}
    return [posts.get(e.candidate.id, 0) for e in prepared.eligible]
