"""Which actors a record duplicates: a filter of the register's names, and an index of
the actors that records of a batch may duplicate (see the importer's notes)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from stm.services.imports.checks import Candidate

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql import ColumnElement

UID = "\x00uid:"  # UIDs share the filter with names, apart by this prefix
_LOOKUP_SIZE = 500


class Entry(NamedTuple):
    """What duplicate matching needs to know of an actor in the register."""

    id: int
    key: str
    email: str | None
    organisation_id: int | None
    uid: str | None
    kind: str


class Filter:
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

    def add_actor(self, key: str, uid: str | None) -> None:
        self.add(key)
        if uid:
            self.add(UID + uid)


def known_actors(connection: Connection) -> Filter:
    """The folded names and UIDs of the register's actors, as a filter."""
    from sqlalchemy import select

    from stm.store.tables import ACTOR

    known = Filter()
    statement = select(ACTOR.c.key, ACTOR.c.uid).where(ACTOR.c.erased_at.is_(None))
    for key, uid in connection.execute(statement):
        known.add_actor(key, uid)
    return known


def padded_chunks(items: list[str]) -> Iterable[list[str]]:
    """Chunks of one size (the last one padded with repeats): the same SQL text each time,
    so the driver's statement cache holds one statement, not one per batch."""
    for start in range(0, len(items), _LOOKUP_SIZE):
        chunk = items[start : start + _LOOKUP_SIZE]
        yield chunk + [chunk[-1]] * (_LOOKUP_SIZE - len(chunk))


class Index:
    """Actors of the register (and of this import so far) by folded name and by UID."""

    def __init__(self) -> None:
        # Entries are `Entry` rows of the register, or this batch's new `Candidate`s
        # themselves (they have the same attributes).
        self.by_key: dict[str, list[Entry | Candidate]] = defaultdict(list)
        self.by_uid: dict[str, list[Entry | Candidate]] = defaultdict(list)
        self._seen: set[int] = set()

    @classmethod
    def of_batch(cls, connection: Connection, batch: list[Candidate], known: Filter) -> Index:
        """The register's actors that records of the batch may duplicate (the filter of
        known names spares asking the database about names it does not hold)."""
        from stm.store.tables import ACTOR

        keys = {c.key for c in batch if c.key in known}
        uids = {c.uid for c in batch if c.uid and UID + c.uid in known}
        index = cls()
        for chunk in padded_chunks(sorted(keys)):
            index.add_rows(connection, ACTOR.c.key.in_(chunk))
        for chunk in padded_chunks(sorted(uids)):
            index.add_rows(connection, ACTOR.c.uid.in_(chunk))
        return index

    def add_rows(self, connection: Connection, clause: ColumnElement[bool]) -> None:
        from sqlalchemy import func, select

        from stm.store.tables import ACTOR

        table = ACTOR.c
        statement = select(
            table.id, table.key, func.lower(table.email), table.organisation_id, table.uid,
            table.kind,
        ).where(table.erased_at.is_(None), clause)  # fmt: skip
        for row in connection.execute(statement):
            if row[0] not in self._seen:
                self._seen.add(row[0])
                self._add(Entry(*row))

    def add(self, candidate: Candidate) -> None:
        assert candidate.id is not None
        self._add(candidate)

    def _add(self, entry: Entry | Candidate) -> None:
        self.by_key[entry.key].append(entry)
        if entry.uid:
            self.by_uid[entry.uid].append(entry)

    def matches(self, candidate: Candidate) -> tuple[list[int], str]:
        """The actors `candidate` duplicates, and why (see the importer's notes)."""
        uid = candidate.uid
        if uid and self.by_uid.get(uid):
            return [_id(e) for e in self.by_uid[uid]], "same UID"
        entries = self.by_key.get(candidate.key, [])
        if not entries:
            return [], ""
        email = candidate.email
        if email:
            same = [_id(e) for e in entries if e.email == email]
            if same:
                return same, "same name and e-mail"
        same = [
            _id(e)
            for e in entries
            if e.organisation_id == candidate.organisation_id
            and not (email and e.email and e.email != email)
        ]
        return (same, "same name and organisation") if same else ([], "")


def _id(entry: Entry | Candidate) -> int:
    assert entry.id is not None
    return entry.id


__all__ = ["UID", "Entry", "Filter", "Index", "known_actors", "padded_chunks"]
