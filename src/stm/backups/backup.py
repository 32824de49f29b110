"""`stm db backup`: a consistent copy of the register, as a SQLite register file (a
PostgreSQL register's rows too), next to the register or at `-o FILE`."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from stm import faults
from stm.backups.files import move_into_place, new_private_file
from stm.backups.sqlite_copy import is_sqlite_file, snapshot_sqlite
from stm.errors import Invalid
from stm.migrations import HEAD
from stm.store import Location

if TYPE_CHECKING:
    from stm.store import Register


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


def model_tables() -> list[object]:
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
    for table in model_tables():
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
