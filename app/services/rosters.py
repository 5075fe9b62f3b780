"""Reading a roster file as plan candidates, without touching the catalog.

The file goes through the catalog import's reader and checks (app.services.catalog), so a
sheet that imports also parses, with the same row errors, and the other way round.
"""

from __future__ import annotations

from app.schemas.influencers import InfluencerCreate, ParsedRoster
from app.schemas.plans import CandidateIn
from app.services import catalog
from app.services.catalog import Key, Upload
from app.services.catalog.entries import candidate_values

# Display names and notes are kept by the catalog but are no plan fields.
_NOT_CANDIDATE_FIELDS = frozenset({"display_name", "notes"})
_MAX_ID = 128


def parse_roster(upload: Upload, *, max_rows: int) -> ParsedRoster:
    """One candidate per row of a CSV or XLSX roster; all rows or a 422 listing each bad one."""
    read = catalog.read_roster(upload, max_rows=max_rows)
    entries = catalog.checked_rows(
        read, {}, outcome="no creator was read", missing="a value is required"
    )
    columns = read.columns
    ignored = [*columns.ignored]
    ignored += [columns.header[name] for name in columns.index if name in _NOT_CANDIDATE_FIELDS]
    return ParsedRoster(
        file=upload.filename,
        rows=len(entries),
        candidates=[
            _candidate(key, entry, row.row)
            for (key, entry), (_, row) in zip(entries, read.keyed, strict=True)
        ],
        columns={
            columns.header[name]: name
            for name in columns.index
            if name not in _NOT_CANDIDATE_FIELDS
        },
        ignored_columns=ignored,
        notes=[*read.roster.notes, *catalog.default_notes(read, {})],
    )


def _candidate(key: Key, entry: InfluencerCreate, row: int) -> CandidateIn:
    platform, handle = key
    # Readable and stable across uploads of the same sheet; (platform, handle) is unique in a
    # checked file. A handle near the length limit falls back to the row number.
    candidate_id = f"{platform.value}:{handle}"
    if len(candidate_id) > _MAX_ID:
        candidate_id = f"row:{row}"
    return CandidateIn(id=candidate_id, handle=entry.handle, **candidate_values(entry))
