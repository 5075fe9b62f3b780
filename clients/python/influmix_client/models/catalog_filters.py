from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.platform import Platform
from ..types import UNSET, Unset

T = TypeVar("T", bound="CatalogFilters")


@_attrs_define
class CatalogFilters:
    """Which catalog entries to plan with; every given filter must match (an empty object
    selects the whole catalog).

        Attributes:
            max_followers (int | None | Unset):
            min_followers (int | None | Unset):
            platforms (list[Platform] | None | Unset):
            tags (list[str] | None | Unset): Entries carrying any of these tags (compared without case).
            tiers (list[str] | None | Unset): Tier names of this request (options.tiers, or the default tiers).
    """

    max_followers: int | None | Unset = UNSET
    min_followers: int | None | Unset = UNSET
    platforms: list[Platform] | None | Unset = UNSET
    tags: list[str] | None | Unset = UNSET
    tiers: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        max_followers: int | None | Unset
        if isinstance(self.max_followers, Unset):
            max_followers = UNSET
        else:
            max_followers = self.max_followers

        min_followers: int | None | Unset
        if isinstance(self.min_followers, Unset):
            min_followers = UNSET
        else:
            min_followers = self.min_followers

        platforms: list[str] | None | Unset
        if isinstance(self.platforms, Unset):
            platforms = UNSET
        elif isinstance(self.platforms, list):
            platforms = []
            for platforms_type_0_item_data in self.platforms:
                platforms_type_0_item = platforms_type_0_item_data.value
                platforms.append(platforms_type_0_item)

        else:
            platforms = self.platforms

        tags: list[str] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, list):
            tags = self.tags

        else:
            tags = self.tags

        tiers: list[str] | None | Unset
        if isinstance(self.tiers, Unset):
            tiers = UNSET
        elif isinstance(self.tiers, list):
            tiers = self.tiers

        else:
            tiers = self.tiers

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if max_followers is not UNSET:
            field_dict["max_followers"] = max_followers
        if min_followers is not UNSET:
            field_dict["min_followers"] = min_followers
        if platforms is not UNSET:
            field_dict["platforms"] = platforms
        if tags is not UNSET:
            field_dict["tags"] = tags
        if tiers is not UNSET:
            field_dict["tiers"] = tiers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_max_followers(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_followers = _parse_max_followers(d.pop("max_followers", UNSET))

        def _parse_min_followers(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_followers = _parse_min_followers(d.pop("min_followers", UNSET))

        def _parse_platforms(data: object) -> list[Platform] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                platforms_type_0 = []
                _platforms_type_0 = data
                for platforms_type_0_item_data in _platforms_type_0:
                    platforms_type_0_item = Platform(platforms_type_0_item_data)

                    platforms_type_0.append(platforms_type_0_item)

                return platforms_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Platform] | None | Unset, data)

        platforms = _parse_platforms(d.pop("platforms", UNSET))

        def _parse_tags(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_type_0 = cast(list[str], data)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

        def _parse_tiers(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tiers_type_0 = cast(list[str], data)

                return tiers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tiers = _parse_tiers(d.pop("tiers", UNSET))

        catalog_filters = cls(
            max_followers=max_followers,
            min_followers=min_followers,
            platforms=platforms,
            tags=tags,
            tiers=tiers,
        )

        return catalog_filters
