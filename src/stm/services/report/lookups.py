"""Small reads the sections share: rows by ids (in chunks), names, district links."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from stm.store import in_chunks, tables

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql import Executable
    from sqlalchemy.sql.expression import TableClause


def rows_for_ids(
    connection: Connection,
    statement_for: Callable[[Any], Executable],
    ids: Iterable[int | None],
) -> list[Any]:
    """Rows of `statement_for(chunk)` for ids in chunks (SQLite's parameter limit)."""
    rows: list[Any] = []
    for chunk in in_chunks(sorted({i for i in ids if i is not None})):
        rows += connection.execute(statement_for(chunk)).all()
    return rows


def names(connection: Connection, ids: Iterable[int | None]) -> dict[int, str | None]:
    """Actors' names by id; an erased person has none."""
    a = tables.ACTOR.c
    rows = rows_for_ids(
        connection, lambda c: select(a.id, a.name, a.erased_at).where(a.id.in_(c)), ids
    )
    return {r.id: (None if r.erased_at else r.name) for r in rows}


def kinds(connection: Connection, ids: Iterable[int | None]) -> dict[int, str]:
    """Actors' kinds by id."""
    a = tables.ACTOR.c
    rows = rows_for_ids(connection, lambda c: select(a.id, a.kind).where(a.id.in_(c)), ids)
    return {r.id: r.kind for r in rows}


def links(
    connection: Connection, link: TableClause, key: str, ids: Iterable[int | None]
) -> dict[int, list[int]]:
    """District ids of records through a link table (`event_district`, …)."""
    owner, district = link.c[key], link.c.district_id
    found: dict[int, list[int]] = defaultdict(list)
    for record_id, district_id in rows_for_ids(
        connection, lambda c: select(owner, district).where(owner.in_(c)), ids
    ):
        found[record_id].append(district_id)
    return found


def day(value: Any) -> date | None:
    """A date from what a database returns for a date or time (SQLite may give text)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return value if isinstance(value, date) else None
