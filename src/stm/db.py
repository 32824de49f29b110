"""The register: engine, sessions, SQLite pragmas, backend choice, schema upgrades.

One SQLite file by default (WAL, foreign keys, a busy timeout), or a team's PostgreSQL
through `STM_DATABASE_URL` (psycopg). Opening a register checks its schema revision
against the one this stm ships; an older register is backed up, then upgraded.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from stm.errors import Invalid, RegisterError
from stm.migrations import HEAD, REVISIONS

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class Location:
    """Where the register lives: a SQLite file path, or a database URL."""

    path: Path | None = None
    url: str | None = None
    source: str = "default"  # --db, STM_DB, STM_DATABASE_URL or default

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def display(self) -> str:
        if self.path is not None:
            return str(self.path)
        return _hide_password(self.url or "")


def _hide_password(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def locate(db_option: str | None = None) -> Location:
    """`--db` wins, then `STM_DB`, then `STM_DATABASE_URL`, then the platform default."""
    if db_option:
        return _location_from(db_option, "--db")
    if os.environ.get("STM_DB"):
        return _location_from(os.environ["STM_DB"], "STM_DB")
    if os.environ.get("STM_DATABASE_URL"):
        return Location(url=os.environ["STM_DATABASE_URL"], source="STM_DATABASE_URL")
    from stm.config import default_register_path

    return Location(path=default_register_path(), source="default")


def _location_from(value: str, source: str) -> Location:
    if "://" in value:
        return Location(url=value, source=source)
    return Location(path=Path(value).expanduser().absolute(), source=source)


def _engine_url(location: Location) -> str:
    if location.path is not None:
        return f"sqlite:///{location.path}"
    url = location.url or ""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def check_sqlite_path(location: Location, *, create: bool) -> None:
    """Refuse a directory, a non-SQLite file or an unwritable place, naming the source."""
    path = location.path
    assert path is not None
    name = location.source
    if path.is_dir():
        raise Invalid(name, f"{path} is a directory; give a file such as {path}/register.sqlite")
    if path.exists():
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
        if head and head != SQLITE_MAGIC:
            raise Invalid(name, f"{path} is not an stm register (not a SQLite database)")
        if not os.access(path, os.W_OK):
            raise Invalid(name, f"{path} is not writable")
        return
    if not create:
        hint = "run 'stm init' first" if name == "default" else f"run 'stm init --db {path}'"
        raise RegisterError(f"no register at {path}; {hint} (or try 'stm demo')")
    parent = path.parent
    existing = next((p for p in (parent, *parent.parents) if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK):
        raise Invalid(name, f"cannot create {path}: {existing or parent} is not a writable folder")


def create_sqlite_file(path: Path) -> None:
    """An empty file with mode 0600 before SQLite writes to it: it holds personal data."""
    from stm.private_files import private_folder

    private_folder(path.parent)
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(descriptor)


def make_engine(location: Location) -> Engine:
    from sqlalchemy import create_engine, event

    if location.path is not None:
        engine = create_engine(_engine_url(location))

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA secure_delete = ON")  # deleted bytes are zeroed (#11)
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.close()

        return engine
    try:
        return create_engine(_engine_url(location), pool_pre_ping=False)
    except Exception as error:  # a malformed URL or a missing driver
        raise Invalid(location.source, f"cannot use {location.display()}: {error}") from None


@dataclass
class Register:
    """An open register: its location and engine, with a schema at this stm's revision."""

    location: Location
    engine: Engine
    #: Set when opening upgraded an older schema: (old revision, backup path).
    upgraded: tuple[str, Path] | None = None
    _closed: bool = field(default=False, repr=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: everything is committed together, or nothing is."""
        from sqlalchemy import event
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session:
            event.listen(session, "after_flush", _index_after_flush)
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        if not self._closed:
            self.engine.dispose()
            self._closed = True


def _index_after_flush(session: Session, flush_context: object) -> None:
    """Keep the search index in step with every write (reads never flush, nor import it)."""
    from stm.services.search import index_after_flush

    index_after_flush(session, flush_context)


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


def open_register(location: Location, *, create: bool = False, upgrade: bool = True) -> Register:
    """Open (or with `create`, initialise) the register at `location`."""
    from sqlalchemy.exc import DBAPIError

    if location.is_sqlite:
        check_sqlite_path(location, create=create)
        if create and location.path is not None and not location.path.exists():
            create_sqlite_file(location.path)
    engine = make_engine(location)
    register = Register(location, engine)
    try:
        with engine.connect() as connection:
            revision = schema_revision(connection)
    except DBAPIError as error:
        register.close()
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
    if upgrade:
        backup = backup_register(register, reason=f"before-upgrade-{revision}")
        upgrade_schema(register)
        register.upgraded = (revision, backup)
    return register


def upgrade_schema(register: Register) -> None:
    from stm.migrations import run_upgrade

    with register.engine.begin() as connection:
        run_upgrade(connection)


def backup_register(register: Register, target: Path | None = None, *, reason: str = "") -> Path:
    """A consistent copy of the register (SQLite backup API, or a JSON dump for PostgreSQL)."""
    from stm import clock

    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    location = register.location
    if location.path is not None:
        suffix = f".{reason}" if reason else ""
        target = target or location.path.with_name(f"{location.path.name}.{stamp}{suffix}.bak")
        if not target.exists():
            create_sqlite_file(target)
        source = sqlite3.connect(location.path)
        try:
            destination = sqlite3.connect(target)
            with destination:
                source.backup(destination)
            destination.close()
        finally:
            source.close()
        os.chmod(target, 0o600)
        return target
    target = target or Path.cwd() / f"stm-register-{stamp}.json"
    dump_tables(register, target)
    return target


def dump_tables(register: Register, target: Path) -> None:
    """Every table's rows as JSON: a portable backup of a PostgreSQL register."""
    import json

    from sqlalchemy import MetaData, select

    metadata = MetaData()
    metadata.reflect(register.engine)
    dump: dict[str, list[dict[str, object]]] = {}
    with register.engine.connect() as connection:
        for table in metadata.sorted_tables:
            rows = connection.execute(select(table)).mappings()
            dump[table.name] = [dict(row) for row in rows]
    from stm.private_files import private_folder

    private_folder(target.parent)
    descriptor = os.open(target, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(dump, handle, ensure_ascii=False, default=str, indent=1)


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


def copy_register_file(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    os.chmod(target, 0o600)
