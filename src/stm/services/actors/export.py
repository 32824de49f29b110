"""`stm actors export`: every field of the listed actors, as records, CSV or vCard text."""

from __future__ import annotations

import io
from datetime import date
from typing import TYPE_CHECKING

from stm.errors import Invalid
from stm.services.actors.records import ActorFilter, ActorRecord, ConsentRecord, actor_records

if TYPE_CHECKING:
    from sqlmodel import Session

EXPORT_FORMATS = ("csv", "vcf", "json")


class ExportRecord(ActorRecord):
    """An actor as `stm actors export` writes it: the list's record, then these."""

    given_name: str | None
    family_name: str | None
    street: str | None
    postcode: str | None
    city: str | None
    notes: str | None
    uid: str | None
    consent: ConsentRecord


def export_records(session: Session, criteria: ActorFilter) -> list[ExportRecord]:
    """Every field of the listed actors, as plain records (erased persons never)."""
    from stm.services.actors.editing import list_actors

    listed = list_actors(session, criteria)
    records = actor_records(session, listed)
    return [
        {
            **record,
            "given_name": actor.given_name,
            "family_name": actor.family_name,
            "street": actor.street,
            "postcode": actor.postcode,
            "city": actor.city,
            "notes": actor.notes,
            "uid": actor.uid,
            "consent": {
                "given_on": _iso(actor.consent_given_on),
                "purpose": actor.consent_purpose,
                "share": actor.consent_share,
            },
        }
        for record, actor in zip(records, listed, strict=True)
    ]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def export_text(records: list[ExportRecord], format: str, lang: str = "de") -> str:
    """CSV (`;`, for Excel) or vCard 3.0 text of export records."""
    if format == "csv":
        from stm.formats.csv_columns import CsvLayout, write_actors

        buffer = io.StringIO()
        write_actors(records, buffer, CsvLayout(lang=lang))
        return buffer.getvalue()
    if format in ("vcf", "vcard"):
        from stm.formats.vcard_write import write_cards

        return write_cards(records, lang=lang)
    raise Invalid("format", f"unknown export format {format!r}; use csv, vcf or json")
