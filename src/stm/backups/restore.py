"""`stm db restore`: the register replaced by a checked backup, a safety copy kept, and
the erasures made since the backup applied again."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from stm import faults
from stm.backups.backup import backup_register, copy_rows, model_tables
from stm.backups.files import fsync_file, fsync_folder, move_into_place, new_private_file
from stm.backups.lock import register_lock
from stm.backups.sqlite_copy import copy_sqlite, is_sqlite_file, sqlite_uri
from stm.errors import Invalid, RegisterError
from stm.migrations import HEAD, REVISIONS
from stm.store import Location


@dataclass
class Restored:
    """What a restore did: the source, the safety copy of the replaced register."""

    source: Path
    safety: Path | None
    revision: str
    notes: list[str]


def check_source(source: Path, location: Location) -> None:
    """Refuse what cannot be an stm backup before anything is written."""
    if not source.exists():
        raise Invalid("SOURCE", f"{source} does not exist; name a file made by 'stm db backup'")
    if not source.is_file() or not is_sqlite_file(source):
        raise Invalid("SOURCE", f"{source} is not a SQLite backup made by 'stm db backup'")
    path = location.path
    if path is not None and path.exists() and source.resolve() == path.resolve():
        raise Invalid("SOURCE", f"{source} is the register itself; name a backup copy")


def stage_source(source: Path, folder: Path, name: str) -> tuple[Path, str]:
    """A private, checked copy of `source` in `folder`: (its path, its schema revision)."""
    staged = new_private_file(folder, f"{name}.restoring")
    try:
        try:
            copy_sqlite(source, staged)
        except sqlite3.DatabaseError as error:
            why = f"{source} is damaged ({error}); the register was not changed"
            raise Invalid("SOURCE", why) from None
        revision = _check_staged(source, staged)
        faults.point("restore.staged")
        fsync_file(staged)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return staged, revision


def _check_staged(source: Path, staged: Path) -> str:
    connection = sqlite3.connect(sqlite_uri(staged), uri=True)
    try:
        try:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            tables = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            revision = (
                connection.execute("SELECT version_num FROM alembic_version").fetchone()
                if tables
                else None
            )
        except sqlite3.DatabaseError as error:
            problems, revision = [str(error)], None
    finally:
        connection.close()
    if problems != ["ok"]:
        raise Invalid(
            "SOURCE", f"{source} is damaged ({problems[0]}); the register was not changed"
        )
    if revision is None:
        raise Invalid("SOURCE", f"{source} is a SQLite file but not an stm register")
    if revision[0] not in REVISIONS:
        raise Invalid(
            "SOURCE",
            f"{source} was made by a newer stm (schema {revision[0]}); upgrade stm first",
        )
    return str(revision[0])


def restore_register(location: Location, source: Path) -> Restored:
    """Replace the register at `location` with the backup `source` (checked first)."""
    source = source.expanduser().absolute()
    check_source(source, location)
    if location.path is None:
        return _restore_postgresql(location, source)
    path = location.path
    if not path.parent.is_dir() or not os.access(path.parent, os.W_OK):
        raise RegisterError(f"cannot restore into {path.parent}: not a writable folder")
    staged, revision = stage_source(source, path.parent, path.name)
    try:
        safety = _replace_sqlite(path, staged)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    notes = after_restore(location, safety)
    return Restored(source, safety, revision, notes)


def _replace_sqlite(path: Path, staged: Path) -> Path | None:
    """Keep a safety copy of the register at `path`, then put `staged` in its place."""
    from stm import clock

    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    safety_path = path.with_name(f"{path.name}.{stamp}.before-restore.bak")
    with register_lock(path) as locked:
        safety: Path | None = None
        if path.exists():
            safety = _safety_copy(path, safety_path, with_wal=not locked)
        faults.point("restore.before-replace")
        if not locked:  # a damaged register: its journal files cannot belong to the new one
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(staged, path)
        fsync_folder(path.parent)
        faults.point("restore.after-replace")
    return safety


def _safety_copy(path: Path, target: Path, *, with_wal: bool) -> Path:
    """The register's bytes as they are (sound or not), as a new file, fsynced."""
    staged = new_private_file(target.parent, target.name)
    try:
        shutil.copyfile(path, staged)
        wal = Path(f"{path}-wal")
        if with_wal and wal.exists() and wal.stat().st_size:
            shutil.copyfile(wal, f"{target}-wal")
            fsync_file(Path(f"{target}-wal"))
        faults.point("restore.safety-copy")
        move_into_place(staged, target)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return target


def _restore_postgresql(location: Location, source: Path) -> Restored:
    """Every table of the PostgreSQL register replaced by the backup's, in one transaction."""
    import tempfile

    from sqlalchemy import text

    from stm.store import open_register

    with tempfile.TemporaryDirectory(prefix="stm-restore-") as scratch:
        staged, revision = stage_source(source, Path(scratch), "register.sqlite")
        backup = open_register(Location(path=staged, source="SOURCE"))  # upgraded to HEAD
        register = open_register(location, create=True)
        try:
            safety = backup_register(register, reason="before-restore")
            tables = model_tables()
            with backup.engine.connect() as reader, register.engine.begin() as writer:
                names = ", ".join(f'"{t.name}"' for t in tables)  # type: ignore[attr-defined]
                writer.execute(text(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE"))
                writer.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
                copy_rows(reader, writer)
                _reset_sequences(writer, tables)
                faults.point("restore.before-commit")
        finally:
            backup.close()
            register.close()
    notes = after_restore(location, safety)
    return Restored(source, safety, revision if revision == HEAD else HEAD, notes)


def _reset_sequences(connection: object, tables: list[object]) -> None:
    from sqlalchemy import text
    from sqlalchemy.engine import Connection

    assert isinstance(connection, Connection)
    for table in tables:
        if "id" not in table.c or len(table.primary_key.columns) != 1:  # type: ignore[attr-defined]
            continue
        name = table.name  # type: ignore[attr-defined]
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{name}"), 0) + 1, false) '
                f"WHERE pg_get_serial_sequence('\"{name}\"', 'id') IS NOT NULL"
            )
        )


def after_restore(location: Location, safety: Path | None) -> list[str]:
    """The last step of every restore: re-apply what must outlive an older backup.

    Returns lines to show the user: every person that the register's erasure ledger
    (in the safety copy of the replaced register) holds and the backup does not is
    erased again (DSGVO Art. 17: an erased person stays erased).
    """
    if safety is None:  # nothing was replaced: no ledger to read
        return []
    import sqlite3

    from stm.services.privacy.ledger import reapply_erasures, reerased_message

    try:
        again = reapply_erasures(location, safety)
    except sqlite3.DatabaseError:  # the replaced register was damaged: no ledger to read
        return [
            "The replaced register was damaged, so its list of erasures could not be read: "
            "persons erased after this backup was made may be back; erase them again "
            "with 'stm privacy erase'."
        ]
    return [reerased_message(again)] if again else []
