"""Opening an actor file: CSV or vCard, from the format given, the suffix or the content."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from stm.errors import Invalid

if TYPE_CHECKING:
    from stm.formats.actor_source import ActorSource

FORMATS = ("csv", "vcf")


def open_source(path: Path, format: str | None = None) -> ActorSource:
    """A reader for the file: CSV or vCard, from `format`, the suffix or the first line."""
    from stm.formats.actor_source import open_input
    from stm.formats.csv_actors import CsvActors
    from stm.formats.vcard import VcardActors

    kind = (format or "").lower().lstrip(".") or None
    if kind and kind not in (*FORMATS, "vcard"):
        raise Invalid("format", f"unknown import format {format!r}; use csv or vcf")
    if kind is None:
        suffix = path.suffix.lower()
        if suffix in (".vcf", ".vcard"):
            kind = "vcf"
        elif suffix in (".csv", ".txt", ".tsv"):
            kind = "csv"
        else:
            with open_input(path) as handle:
                head = handle.read(200).lstrip(b"\xef\xbb\xbf \r\n\t").upper()
            kind = "vcf" if head.startswith(b"BEGIN:VCARD") else "csv"
    return VcardActors(path) if kind in ("vcf", "vcard") else CsvActors(path)
