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

A card's properties become an actor's values in `stm.formats.vcard_fields`; writing is
`stm.formats.vcard_write`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from stm.formats.actor_source import ActorSource, SourceRecord
from stm.formats.vcard_fields import BINARY_PROPERTIES, GROUP, card_values

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
#: A property longer than this (folded lines together) is not imported.
MAX_PROPERTY = 256 * 1024
_BINARY_LINE = re.compile(r"^(?:[A-Za-z0-9-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)
_PROFILE = re.compile(r"^PROFILE[;:]", re.IGNORECASE)
_QP = re.compile(r"^[^:]*quoted-printable", re.IGNORECASE)
_COMMA_LISTS = {"n", "adr", "org", "categories", "geo", "version", *BINARY_PROPERTIES}


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
        self._binary_skipped += sum(len(card.contents.get(name, [])) for name in BINARY_PROPERTIES)
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
