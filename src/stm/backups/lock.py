"""Holding a SQLite register so that no other stm reads or writes it (for a restore)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from stm.errors import Conflict
from stm.store import busy_timeout

BUSY_RESTORE = (
    "the register is busy (another stm is writing); the restore changed nothing; try again"
)


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
