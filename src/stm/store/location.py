"""Where the register lives: `--db`, `STM_DB`, `STM_DATABASE_URL` or the platform's
default; whether a SQLite path can be opened or created there; the busy timeout."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from stm.errors import Invalid, RegisterError

SQLITE_MAGIC = b"SQLite format 3\x00"
#: How long a command waits for another stm's write to finish (`STM_BUSY_TIMEOUT`, seconds).
BUSY_TIMEOUT_S = 60.0


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


def engine_url(location: Location) -> str:
    if location.path is not None:
        return f"sqlite:///{location.path}"
    url = location.url or ""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def busy_timeout() -> float:
    """Seconds a writer waits for the write lock; `STM_BUSY_TIMEOUT` overrides it."""
    value = os.environ.get("STM_BUSY_TIMEOUT")
    if not value:
        return BUSY_TIMEOUT_S
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86_400:
        raise Invalid("STM_BUSY_TIMEOUT", f"{value!r} is not a number of seconds (0-86400)")
    return seconds


def check_sqlite_path(location: Location, *, create: bool, writing: bool = True) -> None:
    """Refuse a directory, a non-SQLite file or an unwritable place, naming the source.

    A register file you may only read is fine for reading commands (they open it read-only);
    a writing command is refused with a line saying so.
    """
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
        if writing and not os.access(path, os.W_OK):
            raise RegisterError(
                f"the register file {path} is read-only: stm can list and back it up, "
                "but not change it"
            )
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


def read_only_file(location: Location) -> bool:
    """A SQLite register file this user may read but not write."""
    path = location.path
    return path is not None and path.exists() and not os.access(path, os.W_OK)
