"""The register's events as an iCalendar file (`stm event export`).

Which events and their dates come from the listing (`occurrences`); the file itself is
written by `stm.formats.ics`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from stm import clock
from stm.services.events.filters import EventFilter, filter_clauses
from stm.services.events.occurrences import (
    CHANGE_COLUMNS,
    EventRow,
    event_rows,
    is_date_of,
    links,
    window_rows,
)
from stm.store import in_chunks, tables
from stm.vocab import EventKind

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from stm.formats.ics import IcsChange


def _kind_label(kind: str) -> str:
    try:
        return EventKind(kind).label
    except ValueError:
        return kind


def _rows(connection: Connection, criteria: EventFilter | None) -> list[EventRow]:
    if criteria is None:
        rows = event_rows(connection, [])
    elif criteria.start is None and criteria.end is None:
        rows = event_rows(connection, filter_clauses(connection, criteria))
    else:
        # Open on the side that is not given: "from 1.1.2027" means from then on.
        bounded = EventFilter(
            start=criteria.start or date(1900, 1, 1), end=criteria.end or date(9999, 1, 1)
        )
        lower, upper = bounded.window()
        rows = window_rows(connection, lower, upper, filter_clauses(connection, criteria))
    rows.sort(key=lambda r: (r.start, r.id))
    return rows


def export_calendar(
    connection: Connection, criteria: EventFilter | None = None
) -> tuple[bytes, int]:
    """The events (all, or those the filter finds in its window) as an .ics file."""
    from stm.formats import ics

    rows = _rows(connection, criteria)
    linked = links(connection, rows)
    changes = _changes(connection, rows)
    descriptions = _descriptions(connection, [r.id for r in rows])
    events = (
        ics.IcsEvent(
            uid=r.uid,
            title=r.title,
            start=r.start,
            end=r.end,
            all_day=r.all_day,
            rrule=r.rrule,
            location=r.location,
            description=descriptions.get(r.id),
            status=r.status,
            kind=r.kind,
            categories=[_kind_label(r.kind)],
            districts=linked.districts.get(r.id, []),
            contacts=linked.organisers.get(r.id, []),
            changes=changes.get(r.id, []),
            tzid=r.tzid if r.rrule else None,
            project=linked.projects.get(r.project_id) if r.project_id else None,
            expected=r.expected,
            attendance=r.attendance,
        )
        for r in rows
    )
    data = ics.write_calendar(events, clock.timezone(), stamp=clock.now())
    return data, len(rows)


def _changes(connection: Connection, rows: Sequence[EventRow]) -> dict[int, list[IcsChange]]:
    """The changed and cancelled dates of the series among `rows`, by event."""
    from stm.formats import ics

    changes: dict[int, list[ics.IcsChange]] = defaultdict(list)
    series = {r.id: r for r in rows if r.rrule}
    o = tables.EVENT_OCCURRENCE.c
    for chunk in in_chunks(list(series)):
        statement = select(*CHANGE_COLUMNS).where(o.event_id.in_(chunk)).order_by(o.id)
        for event_id, recurrence_id, *rest in connection.execute(statement):
            if not is_date_of(series[event_id], recurrence_id):
                continue  # a date the rule no longer gives (the series moved to other days)
            changes[event_id].append(ics.IcsChange(recurrence_id, *rest))
    return changes


def _descriptions(connection: Connection, ids: Sequence[int]) -> dict[int, str]:
    e = tables.EVENT.c
    found: dict[int, str] = {}
    for chunk in in_chunks(ids):
        statement = select(e.id, e.description).where(e.id.in_(chunk), e.description.is_not(None))
        for event_id, text in connection.execute(statement):
            found[event_id] = text or ""
    return found
