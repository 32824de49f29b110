"""The store: where the register lives, its engine and sessions, and the light tables.

- `location`: where the register lives (`--db`, `STM_DB`, `STM_DATABASE_URL`, the
  default) and whether a SQLite file can be opened or made there.
- `engine`: opening the register, sessions and the write lock, SQLite's pragmas, schema
  upgrades; `db_errors`: what a database error means for the user.
- `tables`: the one light (SQLAlchemy Core) description of every table, generated from
  the models, for reads that should not pay for building the ORM classes.
- `chunks`: `in_chunks`, for `IN (…)` lists of any length.

Importing this package costs no SQLAlchemy: the engine module imports it inside its
functions, and `stm.store.tables` is imported only by the reads that use it.
"""

from __future__ import annotations

from stm.store.chunks import in_chunks
from stm.store.db_errors import BUSY_MESSAGE, explain_database_error
from stm.store.engine import (
    FlushListener,
    Register,
    add_flush_listener,
    backup_register,
    connection_of,
    integrity_check,
    lock_for_import,
    make_engine,
    open_register,
    schema_revision,
    take_write_lock,
    upgrade_schema,
)
from stm.store.location import (
    SQLITE_MAGIC,
    Location,
    busy_timeout,
    check_sqlite_path,
    create_sqlite_file,
    engine_url,
    locate,
    read_only_file,
)

__all__ = [
    "BUSY_MESSAGE",
    "SQLITE_MAGIC",
    "FlushListener",
    "Location",
    "Register",
    "add_flush_listener",
    "backup_register",
    "busy_timeout",
    "check_sqlite_path",
    "connection_of",
    "create_sqlite_file",
    "engine_url",
    "explain_database_error",
    "in_chunks",
    "integrity_check",
    "locate",
    "lock_for_import",
    "make_engine",
    "open_register",
    "read_only_file",
    "schema_revision",
    "take_write_lock",
    "upgrade_schema",
]
