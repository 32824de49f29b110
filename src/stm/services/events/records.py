"""What an event looks like to scripts (SPEC §7) and to `stm event show`.

The list's records are built from light rows (no ORM); `event_record` and `event_detail`
take a stored `Event`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypedDict

from stm import clock, recurrence
from stm.services.events.occurrences import (
    Change,
    EventRow,
    Links,
    Occurrence,
    is_date_of,
    links,
    series_occurrence,
    single_occurrence,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

    from stm.models.events import Event, EventOccurrence


class EventRecord(TypedDict):
    """One occurrence of an event: the list shape (`stm event list --json`)."""

    id: int
    title: str
    kind: str
    start: str
    end: str | None
    all_day: bool
    districts: list[str]
    location: str | None
    status: str
    organisers: list[str]
    attendance: int | None
    expected: int | None
    project: str | None
    recurring: bool
    occurrence: str | None
    rrule: str | None
    uid: str


class ShownEvent(EventRecord):
    """An event's first date with its rule in words (`add`, `edit`, `import` with --json)."""

    repeats: str | None


class DateRecord(TypedDict):
    """One date of a series, as `stm event show` lists the next and the changed ones."""

    occurrence: str | None
    start: str
    end: str | None
    title: str
    location: str | None
    status: str
    attendance: int | None


class EventDetail(ShownEvent):
    """Everything `stm event show` displays."""

    description: str | None
    until: str | None
    created: str
    updated: str
    next: list[DateRecord]
    changes: list[DateRecord]


def format_start(moment: datetime, all_day: bool) -> str:
    return moment.date().isoformat() if all_day else moment.isoformat(timespec="minutes")


def format_end(end: datetime | None, all_day: bool) -> str | None:
    """All-day ends are shown as their last day (stored exclusive, as in iCalendar)."""
    if end is None:
        return None
    if all_day:
        return (end - timedelta(days=1)).date().isoformat()
    return end.isoformat(timespec="minutes")


def occurrence_records(
    connection: Connection, occurrences: Sequence[Occurrence]
) -> list[EventRecord]:
    """The stable JSON shape of events (SPEC §7), one record per occurrence."""
    linked = links(connection, [o.event for o in occurrences])
    return [occurrence_record(o, linked) for o in occurrences]


def occurrence_record(occurrence: Occurrence, linked: Links) -> EventRecord:
    event = occurrence.event
    all_day = event.all_day
    return {
        "id": event.id,
        "title": occurrence.title,
        "kind": event.kind,
        "start": format_start(occurrence.start, all_day),
        "end": format_end(occurrence.end, all_day),
        "all_day": all_day,
        "districts": linked.districts.get(event.id, []),
        "location": occurrence.location,
        "status": occurrence.status,
        "organisers": linked.organisers.get(event.id, []),
        "attendance": occurrence.attendance,
        "expected": event.expected,
        "project": linked.projects.get(event.project_id) if event.project_id else None,
        "recurring": event.rrule is not None,
        "occurrence": occurrence.recurrence_id.date().isoformat()
        if occurrence.recurrence_id
        else None,
        "rrule": event.rrule,
        "uid": event.uid,
    }


def when_text(start: datetime, end: datetime | None, all_day: bool) -> str:
    """For people: `Sat 18.06.2022, all day`, `Tue 08.12.2026 18:00–20:00`."""
    day = f"{start:%a %d.%m.%Y}"
    if all_day:
        last = (end - timedelta(days=1)).date() if end else start.date()
        if last > start.date():
            return f"{day} – {last:%a %d.%m.%Y}, all day"
        return f"{day}, all day"
    if end is None:
        return f"{day} {start:%H:%M}"
    if end.date() == start.date():
        return f"{day} {start:%H:%M}–{end:%H:%M}"
    return f"{day} {start:%H:%M} – {end:%a %d.%m.%Y %H:%M}"


def event_record(session: Session, event: Event) -> ShownEvent:
    """The list shape of one event (its first date), plus the rule in words."""
    row = EventRow.of(event)
    record = occurrence_record(single_occurrence(row), links(session.connection(), [row]))
    repeats = recurrence.describe_rule(event.rrule, event.start) if event.rrule else None
    return {**record, "repeats": repeats}


def event_detail(session: Session, event: Event, *, upcoming: int = 5) -> EventDetail:
    """Everything `show` displays: the record, the rule in words, next and changed dates."""
    detail: EventDetail = {
        **event_record(session, event),
        "description": event.description,
        "until": format_start(event.until, event.all_day) if event.until else None,
        "created": event.created_at.isoformat(timespec="minutes"),
        "updated": event.updated_at.isoformat(timespec="minutes"),
        "next": [],
        "changes": [],
    }
    if not event.rrule:
        return detail
    from sqlmodel import col, select

    from stm.models.events import EventOccurrence

    row = EventRow.of(event)
    changes = session.exec(
        select(EventOccurrence)
        .where(EventOccurrence.event_id == event.id)
        .order_by(col(EventOccurrence.recurrence_id))
    ).all()
    by_date = {c.recurrence_id: c for c in changes}
    starts = recurrence.next_starts(
        event.rrule, event.start, event.until, clock.now(), upcoming, event.tzid
    )
    for start in starts:
        occurrence = series_occurrence(row, start, as_change(by_date.get(start)))
        detail["next"].append(date_record(occurrence, event.all_day))
    for change in changes:
        if not is_date_of(row, change.recurrence_id):  # of a date the rule no longer gives
            continue
        occurrence = series_occurrence(row, change.recurrence_id, as_change(change))
        detail["changes"].append(date_record(occurrence, event.all_day))
    return detail


def as_change(change: EventOccurrence | None) -> Change | None:
    """A stored changed date as the listing's light `Change`."""
    if change is None:
        return None
    return Change(
        change.recurrence_id, change.status, change.start, change.end, change.title,
        change.location, change.attendance,
    )  # fmt: skip


def date_record(occurrence: Occurrence, all_day: bool) -> DateRecord:
    return {
        "occurrence": occurrence.recurrence_id.date().isoformat()
        if occurrence.recurrence_id
        else None,
        "start": format_start(occurrence.start, all_day),
        "end": format_end(occurrence.end, all_day),
        "title": occurrence.title,
        "location": occurrence.location,
        "status": occurrence.status,
        "attendance": occurrence.attendance,
    }
