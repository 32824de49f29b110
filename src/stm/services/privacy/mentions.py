"""Texts of other records that name an erased person, and their redaction."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


REDACTED = "[gelöscht]"

#: Every free-text field of the register: table → (columns, search index entity).
TEXT_FIELDS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "actor": (("notes", "function"), "actor"),
    "concern": (("title", "description", "answer"), "concern"),
    "concern_history": (("note",), "concern"),
    "agenda_item": (("title", "notes"), "agenda_item"),
    "attendance": (("guest_name",), None),
    "decision": (("text",), "decision"),
    "task": (("title",), "task"),
    "event": (("title", "location", "description"), "event"),
    "event_occurrence": (("title", "location"), "event"),
    "network": (("name", "description"), None),
    "project": (("title", "description"), "project"),
    "article": (("title",), "article"),
    "activity": (("summary",), None),
}
#: What a record of a table is called in messages, and which id names it.
_RECORD = {"concern_history": ("concern", "concern_id"), "event_occurrence": ("event", "event_id"),
           "attendance": ("meeting", "meeting_id")}  # fmt: skip
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe",
                           "Ü": "Ue"})  # fmt: skip
MIN_NAME = 3
MIN_PHONE_DIGITS = 6


@dataclass
class Mention:
    """A free-text field that names an erased person."""

    table: str
    row_id: int
    column: str
    record: str  # "concern #4", as the user knows it
    entity: tuple[str, int] | None  # the search index entry to refresh

    def describe(self) -> str:
        field = self.column.replace("_", " ")
        if self.table in _RECORD:
            field = f"{self.table.replace('_', ' ')} {field}"
        return f"{self.record} ({field})"


@dataclass
class Identity:
    """What names a person in free text: full name, family name, e-mail, phone."""

    full_name: str
    family_name: str | None
    email: str | None
    phone: str | None

    def pattern(self) -> re.Pattern[str] | None:
        names = {self.full_name, self.full_name.translate(_TRANSLIT)}
        if self.family_name and len(self.family_name) >= MIN_NAME:
            names |= {self.family_name, self.family_name.translate(_TRANSLIT)}
        words = [rf"(?<!\w){re.escape(n)}(?!\w)" for n in sorted(names, key=len, reverse=True)]
        if self.email:
            words.insert(0, re.escape(self.email))
        digits = re.sub(r"\D", "", self.phone or "")
        if len(digits) >= MIN_PHONE_DIGITS:
            # `0170 1234567`, `0170-1234567`, `(0170) 12 34 567` and `+49 170 …` alike
            local = digits[1:] if digits.startswith("0") else digits
            body = r"[\s\-/().]*".join(re.escape(d) for d in local)
            prefix = r"(?:\+49[\s\-/().]*|0049[\s\-/().]*|0)?"
            words.insert(0, rf"(?<![\d+]){prefix}{body}(?!\d)")
        return re.compile("|".join(words), re.IGNORECASE) if words else None

    def probes(self) -> list[str]:
        """Substrings one of which every mention contains, to let the database pre-filter."""
        found = [self.full_name, self.full_name.translate(_TRANSLIT)]
        if self.family_name and len(self.family_name) >= MIN_NAME:
            found = [self.family_name, self.family_name.translate(_TRANSLIT)]
        if self.email:
            found.append(self.email)
        digits = re.sub(r"\D", "", self.phone or "")
        if len(digits) >= MIN_PHONE_DIGITS:
            found.append(digits[-2:])  # the last digits stand together in any spelling
        return list(dict.fromkeys(found))


def identity_of(actor: Any) -> Identity:
    from stm.names import split_person_name

    family = actor.family_name or split_person_name(actor.name)[1]
    return Identity(actor.name, family, actor.email, actor.phone)


def find_mentions(
    connection: Connection, identity: Identity, *, skip_actor: int | None = None
) -> list[tuple[Mention, str, str]]:
    """Every free-text field that names the person: (mention, old text, redacted text)."""
    from sqlalchemy import column, or_, select, table

    pattern = identity.pattern()
    if pattern is None:
        return []
    # A family name that is also part of a place's name ("Klein" in "Groß Klein") names
    # the place there, not the person.
    places = [row[0] for row in connection.execute(select(table("district", column("name"))))]
    probes = identity.probes()
    found = []
    for name, (columns, entity) in TEXT_FIELDS.items():
        label, id_column = _RECORD.get(name, (name.replace("_", " "), "id"))
        keys = ["id", id_column]
        source = table(name, *(column(c) for c in dict.fromkeys([*keys, *columns])))
        clauses = [source.c[c].ilike(f"%{_like(p)}%", escape="\\") for c in columns for p in probes]
        query = select(source).where(or_(*clauses)).order_by(source.c.id)
        if name == "actor" and skip_actor is not None:
            query = query.where(source.c.id != skip_actor)
        for row in connection.execute(query).mappings():
            owner = int(row[id_column])
            for name_of_column in columns:
                text = row[name_of_column]
                redacted = redact_text(pattern, text, places) if text else text
                if redacted == text:
                    continue
                mention = Mention(name, int(row["id"]), name_of_column, f"{label} #{owner}",
                                  (entity, owner) if entity else None)  # fmt: skip
                found.append((mention, text, redacted))
    return found


def redact_text(pattern: re.Pattern[str], text: str, places: Iterable[str] = ()) -> str:
    """`text` with every match of `pattern` replaced, except inside the names of places."""
    lowered = text.lower()
    kept: list[tuple[int, int]] = []
    for place in places:
        start = lowered.find(place.lower())
        while place and start >= 0:
            kept.append((start, start + len(place)))
            start = lowered.find(place.lower(), start + 1)

    def replace(match: re.Match[str]) -> str:
        inside = any(a <= match.start() and match.end() <= b for a, b in kept)
        return match.group(0) if inside else REDACTED

    return pattern.sub(replace, text)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def redact(connection: Connection, mentions: list[tuple[Mention, str, str]]) -> None:
    """Replace the mentions with "[gelöscht]" and refresh the search index entries."""
    from sqlalchemy import column, table, update

    from stm.services.search import reindex

    for mention, _old, new in mentions:
        target = table(mention.table, column("id"), column(mention.column))
        connection.execute(
            update(target).where(target.c.id == mention.row_id).values({mention.column: new})
        )
    keys = {m.entity for m, _old, _new in mentions if m.entity is not None}
    if keys:
        reindex(connection, keys)
