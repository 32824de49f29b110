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

Speed and memory: records are streamed from the file and checked, in a second process
for a large file (`stm.services.import_checks`), while this one decides on duplicates
and writes batches of `BATCH` with a few multi-row INSERTs per table, with ids reserved
up front (see `_BulkWriter`).
Memory holds a few batches plus 16 bytes per imported record (to name the first line
of a duplicate), never the file.
"""

from __future__ import annotations

import io
import os
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import func, text
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from stm import clock, faults
from stm.errors import Invalid
from stm.formats.csv_actors import ActorSource, SourceRecord
from stm.models import Actor, ActorDistrict, ActorSector
from stm.models.core import new_actor_uid
from stm.names import fold
from stm.parsing import parse_name
from stm.services import actors as actor_service
from stm.services import refs
from stm.services.activity import log
from stm.services.import_checks import (
    FORMATS,
    ROW_COLUMNS,
    Candidate,
    Checker,
    CheckerProcess,
    Failure,
    Rejected,
    check_email,
    open_source,
    reason,
    search_entry,
    split_list,
    validate_fields,
)
from stm.vocab import PERSON_KINDS

__all__ = [
    "EXPORT_FORMATS", "FORMATS", "ON_DUPLICATE", "ImportOptions", "ImportResult", "Outcome",
    "check_email", "export_records", "export_text", "import_actors", "open_source",
    "rejects_path", "validate_fields", "write_rejects",
]  # fmt: skip

EXPORT_FORMATS = ("csv", "vcf", "json")
ON_DUPLICATE = ("skip", "update", "fill")
BATCH = 1000
#: From this size on, a file is checked in a second process (when there is a second core).
PARALLEL_BYTES = 1_000_000


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

    @property
    def details(self) -> list[str]:
        return self.source.details

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


def _old_sqlite() -> bool:
    import sqlite3

    return sqlite3.sqlite_version_info < (3, 32, 0)


class _Entry(NamedTuple):
    """What duplicate matching needs to know of an actor in the register."""

    id: int
    key: str
    email: str | None
    organisation_id: int | None
    uid: str | None
    kind: str


# ----------------------------------------------------------------------------- the importer


def import_actors(session: Session, path: Path, options: ImportOptions) -> ImportResult:
    """Import the actors of a CSV or vCard file; all or nothing (see the module's notes)."""
    if options.on_duplicate not in ON_DUPLICATE:
        from stm.parsing import unknown

        raise unknown("--on-duplicate", options.on_duplicate, ON_DUPLICATE, what="policy")
    from stm.store import lock_for_import

    source = open_source(path, options.format)
    try:
        lock_for_import(session)  # duplicates and new ids are decided inside the lock
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
        self.now = clock.now()
        self.today = self.now.date()
        self._districts: dict[str, int | Invalid] = {}
        self._district_lists: dict[str, list[int]] = {}  # the same cell, the same districts
        self.organisations = self._organisations()
        self.known = self._known()
        self._organisation_keys: dict[str, str] = {}  # name as written → folded
        self.placeholders: dict[int, Candidate] = {}  # created organisations nobody described
        self.pending: list[Candidate] = []
        self.inserts: list[Candidate] = []  # of the batch being decided
        self._reread: dict[int, str] = {}  # number → why: rejected records to read again
        # Which record wrote each actor of this import: ids ascend, so arrays and bisect.
        self._ids = array("q")
        self._numbers = array("I")  # 4 bytes: a file has fewer than 4 billion records
        self._lines = array("I")
        self._matched: dict[int, tuple[int, int]] = {}  # register actor → (number, line)
        self.track = options.dry_run

    # -- reading and checking

    def run(self) -> ImportResult:
        self._read()
        self._finish()
        return self.result

    def _read(self) -> None:
        checker = CheckerProcess(self.source.path, self.source.format, self.today)
        if self._in_second_process() and checker.start():
            with checker:
                self._take(checker, lambda: checker.bytes_read)
            self.source.notes[:] = checker.notes  # the header's, and those found reading
            self.source.details[:] = checker.details
        else:
            self._take(Checker(self.source, self.today).items(), lambda: self.source.bytes_read)

    def _in_second_process(self) -> bool:
        return self.source.total_bytes >= PARALLEL_BYTES and _cores() > 1

    def _take(self, items: Iterable[Candidate | Rejected], bytes_read: Callable[[], int]) -> None:
        progress = self.options.progress
        for item in items:
            if type(item) is Rejected:
                self._flush()  # earlier lines are judged first, so errors come in file order
                self._reject(item.record, item.field, item.reason)
                continue
            self.pending.append(item)  # type: ignore[arg-type]
            if len(self.pending) >= BATCH:
                self._flush()
                if progress:
                    progress(bytes_read(), self.source.total_bytes)
        self._flush()
        if progress:
            progress(self.source.total_bytes, self.source.total_bytes)

    def _reject(self, record: SourceRecord, field_name: str, why: str) -> None:
        detail = f"{field_name}: {why}" if field_name else why
        if not self.options.skip_invalid:
            where = ", ".join(p for p in (self.source.name, record.where, field_name) if p)
            raise Invalid(where, why)
        self.result.rejected.append((record, detail))
        if self.track:
            name = record.values.get("name", "")
            self.result.outcomes.append(Outcome(record.where, "reject", name, None, detail))

    def _reject_candidate(self, candidate: Candidate, failure: Failure) -> None:
        """A checked record the register refuses: its text is read again at the end, for
        the rejects file (candidates do not carry it)."""
        where = self.source.where(candidate.number, candidate.line)
        if not self.options.skip_invalid:
            raise Invalid(", ".join(p for p in (self.source.name, where, failure.field) if p),
                          failure.reason)  # fmt: skip
        detail = f"{failure.field}: {failure.reason}" if failure.field else failure.reason
        self._reread[candidate.number] = detail
        if self.track:
            self.result.outcomes.append(Outcome(where, "reject", candidate.name, None, detail))

    def _fail(self, field_name: str, why: str) -> Failure:
        return Failure(self.source.column(field_name), why)

    def _district_ids(self, value: str) -> list[int]:
        known = self._district_lists.get(value)
        if known is None:
            known = self._district_lists[value] = self._resolve_districts(value)
        return known

    def _resolve_districts(self, value: str) -> list[int]:
        ids: list[int] = []
        for part in split_list(value):
            found = self._districts.get(part)
            if found is None:
                try:
                    found = refs.district(self.session, part, "districts").id or 0
                except Invalid as error:
                    found = error
                self._districts[part] = found
            if isinstance(found, Invalid):
                raise self._fail("districts", reason(found))
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

    def _resolve_organisation(self, candidate: Candidate) -> None:
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
            raise self._fail("organisation", reason(error)) from None
        created = Candidate.of(
            candidate.number, candidate.line, values, "organisation", key, organisation=None,
            districts=None, sectors=None, consent=None, archived=None,
            search=search_entry(values, "organisation"),
        )  # fmt: skip
        created.id = self.writer.next_id()
        self.inserts.append(created)
        self.organisations[key] = [created.id]
        self.placeholders[created.id] = created
        self._remember(created.id, candidate.number, candidate.line)
        candidate.organisation_id = created.id

    # -- deciding and writing, one batch at a time

    def _flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        register = self._lookup(batch)
        self.inserts = []
        updates: list[tuple[int, Candidate]] = []
        for candidate in batch:
            try:
                self._decide(candidate, register, updates)
            except Failure as failure:
                self._reject_candidate(candidate, failure)
        self.writer.insert(self.inserts, self.now)
        for candidate in chain(batch, self.inserts):  # what the register may now hold
            self.known.add(candidate.key)
            if candidate.uid:
                self.known.add(_UID + candidate.uid)
        self.inserts = []
        if updates:
            for actor_id, candidate in updates:
                self._update(actor_id, candidate)
            self.session.flush()
        faults.point("import.batch-written")

    def _known(self) -> _Filter:
        """The folded names and UIDs of the register's actors, as a filter."""
        known = _Filter()
        table = Actor.__table__  # type: ignore[attr-defined]
        statement = core_select(table.c.key, table.c.uid).where(table.c.erased_at.is_(None))
        for key, uid in self.connection.execute(statement):
            known.add(key)
            if uid:
                known.add(_UID + uid)
        return known

    def _lookup(self, batch: list[Candidate]) -> _Index:
        """The register's actors that records of the batch may duplicate (the filter of
        known names spares asking the database about names it does not hold)."""
        known = self.known
        keys = {c.key for c in batch if c.key in known}
        uids = {c.uid for c in batch if c.uid and _UID + c.uid in known}
        index = _Index()
        for chunk in _padded_chunks(sorted(keys)):
            index.add_rows(self.connection, col(Actor.key).in_(chunk))
        for chunk in _padded_chunks(sorted(uids)):
            index.add_rows(self.connection, col(Actor.uid).in_(chunk))
        return index

    def _decide(
        self, candidate: Candidate, register: _Index, updates: list[tuple[int, Candidate]]
    ) -> None:
        if candidate.districts:
            candidate.district_ids = self._district_ids(candidate.districts)
        if self.placeholders and not candidate.is_person:
            placeholder = self._placeholder_for(candidate)
            if placeholder is not None:
                self._describe_placeholder(placeholder, candidate)
                return
        if candidate.organisation:
            self._resolve_organisation(candidate)
        ids, why = register.matches(candidate)
        if ids and self.placeholders:
            ids = [i for i in ids if i not in self.placeholders]
        if ids:
            earlier = [found for found in map(self._first_record, ids) if found]
            if earlier:
                number, line = min(earlier)
                first = self.source.where(number, line)
                raise Failure("", f"the same actor as {first} ({why})")
            if len(ids) > 1:
                listed = ", ".join(f"#{i}" for i in ids)
                raise Failure("", f"{why} as several actors in the register ({listed}); "
                               "merge them first with 'stm actors merge'")  # fmt: skip
            self._matched[ids[0]] = (candidate.number, candidate.line)
            if self.options.on_duplicate == "skip":
                self.result.skipped += 1
                self._track(candidate, "skip", ids[0], f"{why} as #{ids[0]}")
            else:
                updates.append((ids[0], candidate))
            return
        candidate.id = self.writer.next_id()
        self.inserts.append(candidate)
        register.add(candidate)
        if not candidate.is_person:
            self.organisations[candidate.key].append(candidate.id)
        self._remember(candidate.id, candidate.number, candidate.line)
        self.result.added += 1
        if self.track:
            self._track(candidate, "add", candidate.id)

    def _placeholder_for(self, candidate: Candidate) -> Candidate | None:
        if candidate.is_person or not self.placeholders:
            return None
        for actor_id in self.organisations.get(candidate.key, []):
            if actor_id in self.placeholders:
                return self.placeholders.pop(actor_id)
        return None

    def _describe_placeholder(self, placeholder: Candidate, candidate: Candidate) -> None:
        """The organisation a person named earlier gets its own row: it becomes that row."""
        assert placeholder.id is not None
        candidate.id = placeholder.id
        self._resolve_organisation(candidate)
        self._remember(placeholder.id, candidate.number, candidate.line, replace=True)
        self.result.added += 1
        self._track(candidate, "add", candidate.id)
        if any(c is placeholder for c in self.inserts):  # not written yet: write the row instead
            for name in Candidate.__slots__:
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

    def _remember(self, actor_id: int, number: int, line: int, *, replace: bool = False) -> None:
        if replace:
            position = bisect_left(self._ids, actor_id)
            self._numbers[position], self._lines[position] = number, line
        else:
            self._ids.append(actor_id)
            self._numbers.append(number)
            self._lines.append(line)

    def _track(
        self, candidate: Candidate, action: str, actor_id: int | None, detail: str = ""
    ) -> None:
        if self.track:
            where = self.source.where(candidate.number, candidate.line)
            self.result.outcomes.append(Outcome(where, action, candidate.name, actor_id, detail))

    # -- updating actors the register holds

    def _update(self, actor_id: int, candidate: Candidate) -> None:
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

    def _update_links(self, actor_id: int, candidate: Candidate, *, fill: bool) -> list[str]:
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
        if self._reread:
            self._read_rejected_again()
        result.created_organisations = sorted(p.name for p in self.placeholders.values())
        result.added += len(self.placeholders)
        for placeholder in self.placeholders.values():
            self._track(placeholder, "add", placeholder.id, "organisation named by a person")
        if result.added or result.updated:
            log(self.session, "actors.import", "actor", None,
                f"import ({self.source.format}): {result.added} added, {result.updated} updated, "
                f"{result.skipped} skipped, {len(result.rejected)} rejected")  # fmt: skip

    def _read_rejected_again(self) -> None:
        """The records the register refused, as the file holds them, for the rejects file."""
        source = open_source(self.source.path, self.source.format)
        try:
            for record in source.records():
                detail = self._reread.pop(record.number, None)
                if detail is not None:
                    self.result.rejected.append((record, detail))
                    if not self._reread:
                        break
        finally:
            source.close()


def _cores() -> int:
    """The cores this process may run on (a container may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


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


_UID = "\x00uid:"  # UIDs share the filter with names, apart by this prefix


class _Filter:
    """A set of texts in fixed memory (a one-hash Bloom filter): "not in" is certain,
    "in" means perhaps. Which folded names and UIDs the register may hold, so that
    batches ask the database only about those, and memory stays the same for any file.

    Texts go in as the register gets them within this import's transaction; a name a
    concurrent writer adds meanwhile is not seen (SQLite: the transaction then fails to
    write; PostgreSQL: the record may be added twice, to be merged with `actors merge`).
    """

    BITS = 1 << 23  # 1 MiB: at 100,000 names, about 1 "perhaps" in 80 is wrong

    def __init__(self) -> None:
        self._bits = bytearray(self.BITS >> 3)

    def add(self, text: str) -> None:
        slot = hash(text) & (self.BITS - 1)
        self._bits[slot >> 3] |= 1 << (slot & 7)

    def __contains__(self, text: str) -> bool:
        slot = hash(text) & (self.BITS - 1)
        return bool(self._bits[slot >> 3] & (1 << (slot & 7)))


class _Index:
    """Actors of the register (and of this import so far) by folded name and by UID."""

    def __init__(self) -> None:
        # Entries are `_Entry` rows of the register, or this batch's new `Candidate`s
        # themselves (they have the same attributes).
        self.by_key: dict[str, list[Any]] = defaultdict(list)
        self.by_uid: dict[str, list[Any]] = defaultdict(list)
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

    def add(self, candidate: Candidate) -> None:
        assert candidate.id is not None
        self._add(candidate)

    def _add(self, entry: _Entry | Candidate) -> None:
        self.by_key[entry.key].append(entry)
        if entry.uid:
            self.by_uid[entry.uid].append(entry)

    def matches(self, candidate: Candidate) -> tuple[list[int], str]:
        """The actors `candidate` duplicates, and why (see the module's notes)."""
        uid = candidate.uid
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
    "id", "organisation_id", "consent_share", "created_at", "updated_at", "archived_at",
    *ROW_COLUMNS,
)  # fmt: skip
_GIVEN_ON = ROW_COLUMNS.index("consent_given_on")
_UID_COLUMN = ROW_COLUMNS.index("uid")


class _BulkWriter:
    """New actors, their links and search entries: a few multi-row INSERTs per batch.

    Multi-row `INSERT … VALUES (…), (…)` statements rather than `executemany`: fewer
    round trips, and SQLite's full-text triggers on `search_document` run once per
    statement's savepoint instead of once per row (30 times faster at 100,000 rows).

    The statements run on the session's own connection, in its transaction. (A writer
    thread was tried: binding parameters holds the GIL, so beside the checking process
    it made imports slower, not faster.)

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
            self._ids = list(self.connection.execute(text(
                "SELECT nextval(pg_get_serial_sequence('actor', 'id')) "
                f"FROM generate_series(1, {BATCH})"
            )).scalars())[::-1]  # fmt: skip
        return self._ids.pop()

    def _highest(self) -> int:
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

    def insert(self, candidates: list[Candidate], now: Any) -> None:
        if not candidates:
            return
        stamp = self._processed("created_at", now)
        shared, private = (
            self._processed("consent_share", True),
            self._processed("consent_share", False),
        )
        rows, districts, sectors = [], [], []
        for c in candidates:
            row = c.row
            if row[_UID_COLUMN] is None:  # a card without UID, or a CSV row: one of its own
                row = (*row[:_UID_COLUMN], new_actor_uid(), *row[_UID_COLUMN + 1 :])
            given_on = row[_GIVEN_ON]
            if given_on is not None:
                processed = self._processed("consent_given_on", given_on)
                row = (*row[:_GIVEN_ON], processed, *row[_GIVEN_ON + 1 :])
            rows.append((
                c.id, c.organisation_id, shared if c.consent else private, stamp, stamp,
                stamp if c.archived else None, *row,
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
                "search_document", _SEARCH_COLUMNS, [("actor", c.id, *c.search) for c in candidates]
            ),
        ]
        self._execute(statements)
        if self.sqlite:
            self._next = 0  # others may write between batches: read the highest id again

    def overwrite(self, session: Session, candidate: Candidate, now: Any) -> None:
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
