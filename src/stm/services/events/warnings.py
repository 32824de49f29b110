"""Warnings for a new or moved event: public holidays, and clashes at the same place.

They are returned as one-line strings; the CLI prints them, the event is saved all the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from stm import holidays
from stm.models.core import District
from stm.models.events import Event, EventDistrict
from stm.names import fold
from stm.services.events.occurrences import (
    EventRow,
    Occurrence,
    days_of,
    occurrences_of,
    single_occurrence,
    window_rows,
)
from stm.vocab import EventStatus

#: An event without an end counts as this long when looking for clashes at one place.
ASSUMED_LENGTH = timedelta(hours=1)
#: How far ahead a new series is checked for holidays and clashes.
CHECK_AHEAD = timedelta(days=366)


def _own_occurrences(session: Session, event: Event) -> list[Occurrence]:
    """The event's dates to check: itself, or a series' dates in its first year."""
    row = EventRow.of(event)
    if not event.rrule:
        return [single_occurrence(row)]
    upper = event.start + CHECK_AHEAD
    return occurrences_of(session.connection(), [row], event.start, upper)[:100]


def event_warnings(session: Session, event: Event, *, default_state: str = "") -> list[str]:
    """Public holidays and clashes at the same place, as one-line warnings."""
    if event.status == EventStatus.cancelled.value:
        return []
    mine = [o for o in _own_occurrences(session, event) if o.status != EventStatus.cancelled.value]
    return holiday_warnings(session, event, mine, default_state) + clash_warnings(
        session, event, mine
    )


def _event_districts(session: Session, event: Event) -> list[District]:
    return list(
        session.exec(
            select(District)
            .join(EventDistrict, col(EventDistrict.district_id) == District.id)
            .where(EventDistrict.event_id == event.id)
            .order_by(col(District.name))
        ).all()
    )


def _states(session: Session, event: Event, default_state: str) -> dict[str, list[str]]:
    """Federal state → the event's districts there (config `state` without districts)."""
    states: dict[str, list[str]] = defaultdict(list)
    for district in _event_districts(session, event):
        states[district.state or default_state].append(district.name)
    return states or {default_state: []}


def holiday_warnings(
    session: Session, event: Event, mine: Sequence[Occurrence], default_state: str = ""
) -> list[str]:
    """Dates of `mine` that are public holidays where the event takes place."""
    days = sorted({day for o in mine for day in days_of(o)})
    found: dict[tuple[date, str], list[str]] = defaultdict(list)
    for state, names in _states(session, event, default_state.upper()).items():
        where = f"{', '.join(names)} ({state})" if names and state else (state or "Germany")
        for day, holiday in holidays.holidays_on(days, state):
            found[(day, holiday)].append(where)
    entries = sorted(found.items())
    if not entries:
        return []
    if len(entries) == 1:
        (day, holiday), places = entries[0]
        return [f"{day:%a %d.%m.%Y} is a public holiday in {' and '.join(places)}: {holiday}"]
    shown = "; ".join(
        f"{day:%a %d.%m.%Y} {holiday} ({', '.join(places)})"
        for (day, holiday), places in entries[:3]
    )
    more = "; …" if len(entries) > 3 else ""
    return [f"{len(entries)} dates are public holidays: {shown}{more}"]


def _span(occurrence: Occurrence) -> tuple[datetime, datetime]:
    return occurrence.start, occurrence.end or occurrence.start + ASSUMED_LENGTH


def clash_warnings(session: Session, event: Event, mine: Sequence[Occurrence]) -> list[str]:
    """Other events at the same place (folded) whose time overlaps one of `mine`."""
    mine = [o for o in mine if o.location]
    if not mine:
        return []
    lower = min(o.start for o in mine)
    upper = max(_span(o)[1] for o in mine)
    connection = session.connection()
    rows = [r for r in window_rows(connection, lower - ASSUMED_LENGTH, upper) if r.id != event.id]
    others = [
        (o, fold(o.location), *_span(o))
        for o in occurrences_of(connection, rows, lower - ASSUMED_LENGTH, upper)
        if o.location and o.status != EventStatus.cancelled.value
    ]
    clashes: dict[int, tuple[Occurrence, int]] = {}
    for own in mine:
        place = fold(own.location or "")
        own_start, own_end = _span(own)
        for other, other_place, other_start, other_end in others:
            if own_start < other_end and other_start < own_end and other_place == place:
                first, count = clashes.get(other.event.id, (other, 0))
                clashes[other.event.id] = (first, count + 1)
    warnings = []
    for other, count in list(clashes.values())[:5]:
        times = f"{other.start:%a %d.%m.%Y %H:%M}" + (f"–{other.end:%H:%M}" if other.end else "")
        more = f" (and {count - 1} more dates)" if count > 1 else ""
        warnings.append(
            f"overlaps {other.title!r} (#{other.event.id}) at {other.location} on {times}{more}"
        )
    return warnings
