"""New actors of an import as rows by column name, for `stm.store.bulk`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from stm.services.imports.checks import Candidate
from stm.store.bulk import BulkWriter


def write_new(writer: BulkWriter, candidates: list[Candidate], now: datetime) -> None:
    """New actors, their districts, sectors and search entries, as rows by column name."""
    from stm.store import tables

    if not candidates:
        return
    writer.insert(tables.ACTOR, [_actor_row(c, now) for c in candidates])
    writer.insert(tables.ACTOR_DISTRICT, [
        {"actor_id": c.id, "district_id": d} for c in candidates for d in c.district_ids or []
    ])  # fmt: skip
    writer.insert(tables.ACTOR_SECTOR, [
        {"actor_id": c.id, "sector": s} for c in candidates for s in c.sectors or []
    ])  # fmt: skip
    writer.insert(tables.SEARCH_DOCUMENT, [
        {"entity": "actor", "entity_id": c.id, "title": c.search.title, "body": c.search.body,
         "folded": c.search.folded}
        for c in candidates
    ])  # fmt: skip


#: The actor columns a record sets from the file (`None`: not given).
_FILE_COLUMNS = (
    "given_name", "family_name", "function", "email", "phone", "website", "street",
    "postcode", "city", "notes", "consent_given_on", "consent_purpose",
)  # fmt: skip


def _actor_row(candidate: Candidate, now: datetime) -> dict[str, Any]:
    from stm.models.core import new_actor_uid

    fields: dict[str, Any] = dict(candidate.fields)
    row = {column: fields.get(column) for column in _FILE_COLUMNS}
    row.update(
        id=candidate.id,
        kind=candidate.kind,
        name=candidate.name,
        key=candidate.key,
        # a card without UID, or a CSV row: one of its own
        uid=candidate.uid or new_actor_uid(),
        organisation_id=candidate.organisation_id,
        consent_share=bool(candidate.consent),
        created_at=now,
        updated_at=now,
        archived_at=now if candidate.archived else None,
    )
    return row
