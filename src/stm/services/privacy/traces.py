"""What an erasure (Art. 17 DSGVO) must do beyond changing the record itself.

- Traces: once the erasure commits, nothing on the register's pages may still hold the
  person. SQLite: every connection runs with `secure_delete` (deleted cells and freed
  pages are zeroed, see `stm.store`); the full-text index merges its segments ('optimize'),
  so old segments that held the person's words are rewritten; after the commit the file
  is vacuumed (no free page keeps old bytes) and the WAL is checkpointed and truncated.
  PostgreSQL: the affected tables are vacuumed, so their dead row versions are marked
  free; PostgreSQL does not overwrite them at once, and its WAL, archives and replicas
  keep them until they are recycled (README, "Data protection").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session


#: Tables an erasure always changes (their old row versions hold the person).
ERASED_TABLES = ("actor", "actor_district", "actor_sector", "membership", "activity",
                 "search_document", "mail_sent")  # fmt: skip
_PENDING = "stm.erasure.tables"


def clear_traces_on_commit(session: Session, tables: Iterable[str] = ()) -> None:
    """Arrange that the commit of this session leaves no trace of what it erased."""
    from sqlalchemy import event

    pending: set[str] | None = session.info.get(_PENDING)
    if pending is not None:
        pending.update(tables)
        return
    session.info[_PENDING] = set(ERASED_TABLES) | set(tables)
    engine = session.get_bind().engine

    def before_commit(committing: Session) -> None:
        committing.flush()
        connection = committing.connection()
        if connection.dialect.name == "sqlite":
            from sqlalchemy import text

            # Merge every segment into one: entries of deleted rows are dropped, and the
            # pages of the old segments are freed (and zeroed by secure_delete).
            connection.execute(text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))

    def after_commit(committed: Session) -> None:
        clear_traces(engine, committed.info.pop(_PENDING, set()))

    def after_rollback(rolled_back: Session) -> None:
        rolled_back.info.pop(_PENDING, None)

    event.listen(session, "before_commit", before_commit, once=True)
    event.listen(session, "after_commit", after_commit, once=True)
    event.listen(session, "after_soft_rollback", after_rollback, once=True)


def clear_traces(engine: Engine, tables: Iterable[str]) -> bool:
    """Clear free pages and the WAL (SQLite) or vacuum `tables` (PostgreSQL).

    Returns False when another connection kept the SQLite WAL from being truncated.
    """
    from sqlalchemy import text

    with engine.connect() as plain:
        connection = plain.execution_options(isolation_level="AUTOCOMMIT")
        if connection.dialect.name == "sqlite":
            connection.execute(text("VACUUM"))
            busy = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).first()
            return busy is None or not busy[0]
        if connection.dialect.name == "postgresql":
            for table in sorted(tables):
                connection.execute(text(f'VACUUM (ANALYZE) "{table}"'))
    return True
