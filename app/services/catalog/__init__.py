"""The workspace's catalog of creators: entries, the listing, spreadsheet imports, their
audience overlaps, and the selection a plan draws from it."""

from app.services.catalog.entries import (
    create_influencer,
    delete_influencer,
    get_by_handle,
    get_influencer,
    to_public,
    update_influencer,
)
from app.services.catalog.imports import (
    Key,
    RosterRead,
    Upload,
    checked_rows,
    default_notes,
    import_influencers,
    read_roster,
)
from app.services.catalog.listing import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    CatalogQuery,
    list_influencers,
)
from app.services.catalog.overlaps import delete_overlap, import_overlaps, list_overlaps
from app.services.catalog.selection import resolve_catalog

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "CatalogQuery",
    "Key",
    "RosterRead",
    "Upload",
    "checked_rows",
    "create_influencer",
    "default_notes",
    "delete_influencer",
    "delete_overlap",
    "get_by_handle",
    "get_influencer",
    "import_influencers",
    "import_overlaps",
    "list_influencers",
    "list_overlaps",
    "read_roster",
    "resolve_catalog",
    "to_public",
    "update_influencer",
]
