"""Actors as vCards (2.1, 3.0 and 4.0) through vobject.

Reading streams the file card by card. Before vobject sees a card, the soft line breaks
of quoted-printable values (vCard 2.1, as phones export it) are joined. Each card becomes
plain text values by actor field:

- the preferred e-mail, phone, web address and postal address (PREF=1, TYPE=pref, or
  the first one) fill the actor's fields; every other one goes into the notes, as does
  any other property that carries information (nickname, birthday, chat, …), so that
  nothing on the card is lost; a group label (`item1.X-ABLABEL`) names its property;
- `KIND:org` (3.0: `X-KIND`, `X-ADDRESSBOOKSERVER-KIND`, Apple's `X-ABShowAs:COMPANY`)
  makes an organisation, as does a card naming nothing but its `ORG`; any other card is a
  person (RFC 6350: no KIND is an individual) whose `ORG` names their organisation;
  group cards (`KIND:group`) are no actors: they are counted and left out;
- photos, logos, sounds and keys, and any property over `MAX_PROPERTY`, are dropped
  while reading, never held whole;
- `CATEGORIES` that are stm sectors become sectors, others are noted.

Writing makes vCard 3.0, which every phone and mail program reads, with a UID on every
card, organisations marked as 3.0 readers look for them (`X-ADDRESSBOOKSERVER-KIND:org`,
`X-KIND:org`, Apple's `X-ABShowAs:COMPANY`; `KIND` is 4.0 only), and stm's own fields
(kind, districts, consent) as `X-STM-…` properties, so that an exported file imports
again without loss.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from stm.formats.csv_actors import ActorSource, SourceRecord
from stm.names import fold

#: How error messages name an actor field in a vCard.
PROPERTY_OF = {
    "name": "FN",
    "given_name": "N",
    "family_name": "N",
    "kind": "KIND",
    "organisation": "ORG",
    "function": "TITLE",
    "email": "EMAIL",
    "phone": "TEL",
    "website": "URL",
    "street": "ADR",
    "postcode": "ADR",
    "city": "ADR",
    "notes": "NOTE",
    "sectors": "CATEGORIES",
    "districts": "X-STM-DISTRICTS",
    "uid": "UID",
    "consent": "X-STM-CONSENT",
    "consent_given_on": "X-STM-CONSENT-DATE",
    "consent_purpose": "X-STM-CONSENT-PURPOSE",
    "archived": "X-STM-ARCHIVED",
}
# Read into fields, or meaningless outside the program that wrote them.
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
#: A property longer than this (folded lines together) is not imported.
MAX_PROPERTY = 256 * 1024
_BINARY_LINE = re.compile(r"^(?:[A-Za-z0-9-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
_PROFILE = re.compile(r"^PROFILE[;:]", re.IGNORECASE)
_QP = re.compile(r"^[^:]*quoted-printable", re.IGNORECASE)
_IGNORED_TYPES = {"PREF", "INTERNET", "VOICE", "X400", "TEXT"}
_BINARY_PROPERTIES = {"photo", "logo", "sound", "key"}
# Properties whose commas mean something (lists, structure, URIs of binary data).
_COMMA_LISTS = {"n", "adr", "org", "categories", "geo", "version", *_BINARY_PROPERTIES}


class VcardActors(ActorSource):
    """A file of vCards, read card by card."""

    format = "vcf"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._binary_skipped = 0
        self.groups: list[str] = []  # where each group card was (not imported)
        self.large: list[str] = []  # where each over-long property was (not imported)

    def close(self) -> None:
        super().close()
        if self._binary_skipped:
            self.notes.append(
                f"{self.name}: {self._binary_skipped} photo(s), logo(s) or key(s) not imported"
            )
        self.details.extend(f"{where}: group card not imported" for where in self.groups)
        self.details.extend(
            f"{where}: over {MAX_PROPERTY // 1024} KB, not imported" for where in self.large
        )
        if self.groups:
            self.notes.append(
                f"{self.name}: {len(self.groups)} group card(s) not imported (a group lists "
                f"other cards; it is no actor): {', '.join(self.groups[:10])}"
                + (" …" if len(self.groups) > 10 else "")
            )
        if self.large:
            self.notes.append(
                f"{self.name}: {len(self.large)} property(ies) over {MAX_PROPERTY // 1024} KB "
                f"not imported: {', '.join(self.large[:10])}"
                + (" …" if len(self.large) > 10 else "")
            )

    def column(self, field_name: str) -> str:
        return PROPERTY_OF.get(field_name, field_name)

    def where(self, number: int, line: int) -> str:
        return f"card {number} (line {line})"

    def records(self) -> Iterator[SourceRecord]:
        lines = self._lines
        card: list[str] = []
        depth = number = begin = 0
        skip = _Skip()
        for text in lines:
            if depth and skip.drops(text, card, self, number, lines.line):
                continue
            upper = text.strip().upper()
            if depth == 0:
                if not upper:
                    continue
                if upper != "BEGIN:VCARD":
                    from stm.errors import Invalid

                    raise Invalid(
                        self.name,
                        f"line {lines.line}: {text.strip()[:40]!r} is outside a vCard; "
                        "cards start with BEGIN:VCARD",
                    )
                number += 1
                begin = lines.line
                card = []
            card.append(text)
            if upper == "BEGIN:VCARD":
                depth += 1  # a vCard 2.1 AGENT may hold a card of its own
            elif upper == "END:VCARD":
                depth -= 1
                if depth == 0:
                    record = self._record(number, begin, card)
                    if record.values.get("kind") == GROUP:
                        self.groups.append(f"{record.where} {record.values.get('name', '')!r}")
                        continue
                    yield record
        if depth:
            yield SourceRecord(
                number, begin, self.where(number, begin), {}, "".join(card),
                problem="no END:VCARD: the file ends inside this card (cut off?)",
            )  # fmt: skip

    def _record(self, number: int, begin: int, lines: list[str]) -> SourceRecord:
        where = self.where(number, begin)
        text = prepare_card(lines)
        try:
            import vobject

            card = vobject.readOne(text, validate=False)
            values = card_values(card)
        except Exception as error:  # vobject raises many kinds on malformed input
            return SourceRecord(
                number, begin, where, {}, text, problem=_unreadable(lines, begin, error)
            )
        self._binary_skipped += sum(len(card.contents.get(name, [])) for name in _BINARY_PROPERTIES)
        return SourceRecord(number, begin, where, values, text)

    def write_rejects(self, rejects: Sequence[tuple[SourceRecord, str]], target: Path) -> None:
        """The rejected cards as they were, each with an X-STM-REJECTED line saying why."""
        parts = []
        for record, reason in rejects:
            text = str(record.raw)
            first, _, rest = text.partition("\n")
            why = _escape(f"{record.where}: {reason}")
            parts.append(f"{first}\nX-STM-REJECTED:{why}\r\n{rest}")
        from stm.private_files import write_private

        write_private(target, "".join(parts))


class _Skip:
    """Drops photos, logos, sounds and keys, and any property longer than `MAX_PROPERTY`,
    while the card is read: a 20 MB photo is never held, nor given to vobject."""

    def __init__(self) -> None:
        self.skipping = False
        self.base64 = False  # vCard 2.1: base64 lines may be unindented, a blank line ends them
        self.start = -1  # index in the card of the current property's first line
        self.size = 0

    def drops(
        self, text: str, card: list[str], source: VcardActors, number: int, line: int
    ) -> bool:
        continued = text[:1] in (" ", "\t")
        if self.skipping:
            if continued or (self.base64 and text.strip() and ":" not in text):
                return True
            self.skipping = False
            if self.base64 and not text.strip():
                return True
        if not continued:
            if _BINARY_LINE.match(text):
                source._binary_skipped += 1
                self._skip(text)
                return True
            self.start, self.size = len(card), len(text)
            return False
        self.size += len(text)
        if self.size > MAX_PROPERTY and self.start >= 0:
            name = card[self.start].split(":", 1)[0].split(";", 1)[0].upper()
            source.large.append(f"{name} in card {number} (line {line})")
            del card[self.start :]
            self.start = -1
            self._skip(text)
            return True
        return False

    def _skip(self, text: str) -> None:
        self.skipping = True
        self.base64 = "BASE64" in text[:200].upper()
        self.start = -1


def _unreadable(lines: Sequence[str], begin: int, error: Exception) -> str:
    """vobject's complaint as one line naming the line and the property it stumbled on."""
    for offset, line in enumerate(lines):
        body = line.rstrip("\r\n")
        if not body.strip() or body[:1] in (" ", "\t"):
            continue
        if _split_line(body) is None:
            return (
                f"cannot read the card: line {begin + offset}: {body.strip()[:40]!r} is no "
                "property (expected NAME:value)"
            )
        name = body.split(":", 1)[0].split(";", 1)[0].upper()
        if name in ("BEGIN", "END") and offset not in (0, len(lines) - 1):
            return (
                f"cannot read the card: line {begin + offset}: {body.strip()[:40]} inside "
                "the card is not supported"
            )
    reason = " ".join(str(error).split())[:120] or type(error).__name__
    return f"cannot read the card: {reason}"


def prepare_card(lines: Sequence[str]) -> str:
    """A card's text as vobject reads it without loss.

    Joins quoted-printable soft line breaks (`=` at a line's end) and folded lines, and
    escapes the commas of single-valued properties: vCard 2.1 (and many a sloppy 3.0
    writer) leaves them bare, and vobject would cut `NOTE:Di, Do` after `Di`.
    """
    physical: list[str] = []
    carry = ""
    for line in lines:
        body = carry + line.rstrip("\r\n")
        carry = ""
        if body.endswith("=") and _QP.match(body):
            carry = body[:-1]
            continue
        physical.append(body)
    if carry:
        physical.append(carry)
    logical: list[str] = []
    for body in physical:
        if body[:1] in (" ", "\t") and logical:
            logical[-1] += body[1:]
        else:
            logical.append(body)
    kept = [line for line in logical if not _PROFILE.match(line)]  # vobject refuses it
    return "\r\n".join(_escape_bare_commas(line) for line in kept) + "\r\n"


def _split_line(line: str) -> tuple[str, str] | None:
    """(name with parameters, value) at the first colon outside quotes."""
    quoted = False
    for position, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[:position], line[position + 1 :]
    return None


def _escape_bare_commas(line: str) -> str:
    parts = _split_line(line)
    if parts is None:
        return line
    head, value = parts
    name = head.split(";", 1)[0].rsplit(".", 1)[-1].lower()
    if name in _COMMA_LISTS or "," not in value:
        return line
    out: list[str] = []
    escaped = False
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            out.append("\\")
        out.append(char)
    return f"{head}:{''.join(out)}"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


# ----------------------------------------------------------------------------- card → values


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


# ----------------------------------------------------------------------------- writing


def write_cards(
    records: Iterable[dict[str, Any]], *, lang: str = "de", internal: bool = True
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


def _internal(card: Any, record: dict[str, Any]) -> None:
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
