"""Contact sheets (Kontaktlisten): who is who in the network, as the office hands it out.

The rule for persons (natural persons, DSGVO): their own phone, e-mail and address
appear only if they consented to being shared on contact sheets (`consent_share`).
Otherwise they are listed with their organisation's contact details, marked, and the
sheet's footnote says so; a person without consent and without an organisation is left
out, and the footnote counts those left out. On the sheet's vCards such a person has
their name, organisation and function only: the organisation's phone and e-mail go on
the organisation's own card, never on theirs. Erased and archived actors never appear.

The sheet is grouped by organisation (each with its people) or by sector (Bereich).
With filters by district or sector, the people of the chosen organisations come along
(a person often has no district of their own); `--kind` and `--network` choose exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from stm import clock
from stm.models import Actor, ActorSector
from stm.services import actors as actor_service
from stm.services import refs
from stm.vocab import PERSON_KINDS, ActorKind, Sector

GROUP_BY = ("organisation", "sector")

FOOTNOTE = (
    "Personen stehen mit eigener Telefonnummer und E-Mail-Adresse nur in dieser Liste, "
    "wenn sie der Weitergabe zugestimmt haben. Bei allen anderen (mit * markiert) stehen "
    "die Kontaktdaten ihrer Organisation.",
    "People appear with their own phone number and e-mail address only if they agreed "
    "to them being shared. For everyone else (marked *), their organisation's contact "
    "details are given.",
)


@dataclass
class ContactFilter:
    districts: Sequence[str] = ()
    networks: Sequence[str] = ()
    sectors: Sequence[str] = ()
    kinds: Sequence[str] = ()
    group_by: str = "organisation"
    consent_years: int = 3


@dataclass
class _Entry:
    actor: Actor
    organisation: Actor | None
    sectors: list[str] = field(default_factory=list)
    shares: bool = True  # a person's consent to share holds today (not expired)


def _t(lang: str, de: str, en: str) -> str:
    return en if lang == "en" else de


def contact_sheet(session: Session, criteria: ContactFilter, lang: str = "de") -> dict[str, Any]:
    """The contact sheet as plain data for the `contacts` templates and CSV/vCard output."""
    if criteria.group_by not in GROUP_BY:
        from stm.parsing import unknown

        raise unknown("group_by", criteria.group_by, GROUP_BY, what="grouping")
    entries = _entries(session, criteria)
    listed = [e for e in entries if not _left_out(e)]
    left_out = len(entries) - len(listed)
    entries = listed
    rows = [_row(e, lang) for e in entries]
    by_id = {row["id"]: row for row in rows}
    if criteria.group_by == "sector":
        groups = _by_sector(entries, by_id, criteria, lang)
    else:
        groups = _by_organisation(entries, by_id, lang)
    return {
        "title": _t(lang, "Kontaktliste", "Contact list"),
        "subtitle": _describe(session, criteria, lang),
        "date": clock.today(),
        "group_by": criteria.group_by,
        "groups": groups,
        "count": len(rows),
        "withheld": sum(1 for row in rows if row["via_organisation"]),
        "left_out": left_out,
        "footnote": " ".join([_t(lang, *FOOTNOTE), *_left_out_note(left_out, lang)]),
    }


def _left_out(entry: _Entry) -> bool:
    """A person who did not consent and has no organisation to be reached through."""
    return entry.actor.kind in PERSON_KINDS and not entry.shares and entry.organisation is None


def _left_out_note(count: int, lang: str) -> list[str]:
    if count == 0:
        return []
    if lang == "en":
        persons = "person" if count == 1 else "persons"
        return [f"{count} more {persons} without consent {'is' if count == 1 else 'are'} "
                "not listed."]  # fmt: skip
    if count == 1:
        return ["1 weitere Person ohne Einwilligung ist nicht aufgeführt."]
    return [f"{count} weitere Personen ohne Einwilligung sind nicht aufgeführt."]


def _entries(session: Session, criteria: ContactFilter) -> list[_Entry]:
    chosen = actor_service.list_actors(
        session,
        actor_service.ActorFilter(
            districts=list(criteria.districts),
            sectors=list(criteria.sectors),
            kinds=list(criteria.kinds),
            networks=list(criteria.networks),
        ),
    )
    ids = {a.id for a in chosen}
    if not criteria.kinds and not criteria.networks:
        organisation_ids = [a.id for a in chosen if a.kind not in PERSON_KINDS]
        people = _active(session).where(
            col(Actor.organisation_id).in_(organisation_ids), col(Actor.kind).in_(PERSON_KINDS)
        )
        chosen += [p for p in session.exec(people).all() if p.id not in ids]
    wanted = {a.organisation_id for a in chosen if a.organisation_id}
    organisations = {
        o.id: o for o in session.exec(_active(session).where(col(Actor.id).in_(wanted))).all()
    }
    sectors: dict[int, list[str]] = defaultdict(list)
    all_ids = [a.id for a in chosen] + list(organisations)
    for actor_id, sector in session.exec(
        select(ActorSector.actor_id, ActorSector.sector).where(
            col(ActorSector.actor_id).in_(all_ids)
        )
    ).all():
        sectors[actor_id].append(sector)
    entries = []
    for actor in chosen:
        organisation = organisations.get(actor.organisation_id or 0)
        own = sectors.get(actor.id or 0, [])
        inherited = sectors.get(organisation.id or 0, []) if organisation else []
        entries.append(_Entry(actor, organisation, own or inherited, _shares(actor, criteria)))
    return entries


def _shares(actor: Actor, criteria: ContactFilter) -> bool:
    """Organisations share; a person only with a consent that has not expired."""
    from stm.services.privacy.consent import consent_holds

    if actor.kind not in PERSON_KINDS:
        return True
    created = actor.created_at.date() if actor.created_at else None
    return consent_holds(actor.consent_share, actor.consent_given_on, created, clock.today(),
                         criteria.consent_years)  # fmt: skip


def _active(session: Session) -> Any:
    return select(Actor).where(col(Actor.erased_at).is_(None), col(Actor.archived_at).is_(None))


def _address(actor: Actor | None) -> str | None:
    return actor_service.format_address(actor) if actor else None


def _row(entry: _Entry, lang: str) -> dict[str, Any]:
    actor, organisation = entry.actor, entry.organisation
    person = actor.kind in PERSON_KINDS
    own = not person or entry.shares
    source = actor if own else organisation
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "kind_label": ActorKind(actor.kind).label_in(lang)
        if actor.kind in ActorKind.values()
        else actor.kind,
        "person": person,
        "given_name": actor.given_name if person else None,
        "family_name": actor.family_name if person else None,
        "function": actor.function,
        "organisation": organisation.name if organisation else None,
        "organisation_id": organisation.id if organisation else None,
        "email": source.email if source else None,
        "phone": source.phone if source else None,
        "website": (actor.website if own else None)
        or (organisation.website if organisation else None),
        "address": _address(source),
        "street": source.street if source else None,
        "postcode": source.postcode if source else None,
        "city": source.city if source else None,
        "sectors": sorted(entry.sectors),
        "sector_labels": [_sector_label(s, lang) for s in sorted(entry.sectors)],
        "via_organisation": person and not entry.shares,
    }


def _sector_label(value: str, lang: str) -> str:
    try:
        return Sector(value).label_in(lang)
    except ValueError:
        return value


def _by_organisation(
    entries: list[_Entry], rows: dict[Any, dict[str, Any]], lang: str
) -> list[dict[str, Any]]:
    heads: dict[int, dict[str, Any]] = {}
    members: dict[int, list[dict[str, Any]]] = defaultdict(list)
    loose: list[dict[str, Any]] = []
    for entry in entries:
        actor = entry.actor
        if actor.kind not in PERSON_KINDS:
            heads[actor.id or 0] = rows[actor.id]
        elif entry.organisation is not None:
            members[entry.organisation.id or 0].append(rows[actor.id])
            if entry.organisation.id not in heads:
                heads[entry.organisation.id or 0] = _row(_Entry(entry.organisation, None), lang)
        else:
            loose.append(rows[actor.id])
    groups = [
        {"title": head["name"], "organisation": head, "entries": _sorted(members.get(key, []))}
        for key, head in sorted(heads.items(), key=lambda kv: _sort_key(kv[1]))
    ]
    if loose:
        title = _t(lang, "Einzelpersonen", "Individuals")
        groups.append({"title": title, "organisation": None, "entries": _sorted(loose)})
    return groups


def _by_sector(
    entries: list[_Entry], rows: dict[Any, dict[str, Any]], criteria: ContactFilter, lang: str
) -> list[dict[str, Any]]:
    chosen = {_sector_value(s) for s in criteria.sectors}
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    without: list[dict[str, Any]] = []
    for entry in entries:
        sectors = [s for s in entry.sectors if not chosen or s in chosen]
        for sector in sectors:
            grouped[sector].append(rows[entry.actor.id])
        if not sectors:
            without.append(rows[entry.actor.id])
    order = Sector.values()
    groups = [
        {"title": _sector_label(s, lang), "organisation": None, "entries": _sorted(grouped[s])}
        for s in sorted(grouped, key=lambda s: order.index(s) if s in order else len(order))
    ]
    if without:
        title = _t(lang, "Ohne Bereich", "No sector")
        groups.append({"title": title, "organisation": None, "entries": _sorted(without)})
    return groups


def _sector_value(text: str) -> str:
    from stm.parsing import choose

    return choose(Sector, text, "sectors").value


def _sort_key(row: dict[str, Any]) -> tuple[str, str]:
    from stm.names import fold

    return (fold(row.get("family_name") or row["name"]), fold(row["name"]))


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=_sort_key)


def _describe(session: Session, criteria: ContactFilter, lang: str) -> str:
    parts = []
    if criteria.districts:
        names = ", ".join(d.name for d in refs.districts(session, list(criteria.districts)))
        parts.append(_t(lang, "Stadtteil", "District") + f": {names}")
    if criteria.networks:
        names = ", ".join(refs.network(session, n).name for n in criteria.networks)
        parts.append(_t(lang, "Gremium", "Network") + f": {names}")
    if criteria.sectors:
        labels = ", ".join(_sector_label(_sector_value(s), lang) for s in criteria.sectors)
        parts.append(_t(lang, "Bereich", "Sector") + f": {labels}")
    if criteria.kinds:
        from stm.parsing import choose

        labels = ", ".join(choose(ActorKind, k, "kind").label_in(lang) for k in criteria.kinds)
        parts.append(_t(lang, "Art", "Kind") + f": {labels}")
    return " · ".join(parts)


# ----------------------------------------------------------------------------- flat output

CSV_KEYS = ("group", "name", "kind", "function", "organisation", "email", "phone", "address",
            "website", "via_organisation")  # fmt: skip


#: The CSV columns of a contact sheet, in German and English.
CSV_HEADERS = {
    "group": ("Gruppe", "Group"),
    "name": ("Name", "Name"),
    "kind": ("Art", "Kind"),
    "function": ("Funktion", "Function"),
    "organisation": ("Organisation", "Organisation"),
    "email": ("E-Mail", "E-mail"),
    "phone": ("Telefon", "Phone"),
    "address": ("Adresse", "Address"),
    "website": ("Website", "Website"),
    "via_organisation": ("Kontakt über Organisation", "Contact via organisation"),
}


def contact_csv(sheet: dict[str, Any], lang: str) -> str:
    """The sheet as a CSV for people (`;`, headers in `lang`, formula-safe)."""
    from stm.formats.people_csv import rows_text
    from stm.vocab import ActorKind

    english = lang == "en"
    header = [CSV_HEADERS[key][1 if english else 0] for key in CSV_KEYS]
    yes, no = ("yes", "no") if english else ("ja", "nein")

    def cell(row: dict[str, Any], key: str) -> str:
        value = row.get(key)
        if key == "via_organisation":
            return yes if value else no
        if key == "kind" and value:
            try:
                return str(ActorKind(value).label_in(lang))
            except ValueError:
                return str(value)
        return "" if value is None else str(value)

    return rows_text(header, ([cell(r, k) for k in CSV_KEYS] for r in contact_rows(sheet)))


def contact_rows(sheet: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per listed actor and group, for CSV: the same data as the document."""
    rows = []
    for group in sheet["groups"]:
        listed = ([group["organisation"]] if group["organisation"] else []) + group["entries"]
        for row in listed:
            rows.append(
                {"group": group["title"], **{k: row.get(k) for k in CSV_KEYS if k != "group"}}
            )
    return rows


def contact_cards(sheet: dict[str, Any]) -> list[dict[str, Any]]:
    """Each listed actor once, as vCard records (shared details only).

    A person who did not consent gets a card with name, organisation and function only:
    a phone would file the organisation's number and e-mail under the person. The
    organisation's details go on the organisation's own card, added if not listed.
    """
    listed = [
        row
        for group in sheet["groups"]
        for row in ([group["organisation"]] if group["organisation"] else []) + group["entries"]
    ]
    present = {row["id"] for row in listed}
    seen: set[int] = set()
    cards = []
    for row in listed:
        if row["id"] in seen:
            continue
        seen.add(row["id"])
        if not row["via_organisation"]:
            cards.append(row)
            continue
        cards.append({**row, **dict.fromkeys(_CONTACT_FIELDS)})
        organisation_id = row["organisation_id"]
        if organisation_id is not None and organisation_id not in present | seen:
            seen.add(organisation_id)
            cards.append(_organisation_card(row))
    return cards


_CONTACT_FIELDS = ("email", "phone", "website", "address", "street", "postcode", "city")


def _organisation_card(row: dict[str, Any]) -> dict[str, Any]:
    """The organisation's card, from the details a withheld person was listed with."""
    return {
        **{key: row[key] for key in _CONTACT_FIELDS},
        "id": row["organisation_id"],
        "name": row["organisation"],
        "kind": "organisation",
        "person": False,
        "organisation": None,
        "function": None,
        "sectors": row["sectors"],
        "via_organisation": False,
    }
