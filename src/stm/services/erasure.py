"""What an erasure (Art. 17 DSGVO) must do beyond changing the record itself.

- Traces: once the erasure commits, nothing on the register's pages may still hold the
  person. SQLite: every connection runs with `secure_delete` (deleted cells and freed
  pages are zeroed, see `stm.db`); the full-text index merges its segments ('optimize'),
  so old segments that held the person's words are rewritten; after the commit the file
  is vacuumed (no free page keeps old bytes) and the WAL is checkpointed and truncated.
  PostgreSQL: the affected tables are vacuumed, so their dead row versions are marked
  free; PostgreSQL does not overwrite them at once, and its WAL, archives and replicas
  keep them until they are recycled (README, "Data protection").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

#: Tables an erasure always changes (their old row versions hold the person).
ERASED_TABLES = ("actor", "actor_district", "actor_sector", "membership", "activity",
                 "search_document", "mail_sent")  # fmt: skip
_PENDING = "stm.erasure.tables"


def clear_traces_on_commit(session: Session, tables: Iterable[str] = ()) -> None:
    """Arrange that the commit of this session leaves no trace of what it erased."""
    from sqlalchemy import event

    pending: set[str] | None = session.info.get(_PENDING)
    if pending is not None:
        pending.update(tables)
        return
    session.info[_PENDING] = set(ERASED_TABLES) | set(tables)
    engine = session.get_bind().engine

    def before_commit(committing: Session) -> None:
        committing.flush()
        connection = committing.connection()
        if connection.dialect.name == "sqlite":
            from sqlalchemy import text

            # Merge every segment into one: entries of deleted rows are dropped, and the
            # pages of the old segments are freed (and zeroed by secure_delete).
            connection.execute(text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))

    def after_commit(committed: Session) -> None:
        clear_traces(engine, committed.info.pop(_PENDING, set()))

    def after_rollback(rolled_back: Session) -> None:
        rolled_back.info.pop(_PENDING, None)

    event.listen(session, "before_commit", before_commit, once=True)
    event.listen(session, "after_commit", after_commit, once=True)
    event.listen(session, "after_soft_rollback", after_rollback, once=True)


def clear_traces(engine: Engine, tables: Iterable[str]) -> bool:
    """Clear free pages and the WAL (SQLite) or vacuum `tables` (PostgreSQL).

    Returns False when another connection kept the SQLite WAL from being truncated.
    """
    from sqlalchemy import text

    with engine.connect() as plain:
        connection = plain.execution_options(isolation_level="AUTOCOMMIT")
        if connection.dialect.name == "sqlite":
            connection.execute(text("VACUUM"))
            busy = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).first()
            return busy is None or not busy[0]
        if connection.dialect.name == "postgresql":
            for table in sorted(tables):
                connection.execute(text(f'VACUUM (ANALYZE) "{table}"'))
    return True


# ----------------------------------------------------------------------------- mentions

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


# ----------------------------------------------------------------------------- the ledger


def record_erasure(session: Session, actor: Any, redacted: bool) -> None:
    """Enter an erasure into the ledger (ids and dates only); the send log forgets the
    person's address."""
    from stm.models import Erasure
    from stm.services.mail.log import forget_addresses

    forget_addresses(session.connection(), actor.id)

    session.add(
        Erasure(
            entity="actor",
            entity_id=actor.id,
            record_created_at=actor.created_at,
            erased_at=actor.erased_at,
            redacted=redacted,
        )
    )


LedgerEntry = tuple[int, Any, Any, bool]  # actor id, created at, erased at, redacted


_LEDGER_SQL = ("SELECT entity_id, record_created_at, erased_at, redacted FROM erasure "
               "WHERE entity = 'actor' ORDER BY id")  # fmt: skip


def _ledger(connection: Any) -> list[LedgerEntry]:
    """The ledger, from a SQLAlchemy connection or a plain sqlite3 one."""
    import sqlite3

    if isinstance(connection, sqlite3.Connection):
        rows = connection.execute(_LEDGER_SQL).fetchall()
    else:
        from sqlalchemy import text

        rows = connection.execute(text(_LEDGER_SQL)).all()
    return [(int(r[0]), _moment(r[1]), _moment(r[2]), bool(r[3])) for r in rows]


def _moment(value: Any) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(value) if isinstance(value, str) else value


def reapply_erasures(register_path: Path, ledger_file: Path) -> int:
    """Erase again, in the register at `register_path` (just restored from a backup),
    every person that the ledger in `ledger_file` (the register as it was before the
    restore) holds and the backup does not. Returns how many persons were erased again.
    """
    import sqlite3

    from stm.db import Location, open_register
    from stm.models import Actor, Erasure
    from stm.services.privacy import erase_person

    source = sqlite3.connect(f"{ledger_file.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        wanted = _ledger(source) if _has_ledger(source) else []
    finally:
        source.close()
    if not wanted:
        return 0
    register = open_register(Location(path=register_path, source="restore"))
    again = 0
    try:
        with register.session() as session:
            known = {entry[0] for entry in _ledger(session.connection())}
            for actor_id, created, erased, redacted in wanted:
                if actor_id in known:
                    continue
                actor = session.get(Actor, actor_id)
                if actor is not None and actor.erased_at is None and actor.created_at == created:
                    erase_person(session, str(actor_id), redact=redacted)
                    actor.erased_at = erased
                    session.add(actor)
                    session.flush()
                    entry = session.exec(_ledger_row(Erasure, actor_id)).one()
                    entry.erased_at = erased
                    again += 1
                else:  # not in the backup: keep the ledger whole for the next restore
                    session.add(Erasure(entity="actor", entity_id=actor_id,
                                        record_created_at=created, erased_at=erased,
                                        redacted=redacted))  # fmt: skip
    finally:
        register.close()
    return again


def _ledger_row(model: Any, actor_id: int) -> Any:
    from sqlmodel import col, select

    return select(model).where(col(model.entity) == "actor", col(model.entity_id) == actor_id)


def _has_ledger(connection: Any) -> bool:
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'erasure'"
    ).fetchone()
    return found is not None


def reerased_message(count: int) -> str:
    if count == 1:
        return "1 person erased after this backup was erased again"
    return f"{count} persons erased after this backup were erased again"


# ----------------------------------------------------------------------------- backups


def backup_files(register_path: Path) -> list[Path]:
    """The backups `stm db backup` and the safety copies keep next to the register."""
    folder = register_path.parent
    return sorted(folder.glob(f"{register_path.name}.*.bak"), key=lambda p: p.name)


def backups_holding(register_path: Path, actor_id: int, created_at: Any) -> list[Path]:
    """Backup files next to the register in which the person is not erased."""
    import sqlite3

    holding = []
    for path in backup_files(register_path):
        try:
            connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
            try:
                row = connection.execute(
                    "SELECT created_at FROM actor WHERE id = ? AND erased_at IS NULL", (actor_id,)
                ).fetchone()
            finally:
                connection.close()
        except sqlite3.Error:
            continue  # not a register: not ours to judge
        if row is not None and _moment(row[0]) == created_at:
            holding.append(path)
    return holding


def prune_backups(
    register_path: Path, *, keep: int | None, older_than_days: int | None, now: Any
) -> list[Path]:
    """Remove backups beyond the `keep` newest, or older than `older_than_days`."""
    from datetime import timedelta

    from stm.errors import Invalid

    if keep is not None and keep < 1:
        raise Invalid("--keep", f"{keep} is too small; keep at least 1 backup")
    if older_than_days is not None and older_than_days < 1:
        raise Invalid("--older-than", f"{older_than_days} is too small; give days, e.g. 90")
    files = sorted(backup_files(register_path), key=lambda p: p.stat().st_mtime, reverse=True)
    doomed: list[Path] = []
    if keep is not None:
        doomed += files[keep:]
    if older_than_days is not None:
        limit = (now - timedelta(days=older_than_days)).timestamp()
        doomed += [p for p in files if p.stat().st_mtime < limit and p not in doomed]
    for path in doomed:
        path.unlink(missing_ok=True)
    return sorted(doomed)
