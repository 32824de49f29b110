"""Listing concerns: SQLAlchemy Core over the store's light tables, no models.

`stm concerns list` runs on this alone (neither SQLModel nor Pydantic is imported), unless
it filters by addressee (`forwarded_to`), which resolves the actor as `stm.services.refs`
does everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from stm import clock
from stm.names import fold
from stm.parsing import choose
from stm.services.concerns.records import OPEN_STATUSES, WAITING_STATUSES, ConcernRecord
from stm.services.refs import district_ids_in
from stm.store import in_chunks, tables
from stm.vocab import ConcernStatus

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


@dataclass
class ConcernFilter:
    statuses: Sequence[str] = ()
    districts: Sequence[str] = ()
    forwarded_to: str | None = None
    category: str | None = None
    overdue: bool = False
    open_only: bool = False


def concern_list(connection: Connection, criteria: ConcernFilter) -> list[ConcernRecord]:
    """The concerns `criteria` asks for, oldest first."""
    c = tables.CONCERN.c
    statement = select(c.id, c.title, c.district_id, c.status, c.forwarded_to_id, c.reported_on,
                       c.due, c.category, c.forwarded_on, c.closed_on)  # fmt: skip
    if criteria.statuses:
        statuses = [choose(ConcernStatus, s, "status").value for s in criteria.statuses]
        statement = statement.where(c.status.in_(statuses))
    if criteria.open_only:
        statement = statement.where(c.status.in_(OPEN_STATUSES))
    if criteria.districts:
        statement = statement.where(
            c.district_id.in_(district_ids_in(connection, criteria.districts))
        )
    if criteria.forwarded_to:
        statement = statement.where(
            c.forwarded_to_id == _actor_id(connection, criteria.forwarded_to)
        )
    if criteria.overdue:
        statement = statement.where(
            c.status.in_(WAITING_STATUSES), c.due.is_not(None), c.due < clock.today()
        )
    rows = connection.execute(statement.order_by(c.reported_on, c.id)).all()
    if criteria.category:
        wanted = fold(criteria.category)
        rows = [row for row in rows if row.category and fold(row.category) == wanted]
    return records_of(connection, rows)


def _actor_id(connection: Connection, ref: str) -> int | None:
    """The actor named `ref` (id, name, alias, words), as every command resolves one."""
    from stm.services.refs.actor_match import actor_id

    return actor_id(connection, ref, "actor")


def is_overdue(status: str, due: date | None, today: date) -> bool:
    return status in WAITING_STATUSES and due is not None and due < today


def records_of(connection: Connection, items: Sequence[Any]) -> list[ConcernRecord]:
    """The stable JSON shape of concerns (SPEC §7), from rows or `Concern` objects (their
    columns by name), links loaded in two queries."""
    slugs = _column_by_id(connection, tables.DISTRICT, "slug", (c.district_id for c in items))
    names = _column_by_id(connection, tables.ACTOR, "name", (c.forwarded_to_id for c in items))
    today = clock.today()
    return [
        {
            "id": c.id,
            "title": c.title,
            "district": slugs.get(c.district_id) if c.district_id else None,
            "status": c.status,
            "forwarded_to": names.get(c.forwarded_to_id) if c.forwarded_to_id else None,
            "reported_on": c.reported_on.isoformat(),
            "due": c.due.isoformat() if c.due else None,
            "category": c.category,
            "forwarded_on": c.forwarded_on.isoformat() if c.forwarded_on else None,
            "closed_on": c.closed_on.isoformat() if c.closed_on else None,
            "overdue": is_overdue(c.status, c.due, today),
        }
        for c in items
    ]


def _column_by_id(
    connection: Connection, table: Any, name: str, ids: Iterable[int | None]
) -> dict[int, str]:
    wanted = sorted({i for i in ids if i})
    found: dict[int, str] = {}
    for chunk in in_chunks(wanted):
        statement = select(table.c.id, table.c[name]).where(table.c.id.in_(chunk))
        found.update({row[0]: row[1] for row in connection.execute(statement)})
    return found
