"""Checking the records of an actor import, apart from the register.

Everything here depends on the file alone (and on today's date): every field is checked
with the one actor validation (`stm.services.actors.validate`), names are folded, and
the search entry is built. What needs the register (districts, duplicates,
organisations, ids, writing) is done by the importer, which reads `Candidate`s from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from stm.errors import Invalid
from stm.formats.actor_source import ActorSource, SourceRecord
from stm.names import fold, split_person_name
from stm.parsing import choose, parse_date, parse_email
from stm.services import search
from stm.services.actors.validate import CheckedFields, validate_fields
from stm.vocab import DEFAULT_CONSENT_PURPOSE, PERSON_KINDS, ActorKind

_MAX_UID = 300
_ADDRESS = re.compile(r"^(?P<street>.*?),?\s*(?P<postcode>\d{4,5})\s+(?P<city>[^,]+)$")

# ----------------------------------------------------------------------------- fast checks

_SIMPLE_EMAIL = re.compile(
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)+[A-Za-z]{2,63}"
)


def check_email(value: str, field_name: str = "email") -> str:
    """`parse_email` with a fast path for plain ASCII addresses; the same result always.

    The fast path accepts only a subset of what email-validator accepts (ASCII atoms,
    no double hyphens, an alphabetic top-level domain that is not special-use), and
    normalises it the way email-validator does: the domain in lower case.
    """
    address = value.strip()
    if len(address) <= 254 and _SIMPLE_EMAIL.fullmatch(address):
        local, _, domain = address.rpartition("@")
        domain = domain.lower()
        labels = domain.split(".")
        if len(local) <= 64 and labels[-1] not in _special_use() and max(map(len, labels)) <= 63:
            return f"{local}@{domain}"
    return parse_email(value, field_name)


@cache
def _special_use() -> frozenset[str]:
    """Top-level names email-validator refuses (`test`, `local`, …); all are single labels."""
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    assert all("." not in name for name in SPECIAL_USE_DOMAIN_NAMES)
    return frozenset(SPECIAL_USE_DOMAIN_NAMES)


#: Words for kinds that office lists use besides the kinds' own labels.
KIND_ALIASES = {
    "unternehmen": "business", "firma": "business", "betrieb": "business",
    "gewerbe": "business", "handel": "business", "geschaeft": "business",
    "company": "business", "verband": "association", "kirche": "church",
    "privatperson": "person", "einzelperson": "person", "ansprechpartner": "person",
}  # fmt: skip


class _CachedChoice:
    """`stm.parsing.choose` remembered per (vocabulary, text): imports repeat a few values."""

    def __init__(self) -> None:
        self._found: dict[tuple[type, str], Any] = {}

    def __call__(self, vocabulary: Any, value: str, field_name: str) -> Any:
        key = (vocabulary, value)
        found = self._found.get(key)
        if found is None:
            try:
                found = choose(vocabulary, value, field_name)
            except Invalid as error:
                found = error
                alias = KIND_ALIASES.get(fold(value)) if vocabulary is ActorKind else None
                if alias is not None:
                    found = ActorKind(alias)
            self._found[key] = found
        if isinstance(found, Invalid):
            raise Invalid(found.field, reason(found))
        return found


def reason(error: Invalid) -> str:
    return error.detail


_YES = {"ja", "j", "yes", "y", "x", "1", "true", "wahr", "ok"}
_NO = {"nein", "n", "no", "0", "false", "falsch", "-"}


def _yes_no(value: str, field_name: str) -> bool | None:
    text = value.strip().lower()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise Invalid(field_name, f"{value.strip()!r} is not yes or no; use ja/nein, yes/no or x")


_LIST_SEPARATORS = re.compile(r"[,;/|\n]+")


def split_list(value: str) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(value) if part.strip()]


def _append_note(notes: str | None, line: str) -> str:
    return f"{notes.rstrip()}\n{line}" if notes and notes.strip() else line


# ----------------------------------------------------------------------------- records


class Failure(Exception):
    """A record is broken: which field (as the file names it) and why."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


@dataclass
class Rejected:
    """A record that could not be checked: which field (as the file names it) and why."""

    record: SourceRecord
    field: str
    reason: str


class SearchEntry(NamedTuple):
    """An actor's search index row, built from its checked values (see `search.entry`)."""

    title: str
    body: str
    folded: str


@dataclass(slots=True)
class Candidate:
    """A checked record: its checked values by column name, and what the importer needs
    to place it."""

    number: int  # of the record in the file (see SourceRecord)
    line: int
    kind: str  # given, or the one a new actor gets
    key: str  # the folded name
    fields: CheckedFields  # the checked values the file gives (without sectors)
    kind_given: bool  # whether the file says the kind (an update changes only given values)
    organisation: str | None  # the organisation a person names, as written
    districts: str | None  # the districts cell, resolved against the register later
    sectors: list[str] | None
    consent: bool | None
    archived: bool | None
    search: SearchEntry
    organisation_id: int | None = None
    id: int | None = None
    district_ids: list[int] | None = None

    @property
    def name(self) -> str:
        return self.fields["name"]

    @property
    def uid(self) -> str | None:
        return self.fields.get("uid")

    @property
    def email(self) -> str | None:
        email = self.fields.get("email")
        return email.lower() if email else None

    @property
    def is_person(self) -> bool:
        return self.kind in PERSON_KINDS

    @property
    def values(self) -> dict[str, Any]:
        """The values the file gives, by column name (what an update may change)."""
        given = {c: v for c, v in self.fields.items() if v is not None and c != "sectors"}
        if self.kind_given:
            given["kind"] = self.kind
        else:
            given.pop("kind", None)
        return given


def search_entry(values: CheckedFields, kind: str) -> SearchEntry:
    """The search index's title, body and folded text of an actor with these checked
    values: built by `stm.services.search` from the row, rather than read back."""
    body = search.actor_body(kind, values.get("function"), values.get("notes"),
                             values.get("email"), values.get("city"))  # fmt: skip
    return SearchEntry(*search.entry(values["name"], body))


def organisation_candidate(number: int, line: int, name: str, key: str) -> Candidate:
    """An organisation a person names that the register does not hold yet."""
    from stm.parsing import parse_name

    values: CheckedFields = {"kind": "organisation", "name": parse_name(name, "organisation")}
    return Candidate(
        number, line, "organisation", key, values, True, organisation=None, districts=None,
        sectors=None, consent=None, archived=None, search=search_entry(values, "organisation"),
    )  # fmt: skip


# ----------------------------------------------------------------------------- checking


class Checker:
    """Turns the records of a source into `Candidate`s, or says why one is broken."""

    def __init__(self, source: ActorSource, today: date) -> None:
        self.source = source
        self.today = today
        self.choose = _CachedChoice()
        self._sector_lists: dict[str, list[str]] = {}

    def items(self) -> Iterator[Candidate | Rejected]:
        """Every record of the source, checked, in file order."""
        for record in self.source.records():
            try:
                yield self.candidate(record)
            except Failure as failure:
                yield Rejected(record, failure.field, failure.reason)

    def candidate(self, record: SourceRecord) -> Candidate:
        if record.problem:
            raise Failure("", record.problem)
        try:
            return self._checked(record.values, record)
        except Invalid as error:
            raise Failure(self.source.column(error.field), reason(error)) from None

    def _sectors(self, cell: str | None) -> list[str] | None:
        if not cell:
            return None
        found = self._sector_lists.get(cell)
        if found is None:
            found = self._sector_lists[cell] = split_list(cell)
        return found

    def _checked(self, v: dict[str, str], record: SourceRecord) -> Candidate:
        given, family = v.get("given_name"), v.get("family_name")
        name = v.get("name", "")
        if not name.strip() and (given or family):
            name = " ".join(p.strip() for p in (given, family) if p and p.strip())
        organisation = " ".join(v.get("organisation", "").split()) or None
        phone, notes = _phone_and_notes(v)
        street, postcode, city = _address(v)
        values = validate_fields(
            name=name, kind=v.get("kind", "").strip() or None, given_name=given,
            family_name=family, function=v.get("function"), email=v.get("email"), phone=phone,
            website=v.get("website"), street=street, postcode=postcode, city=city, notes=notes,
            sectors=self._sectors(v.get("sectors")), consent_purpose=v.get("consent_purpose"),
            choose=self.choose, parse_email=check_email,
        )  # fmt: skip
        kind = values.get("kind") or (
            "person" if given or family or organisation or v.get("function") else "organisation"
        )
        if kind in PERSON_KINDS and not values.get("given_name") and not values.get("family_name"):
            values["given_name"], values["family_name"] = split_person_name(values["name"])
        if organisation and kind not in PERSON_KINDS and fold(organisation) == fold(values["name"]):
            organisation = None  # an organisation's own name in its ORG
        consent = self._consent(v, values)
        self._uid(v, values)
        archived = _yes_no(v["archived"], "archived") if "archived" in v else None
        sectors = values.pop("sectors", None)
        return Candidate(
            record.number, record.line, kind, fold(values["name"]), values, "kind" in values,
            organisation=organisation, districts=v.get("districts") or None, sectors=sectors,
            consent=consent, archived=archived, search=search_entry(values, kind),
        )  # fmt: skip

    def _consent(self, v: dict[str, str], values: CheckedFields) -> bool | None:
        consent = _yes_no(v["consent"], "consent") if "consent" in v else None
        if "consent_given_on" in v and v["consent_given_on"].strip():
            values["consent_given_on"] = parse_date(v["consent_given_on"], "consent_given_on")
        if consent:
            values.setdefault("consent_given_on", self.today)
            if not values.get("consent_purpose"):
                values["consent_purpose"] = DEFAULT_CONSENT_PURPOSE
        return consent

    @staticmethod
    def _uid(v: dict[str, str], values: CheckedFields) -> None:
        if "uid" in v:
            uid = " ".join(v["uid"].split())
            if len(uid) > _MAX_UID:
                raise Invalid("uid", f"is {len(uid)} characters long; at most {_MAX_UID}")
            if uid:
                values["uid"] = uid


def _phone_and_notes(v: dict[str, str]) -> tuple[str | None, str | None]:
    """A mobile number is the phone when there is no other, else a line of the notes."""
    phone, notes = v.get("phone"), v.get("notes")
    mobile = v.get("mobile", "").strip()
    if mobile:
        if phone and phone.strip():
            notes = _append_note(notes, f"Mobil: {mobile}")
        else:
            phone = mobile
    return phone, notes


def _address(v: dict[str, str]) -> tuple[str | None, str | None, str | None]:
    """Street, postcode and city, from their own columns or from one address column."""
    street, postcode, city = v.get("street"), v.get("postcode"), v.get("city")
    address = " ".join(v.get("address", "").split())
    if address and not (street or postcode or city):
        match = _ADDRESS.match(address)
        if match:
            return match["street"], match["postcode"], match["city"]
        return address, None, None
    return street, postcode, city
