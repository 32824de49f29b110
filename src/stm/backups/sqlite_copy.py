"""A consistent copy of a SQLite register file, by SQLite's backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from stm import faults
from stm.backups.files import move_into_place, new_private_file
from stm.store import SQLITE_MAGIC, busy_timeout


def sqlite_uri(path: Path, mode: str = "ro") -> str:
    return f"file:{quote(str(path))}?mode={mode}"


def is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


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
    reader = sqlite3.connect(sqlite_uri(source), uri=True, timeout=busy_timeout())
    try:
        writer = sqlite3.connect(staged)
        try:
            reader.backup(writer)
            writer.execute("PRAGMA journal_mode = DELETE")
        finally:
            writer.close()
    finally:
        reader.close()
