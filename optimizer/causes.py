"""Why a constraint of an infeasible request cannot be met, when the roster shows it plainly:
a tier whose cheapest creator costs more than the whole budget, fewer eligible creators than
a share cap or a minimum count needs. Said in a planner's words, next to the relaxation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from optimizer.constraints import ConstraintKind
from optimizer.prepare import Eligible, Prepared
from optimizer.result import Relaxation

K = ConstraintKind


def with_causes(prepared: Prepared, relaxation: Sequence[Relaxation]) -> tuple[Relaxation, ...]:
    """Each relaxation with its cause, where one is evident."""
    return tuple(replace(r, cause=r.cause or _cause(prepared, r)) for r in relaxation)


def _entry(e: Eligible) -> float:
    """What taking a creator at all costs: their fewest posts and their fee."""
    c = e.candidate
    return c.price_per_post * c.min_posts + c.fixed_fee


def _money(x: float) -> str:
    return f"{x:,.2f}".removesuffix(".00")


def _members(prepared: Prepared, group: str, name: str) -> list[Eligible]:
    return [
        e
        for e in prepared.eligible
        if (e.tier if group == "tier" else e.candidate.platform) == name
    ]


def _cause(prepared: Prepared, r: Relaxation) -> str | None:
    if r.kind.is_mix and r.kind.side == "min" and r.subject is not None:
        return _group_cause(prepared, r.kind.group, r.subject)
    if r.kind is K.BUDGET:
        return _budget_cause(prepared)
    eligible = len(prepared.eligible)
    con = prepared.problem.constraints
    cap = con.max_share_per_influencer
    if r.kind is K.MAX_SHARE_PER_INFLUENCER and cap is not None and cap > 0:
        needed = math.ceil(1 / cap - 1e-9)
        if eligible < needed:
            return (
                f"only {eligible} creator(s) are eligible: a {cap * 100:.4g}% cap per creator "
                f"needs at least {needed}"
            )
    fewest, most = con.min_influencers, con.max_influencers
    if r.kind is K.MIN_INFLUENCERS and eligible < fewest:
        return f"only {eligible} creator(s) are eligible, fewer than the {fewest} asked"
    counts = (K.MIN_INFLUENCERS, K.MAX_INFLUENCERS)
    if r.kind in counts and most is not None and fewest > most:
        return f"at least {fewest} creators are asked for, at most {most} allowed"
    return None


def _label(group: str, name: str) -> str:
    return f"{name} creator" if group == "tier" else f"creator on {name}"


def _group_cause(prepared: Prepared, group: str, name: str) -> str | None:
    if not _members(prepared, group, name):
        return f"no eligible {_label(group, name)} is in the roster"
    return _too_dear(prepared, group, name)


def _too_dear(prepared: Prepared, group: str, name: str) -> str | None:
    """The group's cheapest creator costs more than the budget."""
    members = _members(prepared, group, name)
    budget = prepared.problem.budget
    cheapest = min((_entry(e) for e in members), default=0.0)
    if cheapest <= budget:
        return None
    label = _label(group, name)
    return f"the cheapest {label} costs {_money(cheapest)}, above the {_money(budget)} budget"


def _budget_cause(prepared: Prepared) -> str | None:
    problem = prepared.problem
    budget, con = problem.budget, problem.constraints
    entries = sorted(_entry(e) for e in prepared.eligible)
    if entries and entries[0] > budget:
        return f"the cheapest creator costs {_money(entries[0])}, above the {_money(budget)} budget"
    must = set(con.must_include)
    forced = sum(_entry(e) for e in prepared.eligible if e.candidate.id in must)
    if forced > budget:
        return (
            f"the creators in must_include cost {_money(forced)} together, above the "
            f"{_money(budget)} budget"
        )
    fewest = con.min_influencers
    if 1 < fewest <= len(entries) and sum(entries[:fewest]) > budget:
        return (
            f"the {fewest} cheapest creators cost {_money(sum(entries[:fewest]))} together, "
            f"above the {_money(budget)} budget"
        )
    for group, shares in (("tier", con.tier_share), ("platform", con.platform_share)):
        for name, bounds in shares.items():
            found = _too_dear(prepared, group, name) if bounds.min else None
            if found is not None:
                return found
    return None
