"""The erasure ledger (ids and dates only), erasing again after a restore, and the
backups that still hold an erased person.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

    from stm.store import Location


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


def reapply_erasures(location: Location, ledger_file: Path) -> int:
    """Erase again, in the register at `location` (just restored from a backup; SQLite or
    PostgreSQL), every person that the ledger in `ledger_file` (the SQLite copy of the
    register as it was before the restore) holds and the backup does not. Returns how
    many persons were erased again.
    """
    import sqlite3

    from stm.models import Actor, Erasure
    from stm.services.privacy.erase import erase_person
    from stm.store import open_register

    source = sqlite3.connect(f"{ledger_file.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        wanted = _ledger(source) if _has_ledger(source) else []
    finally:
        source.close()
    if not wanted:
        return 0
    register = open_register(location)
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
        raise Invalid("keep", f"{keep} is too small; keep at least 1 backup")
    if older_than_days is not None and older_than_days < 1:
        raise Invalid("older_than", f"{older_than_days} is too small; give days, e.g. 90")
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
