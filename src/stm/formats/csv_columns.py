"""The columns of an actor CSV: each field's header in German and English and the other
names office lists give it; and writing export records in those columns (through
`stm.formats.people_csv`, the one writer of CSV for people)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import IO, Any

from stm.formats.people_csv import write_rows
from stm.names import fold


@dataclass(frozen=True)
class Column:
    """An actor field as a CSV column: its header in German and English, and other names."""

    field: str
    de: str
    en: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("name", "Name", "Name", ("namen", "anzeigename", "displayname", "fullname",
                                    "vollstaendigername", "akteur", "bezeichnung")),
    Column("kind", "Art", "Kind", ("typ", "type", "akteursart", "actorkind")),
    Column("given_name", "Vorname", "Given name", ("vornamen", "firstname", "givenname")),
    Column("family_name", "Nachname", "Family name", ("familienname", "zuname", "lastname",
                                                      "surname", "familyname")),
    Column("organisation", "Organisation", "Organisation", ("organization", "org", "einrichtung",
                                                            "traeger", "firma", "company",
                                                            "institution", "verein")),
    Column("function", "Funktion", "Function", ("position", "rolle", "role", "jobtitle",
                                                "taetigkeit", "titel", "title")),
    Column("districts", "Stadtteil", "Districts", ("stadtteile", "district", "quartier",
                                                   "ortsteil", "gebiet")),
    Column("sectors", "Bereich", "Sectors", ("bereiche", "sektor", "sektoren", "sector",
                                             "handlungsfeld", "handlungsfelder", "arbeitsfeld",
                                             "themen", "tags")),
    Column("email", "E-Mail", "E-mail", ("mail", "emailadresse", "emailaddress")),
    Column("phone", "Telefon", "Phone", ("tel", "telefonnummer", "telephone", "phonenumber",
                                         "festnetz")),
    Column("mobile", "Mobil", "Mobile", ("handy", "mobiltelefon", "mobilnummer", "mobilephone",
                                         "cell", "cellphone")),
    Column("website", "Website", "Website", ("webseite", "homepage", "internet", "internetseite",
                                             "url", "web")),
    Column("street", "Straße", "Street", ("str", "strassehausnummer", "strasseundhausnummer",
                                          "strassenr", "hausanschrift")),
    Column("postcode", "PLZ", "Postcode", ("postleitzahl", "zip", "zipcode", "postalcode")),
    Column("city", "Ort", "City", ("stadt", "wohnort", "town", "gemeinde")),
    Column("address", "Adresse", "Address", ("anschrift", "postanschrift")),
    Column("notes", "Notizen", "Notes", ("notiz", "bemerkung", "bemerkungen", "anmerkung",
                                         "anmerkungen", "kommentar", "note", "comments",
                                         "hinweise")),
    Column("consent", "Einwilligung", "Consent", ("einwilligungweitergabe", "weitergabe",
                                                  "freigabe", "consentshare")),
    Column("consent_given_on", "Einwilligung am", "Consent given on", (
        "einwilligungsdatum", "einwilligungvom", "consentdate", "consentgiven")),
    Column("consent_purpose", "Zweck der Einwilligung", "Consent purpose", (
        "einwilligungszweck", "zweckdereinwilligung", "zweck", "purpose")),
    Column("uid", "UID", "UID", ("vcarduid",)),
    Column("archived", "Archiviert", "Archived", ("archiv",)),
)  # fmt: skip

#: Columns read on purpose and dropped: an id means nothing in another register.
IGNORED = frozenset({"id", "nr", "lfdnr", "nummer"})
#: Exported columns, in order (`address` and `mobile` are import-only conveniences).
EXPORT_FIELDS = tuple(c.field for c in COLUMNS if c.field not in ("address", "mobile"))


@cache
def header_fields() -> dict[str, str]:
    """Folded header → field: both languages' headers, the field name and the aliases."""
    index: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.field, column.de, column.en, *column.aliases):
            index.setdefault(fold(name), column.field)
    return index


def column_header(field_name: str, lang: str = "de") -> str:
    for column in COLUMNS:
        if column.field == field_name:
            return column.en if lang == "en" else column.de
    return field_name


# ----------------------------------------------------------------------------- writing


@dataclass
class CsvLayout:
    lang: str = "de"
    fields: Sequence[str] = field(default_factory=lambda: EXPORT_FIELDS)


def yes_no(value: bool, lang: str) -> str:
    if lang == "en":
        return "yes" if value else "no"
    return "ja" if value else "nein"


def write_actors(records: Iterable[Mapping[str, Any]], handle: IO[str], layout: CsvLayout) -> None:
    """Actor export records (see services.actors.export.export_records) as CSV rows."""
    header = [column_header(f, layout.lang) for f in layout.fields]
    rows = ([_cell(record, f, layout.lang) for f in layout.fields] for record in records)
    write_rows(header, rows, handle)


def _cell(record: Mapping[str, Any], field_name: str, lang: str) -> str:
    if field_name == "consent":
        return yes_no(bool(record["consent"]["share"]), lang)
    if field_name == "consent_given_on":
        return record["consent"]["given_on"] or ""
    if field_name == "consent_purpose":
        return record["consent"]["purpose"] or ""
    if field_name == "archived":
        return yes_no(True, lang) if record["archived"] else ""
    if field_name == "kind":
        return _label("ActorKind", record["kind"], lang)
    if field_name == "sectors":
        return ", ".join(_label("Sector", s, lang) for s in record["sectors"])
    value = record.get(field_name)
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else str(value)


def _label(vocabulary: str, value: str, lang: str) -> str:
    from stm import vocab

    try:
        return str(getattr(vocab, vocabulary)(value).label_in(lang))
    except ValueError:
        return value
