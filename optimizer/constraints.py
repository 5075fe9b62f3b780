"""Names of the planning model's constraints (docs/model.md): a kind and, where the kind has
several rows, the subject it is about (a tier, a platform or a creator id).

The answer carries each constraint as ``ConstraintRef.id``, the string clients have always read
(``"budget"``, ``"tier_min:micro"``, ``"max_share:c42"``), and as kind and subject, so that no
reader has to split strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ConstraintKind(StrEnum):
    BUDGET = "budget"
    MIN_BUDGET_USE = "min_budget_use"
    MAX_SHARE_PER_INFLUENCER = "max_share_per_influencer"
    MAX_SPEND_PER_INFLUENCER = "max_spend_per_influencer"
    MAX_ENGAGEMENT_SHARE_PER_INFLUENCER = "max_engagement_share_per_influencer"
    TIER_MIN = "tier_min"
    TIER_MAX = "tier_max"
    PLATFORM_MIN = "platform_min"
    PLATFORM_MAX = "platform_max"
    MIN_INFLUENCERS = "min_influencers"
    MAX_INFLUENCERS = "max_influencers"
    MUST_INCLUDE = "must_include"
    TARGET_ENGAGEMENT = "target_engagement"
    # CVaR_alpha of plan engagement over the scenarios >= min_cvar_engagement
    MIN_CVAR_ENGAGEMENT = "min_cvar_engagement"
    # overlapping audience <= max_overlap_share x reach (over the request's overlaps)
    MAX_OVERLAP_SHARE = "max_overlap_share"
    # a creator booked for every post they offer (binding only: it is never relaxed)
    MAX_POSTS = "max_posts"
    # Quality gates: not model rows but filters on who may be chosen (optimizer.prepare); named
    # so that a lever can say which gate it moves.
    MIN_AUDIENCE_QUALITY = "min_audience_quality"
    MIN_ENGAGEMENT_RATE = "min_engagement_rate"
    MIN_FOLLOWERS = "min_followers"
    MAX_FOLLOWERS = "max_followers"

    @property
    def is_mix(self) -> bool:
        """A tier or platform share bound."""
        return self in _MIX

    @property
    def group(self) -> str:
        """For a mix bound: "tier" or "platform"."""
        return self.value.partition("_")[0]

    @property
    def side(self) -> str:
        """For a mix bound: "min" or "max"."""
        return self.value.rpartition("_")[2]

    @staticmethod
    def mix(group: str, side: str) -> ConstraintKind:
        return ConstraintKind(f"{group}_{side}")


_MIX = frozenset(
    {
        ConstraintKind.TIER_MIN,
        ConstraintKind.TIER_MAX,
        ConstraintKind.PLATFORM_MIN,
        ConstraintKind.PLATFORM_MAX,
    }
)

# A per-creator cap binding on one named creator is written with a shorter prefix on the wire.
_CREATOR_PREFIX = {
    ConstraintKind.MAX_SHARE_PER_INFLUENCER: "max_share",
    ConstraintKind.MAX_SPEND_PER_INFLUENCER: "max_spend",
    ConstraintKind.MAX_ENGAGEMENT_SHARE_PER_INFLUENCER: "max_engagement_share",
}
_PREFIX_KIND = {prefix: kind for kind, prefix in _CREATOR_PREFIX.items()}


@dataclass(frozen=True, slots=True)
class ConstraintRef:
    kind: ConstraintKind
    subject: str | None = None

    @property
    def id(self) -> str:
        """The constraint's name on the wire."""
        if self.subject is None:
            return self.kind.value
        return f"{_CREATOR_PREFIX.get(self.kind, self.kind.value)}:{self.subject}"

    @classmethod
    def parse(cls, name: str) -> ConstraintRef:
        """The reference a wire name stands for; ValueError for an unknown kind."""
        head, colon, subject = name.partition(":")
        if not colon:
            return cls(ConstraintKind(head))
        kind = _PREFIX_KIND.get(head) or ConstraintKind(head)
        return cls(kind, subject)

    def __str__(self) -> str:
        return self.id
