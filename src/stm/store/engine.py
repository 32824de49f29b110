"""The register: engine, sessions, SQLite pragmas, backend choice, schema upgrades.

One SQLite file by default (WAL, foreign keys, a busy timeout), or a team's PostgreSQL
through `STM_DATABASE_URL` (psycopg). Opening a register checks its schema revision
against the one this stm ships; an older register is backed up, then upgraded.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stm.errors import Invalid, RegisterError
from stm.migrations import HEAD, REVISIONS
from stm.store.db_errors import explain_database_error
from stm.store.location import (
    Location,
    busy_timeout,
    check_sqlite_path,
    create_sqlite_file,
    engine_url,
    read_only_file,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session as OrmSession
    from sqlmodel import Session


#: Runs after every flush of a session: `(session, flush context)`, as SQLAlchemy's
#: `after_flush` event calls it.
FlushListener = Callable[["Session", Any], None]
_FLUSH_LISTENERS: list[FlushListener] = []


def add_flush_listener(listener: FlushListener) -> None:
    """Run `listener` after every flush of every register's sessions in this process.

    Whoever opens registers installs what must follow each write (the CLI, the tests and
    the benchmarks install the search index's `index_after_flush`); the store knows
    nothing of what listens.
    """
    if listener not in _FLUSH_LISTENERS:
        _FLUSH_LISTENERS.append(listener)


def make_engine(location: Location, *, read_only: bool = False) -> Engine:
    """The engine; on SQLite with stm's pragmas and transactions that stm begins itself.

    pysqlite's own transaction handling is switched off (it neither begins before DDL nor
    lets us choose the kind of BEGIN): every transaction starts with a `BEGIN` that stm
    emits, `BEGIN IMMEDIATE` for a writing command, so that a write never meets another
    writer half-way (it waits for the lock first) and migrations are transactional DDL.
    """
    from sqlalchemy import create_engine, event

    if location.path is not None:
        if read_only:
            from urllib.parse import quote

            url = f"sqlite:///file:{quote(str(location.path))}?mode=ro&uri=true"
        else:
            url = engine_url(location)
        timeout = busy_timeout()
        engine = create_engine(url, connect_args={"timeout": timeout})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA secure_delete = ON")  # deleted bytes are zeroed (#11)
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            if not read_only:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Connection) -> None:
            options = connection.get_execution_options()
            if options.get("isolation_level") == "AUTOCOMMIT":
                return  # VACUUM and checkpoints run outside any transaction
            writing = options.get("stm_write", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

        return engine
    try:
        return create_engine(engine_url(location), pool_pre_ping=False)
    except Exception as error:  # a malformed URL or a missing driver
        raise Invalid(location.source, f"cannot use {location.display()}: {error}") from None


@dataclass
class Register:
    """An open register: its location and engine, with a schema at this stm's revision."""

    location: Location
    engine: Engine
    #: Set when opening upgraded an older schema: (old revision, backup path).
    upgraded: tuple[str, Path] | None = None
    #: Opened read-only (a register file the user may not write): reads only.
    read_only: bool = False
    #: Flush listeners of this register's sessions only, after those of this process.
    listeners: list[FlushListener] = field(default_factory=list)
    _closed: bool = field(default=False, repr=False)

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """One transaction: everything is committed together, or nothing is.

        A writing session takes the register's write lock before anything else (SQLite:
        `BEGIN IMMEDIATE`, waiting up to the busy timeout for another writer), so what it
        reads to decide (duplicates, next ids) cannot change under it.
        """
        from sqlalchemy import event
        from sqlmodel import Session

        write = write and not self.read_only
        if write:
            _before_the_lock()
        bind = self.engine.execution_options(stm_write=True) if write else self.engine
        with Session(bind, expire_on_commit=False) as session:
            for listener in (*_FLUSH_LISTENERS, *self.listeners):
                event.listen(session, "after_flush", listener)
            try:
                if write:
                    take_write_lock(session)
                yield session
                if write:
                    from stm import faults

                    faults.point("session.before-commit")
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A read: one Core connection in one transaction, which is rolled back at the end.

        For the read commands' fast paths over `stm.store.tables`: it builds no ORM classes
        and imports neither SQLModel nor the models.
        """
        with self.engine.connect() as connection:
            transaction = connection.begin()
            try:
                yield connection
            finally:
                transaction.rollback()

    def close(self) -> None:
        if not self._closed:
            self.engine.dispose()
            self._closed = True


def _before_the_lock() -> None:
    """Import what every write needs before taking the lock, so that other writers wait
    for the write itself, not for this process to load the models."""
    from stm.models import load_all

    load_all()


def take_write_lock(session: Session) -> None:
    """Begin the session's transaction holding the write lock, or say the register is busy."""
    from sqlalchemy.exc import OperationalError

    try:
        session.connection()
    except OperationalError as error:
        raise explain_database_error(error) from None


def lock_for_import(session: Session) -> None:
    """Imports decide duplicates and ids against what the register holds: one at a time.

    SQLite's write lock (taken when the session began) already serialises them; on
    PostgreSQL a transaction-scoped advisory lock does.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        from sqlalchemy import text

        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK_KEY})


#: The advisory lock imports hold on PostgreSQL ("stm" and "import" as a number).
IMPORT_LOCK_KEY = 0x73746D_696D70


def schema_revision(connection: Connection) -> str | None:
    """The register's Alembic revision; None when it holds no stm schema."""
    from sqlalchemy import inspect, text

    if connection.dialect.name == "sqlite":
        # Cheaper than reflection on every command.
        found = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        ).first()
        if found is None:
            return None
    elif not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def connection_of(db: OrmSession | Connection) -> Connection:
    """A Core connection for a read: `db` itself, or a session's own connection with what
    the session holds flushed first (as a query on the session would autoflush it), so a
    Core rule run inside a write finds what that write added."""
    from sqlalchemy.engine import Connection

    if isinstance(db, Connection):
        return db
    db.flush()
    return db.connection()


def open_register(
    location: Location,
    *,
    create: bool = False,
    upgrade: bool = True,
    writing: bool = True,
    on_flush: Sequence[FlushListener] = (),
) -> Register:
    """Open (or with `create`, initialise) the register at `location`.

    For a reading command (`writing=False`) a register file the user may not write is
    opened read-only. `on_flush`: listeners of this register's sessions only (see
    `add_flush_listener` for those of every register).
    """
    from sqlalchemy.exc import DBAPIError

    read_only = not writing and not create and read_only_file(location)
    if location.is_sqlite:
        check_sqlite_path(location, create=create, writing=not read_only)
        if create and location.path is not None and not location.path.exists():
            create_sqlite_file(location.path)
    engine = make_engine(location, read_only=read_only)
    register = Register(location, engine, read_only=read_only, listeners=list(on_flush))
    try:
        with engine.connect() as connection:
            revision = schema_revision(connection)
    except DBAPIError as error:
        register.close()
        explained = explain_database_error(error)
        if "damaged" in explained.message or "busy" in explained.message:
            raise explained from None
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise RegisterError(f"cannot open the register at {location.display()}: {reason}") from None
    if revision == HEAD:
        return register
    if revision is None:
        if not create:
            register.close()
            raise RegisterError(
                f"{location.display()} holds no stm register yet; run 'stm init' first"
            )
        upgrade_schema(register)
        return register
    if revision not in REVISIONS:
        register.close()
        raise RegisterError(
            f"the register at {location.display()} was made by a newer stm "
            f"(schema {revision}); upgrade stm to use it"
        )
    if upgrade and not read_only:
        backup = backup_register(register, reason=f"before-upgrade-{revision}")
        upgrade_schema(register)
        register.upgraded = (revision, backup)
    return register


def upgrade_schema(register: Register) -> None:
    """Run the migrations; each step and its revision stamp commit together.

    The connection starts no transaction of its own: Alembic begins one per migration
    (on SQLite with `BEGIN IMMEDIATE`, so two stm upgrading at once take turns).
    """
    from stm.migrations import run_upgrade

    with register.engine.connect() as connection:
        run_upgrade(connection.execution_options(stm_write=True))


def backup_register(register: Register, target: Path | None = None, *, reason: str = "") -> Path:
    """A consistent copy of the register, written to a new file (see `stm.backups`)."""
    from stm.backups import backup_register as backup

    return backup(register, target, reason=reason)


def integrity_check(register: Register) -> list[str]:
    """Problems found by the backend's own checks; empty when the register is sound."""
    from sqlalchemy import text

    problems: list[str] = []
    with register.engine.connect() as connection:
        if register.location.is_sqlite:
            rows = connection.execute(text("PRAGMA integrity_check")).scalars().all()
            problems += [row for row in rows if row != "ok"]
            for row in connection.execute(text("PRAGMA foreign_key_check")).all():
                problems.append(f"table {row[0]} row {row[1]}: broken reference to {row[2]}")
        else:
            connection.execute(text("SELECT 1"))
        revision = schema_revision(connection)
        if revision != HEAD:
            problems.append(f"schema revision is {revision}, expected {HEAD}")
    return problems
