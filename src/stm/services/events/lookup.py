"""Finding an event, and the date of a series that `on` names."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from stm import recurrence
from stm.errors import Ambiguous, Invalid, NotFound
from stm.models.events import Event, EventOccurrence
from stm.names import fold
from stm.parsing import did_you_mean


def find_event(session: Session, ref: str) -> Event:
    """An event by id (`12`, `#12`) or by its title, folded (`750 jahre dorf schmarl`)."""
    text = ref.strip()
    if text.lstrip("#").isdigit():
        found = session.get(Event, int(text.lstrip("#")))
        if found is None:
            raise NotFound(f"no event with id {text.lstrip('#')}")
        return found
    key = fold(text)
    rows = session.exec(select(Event.id, Event.title, Event.start)).all()
    matches = [r for r in rows if fold(r[1]) == key]
    if not matches and key:
        matches = [r for r in rows if fold(r[1]).startswith(key)]
    if len(matches) > 1:
        raise Ambiguous("event", text, [f"#{i} {t} ({s:%Y-%m-%d})" for i, t, s in matches[:10]])
    if matches:
        event = session.get(Event, matches[0][0])
        assert event is not None
        return event
    hint = did_you_mean(text, [r[1] for r in rows])
    raise NotFound(f"no event {text!r}" + (f"; {hint}" if hint else "") + " (see 'stm event list')")


def change_of(session: Session, event: Event, recurrence_id: datetime) -> EventOccurrence:
    found = session.exec(
        select(EventOccurrence).where(
            EventOccurrence.event_id == event.id, EventOccurrence.recurrence_id == recurrence_id
        )
    ).first()
    return found or EventOccurrence(
        event_id=event.id or 0, recurrence_id=recurrence_id, status=event.status
    )


def occurrence_on(session: Session, event: Event, day: date) -> datetime | None:
    """The date of a series named by `--on` (its rule date); None for a single event."""
    if not event.rrule:
        last = (event.end - timedelta(microseconds=1)).date() if event.end else event.start.date()
        if event.start.date() <= day <= last:
            return None
        raise Invalid(
            "on", f"event #{event.id} is on {event.start:%Y-%m-%d}, not {day.isoformat()}"
        )
    found = recurrence.occurs_on(event.rrule, event.start, event.until, day, event.tzid)
    if found is not None:
        return found
    begin = datetime.combine(day, time(0, 0))
    moved = session.exec(
        select(EventOccurrence).where(
            EventOccurrence.event_id == event.id,
            col(EventOccurrence.start) >= begin,
            col(EventOccurrence.start) < begin + timedelta(days=1),
        )
    ).first()
    if moved is not None:
        return moved.recurrence_id
    nearby = recurrence.next_starts(
        event.rrule, event.start, event.until, begin - timedelta(days=31), 3, event.tzid
    )
    shown = ", ".join(d.strftime("%Y-%m-%d") for d in nearby) or "none"
    raise Invalid(
        "on", f"event #{event.id} has no date on {day.isoformat()}; its dates near it: {shown}"
    )
