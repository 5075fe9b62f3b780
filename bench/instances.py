"""Seeded planning instances shaped like an agency catalog.

Followers are log-uniform over 1k-5M; each creator's engagement rate is its tier's prior times
log-normal noise; price per post is followers x rate x a cost per engagement drawn from
0.05-0.5; half the creators charge a fixed fee of 0.5-3 posts' price; max posts 1-4.
The planner asks for a 0.25 share cap, micro >= 40%, mega <= 20% and at most 50 creators.

Variants: ``decay`` 1.0 or 0.85; ``binding`` "budget" (the budget buys ~20 mid-size creators)
or "capacity" (the budget could buy far more than ``max_influencers`` creators);
``max_influencers`` 50 or 500. ``VARIANTS`` lists all eight.

``FAMILIES`` widens this to the rest of the request surface (see ``family_instance``): tier and
platform shares with bands, quality gates with must_include and exclude, decay with an
engagement-share cap, reach, min_cost with a target, custom tiers, small creator limits and a
random mix, on the same catalogs, with budgets from 2% to 45% of what the roster could absorb.
Seeds in ``TUNING_SEEDS`` may be looked at while tuning the solver; ``HELD_OUT_SEEDS`` are kept
for checking that what was tuned holds on instances it was not tuned on.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from optimizer import (
    Candidate,
    Constraints,
    Objective,
    ObjectiveKind,
    Overlap,
    PlanProblem,
    Platform,
    ShareBounds,
    SolveOptions,
    Tier,
)

_PRIORS = ((0, 0.06), (10_000, 0.05), (100_000, 0.02), (1_000_000, 0.015))
_PLATFORMS = (Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE, Platform.X)


@dataclass(frozen=True, slots=True)
class Variant:
    decay: float = 0.85
    binding: str = "budget"
    max_influencers: int = 50

    @property
    def label(self) -> str:
        return f"decay {self.decay:g}, {self.binding}, max {self.max_influencers}"


def _prior(followers: int) -> float:
    rate = _PRIORS[0][1]
    for bound, prior in _PRIORS:
        if followers >= bound:
            rate = prior
    return rate


def candidates(n: int, rng: random.Random) -> list[Candidate]:
    out = []
    for i in range(n):
        followers = round(math.exp(rng.uniform(math.log(1_000), math.log(5_000_000))))
        rate = min(0.5, _prior(followers) * math.exp(rng.gauss(0.0, 0.3)))
        price = max(10.0, round(followers * rate * rng.uniform(0.05, 0.5), 2))
        fee = round(price * rng.uniform(0.5, 3.0), 2) if rng.random() < 0.5 else 0.0
        max_posts = rng.randint(1, 4)
        out.append(
            Candidate(
                id=f"c{i}",
                handle=f"@creator{i}",
                platform=rng.choice(_PLATFORMS).value,
                followers=followers,
                engagement_rate=round(rate, 5),
                price_per_post=price,
                fixed_fee=fee,
                min_posts=1,
                max_posts=max_posts,
                audience_quality=round(rng.uniform(0.6, 1.0), 3),
            )
        )
    return out


def instance(
    n: int, seed: int, variant: Variant = Variant(), time_limit_s: float = 60.0
) -> PlanProblem:
    rng = random.Random(seed * 1_000_003 + n)
    pool = candidates(n, rng)
    spends = sorted(c.price_per_post + c.fixed_fee for c in pool)
    median = spends[len(spends) // 2]
    budget = 20 * median if variant.binding == "budget" else 20 * sum(spends[-50:])
    return PlanProblem(
        budget=round(budget, 2),
        candidates=tuple(pool),
        constraints=Constraints(
            max_share_per_influencer=0.25,
            tier_share={"micro": ShareBounds(min=0.4), "mega": ShareBounds(max=0.2)},
            max_influencers=variant.max_influencers,
        ),
        options=SolveOptions(repeat_post_decay=variant.decay, time_limit_s=time_limit_s),
        name=f"bench n={n} seed={seed} ({variant.label})",
    )


VARIANTS: tuple[Variant, ...] = tuple(
    Variant(decay=decay, binding=binding, max_influencers=most)
    for binding in ("budget", "capacity")
    for most in (50, 500)
    for decay in (0.85, 1.0)
)


def wire_candidates(pool: tuple[Candidate, ...] | list[Candidate]) -> list[dict[str, object]]:
    """The candidates as a request's JSON carries them (tags and defaults left out)."""
    return [
        {
            "id": c.id,
            "handle": c.handle,
            "platform": c.platform,
            "followers": c.followers,
            "engagement_rate": c.engagement_rate,
            "price_per_post": c.price_per_post,
            "fixed_fee": c.fixed_fee,
            "min_posts": c.min_posts,
            "max_posts": c.max_posts,
            "audience_quality": c.audience_quality,
        }
        for c in pool
    ]


# --- families of requests -------------------------------------------------------------------

TUNING_SEEDS: tuple[int, ...] = (1, 2, 3, 4, 5)
# Never used while tuning: a solver change is judged on these too.
HELD_OUT_SEEDS: tuple[int, ...] = (101, 102, 103, 104, 105)

CUSTOM_TIERS = (
    Tier("small", 0),
    Tier("mid", 30_000),
    Tier("large", 300_000),
    Tier("star", 3_000_000),
)
CUSTOM_PRIORS = {"small": 0.065, "mid": 0.045, "large": 0.02, "star": 0.012}


def absorbable(pool: list[Candidate]) -> float:
    """What the roster could absorb: every creator at max posts, fees included."""
    return math.fsum(c.price_per_post * c.max_posts + c.fixed_fee for c in pool)


def _budget_share(rng: random.Random, low: float = 0.02, high: float = 0.45) -> float:
    """A share of what the roster could absorb, log-uniform in [low, high]."""
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _engagement(c: Candidate, posts: int, decay: float) -> float:
    first = c.followers * (c.engagement_rate or 0.0) * c.audience_quality
    return first * posts if decay == 1.0 else first * (1.0 - decay**posts) / (1.0 - decay)


def _tier_platform(n: int, rng: random.Random, pool: list[Candidate]) -> PlanProblem:
    budget = absorbable(pool) * rng.uniform(0.25, 0.35)
    return PlanProblem(
        budget=round(budget, 2),
        candidates=tuple(pool),
        constraints=Constraints(
            max_share_per_influencer=0.25,
            tier_share={
                "nano": ShareBounds(min=0.05, max=0.3),
                "micro": ShareBounds(min=0.3, max=0.6),
                "macro": ShareBounds(max=0.3),
                "mega": ShareBounds(max=0.15),
            },
            platform_share={
                "tiktok": ShareBounds(min=0.15, max=0.45),
                "instagram": ShareBounds(min=0.2, max=0.5),
                "x": ShareBounds(max=0.2),
            },
            max_influencers=None,
        ),
    )


def _gates(n: int, rng: random.Random, pool: list[Candidate]) -> PlanProblem:
    budget = absorbable(pool) * _budget_share(rng)
    ids = [c.id for c in pool]
    affordable = [c.id for c in pool if c.price_per_post + c.fixed_fee <= 0.05 * budget]
    # must_include among the creators that pass the gates below
    affordable_ids = set(affordable)
    passing = [
        c.id
        for c in pool
        if c.id in affordable_ids
        and c.audience_quality >= 0.7
        and 5_000 <= c.followers <= 2_000_000
        and (c.engagement_rate or 0.0) >= 0.01
    ]
    must = tuple(rng.sample(passing, k=min(5, len(passing))))
    exclude = tuple(rng.sample([i for i in ids if i not in must], k=max(1, n // 100)))
    return PlanProblem(
        budget=round(budget, 2),
        candidates=tuple(pool),
        constraints=Constraints(
            max_share_per_influencer=0.25,
            tier_share={"micro": ShareBounds(min=0.3)},
            min_audience_quality=0.7,
            min_engagement_rate=0.01,
            min_followers=5_000,
            max_followers=2_000_000,
            must_include=must,
            exclude=(*exclude, "unknown-id"),
            max_influencers=None if rng.random() < 0.5 else max(10, n // 20),
        ),
    )


def _decay_engagement_cap(n: int, rng: random.Random, pool: list[Candidate]) -> PlanProblem:
    budget = absorbable(pool) * _budget_share(rng, 0.05, 0.45)
    return PlanProblem(
        budget=round(budget, 2),
        candidates=tuple(pool),
        constraints=Constraints(
            max_share_per_influencer=0.25,
            max_engagement_share_per_influencer=0.37,
            max_influencers=None,
        ),
        options=SolveOptions(repeat_post_decay=0.79),
    )


def _reach(n: int, rng: random.Random, pool: list[Candidate]) -> PlanProblem:
    budget = absorbable(pool) * _budget_share(rng)
    return PlanProblem(
        budget=round(budget, 2),
        candidates=tuple(pool),
        constraints=Constraints(
            max_share_per_influencer=0.25,
            tier_share={"micro": ShareBounds(min=0.3), "mega": ShareBounds(max=0.3)},
            max_influencers=None if rng.random() < 0.5 else max(20, n // 10),
        ),
        objective=Objective(ObjectiveKind.REACH),
    )


def _min_cost(n: int, rng: random.Random, pool: list[Candidate]) -> PlanProblem:
    """The target is a share of what the most efficient creators reach on the budget, so that
    a plan exists whatever the draw."""
    share = _budget_share(rng)
    budget = absorbable(pool) * share
    decay = 0.85
    ranked = sorted(
        pool,
        key=lambda c: (
            -_engagement(c, c.max_posts, decay) / (c.price_per_post * c.max_posts + c.fixed_fee)
        ),
    )
    spent = reached = 0.0
    cap = 0.25 * budget
    for c in ranked:
        cost = c.price_per_post * c.max_posts + c.fixed_fee
        if cost > cap:
            continue
        if spent + cost > budget:
            break
        spent += cost
        reached += _engagement(c, c.max_posts, decay)
    return PlanProblem(
        budget=round(budget, 2),
        candidates=tuple(pool),
        constraints=Constraints(
            max_share_per_influencer=0.25,
            tier_share={"mega": ShareBounds(max=0.3)},
            max_influencers=None,
        ),
        objective=Objective(ObjectiveKind.MIN_COST, target_engagement=round(0.6 * reached, 2)),
        options=SolveOptions(repeat_post_decay=decay),
    )


def _custom_tiers(n: int, rng: random.Random, pool: list[Candidate]) -> PlanProblem:
    budget = absorbable(pool) * _budget_share(rng)
    # a third of the creators give no rate: their custom tier's prior is used
    pool = [c if rng.random() < 0.67 else _without_rate(c) for c in pool]
    return PlanProblem(
        budget=round(budget, 2),
        candidates=tuple(pool),
        constraints=Constraints(
            max_share_per_influencer=0.2,
            tier_share={
                "small": ShareBounds(min=0.1),
                "mid": ShareBounds(min=0.25, max=0.7),
                "star": ShareBounds(max=0.1),
            },
            max_influencers=None,
        ),
        options=SolveOptions(tiers=CUSTOM_TIERS, engagement_priors=CUSTOM_PRIORS),
    )


def _without_rate(c: Candidate) -> Candidate:
    return Candidate(
        id=c.id,
        handle=c.handle,
        platform=c.platform,
        followers=c.followers,
        price_per_post=c.price_per_post,
        engagement_rate=None,
        fixed_fee=c.fixed_fee,
        min_posts=c.min_posts,
        max_posts=c.max_posts,
        audience_quality=c.audience_quality,
    )


def _small_limit(n: int, rng: random.Random, pool: list[Candidate]) -> PlanProblem:
    budget = absorbable(pool) * _budget_share(rng)
    most = rng.choice((5, 8, 12, 20))
    return PlanProblem(
        budget=round(budget, 2),
        candidates=tuple(pool),
        constraints=Constraints(
            max_share_per_influencer=0.25,
            tier_share={"micro": ShareBounds(min=0.4), "mega": ShareBounds(max=0.2)},
            min_influencers=min(most, rng.choice((1, 4, 6))),
            max_influencers=most,
        ),
        options=SolveOptions(repeat_post_decay=rng.choice((1.0, 0.85))),
    )


def _random_mix(n: int, rng: random.Random, pool: list[Candidate]) -> PlanProblem:
    budget = absorbable(pool) * _budget_share(rng)
    chance = rng.random
    tier_share: dict[str, ShareBounds] = {}
    if chance() < 0.6:
        tier_share["micro"] = ShareBounds(
            min=rng.choice((0.2, 0.3, 0.4)), max=rng.choice((None, 0.7))
        )
    if chance() < 0.5:
        tier_share["mega"] = ShareBounds(max=rng.choice((0.1, 0.2, 0.3)))
    platform_share: dict[str, ShareBounds] = {}
    if chance() < 0.5:
        platform_share["tiktok"] = ShareBounds(
            min=rng.choice((None, 0.1, 0.2)), max=rng.choice((0.4, 0.6))
        )
    if chance() < 0.3:
        platform_share["youtube"] = ShareBounds(max=rng.choice((0.2, 0.3)))
    kind = rng.choice((ObjectiveKind.ENGAGEMENT, ObjectiveKind.ENGAGEMENT, ObjectiveKind.REACH))
    most = rng.choice((None, None, 10, 50, 500, 5_000))
    # a spend floor only without a creator limit, so that every draw admits a plan
    floor = rng.choice((0.0, 0.0, 0.5, 0.9)) if most is None else 0.0
    return PlanProblem(
        budget=round(budget, 2),
        candidates=tuple(pool),
        constraints=Constraints(
            min_budget_use=floor,
            max_share_per_influencer=rng.choice((0.25, 0.1, 0.34, None)),
            max_spend_per_influencer=None if chance() < 0.7 else round(budget * 0.05, 2),
            max_engagement_share_per_influencer=None if chance() < 0.7 else rng.choice((0.2, 0.37)),
            tier_share=tier_share,
            platform_share=platform_share,
            max_influencers=most,
            min_audience_quality=None if chance() < 0.7 else 0.7,
        ),
        objective=Objective(kind),
        options=SolveOptions(repeat_post_decay=rng.choice((1.0, 0.9, 0.79))),
    )


def _catalog(n: int, rng: random.Random, pool: list[Candidate]) -> PlanProblem:
    """The benchmark of ``instance``: budget-bound, decay 0.85, at most 50 creators."""
    spends = sorted(c.price_per_post + c.fixed_fee for c in pool)
    return _catalog_request(pool, 20 * spends[len(spends) // 2], 50)


def _capacity(n: int, rng: random.Random, pool: list[Candidate]) -> PlanProblem:
    """The capacity-bound variant of ``instance``: the budget could buy far more than the 500
    creators allowed, decay 0.85 (the hardest to prove of ``VARIANTS``)."""
    spends = sorted(c.price_per_post + c.fixed_fee for c in pool)
    return _catalog_request(pool, 20 * sum(spends[-50:]), 500)


def _catalog_request(pool: list[Candidate], budget: float, most: int) -> PlanProblem:
    return PlanProblem(
        budget=round(budget, 2),
        candidates=tuple(pool),
        constraints=Constraints(
            max_share_per_influencer=0.25,
            tier_share={"micro": ShareBounds(min=0.4), "mega": ShareBounds(max=0.2)},
            max_influencers=most,
        ),
        options=SolveOptions(repeat_post_decay=0.85),
    )


FamilyBuilder = Callable[[int, random.Random, list[Candidate]], PlanProblem]
FAMILIES: dict[str, FamilyBuilder] = {
    "catalog": _catalog,
    "tier_platform": _tier_platform,
    "gates": _gates,
    "decay_engagement_cap": _decay_engagement_cap,
    "reach": _reach,
    "min_cost": _min_cost,
    "custom_tiers": _custom_tiers,
    "small_limit": _small_limit,
    "random_mix": _random_mix,
    "capacity_500": _capacity,
}


def family_instance(
    family: str, n: int, seed: int, time_limit_s: float = 10.0, mip_gap: float = 1e-4
) -> PlanProblem:
    """The seeded request of ``family`` over ``n`` creators of the same catalog as ``instance``."""
    rng = random.Random(seed * 1_000_003 + n)
    pool = candidates(n, rng)
    draw = random.Random(f"{family}:{seed}:{n}")
    problem = FAMILIES[family](n, draw, pool)
    options = problem.options
    return PlanProblem(
        budget=problem.budget,
        candidates=problem.candidates,
        constraints=problem.constraints,
        objective=problem.objective,
        options=SolveOptions(
            repeat_post_decay=options.repeat_post_decay,
            time_limit_s=time_limit_s,
            mip_gap=mip_gap,
            tiers=options.tiers,
            engagement_priors=options.engagement_priors,
        ),
        name=f"{family} n={n} seed={seed}",
    )


# --- audience overlaps ------------------------------------------------------------------------

NICHES = (
    "beauty", "skincare", "fitness", "food", "travel", "gaming", "tech", "fashion", "parenting",
    "finance", "music", "pets", "home", "outdoors", "comedy", "education",
)  # fmt: skip


def overlap_instance(n: int, pairs: int, seed: int, time_limit_s: float = 30.0) -> PlanProblem:
    """A unique-reach request over ``n`` creators of the catalog of ``instance``, each with one
    niche tag, and ``pairs`` overlaps clustered as audience-overlap tools find them: most
    between creators of the same niche and platform (3-25% of the smaller audience), some of
    the same niche across platforms (1-10%), a few anywhere (0.5-3%). A creator's shares are
    trimmed so that it never overlaps more audience than it reaches."""
    rng = random.Random(seed * 1_000_003 + n + 7)
    pool = [replace(c, tags=(rng.choice(NICHES),)) for c in candidates(n, rng)]
    overlaps = _clustered_overlaps(pool, pairs, rng)
    budget = absorbable(pool) * 0.01
    return PlanProblem(
        budget=round(budget, 2),
        candidates=tuple(pool),
        constraints=Constraints(
            max_share_per_influencer=0.25,
            tier_share={"micro": ShareBounds(min=0.3), "mega": ShareBounds(max=0.3)},
            max_influencers=max(20, n // 50),
        ),
        objective=Objective(ObjectiveKind.UNIQUE_REACH),
        options=SolveOptions(time_limit_s=time_limit_s),
        overlaps=overlaps,
        name=f"overlap n={n} pairs={pairs} seed={seed}",
    )


def _clustered_overlaps(
    pool: list[Candidate], pairs: int, rng: random.Random
) -> tuple[Overlap, ...]:
    clusters: dict[tuple[str, str], list[int]] = {}
    niches: dict[str, list[int]] = {}
    for i, c in enumerate(pool):
        clusters.setdefault((c.tags[0], c.platform), []).append(i)
        niches.setdefault(c.tags[0], []).append(i)
    groups = list(clusters.values())
    reach = [c.followers * c.audience_quality for c in pool]
    room = list(reach)
    seen: set[tuple[int, int]] = set()
    out: list[Overlap] = []
    while len(out) < pairs:
        draw = rng.random()
        if draw < 0.8:
            group = rng.choice(groups)
            share = rng.uniform(0.03, 0.25)
        elif draw < 0.95:
            group = niches[pool[rng.randrange(len(pool))].tags[0]]
            share = rng.uniform(0.01, 0.1)
        else:
            group = range(len(pool))  # type: ignore[assignment]
            share = rng.uniform(0.005, 0.03)
        if len(group) < 2:
            continue
        a, b = rng.sample(group, 2)
        key = (min(a, b), max(a, b))
        smaller = min(reach[a], reach[b])
        if key in seen or smaller <= 0:
            continue
        # trimmed to what both creators have left to overlap
        share = math.floor(min(share, room[a] / smaller, room[b] / smaller) * 1e4) / 1e4
        if share <= 0:
            continue
        seen.add(key)
        room[a] -= share * smaller
        room[b] -= share * smaller
        out.append(Overlap(pool[a].id, pool[b].id, share))
    return tuple(out)
