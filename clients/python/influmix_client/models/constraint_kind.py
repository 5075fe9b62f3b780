from enum import StrEnum


class ConstraintKind(StrEnum):
    BUDGET = "budget"
    MAX_ENGAGEMENT_SHARE_PER_INFLUENCER = "max_engagement_share_per_influencer"
    MAX_FOLLOWERS = "max_followers"
    MAX_INFLUENCERS = "max_influencers"
    MAX_OVERLAP_SHARE = "max_overlap_share"
    MAX_POSTS = "max_posts"
    MAX_SHARE_PER_INFLUENCER = "max_share_per_influencer"
    MAX_SPEND_PER_INFLUENCER = "max_spend_per_influencer"
    MIN_AUDIENCE_QUALITY = "min_audience_quality"
    MIN_BUDGET_USE = "min_budget_use"
    MIN_CVAR_ENGAGEMENT = "min_cvar_engagement"
    MIN_ENGAGEMENT_RATE = "min_engagement_rate"
    MIN_FOLLOWERS = "min_followers"
    MIN_INFLUENCERS = "min_influencers"
    MUST_INCLUDE = "must_include"
    PLATFORM_MAX = "platform_max"
    PLATFORM_MIN = "platform_min"
    TARGET_ENGAGEMENT = "target_engagement"
    TIER_MAX = "tier_max"
    TIER_MIN = "tier_min"

    def __str__(self) -> str:
        return str(self.value)
