"""A vCard's properties as an actor's text values (see `stm.formats.vcard`).

The preferred e-mail, phone, web address and postal address fill the actor's fields;
every other one, and any other property that carries information, goes into the notes;
`KIND` (and what 3.0 writers use instead) tells an organisation from a person;
`CATEGORIES` that are stm sectors become sectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from stm.names import fold

_HANDLED = {
    "version", "fn", "n", "kind", "org", "title", "role", "email", "tel", "url", "adr",
    "note", "categories", "uid", "x-stm-kind", "x-stm-districts", "x-stm-consent",
    "x-stm-consent-date", "x-stm-consent-purpose", "x-stm-archived", "x-abshowas",
    "x-addressbookserver-kind", "x-kind", "x-ablabel", "x-abuid", "x-stm-rejected",
    "x-stm-organisation",
}  # fmt: skip
_TECHNICAL = {"prodid", "rev", "clientpidmap", "label", "sort-string", "source", "name",
              "profile", "mailer", "photo", "logo", "sound", "key", "x-phonetic-first-name",
              "x-phonetic-last-name"}  # fmt: skip
_TECHNICAL_PREFIXES = ("x-evolution-", "x-addressbookserver-", "x-android-custom", "x-ms-ol-")
_LABELS = {
    "nickname": "Spitzname",
    "bday": "Geburtstag",
    "anniversary": "Jahrestag",
    "gender": "Geschlecht",
    "impp": "Chat",
    "lang": "Sprache",
    "tz": "Zeitzone",
    "geo": "Geo",
    "related": "Beziehung",
    "fburl": "Frei/Belegt",
    "caluri": "Kalender",
    "caladruri": "Kalender-Adresse",
    "member": "Mitglied",
    "x-jabber": "Jabber",
    "x-skype": "Skype",
    "x-twitter": "Twitter",
    "x-icq": "ICQ",
    "x-aim": "AIM",
    "x-msn": "MSN",
}
#: The kind `_kind` gives a group card (a list of members): such cards are not imported.
GROUP = "\x00group"
_IGNORED_TYPES = {"PREF", "INTERNET", "VOICE", "X400", "TEXT"}
BINARY_PROPERTIES = {"photo", "logo", "sound", "key"}
# Properties whose commas mean something (lists, structure, URIs of binary data).


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):  # a component's values, split at commas by vobject
        return ", ".join(_text(v) for v in value if _text(v))
    return str(value).strip()


def _one_line(value: Any) -> str:
    return " ".join(_text(value).split())


def _params(prop: Any) -> tuple[set[str], int]:
    """The property's type names and its preference (1 is most preferred, 100 none)."""
    types = {t.upper() for t in getattr(prop, "singletonparams", [])}
    for value in prop.params.get("TYPE", []):
        types.update(part.strip().upper() for part in str(value).split(","))
    rank = 100
    for value in prop.params.get("PREF", []):
        if str(value).isdigit():
            rank = min(rank, int(value))
    if "PREF" in types:
        rank = min(rank, 1)
    return types, rank


def _ordered(props: Sequence[Any]) -> list[Any]:
    """Most preferred first; among equals, the card's order."""
    return sorted(props, key=lambda p: _params(p)[1])


class _Card:
    def __init__(self, card: Any) -> None:
        self.card = card
        self.labels: dict[str, str] = {}
        for prop in card.contents.get("x-ablabel", []):
            if prop.group:
                self.labels[prop.group.lower()] = _one_line(prop.value).strip("_$!<>")

    def props(self, name: str) -> list[Any]:
        return list(self.card.contents.get(name, []))

    def first(self, name: str) -> str:
        props = self.props(name)
        return _text(props[0].value) if props else ""

    def label(self, prop: Any) -> str:
        if prop.group and prop.group.lower() in self.labels:
            return self.labels[prop.group.lower()]
        types, _rank = _params(prop)
        shown = sorted(t.lower() for t in types - _IGNORED_TYPES if not t.startswith("X-"))
        return ", ".join(shown)


def _labelled(what: str, label: str, value: str) -> str:
    return f"{what} ({label}): {value}" if label else f"{what}: {value}"


def card_values(vcard: Any) -> dict[str, str]:
    """The actor fields of one parsed vCard as text; everything else as note lines."""
    card = _Card(vcard)
    values: dict[str, str] = {}
    notes: list[str] = [_text(p.value) for p in card.props("note") if _text(p.value)]
    _name(card, values, notes)
    kind = _kind(card, values)
    if kind:
        values["kind"] = kind
    _organisation(card, values, notes, is_org=kind == "organisation")
    _pick(card, "title", "function", values, notes, "Funktion")
    for prop in card.props("role"):
        target = "function" if "function" not in values else None
        _store(values, notes, target, "Rolle", card.label(prop), _one_line(prop.value))
    _pick(card, "email", "email", values, notes, "E-Mail")
    _pick(card, "tel", "phone", values, notes, "Telefon", strip_scheme=True)
    _pick(card, "url", "website", values, notes, "Website", unescape_colon=True)
    _address(card, values, notes)
    _categories(card, values, notes)
    for name, field_name in (
        ("uid", "uid"), ("x-stm-districts", "districts"), ("x-stm-consent", "consent"),
        ("x-stm-consent-date", "consent_given_on"), ("x-stm-consent-purpose", "consent_purpose"),
        ("x-stm-archived", "archived"),
    ):  # fmt: skip
        value = _one_line(card.first(name))
        if value:
            values[field_name] = value
    _other_properties(card, notes)
    if notes:
        values["notes"] = "\n".join(notes)
    return values


def _name(card: _Card, values: dict[str, str], notes: list[str]) -> None:
    names = card.props("fn")
    plain = [p for p in names if not p.params.get("LANGUAGE")] or names
    if plain:
        values["name"] = _one_line(plain[0].value)
    for prop in names:
        if prop is not plain[0] and _one_line(prop.value):
            language = ",".join(prop.params.get("LANGUAGE", []))
            notes.append(_labelled("Name", language, _one_line(prop.value)))
    structured = card.props("n")
    if structured:
        n = structured[0].value
        given = " ".join(p for p in (_one_line(n.given), _one_line(n.additional)) if p)
        if given:
            values["given_name"] = given
        if _one_line(n.family):
            values["family_name"] = _one_line(n.family)


def _kind(card: _Card, values: dict[str, str]) -> str | None:
    own = _one_line(card.first("x-stm-kind"))
    if own:
        return own
    declared = (
        _one_line(card.first("kind"))
        or _one_line(card.first("x-kind"))
        or _one_line(card.first("x-addressbookserver-kind"))
    ).lower()
    if declared == "group":
        return GROUP  # a list of other cards (Apple, 4.0), not an actor
    if declared in ("org", "organization", "organisation", "location"):
        return "organisation"
    if declared == "individual":
        return "person"
    if _one_line(card.first("x-abshowas")).upper() == "COMPANY":
        return "organisation"
    has_person_name = "given_name" in values or "family_name" in values
    organisations = [_org_text(p) for p in card.props("org")]
    if not has_person_name and any(fold(o) == fold(values.get("name", "")) for o in organisations):
        return "organisation"  # the card names nothing but its organisation
    return "person"  # RFC 6350: a card without KIND is an individual


def _org_text(prop: Any) -> str:
    parts = prop.value if isinstance(prop.value, list | tuple) else [prop.value]
    return ", ".join(_one_line(p) for p in parts if _one_line(p))


def _organisation(card: _Card, values: dict[str, str], notes: list[str], *, is_org: bool) -> None:
    parent = _one_line(card.first("x-stm-organisation"))
    if is_org and parent:
        values["organisation"] = parent
    for position, prop in enumerate(_ordered(card.props("org"))):
        text = _org_text(prop)
        if not text:
            continue
        if is_org:
            if not values.get("name"):
                values["name"] = text
            elif fold(text) != fold(values["name"]):
                notes.append(_labelled("Organisation", card.label(prop), text))
        elif position == 0:
            values["organisation"] = text
            if not values.get("name"):
                values["name"] = text
        else:
            notes.append(_labelled("Organisation", card.label(prop), text))


def _store(
    values: dict[str, str], notes: list[str], target: str | None, what: str, label: str, text: str
) -> None:
    if not text:
        return
    if target and target not in values:
        values[target] = text
    else:
        notes.append(_labelled(what, label, text))


def _pick(
    card: _Card,
    name: str,
    target: str,
    values: dict[str, str],
    notes: list[str],
    what: str,
    *,
    strip_scheme: bool = False,
    unescape_colon: bool = False,
) -> None:
    for prop in _ordered(card.props(name)):
        text = _one_line(prop.value)
        if strip_scheme and text.lower().startswith("tel:"):
            text = text[4:]
        if unescape_colon:  # Apple and Gmail write `URL:http\://…`
            text = text.replace("\\:", ":")
        _store(values, notes, target, what, card.label(prop), text)


def _address(card: _Card, values: dict[str, str], notes: list[str]) -> None:
    for position, prop in enumerate(_ordered(card.props("adr"))):
        a = prop.value
        street = ", ".join(
            p for p in (_one_line(a.street), _one_line(a.extended), _one_line(a.box)) if p
        )
        region = ", ".join(p for p in (_one_line(a.region), _one_line(a.country)) if p)
        if position == 0 and not any(k in values for k in ("street", "postcode", "city")):
            for field_name, text in (("street", street), ("postcode", _one_line(a.code)),
                                     ("city", _one_line(a.city))):  # fmt: skip
                if text:
                    values[field_name] = text
            if region:
                notes.append(_labelled("Region/Land", card.label(prop), region))
            continue
        place = " ".join(p for p in (_one_line(a.code), _one_line(a.city)) if p)
        full = ", ".join(p for p in (street, place, region) if p)
        if full:
            notes.append(_labelled("Adresse", card.label(prop), full))


@cache
def _sector_index() -> dict[str, str]:
    from stm.vocab import Sector

    index: dict[str, str] = {}
    for member in Sector:
        de, en = member.labels().get(member.value, (member.value, member.value))
        for text in (member.value, de, en):
            index[fold(text)] = member.value
    return index


def _categories(card: _Card, values: dict[str, str], notes: list[str]) -> None:
    sectors: list[str] = []
    others: list[str] = []
    for prop in card.props("categories"):
        items = prop.value if isinstance(prop.value, list | tuple) else str(prop.value).split(",")
        for item in items:
            text = _one_line(item)
            if not text:
                continue
            (sectors if fold(text) in _sector_index() else others).append(text)
    if sectors:
        values["sectors"] = ", ".join(sectors)
    if others:
        notes.append("Kategorien: " + ", ".join(others))


def _other_properties(card: _Card, notes: list[str]) -> None:
    for name, props in card.card.contents.items():
        if name in _HANDLED or name in _TECHNICAL or name.startswith(_TECHNICAL_PREFIXES):
            continue
        what = _LABELS.get(name, name.upper())
        for prop in props:
            text = _one_line(prop.value)
            if text:
                notes.append(_labelled(what, card.label(prop), text))
