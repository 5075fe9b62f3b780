from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.constraints_in_platform_share_type_0 import ConstraintsInPlatformShareType0
    from ..models.constraints_in_tier_share_type_0 import ConstraintsInTierShareType0


T = TypeVar("T", bound="ConstraintsIn")


@_attrs_define
class ConstraintsIn:
    """
    Attributes:
        exclude (list[str] | None | Unset):
        max_engagement_share_per_influencer (float | None | Unset):
        max_followers (int | None | Unset):
        max_influencers (int | None | Unset):
        max_overlap_share (float | None | Unset): The audience the plan's creators share (sum over its overlapping pairs
            of share x the smaller reach) may be at most this fraction of its reach; null = no cap.
        max_share_per_influencer (float | None | Unset): Cap on one creator's share of plan spend; null removes it.
            Default: 0.25.
        max_spend_per_influencer (float | None | Unset):
        min_audience_quality (float | None | Unset):
        min_budget_use (float | None | Unset): Spend at least this fraction of the budget; null = 0. Default: 0.0.
        min_cvar_engagement (float | None | Unset): The mean engagement of the plan's worst alpha share of scenarios
            (CVaR) must reach this; scenarios are generated from options.risk unless candidates bring their own.
        min_engagement_rate (float | None | Unset):
        min_followers (int | None | Unset):
        min_influencers (int | None | Unset): 0 (or null) makes the empty plan feasible. Default: 1.
        must_include (list[str] | None | Unset):
        platform_share (ConstraintsInPlatformShareType0 | None | Unset):
        tier_share (ConstraintsInTierShareType0 | None | Unset):
    """

    exclude: list[str] | None | Unset = UNSET
    max_engagement_share_per_influencer: float | None | Unset = UNSET
    max_followers: int | None | Unset = UNSET
    max_influencers: int | None | Unset = UNSET
    max_overlap_share: float | None | Unset = UNSET
    max_share_per_influencer: float | None | Unset = 0.25
    max_spend_per_influencer: float | None | Unset = UNSET
    min_audience_quality: float | None | Unset = UNSET
    min_budget_use: float | None | Unset = 0.0
    min_cvar_engagement: float | None | Unset = UNSET
    min_engagement_rate: float | None | Unset = UNSET
    min_followers: int | None | Unset = UNSET
    min_influencers: int | None | Unset = 1
    must_include: list[str] | None | Unset = UNSET
    platform_share: ConstraintsInPlatformShareType0 | None | Unset = UNSET
    tier_share: ConstraintsInTierShareType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.constraints_in_platform_share_type_0 import ConstraintsInPlatformShareType0  # noqa: PLC0415
        from ..models.constraints_in_tier_share_type_0 import ConstraintsInTierShareType0  # noqa: PLC0415

        exclude: list[str] | None | Unset
        if isinstance(self.exclude, Unset):
            exclude = UNSET
        elif isinstance(self.exclude, list):
            exclude = self.exclude

        else:
            exclude = self.exclude

        max_engagement_share_per_influencer: float | None | Unset
        if isinstance(self.max_engagement_share_per_influencer, Unset):
            max_engagement_share_per_influencer = UNSET
        else:
            max_engagement_share_per_influencer = self.max_engagement_share_per_influencer

        max_followers: int | None | Unset
        if isinstance(self.max_followers, Unset):
            max_followers = UNSET
        else:
            max_followers = self.max_followers

        max_influencers: int | None | Unset
        if isinstance(self.max_influencers, Unset):
            max_influencers = UNSET
        else:
            max_influencers = self.max_influencers

        max_overlap_share: float | None | Unset
        if isinstance(self.max_overlap_share, Unset):
            max_overlap_share = UNSET
        else:
            max_overlap_share = self.max_overlap_share

        max_share_per_influencer: float | None | Unset
        if isinstance(self.max_share_per_influencer, Unset):
            max_share_per_influencer = UNSET
        else:
            max_share_per_influencer = self.max_share_per_influencer

        max_spend_per_influencer: float | None | Unset
        if isinstance(self.max_spend_per_influencer, Unset):
            max_spend_per_influencer = UNSET
        else:
            max_spend_per_influencer = self.max_spend_per_influencer

        min_audience_quality: float | None | Unset
        if isinstance(self.min_audience_quality, Unset):
            min_audience_quality = UNSET
        else:
            min_audience_quality = self.min_audience_quality

        min_budget_use: float | None | Unset
        if isinstance(self.min_budget_use, Unset):
            min_budget_use = UNSET
        else:
            min_budget_use = self.min_budget_use

        min_cvar_engagement: float | None | Unset
        if isinstance(self.min_cvar_engagement, Unset):
            min_cvar_engagement = UNSET
        else:
            min_cvar_engagement = self.min_cvar_engagement

        min_engagement_rate: float | None | Unset
        if isinstance(self.min_engagement_rate, Unset):
            min_engagement_rate = UNSET
        else:
            min_engagement_rate = self.min_engagement_rate

        min_followers: int | None | Unset
        if isinstance(self.min_followers, Unset):
            min_followers = UNSET
        else:
            min_followers = self.min_followers

        min_influencers: int | None | Unset
        if isinstance(self.min_influencers, Unset):
            min_influencers = UNSET
        else:
            min_influencers = self.min_influencers

        must_include: list[str] | None | Unset
        if isinstance(self.must_include, Unset):
            must_include = UNSET
        elif isinstance(self.must_include, list):
            must_include = self.must_include

        else:
            must_include = self.must_include

        platform_share: dict[str, Any] | None | Unset
        if isinstance(self.platform_share, Unset):
            platform_share = UNSET
        elif isinstance(self.platform_share, ConstraintsInPlatformShareType0):
            platform_share = self.platform_share.to_dict()
        else:
            platform_share = self.platform_share

        tier_share: dict[str, Any] | None | Unset
        if isinstance(self.tier_share, Unset):
            tier_share = UNSET
        elif isinstance(self.tier_share, ConstraintsInTierShareType0):
            tier_share = self.tier_share.to_dict()
        else:
            tier_share = self.tier_share

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if exclude is not UNSET:
            field_dict["exclude"] = exclude
        if max_engagement_share_per_influencer is not UNSET:
            field_dict["max_engagement_share_per_influencer"] = max_engagement_share_per_influencer
        if max_followers is not UNSET:
            field_dict["max_followers"] = max_followers
        if max_influencers is not UNSET:
            field_dict["max_influencers"] = max_influencers
        if max_overlap_share is not UNSET:
            field_dict["max_overlap_share"] = max_overlap_share
        if max_share_per_influencer is not UNSET:
            field_dict["max_share_per_influencer"] = max_share_per_influencer
        if max_spend_per_influencer is not UNSET:
            field_dict["max_spend_per_influencer"] = max_spend_per_influencer
        if min_audience_quality is not UNSET:
            field_dict["min_audience_quality"] = min_audience_quality
        if min_budget_use is not UNSET:
            field_dict["min_budget_use"] = min_budget_use
        if min_cvar_engagement is not UNSET:
            field_dict["min_cvar_engagement"] = min_cvar_engagement
        if min_engagement_rate is not UNSET:
            field_dict["min_engagement_rate"] = min_engagement_rate
        if min_followers is not UNSET:
            field_dict["min_followers"] = min_followers
        if min_influencers is not UNSET:
            field_dict["min_influencers"] = min_influencers
        if must_include is not UNSET:
            field_dict["must_include"] = must_include
        if platform_share is not UNSET:
            field_dict["platform_share"] = platform_share
        if tier_share is not UNSET:
            field_dict["tier_share"] = tier_share

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.constraints_in_platform_share_type_0 import ConstraintsInPlatformShareType0  # noqa: PLC0415
        from ..models.constraints_in_tier_share_type_0 import ConstraintsInTierShareType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_exclude(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                exclude_type_0 = cast(list[str], data)

                return exclude_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        exclude = _parse_exclude(d.pop("exclude", UNSET))

        def _parse_max_engagement_share_per_influencer(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        max_engagement_share_per_influencer = _parse_max_engagement_share_per_influencer(
            d.pop("max_engagement_share_per_influencer", UNSET)
        )

        def _parse_max_followers(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_followers = _parse_max_followers(d.pop("max_followers", UNSET))

        def _parse_max_influencers(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_influencers = _parse_max_influencers(d.pop("max_influencers", UNSET))

        def _parse_max_overlap_share(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        max_overlap_share = _parse_max_overlap_share(d.pop("max_overlap_share", UNSET))

        def _parse_max_share_per_influencer(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        max_share_per_influencer = _parse_max_share_per_influencer(d.pop("max_share_per_influencer", UNSET))

        def _parse_max_spend_per_influencer(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        max_spend_per_influencer = _parse_max_spend_per_influencer(d.pop("max_spend_per_influencer", UNSET))

        def _parse_min_audience_quality(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        min_audience_quality = _parse_min_audience_quality(d.pop("min_audience_quality", UNSET))

        def _parse_min_budget_use(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        min_budget_use = _parse_min_budget_use(d.pop("min_budget_use", UNSET))

        def _parse_min_cvar_engagement(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        min_cvar_engagement = _parse_min_cvar_engagement(d.pop("min_cvar_engagement", UNSET))

        def _parse_min_engagement_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        min_engagement_rate = _parse_min_engagement_rate(d.pop("min_engagement_rate", UNSET))

        def _parse_min_followers(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_followers = _parse_min_followers(d.pop("min_followers", UNSET))

        def _parse_min_influencers(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_influencers = _parse_min_influencers(d.pop("min_influencers", UNSET))

        def _parse_must_include(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                must_include_type_0 = cast(list[str], data)

                return must_include_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        must_include = _parse_must_include(d.pop("must_include", UNSET))

        def _parse_platform_share(data: object) -> ConstraintsInPlatformShareType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                platform_share_type_0 = ConstraintsInPlatformShareType0.from_dict(data)

                return platform_share_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConstraintsInPlatformShareType0 | None | Unset, data)

        platform_share = _parse_platform_share(d.pop("platform_share", UNSET))

        def _parse_tier_share(data: object) -> ConstraintsInTierShareType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tier_share_type_0 = ConstraintsInTierShareType0.from_dict(data)

                return tier_share_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConstraintsInTierShareType0 | None | Unset, data)

        tier_share = _parse_tier_share(d.pop("tier_share", UNSET))

        constraints_in = cls(
            exclude=exclude,
            max_engagement_share_per_influencer=max_engagement_share_per_influencer,
            max_followers=max_followers,
            max_influencers=max_influencers,
            max_overlap_share=max_overlap_share,
            max_share_per_influencer=max_share_per_influencer,
            max_spend_per_influencer=max_spend_per_influencer,
            min_audience_quality=min_audience_quality,
            min_budget_use=min_budget_use,
            min_cvar_engagement=min_cvar_engagement,
            min_engagement_rate=min_engagement_rate,
            min_followers=min_followers,
            min_influencers=min_influencers,
            must_include=must_include,
            platform_share=platform_share,
            tier_share=tier_share,
        )

        return constraints_in
