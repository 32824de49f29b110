"""Backups and restores that cannot destroy the register.

Every file is written as a new file next to where it belongs, fsynced, and moved into
place with `os.replace`, so a kill or a full disk leaves either the old file or the new
one, never a mix.

- `backup_register`: a consistent snapshot. SQLite: the backup API into a new file.
  PostgreSQL: the same thing in the other direction, a SQLite register file holding
  every row, which `restore_register` reads back (and which stm can open as it is).
- `restore_register`: checks the source first (an stm register of a known schema that
  passes SQLite's integrity check) on a private copy, never opens the current register
  through stm (it may be the broken thing being repaired), keeps a safety copy of it,
  and replaces it holding the register's lock, so no other stm writes meanwhile. It ends
  in `after_restore`, the one step that re-applies what must survive a restore.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from stm import faults
from stm.errors import Conflict, Invalid, RegisterError
from stm.migrations import HEAD, REVISIONS
from stm.store import SQLITE_MAGIC, Location, busy_timeout

if TYPE_CHECKING:
    from stm.store import Register

BUSY_RESTORE = (
    "the register is busy (another stm is writing); the restore changed nothing; try again"
)


# ----------------------------------------------------------------------------- files


def fsync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_folder(folder: Path) -> None:
    """Make a rename durable: the folder's entry is written, not only the file."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:  # some file systems cannot sync a folder
        pass
    finally:
        os.close(descriptor)


def new_private_file(folder: Path, name: str) -> Path:
    """An empty new file (mode 0600) in `folder`, hidden, named after what it becomes.

    Such files left by a killed stm (their process is gone) are removed first.
    """
    from stm.private_files import private_folder

    private_folder(folder)  # a backup holds personal data: new folders are 0700
    sweep_leftovers(folder, name)
    while True:
        path = folder / f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            continue
        os.close(descriptor)
        return path


def sweep_leftovers(folder: Path, name: str) -> None:
    for leftover in folder.glob(f".{name}.*-*.tmp*"):
        pid = leftover.name[len(name) + 2 :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)  # with its -wal and -shm, if SQLite left them


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def move_into_place(staged: Path, target: Path) -> None:
    """fsync `staged`, then rename it over `target` atomically and durably."""
    fsync_file(staged)
    os.replace(staged, target)
    fsync_folder(target.parent)


def _sqlite_uri(path: Path, mode: str = "ro") -> str:
    return f"file:{quote(str(path))}?mode={mode}"


def is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _check_output(target: Path) -> None:
    """`-o` may replace an earlier backup, never a file of another kind."""
    if target.is_dir():
        raise Invalid(
            "--output", f"{target} is a folder; give a file name such as {target}/stm.bak"
        )
    if target.exists() and target.stat().st_size > 0 and not is_sqlite_file(target):
        raise Invalid(
            "--output", f"{target} exists and is not an stm backup; choose a new file name"
        )


def snapshot_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite register in one self-contained file at `target`."""
    staged = new_private_file(target.parent, target.name)
    try:
        copy_sqlite(source, staged)
        faults.point("backup.before-replace")
        move_into_place(staged, target)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def copy_sqlite(source: Path, staged: Path) -> None:
    """SQLite's backup API from `source` (opened read-only) into `staged` (a rollback-
    journal database, so that the one file is the whole copy)."""
    reader = sqlite3.connect(_sqlite_uri(source), uri=True, timeout=busy_timeout())
    try:
        writer = sqlite3.connect(staged)
        try:
            reader.backup(writer)
            writer.execute("PRAGMA journal_mode = DELETE")
        finally:
            writer.close()
    finally:
        reader.close()


# ----------------------------------------------------------------------------- backup


def backup_register(register: Register, target: Path | None = None, *, reason: str = "") -> Path:
    """A consistent copy of the register at `target` (default: next to the register)."""
    from stm import clock

    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    suffix = f".{reason}" if reason else ""
    location = register.location
    if location.path is not None:
        target = target or location.path.with_name(f"{location.path.name}.{stamp}{suffix}.bak")
    else:
        target = target or Path.cwd() / f"stm-register-{stamp}{suffix}.sqlite"
    target = target.absolute()
    _check_output(target)
    try:
        if location.path is not None:
            if target.exists() and target.resolve() == location.path.resolve():
                raise Invalid("--output", f"{target} is the register itself; name another file")
            snapshot_sqlite(location.path, target)
        else:
            export_to_sqlite(register, target)
    except sqlite3.DatabaseError as error:
        from stm.store import explain_database_error

        raise explain_database_error(error) from None
    return target


def export_to_sqlite(register: Register, target: Path) -> None:
    """A PostgreSQL register's rows in a new SQLite register file (same schema)."""
    from stm.migrations import run_upgrade
    from stm.store import make_engine, schema_revision

    staged = new_private_file(target.parent, target.name)
    try:
        # The copy has the schema of the register as it is (a backup before an upgrade
        # is taken at the old revision), not necessarily this stm's newest one.
        with register.engine.connect() as source:
            revision = schema_revision(source) or HEAD
        copy = make_engine(Location(path=staged, source="backup"))
        try:
            with copy.connect() as migrating:
                run_upgrade(migrating.execution_options(stm_write=True), revision)
            with register.engine.connect() as source, copy.begin() as destination:
                copy_rows(source, destination)
        finally:
            copy.dispose()
        connection = sqlite3.connect(staged)
        try:
            connection.execute("PRAGMA journal_mode = DELETE")
        finally:
            connection.close()
        faults.point("backup.before-replace")
        move_into_place(staged, target)
    except BaseException:
        for leftover in (staged, Path(f"{staged}-wal"), Path(f"{staged}-shm")):
            leftover.unlink(missing_ok=True)
        raise


def _tables() -> list[object]:
    from sqlmodel import SQLModel

    from stm.models import load_all

    load_all()
    return list(SQLModel.metadata.sorted_tables)


def copy_rows(source: object, destination: object, *, chunk: int = 2000) -> dict[str, int]:
    """Every table's rows from one connection to another, parents before children."""
    from sqlalchemy import inspect, select
    from sqlalchemy.engine import Connection

    assert isinstance(source, Connection) and isinstance(destination, Connection)
    have, want = inspect(source), inspect(destination)
    source_tables, destination_tables = set(have.get_table_names()), set(want.get_table_names())
    counts: dict[str, int] = {}
    for table in _tables():
        name = table.name  # type: ignore[attr-defined]
        if name not in source_tables or name not in destination_tables:
            continue  # a table of a newer schema than one of the two registers has
        common = {c["name"] for c in have.get_columns(name)} & {
            c["name"] for c in want.get_columns(name)
        }
        columns = [c for c in table.columns if c.name in common]  # type: ignore[attr-defined]
        rows = source.execute(select(*columns)).mappings()
        counts[name] = 0
        while batch := rows.fetchmany(chunk):
            destination.execute(table.insert(), [dict(row) for row in batch])  # type: ignore[attr-defined]
            counts[name] += len(batch)
    return counts


# ----------------------------------------------------------------------------- restore


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
    connection = sqlite3.connect(_sqlite_uri(staged), uri=True)
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


@contextmanager
def register_lock(path: Path) -> Iterator[bool]:
    """Hold the register so no other stm reads or writes it: True while held.

    The register leaves WAL mode (SQLite then folds the WAL into the file and removes it
    and the shared-memory file) and is locked exclusively. That needs every other
    connection gone: a running stm is waited for up to the busy timeout, then the
    restore is refused. A file SQLite cannot use (damaged, missing) yields False.
    """
    if not path.exists() or path.stat().st_size == 0:
        yield False
        return
    try:
        connection = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout())
    except sqlite3.DatabaseError:
        yield False
        return
    try:
        try:
            _lock_exclusively(connection)
        except _Damaged:
            yield False
            return
        yield True
        connection.execute("ROLLBACK")
    finally:
        connection.close()


class _Damaged(Exception):
    pass


def _lock_exclusively(connection: sqlite3.Connection) -> None:
    deadline = time.monotonic() + busy_timeout()
    while True:
        try:
            mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if mode == "delete":
                connection.execute("BEGIN EXCLUSIVE")
                if connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete":
                    return
                connection.execute("ROLLBACK")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise _Damaged() from error
        except sqlite3.DatabaseError as error:
            raise _Damaged() from error
        if time.monotonic() >= deadline:
            raise Conflict(BUSY_RESTORE)
        time.sleep(0.02)


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
            tables = _tables()
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
    notes = after_restore(location, None)
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
    if location.path is None or safety is None:
        return []
    import sqlite3

    from stm.services.privacy.ledger import reapply_erasures, reerased_message

    try:
        again = reapply_erasures(location.path, safety)
    except sqlite3.DatabaseError:  # the replaced register was damaged: no ledger to read
        return [
            "The replaced register was damaged, so its list of erasures could not be read: "
            "persons erased after this backup was made may be back; erase them again "
            "with 'stm privacy erase'."
        ]
    return [reerased_message(again)] if again else []
