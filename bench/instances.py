"""Seeded planning instances shaped like an agency catalog.

Followers are log-uniform over 1k-5M; each creator's engagement rate is its tier's prior times
log-normal noise; price per post is followers x rate x a cost per engagement drawn from
0.05-0.5; half the creators charge a fixed fee of 0.5-3 posts' price; max posts 1-4.
The planner asks for a 0.25 share cap, micro >= 40%, mega <= 20% and at most 50 creators.

Variants: ``decay`` 1.0 or 0.85; ``binding`` "budget" (the budget buys ~20 mid-size creators)
or "capacity" (the budget could buy far more than ``max_influencers`` creators);
``max_influencers`` 50 or 500. ``VARIANTS`` lists all eight.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from optimizer import (
    Candidate,
    Constraints,
    PlanProblem,
    Platform,
    ShareBounds,
    SolveOptions,
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
