"""Writing actors as vCard 3.0, which every phone and mail program reads.

A UID on every card; organisations marked as 3.0 readers look for them
(`X-ADDRESSBOOKSERVER-KIND:org`, `X-KIND:org`, Apple's `X-ABShowAs:COMPANY`; `KIND` is
4.0 only); stm's own fields (kind, districts, consent) as `X-STM-…` properties, so that
an exported file imports again without loss (see `stm.formats.vcard` for reading).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def write_cards(
    records: Iterable[Mapping[str, Any]], *, lang: str = "de", internal: bool = True
) -> str:
    """vCard 3.0 text for actor records (see services.actors.export.export_records).

    `internal` adds what only stm reads back (kind, districts, consent, archive state);
    a contact sheet leaves it out.
    """
    import vobject

    from stm.vocab import PERSON_KINDS

    parts = []
    for record in records:
        card = vobject.vCard()
        person = record["kind"] in PERSON_KINDS
        name = card.add("n")
        if person:
            name.value = vobject.vcard.Name(
                family=record.get("family_name") or "", given=record.get("given_name") or ""
            )
        else:
            name.value = vobject.vcard.Name()
            # KIND is vCard 4.0; 3.0 readers look for these (Apple, khard) instead.
            card.add("x-addressbookserver-kind").value = "org"
            card.add("x-kind").value = "org"
            card.add("x-abshowas").value = "COMPANY"
        card.add("fn").value = record["name"]
        organisation = record["name"] if not person else record.get("organisation")
        if organisation:
            card.add("org").value = [organisation]
        if not person and record.get("organisation"):
            card.add("x-stm-organisation").value = record["organisation"]
        _add(card, "title", record.get("function"))
        if record.get("email"):
            email = card.add("email")
            email.value = record["email"]
            email.type_param = "INTERNET"
        _add(card, "tel", record.get("phone"))
        _add(card, "url", record.get("website"))
        if any(record.get(k) for k in ("street", "postcode", "city")):
            card.add("adr").value = vobject.vcard.Address(
                street=record.get("street") or "",
                code=record.get("postcode") or "",
                city=record.get("city") or "",
            )
        if record.get("sectors"):
            card.add("categories").value = [_sector_label(s, lang) for s in record["sectors"]]
        _add(card, "uid", record.get("uid"))  # address books skip cards without one
        if internal:
            _internal(card, record)
        parts.append(card.serialize())
    return "".join(parts)


def _internal(card: Any, record: Mapping[str, Any]) -> None:
    _add(card, "note", record.get("notes"))
    card.add("x-stm-kind").value = record["kind"]
    if record.get("districts"):
        card.add("x-stm-districts").value = ", ".join(record["districts"])
    consent = record.get("consent") or {}
    if consent.get("share") or consent.get("given_on") or consent.get("purpose"):
        card.add("x-stm-consent").value = "yes" if consent.get("share") else "no"
        _add(card, "x-stm-consent-date", consent.get("given_on"))
        _add(card, "x-stm-consent-purpose", consent.get("purpose"))
    if record.get("archived"):
        card.add("x-stm-archived").value = "yes"


def _add(card: Any, name: str, value: str | None) -> None:
    if value:
        card.add(name).value = value


def _sector_label(value: str, lang: str) -> str:
    from stm.vocab import Sector

    try:
        return Sector(value).label_in(lang)
    except ValueError:
        return value
