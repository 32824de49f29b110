"""Importing actors from CSV and vCard files (SPEC §2.5, §5).

An import is all or nothing. Every record is checked with the same rules as
`stm actors add` (`stm.services.actors.validate`); the first broken one stops the import
with an error naming its line (or card) and field, and the transaction writes nothing.
With `skip_invalid` the good records are imported and the rejected ones returned with
their reasons. A dry run does all the work, then rolls it back.

A record that names an actor the register (or the file) already holds is a duplicate:
the same UID; or the same folded name and the same e-mail; or the same folded name and
the same organisation, unless both have different e-mails. Against the register the
`on_duplicate` policy decides (skip, update with the file's values, or fill only empty
fields); twice in the same file is an error. An organisation that a person row names but
nobody describes is created (kind organisation), and filled in if its own row follows.

Speed and memory: records are streamed from the file and checked, in a second process
for a large file (`parallel`), while this one decides on duplicates (`matching`) and
writes batches of `BATCH` with a few multi-row INSERTs per table (`stm.store.bulk`),
with ids reserved up front. Memory holds a few batches plus 16 bytes per imported
record (to name the first line of a duplicate), never the file.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from stm import clock, faults
from stm.errors import Invalid
from stm.formats.actor_source import ActorSource, SourceRecord
from stm.formats.sources import open_source
from stm.names import fold
from stm.services.imports.checks import (
    Candidate,
    Checker,
    Failure,
    Rejected,
    organisation_candidate,
    reason,
    split_list,
)
from stm.services.imports.matching import Index, known_actors
from stm.services.imports.parallel import CheckerProcess
from stm.services.imports.results import ImportOptions, ImportResult, Outcome, Written
from stm.services.imports.updating import overwrite, update_actor
from stm.services.imports.writing import write_new
from stm.store.bulk import BulkWriter
from stm.vocab import PERSON_KINDS

if TYPE_CHECKING:
    from sqlmodel import Session

ON_DUPLICATE = ("skip", "update", "fill")
BATCH = 1000
#: From this size on, a file is checked in a second process (when there is a second core).
PARALLEL_BYTES = 1_000_000


def import_actors(session: Session, path: Path, options: ImportOptions) -> ImportResult:
    """Import the actors of a CSV or vCard file; all or nothing (see the module's notes)."""
    if options.on_duplicate not in ON_DUPLICATE:
        from stm.parsing import unknown

        raise unknown("on_duplicate", options.on_duplicate, ON_DUPLICATE, what="policy")
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


def cores() -> int:
    """The cores this process may run on (a container may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class _Importer:
    def __init__(self, session: Session, source: ActorSource, options: ImportOptions) -> None:
        self.session = session
        self.source = source
        self.options = options
        self.result = ImportResult(source=source, dry_run=options.dry_run)
        self.connection = session.connection()
        self.writer = BulkWriter(self.connection)
        self.now = clock.now()
        self.today = self.now.date()
        self._districts: dict[str, int | Invalid] = {}
        self._district_lists: dict[str, list[int]] = {}  # the same cell, the same districts
        self.organisations = self._organisations()
        self.known = known_actors(self.connection)
        self._organisation_keys: dict[str, str] = {}  # name as written → folded
        self.placeholders: dict[int, Candidate] = {}  # created organisations nobody described
        self.pending: list[Candidate] = []
        self.inserts: list[Candidate] = []  # of the batch being decided
        self._reread: dict[int, str] = {}  # number → why: rejected records to read again
        self.written = Written()
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
        return self.source.total_bytes >= PARALLEL_BYTES and cores() > 1

    def _take(self, items: Iterable[Candidate | Rejected], bytes_read: Callable[[], int]) -> None:
        progress = self.options.progress
        for item in items:
            if isinstance(item, Rejected):
                self._flush()  # earlier lines are judged first, so errors come in file order
                self._reject(item.record, item.field, item.reason)
                continue
            self.pending.append(item)
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
        from stm.services import refs

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
        from sqlalchemy import select

        from stm.store import tables

        actor = tables.ACTOR.c
        index: dict[str, list[int]] = defaultdict(list)
        rows = self.connection.execute(
            select(actor.key, actor.id).where(
                actor.erased_at.is_(None), actor.kind.not_in(PERSON_KINDS)
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
        from stm.store import tables

        try:
            created = organisation_candidate(candidate.number, candidate.line, name, key)
        except Invalid as error:
            raise self._fail("organisation", reason(error)) from None
        created.id = self.writer.next_id(tables.ACTOR)
        self.inserts.append(created)
        self.organisations[key] = [created.id]
        self.placeholders[created.id] = created
        self.written.remember(created.id, candidate.number, candidate.line)
        candidate.organisation_id = created.id

    # -- deciding and writing, one batch at a time

    def _flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        register = Index.of_batch(self.connection, batch, self.known)
        self.inserts = []
        updates: list[tuple[int, Candidate]] = []
        for candidate in batch:
            try:
                self._decide(candidate, register, updates)
            except Failure as failure:
                self._reject_candidate(candidate, failure)
        write_new(self.writer, self.inserts, self.now)
        for candidate in chain(batch, self.inserts):  # what the register may now hold
            self.known.add_actor(candidate.key, candidate.uid)
        self.inserts = []
        if updates:
            for actor_id, candidate in updates:
                self._update(actor_id, candidate)
            self.session.flush()
        faults.point("import.batch-written")

    def _decide(
        self, candidate: Candidate, register: Index, updates: list[tuple[int, Candidate]]
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
        from stm.store import tables

        ids, why = register.matches(candidate)
        if ids and self.placeholders:
            ids = [i for i in ids if i not in self.placeholders]
        if ids:
            self._duplicate(candidate, ids, why, updates)
            return
        candidate.id = self.writer.next_id(tables.ACTOR)
        self.inserts.append(candidate)
        register.add(candidate)
        if not candidate.is_person:
            self.organisations[candidate.key].append(candidate.id)
        self.written.remember(candidate.id, candidate.number, candidate.line)
        self.result.added += 1
        if self.track:
            self._track(candidate, "add", candidate.id)

    def _duplicate(
        self, candidate: Candidate, ids: list[int], why: str, updates: list[tuple[int, Candidate]]
    ) -> None:
        """A record that names an actor the register or this file holds already."""
        earlier = [found for found in map(self.written.first_record, ids) if found]
        if earlier:
            number, line = min(earlier)
            first = self.source.where(number, line)
            raise Failure("", f"the same actor as {first} ({why})")
        if len(ids) > 1:
            listed = ", ".join(f"#{i}" for i in ids)
            raise Failure("", f"{why} as several actors in the register ({listed}); "
                           "merge them first with 'stm actors merge'")  # fmt: skip
        self.written.matched[ids[0]] = (candidate.number, candidate.line)
        if self.options.on_duplicate == "skip":
            self.result.skipped += 1
            self._track(candidate, "skip", ids[0], f"{why} as #{ids[0]}")
        else:
            updates.append((ids[0], candidate))

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
        self.written.remember(placeholder.id, candidate.number, candidate.line, replace=True)
        self.result.added += 1
        self._track(candidate, "add", candidate.id)
        if any(c is placeholder for c in self.inserts):  # not written yet: write the row instead
            for name in Candidate.__slots__:
                setattr(placeholder, name, getattr(candidate, name))
        else:
            overwrite(self.session, candidate, self.now)

    def _track(
        self, candidate: Candidate, action: str, actor_id: int | None, detail: str = ""
    ) -> None:
        if self.track:
            where = self.source.where(candidate.number, candidate.line)
            self.result.outcomes.append(Outcome(where, action, candidate.name, actor_id, detail))

    def _update(self, actor_id: int, candidate: Candidate) -> None:
        from stm.services.activity import log

        fill = self.options.on_duplicate == "fill"
        changed = update_actor(self.session, actor_id, candidate, fill=fill, now=self.now)
        if not changed:
            self.result.skipped += 1
            self._track(candidate, "skip", actor_id, f"#{actor_id} holds the same already")
            return
        self.result.updated += 1
        self._track(candidate, "update", actor_id, ", ".join(sorted(changed)))
        person = actor_id if self._is_person(actor_id) else None
        log(self.session, "actor.import", "actor", actor_id,
            "updated by an import: " + ", ".join(sorted(changed)), actor_id=person)  # fmt: skip

    def _is_person(self, actor_id: int) -> bool:
        from stm.models import Actor

        actor = self.session.get(Actor, actor_id)
        return actor is not None and actor.kind in PERSON_KINDS

    # -- the end

    def _finish(self) -> None:
        from stm.services.activity import log

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
