"""Catalog entries, roster files and what the catalog table holds."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import httpx
from sqlalchemy import Engine, func, select

from models import Influencer
from tests.support.payloads import creator

CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def influencer(handle: str, **fields: Any) -> dict[str, Any]:
    """A valid POST /v1/influencers body: the plan tests' micro creator on Instagram, as a
    catalog entry (which has no id of the caller's)."""
    entry = creator(handle, handle=handle, **fields)
    del entry["id"]
    return entry


async def add(client: httpx.AsyncClient, handle: str, **fields: Any) -> dict[str, Any]:
    response = await client.post("/v1/influencers", json=influencer(handle, **fields))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def csv_bytes(rows: Sequence[Sequence[object]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


async def upload(
    client: httpx.AsyncClient,
    content: bytes,
    filename: str = "roster.csv",
    content_type: str = CSV_TYPE,
    *,
    path: str = "/v1/influencers/import",
    **params: Any,
) -> httpx.Response:
    return await client.post(path, files={"file": (filename, content, content_type)}, params=params)


async def upload_overlaps(
    client: httpx.AsyncClient,
    rows: Sequence[Sequence[object]],
    filename: str = "overlaps.csv",
    **params: Any,
) -> httpx.Response:
    """``rows`` (header first) as a CSV sent to the overlap import."""
    content = csv_bytes(rows)
    return await upload(client, content, filename, path=OVERLAP_IMPORT, **params)


OVERLAP_IMPORT = "/v1/influencers/overlaps/import"


async def overlap_shares(client: httpx.AsyncClient, **params: Any) -> dict[frozenset[str], float]:
    """The workspace's stored overlaps (a first page of up to 500), by their two handles."""
    response = await client.get("/v1/influencers/overlaps", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return {
        frozenset((item["a_handle"], item["b_handle"])): item["share"]
        for item in response.json()["items"]
    }


def catalog_size(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Influencer)) or 0


def stored(engine: Engine) -> dict[tuple[str, str], dict[str, Any]]:
    """Every catalog row by (platform, handle key)."""
    with engine.connect() as conn:
        rows = conn.execute(select(Influencer.__table__)).mappings()
        return {(str(row["platform"]), row["handle"]): dict(row) for row in rows}
