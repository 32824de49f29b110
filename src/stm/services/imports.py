"""Importing actors from CSV and vCard files, and exporting them (SPEC §2.5, §5).

An import is all or nothing. Every record is checked with the same rules as
`stm actors add` (`actors.validate_fields`); the first broken one stops the import with
an error naming its line (or card) and field, and the transaction writes nothing. With
`skip_invalid` the good records are imported and the rejected ones returned with their
reasons. A dry run does all the work, then rolls it back.

A record that names an actor the register (or the file) already holds is a duplicate:
the same UID; or the same folded name and the same e-mail; or the same folded name and
the same organisation, unless both have different e-mails. Against the register the
`on_duplicate` policy decides (skip, update with the file's values, or fill only empty
fields); twice in the same file is an error. An organisation that a person row names but
nobody describes is created (kind organisation), and filled in if its own row follows.

Speed and memory: records are streamed from the file and written in batches of
`BATCH` with a few multi-row INSERTs per table, with ids reserved up front; a writer
thread executes one batch while the next is read and checked (see `_BulkWriter`). The
per-record checks use cached vocabulary and district look-ups and a fast e-mail path.
Memory holds two batches plus 16 bytes per imported record (to name the first line of a
duplicate), never the file.
"""

from __future__ import annotations

import io
import re
import sys
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import func, text
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Invalid
from stm.formats.csv_actors import ActorSource, SourceRecord
from stm.models import Actor, ActorDistrict, ActorSector
from stm.names import fold, fold_words
from stm.parsing import choose, parse_date, parse_email, parse_name, parse_text
from stm.services import actors as actor_service
from stm.services import refs
from stm.services.activity import log
from stm.services.actors import _optional, parse_phone, parse_website
from stm.vocab import PERSON_KINDS, ActorKind, Sector

FORMATS = ("csv", "vcf")
EXPORT_FORMATS = ("csv", "vcf", "json")
ON_DUPLICATE = ("skip", "update", "fill")
BATCH = 1000
_SWITCH_INTERVAL = 0.0005  # seconds; see _BulkWriter
_MAX_UID = 300


@dataclass
class ImportOptions:
    format: str | None = None  # csv or vcf; default: from the file name, then its content
    dry_run: bool = False
    on_duplicate: str = "skip"
    skip_invalid: bool = False
    progress: Callable[[int, int], None] | None = None  # (bytes read, bytes in all)


@dataclass
class Outcome:
    """What happened (or, in a dry run, would happen) to one record."""

    where: str
    action: str  # add, update, skip, reject
    name: str
    actor_id: int | None = None
    detail: str = ""


@dataclass
class ImportResult:
    source: ActorSource
    dry_run: bool
    added: int = 0
    updated: int = 0
    skipped: int = 0
    created_organisations: list[str] = field(default_factory=list)
    rejected: list[tuple[SourceRecord, str]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)  # a dry run lists every record

    @property
    def notes(self) -> list[str]:
        return self.source.notes

    def summary(self) -> dict[str, Any]:
        return {
            "file": self.source.name,
            "format": self.source.format,
            "dry_run": self.dry_run,
            "added": self.added,
            "updated": self.updated,
            "skipped": self.skipped,
            "rejected": len(self.rejected),
            "created_organisations": self.created_organisations,
        }


# ----------------------------------------------------------------------------- fast checks

_SIMPLE_EMAIL = re.compile(
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)+[A-Za-z]{2,63}"
)


def check_email(value: str, field_name: str = "--email") -> str:
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


def validate_fields(
    name: str | None,
    kind: str | None,
    given_name: str | None,
    family_name: str | None,
    function: str | None,
    email: str | None,
    phone: str | None,
    website: str | None,
    street: str | None,
    postcode: str | None,
    city: str | None,
    notes: str | None,
    sectors: list[str] | None,
    consent_purpose: str | None,
    *,
    choose: Any = choose,
) -> dict[str, Any]:
    """`actors.validate_fields` without an `ActorFields` per record; the same checks in the
    same order, the same values and errors (a test compares the two), `check_email` for
    e-mail. Every argument is optional (`None`: not given)."""
    values: dict[str, Any] = {}
    if name is not None:
        values["name"] = parse_name(name, "name")
    if kind is not None:
        values["kind"] = choose(ActorKind, kind, "--kind").value
    if given_name is not None:
        values["given_name"] = parse_name(given_name, "--given-name") if given_name else None
    if family_name is not None:
        values["family_name"] = parse_name(family_name, "--family-name") if family_name else None
    if function is not None:
        values["function"] = _optional(function, "--function")
    if email is not None:
        values["email"] = check_email(email) if email.strip() else None
    if phone is not None:
        values["phone"] = parse_phone(phone) if phone.strip() else None
    if website is not None:
        values["website"] = parse_website(website) if website.strip() else None
    if street is not None:
        values["street"] = _optional(street, "--street")
    if postcode is not None:
        values["postcode"] = _optional(postcode, "--postcode")
    if city is not None:
        values["city"] = _optional(city, "--city")
    if notes is not None:
        values["notes"] = parse_text(notes, "--notes")
    if sectors is not None:
        values["sectors"] = sorted({choose(Sector, s, "--sector").value for s in sectors})
    if consent_purpose is not None:
        values["consent_purpose"] = _optional(consent_purpose, "--consent-purpose")
    return values


@cache
def _special_use() -> frozenset[str]:
    """Top-level names email-validator refuses (`test`, `local`, …); all are single labels."""
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    assert all("." not in name for name in SPECIAL_USE_DOMAIN_NAMES)
    return frozenset(SPECIAL_USE_DOMAIN_NAMES)


def _search_doc(candidate: _Candidate) -> tuple[str, int, str, str]:
    """What `stm.services.search` indexes of an actor (its `_actor_docs`), from the row.

    Built here rather than read back, which would put 1,000 ids into each statement's
    text; a test compares the result with the search service's own rebuild.
    """
    v = candidate.values
    label = _kind_label(candidate.kind)
    parts = (label, v.get("function"), v.get("notes"), v.get("email"), v.get("city"))
    body = "\n".join([p for p in parts if p])  # checked values: stripped already, or None
    return ("actor", candidate.id or 0, v["name"], body)


@cache
def _kind_label(kind: str) -> str:
    try:
        return str(ActorKind(kind).label)
    except ValueError:
        return kind


def search_row(doc: tuple[str, int, str, str]) -> tuple[str, int, str, str, str]:
    """A `search_document` row as `stm.services.search` writes it."""
    entity, entity_id, title, body = doc
    shown = " ".join((title or "").split())
    if len(shown) > 300:
        shown = shown[:299].rstrip() + "…"
    return (entity, entity_id, shown, body, fold_words(f"{title} {body}"))


def _old_sqlite() -> bool:
    import sqlite3

    return sqlite3.sqlite_version_info < (3, 32, 0)


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
            self._found[key] = found
        if isinstance(found, Invalid):
            raise Invalid(found.field, _reason(found))
        return found


def _reason(error: Invalid) -> str:
    return error.message.removeprefix(f"{error.field}: ") if error.field else error.message


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
_ADDRESS = re.compile(r"^(?P<street>.*?),?\s*(?P<postcode>\d{4,5})\s+(?P<city>[^,]+)$")


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(value) if part.strip()]


def _append_note(notes: str | None, line: str) -> str:
    return f"{notes.rstrip()}\n{line}" if notes and notes.strip() else line


# ----------------------------------------------------------------------------- candidates

#: Option names in `actors.validate_fields` errors → the field they check.
_FIELD_OF_OPTION = {
    "name": "name", "--kind": "kind", "--given-name": "given_name",
    "--family-name": "family_name", "--function": "function", "--email": "email",
    "--phone": "phone", "--website": "website", "--street": "street",
    "--postcode": "postcode", "--city": "city", "--notes": "notes", "--sector": "sectors",
    "--consent-purpose": "consent_purpose",
}  # fmt: skip
#: Actor columns an import sets, besides links, consent sharing and archiving.
_VALUE_COLUMNS = (
    "kind", "name", "given_name", "family_name", "function", "email", "phone", "website",
    "street", "postcode", "city", "notes", "consent_given_on", "consent_purpose", "uid",
)  # fmt: skip


class _Failure(Exception):
    """A record is broken: which field (as the file names it) and why."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


@dataclass(slots=True)
class _Candidate:
    record: SourceRecord
    values: dict[str, Any]  # given, checked actor column values
    kind: str  # the given kind, or the one a new actor gets
    key: str
    organisation: str | None
    district_ids: list[int] | None
    sectors: list[str] | None
    consent: bool | None
    archived: bool | None
    organisation_id: int | None = None
    id: int | None = None

    @property
    def email(self) -> str | None:
        email = self.values.get("email")
        return email.lower() if email else None

    @property
    def is_person(self) -> bool:
        return self.kind in PERSON_KINDS


class _Entry(NamedTuple):
    """What duplicate matching needs to know of an actor in the register."""

    id: int
    key: str
    email: str | None
    organisation_id: int | None
    uid: str | None
    kind: str


# ----------------------------------------------------------------------------- the importer


def open_source(path: Path, format: str | None = None) -> ActorSource:
    """A reader for the file: CSV or vCard, from `format`, the suffix or the first line."""
    from stm.formats.csv_actors import CsvActors, open_input
    from stm.formats.vcard import VcardActors

    kind = (format or "").lower().lstrip(".") or None
    if kind and kind not in (*FORMATS, "vcard"):
        raise Invalid("--format", f"unknown import format {format!r}; use csv or vcf")
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


def import_actors(session: Session, path: Path, options: ImportOptions) -> ImportResult:
    """Import the actors of a CSV or vCard file; all or nothing (see the module's notes)."""
    if options.on_duplicate not in ON_DUPLICATE:
        from stm.parsing import unknown

        raise unknown("--on-duplicate", options.on_duplicate, ON_DUPLICATE, what="policy")
    source = open_source(path, options.format)
    try:
        result = _Importer(session, source, options).run()
    finally:
        source.close()
    if options.dry_run:
        session.rollback()
    return result


def rejects_path(path: Path) -> Path:
    """Where `--skip-invalid` puts the rejected records: next to the input."""
    return path.with_name(f"{path.stem}.rejected{path.suffix or '.csv'}")


def write_rejects(result: ImportResult, target: Path) -> None:
    result.source.write_rejects(sorted(result.rejected, key=lambda r: r[0].number), target)


class _Importer:
    def __init__(self, session: Session, source: ActorSource, options: ImportOptions) -> None:
        self.session = session
        self.source = source
        self.options = options
        self.result = ImportResult(source=source, dry_run=options.dry_run)
        self.connection = session.connection()
        self.writer = _BulkWriter(self.connection)
        self.choose = _CachedChoice()
        self.now = clock.now()
        self.today = self.now.date()
        self._districts: dict[str, int | Invalid] = {}
        self._district_lists: dict[str, list[int]] = {}  # the same cell, the same districts
        self._sector_lists: dict[str, list[str]] = {}
        self.organisations = self._organisations()
        self._organisation_keys: dict[str, str] = {}  # name as written → folded
        self.placeholders: dict[int, _Candidate] = {}  # created organisations nobody described
        self.pending: list[_Candidate] = []
        self.inserts: list[_Candidate] = []  # of the batch being decided
        # Which record wrote each actor of this import: ids ascend, so arrays and bisect.
        self._ids = array("q")
        self._numbers = array("q")
        self._lines = array("q")
        self._matched: dict[int, tuple[int, int]] = {}  # register actor → (number, line)
        self.track = options.dry_run

    # -- reading and checking

    def run(self) -> ImportResult:
        try:
            self._read()
            self.writer.wait()
            self._finish()
        finally:
            self.writer.close()  # before the transaction is committed or rolled back
        return self.result

    def _read(self) -> None:
        progress = self.options.progress
        for record in self.source.records():
            try:
                candidate = self._candidate(record)
            except _Failure as failure:
                self._flush()  # earlier lines are judged first, so errors come in file order
                self._reject(record, failure)
                continue
            self.pending.append(candidate)
            if len(self.pending) >= BATCH:
                self._flush()
                if progress:
                    progress(self.source.bytes_read, self.source.total_bytes)
        self._flush()
        if progress:
            progress(self.source.total_bytes, self.source.total_bytes)

    def _reject(self, record: SourceRecord, failure: _Failure) -> None:
        reason = f"{failure.field}: {failure.reason}" if failure.field else failure.reason
        if not self.options.skip_invalid:
            where = ", ".join(p for p in (self.source.name, record.where, failure.field) if p)
            raise Invalid(where, failure.reason)
        self.result.rejected.append((record, reason))
        if self.track:
            name = record.values.get("name", "")
            self.result.outcomes.append(Outcome(record.where, "reject", name, None, reason))

    def _fail(self, field_name: str, reason: str) -> _Failure:
        return _Failure(self.source.column(field_name), reason)

    def _candidate(self, record: SourceRecord) -> _Candidate:
        if record.problem:
            raise _Failure("", record.problem)
        try:
            return self._checked(record.values, record)
        except Invalid as error:
            raise self._fail(
                _FIELD_OF_OPTION.get(error.field, error.field), _reason(error)
            ) from None

    def _checked(self, v: dict[str, str], record: SourceRecord) -> _Candidate:
        given, family = v.get("given_name"), v.get("family_name")
        name = v.get("name", "")
        if not name.strip() and (given or family):
            name = " ".join(p.strip() for p in (given, family) if p and p.strip())
        organisation = " ".join(v.get("organisation", "").split()) or None
        phone, notes = v.get("phone"), v.get("notes")
        mobile = v.get("mobile", "").strip()
        if mobile:
            if phone and phone.strip():
                notes = _append_note(notes, f"Mobil: {mobile}")
            else:
                phone = mobile
        street, postcode, city = v.get("street"), v.get("postcode"), v.get("city")
        address = " ".join(v.get("address", "").split())
        if address and not (street or postcode or city):
            match = _ADDRESS.match(address)
            street, postcode, city = (
                (match["street"], match["postcode"], match["city"])
                if match
                else (address, None, None)
            )
        sectors = v.get("sectors")
        if sectors:
            sector_list = self._sector_lists.get(sectors)
            if sector_list is None:
                sector_list = self._sector_lists[sectors] = _split_list(sectors)
        values = validate_fields(
            name,
            v.get("kind", "").strip() or None,
            given,
            family,
            v.get("function"),
            v.get("email"),
            phone,
            v.get("website"),
            street,
            postcode,
            city,
            notes,
            sector_list if sectors else None,
            v.get("consent_purpose"),
            choose=self.choose,
        )
        kind = values.get("kind") or (
            "person" if given or family or organisation or v.get("function") else "organisation"
        )
        if kind in PERSON_KINDS and not values.get("given_name") and not values.get("family_name"):
            values["given_name"], values["family_name"] = actor_service._split_person_name(
                values["name"]
            )
        key = fold(values["name"])
        if organisation and kind not in PERSON_KINDS and fold(organisation) == key:
            organisation = None  # an organisation's own name in its ORG
        consent = _yes_no(v["consent"], "consent") if "consent" in v else None
        if "consent_given_on" in v and v["consent_given_on"].strip():
            values["consent_given_on"] = parse_date(v["consent_given_on"], "consent_given_on")
        if consent:
            values.setdefault("consent_given_on", self.today)
            if not values.get("consent_purpose"):
                values["consent_purpose"] = actor_service.DEFAULT_CONSENT_PURPOSE
        if "uid" in v:
            uid = " ".join(v["uid"].split())
            if len(uid) > _MAX_UID:
                raise Invalid("uid", f"is {len(uid)} characters long; at most {_MAX_UID}")
            if uid:
                values["uid"] = uid
        districts = v.get("districts")
        return _Candidate(
            record=record,
            values=values,
            kind=kind,
            key=key,
            organisation=organisation,
            district_ids=self._district_ids(districts) if districts else None,
            sectors=values.pop("sectors", None),
            consent=consent,
            archived=_yes_no(v["archived"], "archived") if "archived" in v else None,
        )

    def _district_ids(self, value: str) -> list[int]:
        known = self._district_lists.get(value)
        if known is None:
            known = self._district_lists[value] = self._resolve_districts(value)
        return known

    def _resolve_districts(self, value: str) -> list[int]:
        ids: list[int] = []
        for part in _split_list(value):
            found = self._districts.get(part)
            if found is None:
                self.writer.wait()  # the database is the writer's while it writes
                try:
                    found = refs.district(self.session, part, "districts").id or 0
                except Invalid as error:
                    found = error
                self._districts[part] = found
            if isinstance(found, Invalid):
                raise Invalid("districts", _reason(found))
            if found not in ids:
                ids.append(found)
        return ids

    # -- organisations

    def _organisations(self) -> dict[str, list[int]]:
        """Folded name → ids of the register's organisations (every kind but persons)."""
        index: dict[str, list[int]] = defaultdict(list)
        rows = self.session.exec(
            select(Actor.key, Actor.id).where(
                col(Actor.erased_at).is_(None), col(Actor.kind).not_in(PERSON_KINDS)
            )
        ).all()
        for key, actor_id in rows:
            index[key].append(actor_id or 0)
        return index

    def _resolve_organisation(self, candidate: _Candidate) -> None:
        name = candidate.organisation
        if not name:
            return
        key = self._organisation_keys.get(name)
        if key is None:
            key = self._organisation_keys[name] = fold(name)
        ids = self.organisations.get(key)
        if ids and len(ids) > 1:
            listed = ", ".join(f"#{i}" for i in ids)
            raise self._fail(
                "organisation", f"{name!r} names several actors in the register ({listed}); use "
                "'stm actors merge' or rename one first",
            )  # fmt: skip
        if ids:
            candidate.organisation_id = ids[0]
            return
        try:
            values = {"kind": "organisation", "name": parse_name(name, "organisation")}
        except Invalid as error:
            raise self._fail("organisation", _reason(error)) from None
        created = _Candidate(
            record=candidate.record, values=values, kind="organisation", key=key,
            organisation=None, district_ids=None, sectors=None, consent=None, archived=None,
        )  # fmt: skip
        created.id = self.writer.next_id()
        self.inserts.append(created)
        self.organisations[key] = [created.id]
        self.placeholders[created.id] = created
        self._remember(created.id, candidate.record)
        candidate.organisation_id = created.id

    # -- deciding and writing, one batch at a time

    def _flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        self.writer.wait()  # the previous batch is in: it may hold duplicates of this one
        register = self._lookup(batch)
        self.inserts = []
        updates: list[tuple[int, _Candidate]] = []
        for candidate in batch:
            try:
                self._decide(candidate, register, updates)
            except _Failure as failure:
                self._reject(candidate.record, failure)
        self.writer.insert(self.inserts, self.now)
        self.inserts = []
        if updates:
            self.writer.wait()
            for actor_id, candidate in updates:
                self._update(actor_id, candidate)
            self.session.flush()

    def _lookup(self, batch: list[_Candidate]) -> _Index:
        keys = {c.key for c in batch}
        uids = {c.values["uid"] for c in batch if c.values.get("uid")}
        index = _Index()
        for chunk in _padded_chunks(sorted(keys)):
            index.add_rows(self.connection, col(Actor.key).in_(chunk))
        for chunk in _padded_chunks(sorted(uids)):
            index.add_rows(self.connection, col(Actor.uid).in_(chunk))
        return index

    def _decide(
        self, candidate: _Candidate, register: _Index, updates: list[tuple[int, _Candidate]]
    ) -> None:
        record = candidate.record
        placeholder = self._placeholder_for(candidate)
        if placeholder is not None:
            self._describe_placeholder(placeholder, candidate)
            return
        self._resolve_organisation(candidate)
        ids, reason = register.matches(candidate)
        ids = [i for i in ids if i not in self.placeholders]
        if ids:
            earlier = [found for found in map(self._first_record, ids) if found]
            if earlier:
                number, line = min(earlier)
                first = self.source.where(number, line)
                raise _Failure("", f"the same actor as {first} ({reason})")
            if len(ids) > 1:
                listed = ", ".join(f"#{i}" for i in ids)
                raise _Failure("", f"{reason} as several actors in the register ({listed}); "
                               "merge them first with 'stm actors merge'")  # fmt: skip
            self._matched[ids[0]] = (record.number, record.line)
            if self.options.on_duplicate == "skip":
                self.result.skipped += 1
                self._track(candidate, "skip", ids[0], f"{reason} as #{ids[0]}")
            else:
                updates.append((ids[0], candidate))
            return
        candidate.id = self.writer.next_id()
        self.inserts.append(candidate)
        register.add(candidate)
        if not candidate.is_person:
            self.organisations[candidate.key].append(candidate.id)
        self._remember(candidate.id, record)
        self.result.added += 1
        self._track(candidate, "add", candidate.id)

    def _placeholder_for(self, candidate: _Candidate) -> _Candidate | None:
        if candidate.is_person or not self.placeholders:
            return None
        for actor_id in self.organisations.get(candidate.key, []):
            if actor_id in self.placeholders:
                return self.placeholders.pop(actor_id)
        return None

    def _describe_placeholder(self, placeholder: _Candidate, candidate: _Candidate) -> None:
        """The organisation a person named earlier gets its own row: it becomes that row."""
        assert placeholder.id is not None
        candidate.id = placeholder.id
        self._resolve_organisation(candidate)
        self._remember(placeholder.id, candidate.record, replace=True)
        self.result.added += 1
        self._track(candidate, "add", candidate.id)
        if any(c is placeholder for c in self.inserts):  # not written yet: write the row instead
            for name in _Candidate.__slots__:
                setattr(placeholder, name, getattr(candidate, name))
        else:
            self.writer.overwrite(self.session, candidate, self.now)

    def _first_record(self, actor_id: int) -> tuple[int, int] | None:
        """(number, line) of the record of this import that wrote this actor, if one did."""
        if actor_id in self._matched:
            return self._matched[actor_id]
        position = bisect_left(self._ids, actor_id)
        if position < len(self._ids) and self._ids[position] == actor_id:
            return self._numbers[position], self._lines[position]
        return None

    def _remember(self, actor_id: int, record: SourceRecord, *, replace: bool = False) -> None:
        if replace:
            position = bisect_left(self._ids, actor_id)
            self._numbers[position], self._lines[position] = record.number, record.line
        else:
            self._ids.append(actor_id)
            self._numbers.append(record.number)
            self._lines.append(record.line)

    def _track(
        self, candidate: _Candidate, action: str, actor_id: int | None, detail: str = ""
    ) -> None:
        if self.track:
            name = candidate.values["name"]
            self.result.outcomes.append(
                Outcome(candidate.record.where, action, name, actor_id, detail)
            )

    # -- updating actors the register holds

    def _update(self, actor_id: int, candidate: _Candidate) -> None:
        fill = self.options.on_duplicate == "fill"
        actor = self.session.get(Actor, actor_id)
        assert actor is not None
        changed = [
            name
            for name, value in candidate.values.items()
            if value is not None and _set(actor, name, value, fill=fill)
        ]
        if candidate.organisation_id and _set(
            actor, "organisation_id", candidate.organisation_id, fill=fill
        ):
            changed.append("organisation")
        keeps_consent = fill and (actor.consent_share or actor.consent_given_on)
        consent = candidate.consent
        if consent is not None and not keeps_consent and actor.consent_share != consent:
            actor.consent_share = consent
            changed.append("consent")
        if (
            candidate.archived is not None
            and not fill
            and (actor.archived_at is not None) != candidate.archived
        ):
            actor.archived_at = self.now if candidate.archived else None
            changed.append("archived")
        if "name" in changed:
            actor.key = fold(actor.name)
        changed += self._update_links(actor_id, candidate, fill=fill)
        if not changed:
            self.result.skipped += 1
            self._track(candidate, "skip", actor_id, f"#{actor_id} holds the same already")
            return
        actor.updated_at = self.now
        self.session.add(actor)
        self.result.updated += 1
        self._track(candidate, "update", actor_id, ", ".join(sorted(changed)))
        person = actor_id if actor.kind in PERSON_KINDS else None
        log(self.session, "actor.import", "actor", actor_id,
            "updated by an import: " + ", ".join(sorted(changed)), actor_id=person)  # fmt: skip

    def _update_links(self, actor_id: int, candidate: _Candidate, *, fill: bool) -> list[str]:
        changed = []
        if candidate.district_ids is not None:
            current = set(self.session.exec(
                select(ActorDistrict.district_id).where(ActorDistrict.actor_id == actor_id)
            ).all())  # fmt: skip
            wanted = set(candidate.district_ids)
            if current != wanted and not (fill and current):
                for district_id in current - wanted:
                    row = self.session.get(ActorDistrict, (actor_id, district_id))
                    self.session.delete(row)
                for district_id in wanted - current:
                    self.session.add(ActorDistrict(actor_id=actor_id, district_id=district_id))
                changed.append("districts")
        if candidate.sectors is not None:
            current_sectors = set(self.session.exec(
                select(ActorSector.sector).where(ActorSector.actor_id == actor_id)
            ).all())  # fmt: skip
            wanted_sectors = set(candidate.sectors)
            if current_sectors != wanted_sectors and not (fill and current_sectors):
                for sector in current_sectors - wanted_sectors:
                    self.session.delete(self.session.get(ActorSector, (actor_id, sector)))
                for sector in wanted_sectors - current_sectors:
                    self.session.add(ActorSector(actor_id=actor_id, sector=sector))
                changed.append("sectors")
        return changed

    def _finish(self) -> None:
        result = self.result
        result.created_organisations = sorted(p.values["name"] for p in self.placeholders.values())
        result.added += len(self.placeholders)
        for placeholder in self.placeholders.values():
            self._track(placeholder, "add", placeholder.id, "organisation named by a person")
        if result.added or result.updated:
            log(self.session, "actors.import", "actor", None,
                f"import ({self.source.format}): {result.added} added, {result.updated} updated, "
                f"{result.skipped} skipped, {len(result.rejected)} rejected")  # fmt: skip


def _set(actor: Actor, name: str, value: Any, *, fill: bool) -> bool:
    current = getattr(actor, name)
    if current == value or (fill and current not in (None, "")):
        return False
    if name == "kind" and fill:
        return False
    setattr(actor, name, value)
    return True


_LOOKUP_SIZE = 500


def _padded_chunks(items: list[str]) -> Iterable[list[str]]:
    """Chunks of one size (the last one padded with repeats): the same SQL text each time,
    so the driver's statement cache holds one statement, not one per batch."""
    for start in range(0, len(items), _LOOKUP_SIZE):
        chunk = items[start : start + _LOOKUP_SIZE]
        yield chunk + [chunk[-1]] * (_LOOKUP_SIZE - len(chunk))


class _Index:
    """Actors of the register (and of this import so far) by folded name and by UID."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[_Entry]] = defaultdict(list)
        self.by_uid: dict[str, list[_Entry]] = defaultdict(list)
        self._seen: set[int] = set()

    def add_rows(self, connection: Any, clause: Any) -> None:
        table = Actor.__table__  # type: ignore[attr-defined]
        statement = core_select(
            table.c.id, table.c.key, func.lower(table.c.email), table.c.organisation_id,
            table.c.uid, table.c.kind,
        ).where(table.c.erased_at.is_(None), clause)  # fmt: skip
        for row in connection.execute(statement):
            if row[0] not in self._seen:
                self._seen.add(row[0])
                self._add(_Entry(*row))

    def add(self, candidate: _Candidate) -> None:
        assert candidate.id is not None
        entry = _Entry(candidate.id, candidate.key, candidate.email, candidate.organisation_id,
                       candidate.values.get("uid"), candidate.kind)  # fmt: skip
        self._add(entry)

    def _add(self, entry: _Entry) -> None:
        self.by_key[entry.key].append(entry)
        if entry.uid:
            self.by_uid[entry.uid].append(entry)

    def matches(self, candidate: _Candidate) -> tuple[list[int], str]:
        """The actors `candidate` duplicates, and why (see the module's notes)."""
        uid = candidate.values.get("uid")
        if uid and self.by_uid.get(uid):
            return [e.id for e in self.by_uid[uid]], "same UID"
        entries = self.by_key.get(candidate.key, [])
        if not entries:
            return [], ""
        email = candidate.email
        if email:
            same = [e.id for e in entries if e.email == email]
            if same:
                return same, "same name and e-mail"
        same = [
            e.id
            for e in entries
            if e.organisation_id == candidate.organisation_id
            and not (email and e.email and e.email != email)
        ]
        return (same, "same name and organisation") if same else ([], "")


# ----------------------------------------------------------------------------- bulk writing

_SEARCH_COLUMNS = ("entity", "entity_id", "title", "body", "folded")
_INSERT_COLUMNS = (
    "id", "kind", "name", "key", "given_name", "family_name", "organisation_id", "function",
    "email", "phone", "website", "street", "postcode", "city", "notes", "consent_given_on",
    "consent_purpose", "consent_share", "uid", "created_at", "updated_at", "archived_at",
)  # fmt: skip


class _BulkWriter:
    """New actors, their links and search entries: a few multi-row INSERTs per batch.

    Multi-row `INSERT … VALUES (…), (…)` statements rather than `executemany`: fewer
    round trips, and SQLite's full-text triggers on `search_document` run once per
    statement's savepoint instead of once per row (30 times faster at 100,000 rows).

    A batch's statements run on a writer thread while the importer reads and checks the
    next batch (the database driver lets go of the GIL while it executes). The writer
    uses the session's own connection, so everything stays one transaction; the
    importer calls `wait()` before it touches the database itself, and `close()` before
    the transaction ends, so that the two never use the connection at the same time.
    An error of the writer is raised by the next `wait()`. While it runs, Python's thread
    switch interval is shortened (5 ms → 0.5 ms): the writer needs the GIL for a moment
    after each statement, and would otherwise wait up to 5 ms for it every time.

    Ids are reserved up front (SQLite: after the highest, which the open write
    transaction keeps ours; PostgreSQL: from the table's sequence), so that districts,
    sectors and persons' organisations can refer to actors of the same batch.
    """

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        dialect = connection.dialect
        self.sqlite = dialect.name == "sqlite"
        self._mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self._quote = dialect.identifier_preparer.quote
        # SQLite before 3.32 allows 999 parameters per statement, later ones 32766.
        self._max_parameters = 999 if self.sqlite and _old_sqlite() else 30_000
        self._statements: dict[tuple[str, int], str] = {}
        table = Actor.__table__  # type: ignore[attr-defined]
        self._bind = {
            name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in ("created_at", "consent_given_on", "consent_share")
        }
        self._ids: list[int] = []
        self._next = 0
        self._thread: ThreadPoolExecutor | None = None  # started by the first batch
        self._writing: Future[None] | None = None
        self._switch_interval = sys.getswitchinterval()

    def wait(self) -> None:
        """Until the batch being written is in the database (its error raised here)."""
        writing, self._writing = self._writing, None
        if writing is not None:
            writing.result()

    def close(self) -> None:
        """Wait for the writer without raising its error (the importer's own comes first)."""
        try:
            self.wait()
        except Exception:  # an error already on its way up ends the import
            pass
        finally:
            if self._thread is not None:
                self._thread.shutdown()
                self._thread = None
                sys.setswitchinterval(self._switch_interval)

    def _submit(self, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
        self.wait()
        if self._thread is None:
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stm-import")
            sys.setswitchinterval(min(self._switch_interval, _SWITCH_INTERVAL))
        self._writing = self._thread.submit(self._execute, statements)

    def _execute(self, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
        for sql, parameters in statements:  # SQLAlchemy's errors, as the CLI explains them
            self.connection.exec_driver_sql(sql, parameters)

    def _processed(self, name: str, value: Any) -> Any:
        processor = self._bind[name]
        return processor(value) if processor and value is not None else value

    def next_id(self) -> int:
        if self.sqlite:
            if not self._next:
                self._next = self._highest() + 1
            self._next += 1
            return self._next - 1
        if not self._ids:
            self.wait()
            self._ids = list(self.connection.execute(text(
                "SELECT nextval(pg_get_serial_sequence('actor', 'id')) "
                f"FROM generate_series(1, {BATCH})"
            )).scalars())[::-1]  # fmt: skip
        return self._ids.pop()

    def _highest(self) -> int:
        self.wait()
        return int(self.connection.execute(text("SELECT COALESCE(MAX(id), 0) FROM actor")).scalar())

    def _insert(
        self, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
    ) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """`INSERT INTO table (columns) VALUES (…), (…), …`, in as few statements as allowed."""
        per_statement = max(1, self._max_parameters // len(columns))
        one = "(" + ", ".join([self._mark] * len(columns)) + ")"
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            sql = self._statements.get((table, len(chunk)))
            if sql is None:
                names = ", ".join(self._quote(c) for c in columns)
                sql = f"INSERT INTO {self._quote(table)} ({names}) VALUES " + ", ".join(
                    [one] * len(chunk)
                )
                self._statements[(table, len(chunk))] = sql
            yield sql, tuple(chain.from_iterable(chunk))

    def insert(self, candidates: list[_Candidate], now: Any) -> None:
        if not candidates:
            return
        stamp = self._processed("created_at", now)
        shared, private = (
            self._processed("consent_share", True),
            self._processed("consent_share", False),
        )
        rows, districts, sectors = [], [], []
        for c in candidates:
            v = c.values
            given_on = v.get("consent_given_on")
            rows.append((
                c.id, c.kind, v["name"], c.key, v.get("given_name"), v.get("family_name"),
                c.organisation_id, v.get("function"), v.get("email"), v.get("phone"),
                v.get("website"), v.get("street"), v.get("postcode"), v.get("city"),
                v.get("notes"), self._processed("consent_given_on", given_on) if given_on else None,
                v.get("consent_purpose"), shared if c.consent else private, v.get("uid"),
                stamp, stamp, stamp if c.archived else None,
            ))  # fmt: skip
            if c.district_ids:
                districts += [(c.id, d) for d in c.district_ids]
            if c.sectors:
                sectors += [(c.id, s) for s in c.sectors]
        statements = [
            *self._insert("actor", _INSERT_COLUMNS, rows),
            *self._insert("actor_district", ("actor_id", "district_id"), districts),
            *self._insert("actor_sector", ("actor_id", "sector"), sectors),
            *self._insert(
                "search_document", _SEARCH_COLUMNS, [search_row(_search_doc(c)) for c in candidates]
            ),
        ]
        self._submit(statements)
        if self.sqlite:
            self._next = 0  # others may write between batches: read the highest id again

    def overwrite(self, session: Session, candidate: _Candidate, now: Any) -> None:
        """Give an organisation created earlier in this import the values of its own row."""
        actor = session.get(Actor, candidate.id)
        assert actor is not None and actor.id is not None
        for name, value in candidate.values.items():
            setattr(actor, name, value)
        actor.kind, actor.key = candidate.kind, candidate.key
        actor.organisation_id = candidate.organisation_id
        actor.consent_share = bool(candidate.consent)
        actor.archived_at = now if candidate.archived else None
        for district_id in candidate.district_ids or []:
            session.add(ActorDistrict(actor_id=actor.id, district_id=district_id))
        for sector in candidate.sectors or []:
            session.add(ActorSector(actor_id=actor.id, sector=sector))
        session.add(actor)
        session.flush()


# ----------------------------------------------------------------------------- export


def export_records(session: Session, criteria: actor_service.ActorFilter) -> list[dict[str, Any]]:
    """Every field of the listed actors, as plain records (erased persons never)."""
    listed = actor_service.list_actors(session, criteria)
    records = actor_service.actor_records(session, listed)
    for record, actor in zip(records, listed, strict=True):
        record.update(
            {
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
        )
    return records


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def export_text(records: list[dict[str, Any]], format: str, lang: str = "de") -> str:
    """CSV (`;`, for Excel) or vCard 3.0 text of export records."""
    if format == "csv":
        from stm.formats.csv_actors import CsvLayout, write_actors

        buffer = io.StringIO()
        write_actors(records, buffer, CsvLayout(lang=lang))
        return buffer.getvalue()
    if format in ("vcf", "vcard"):
        from stm.formats.vcard import write_cards

        return write_cards(records, lang=lang)
    raise Invalid("--format", f"unknown export format {format!r}; use csv, vcf or json")
