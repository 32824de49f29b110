"""Cancelling and deleting events, and recording how many took part."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Conflict, Invalid
from stm.models.events import Event, EventDistrict, EventOccurrence, EventOrganiser
from stm.parsing import parse_count
from stm.services.activity import log
from stm.services.events.lookup import change_of, find_event, occurrence_on
from stm.services.events.when import fmt
from stm.vocab import EventStatus


def cancel_event(
    session: Session, ref: str, *, on: date | None = None
) -> tuple[Event, datetime | None]:
    """Cancel the event (every date), or with `on` one date of a series; kept, not deleted."""
    event = find_event(session, ref)
    recurrence_id = occurrence_on(session, event, on) if on is not None else None
    if event.status == EventStatus.cancelled.value:
        raise Conflict(f"event #{event.id} {event.title} is cancelled already")
    if recurrence_id is not None:
        change = change_of(session, event, recurrence_id)
        if change.status == EventStatus.cancelled.value:
            raise Conflict(f"event #{event.id} on {recurrence_id:%Y-%m-%d} is cancelled already")
        change.status = EventStatus.cancelled.value
        session.add(change)
        summary = f"{event.title} on {recurrence_id:%Y-%m-%d}"
    else:
        event.status = EventStatus.cancelled.value
        summary = event.title
    event.updated_at = clock.now()
    session.add(event)
    session.flush()
    log(session, "event.cancel", "event", event.id, summary)
    return event, recurrence_id


def delete_event(session: Session, event: Event) -> str:
    """Delete a wrongly entered event with its dates, districts and organisers; a meeting's
    event goes with its meeting and TOPs, unless the meeting has minutes (exit 1).
    Returns what was deleted, for the confirmation."""
    from stm.models.meetings import AgendaItem, Attendance, Decision, Meeting, Task

    what = f"event #{event.id} {event.title}"
    meeting = session.exec(select(Meeting).where(Meeting.event_id == event.id)).first()
    if meeting is not None:
        items = list(session.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)))
        counts = {
            "attendance": select(Attendance.id).where(Attendance.meeting_id == meeting.id),
            "decision(s)": select(Decision.id).where(Decision.meeting_id == meeting.id),
            "task(s)": select(Task.id).where(Task.meeting_id == meeting.id),
        }
        kept = [
            f"{n} {name}"
            for name, statement in counts.items()
            if (n := len(session.exec(statement).all()))
        ]
        noted = sum(1 for item in items if item.notes)
        if noted:
            kept.append(f"notes on {noted} TOP(s)")
        if kept or meeting.state == "approved":
            raise Conflict(
                f"{what} is meeting #{meeting.id}, which has minutes "
                f"({', '.join(kept) or 'approved'}); it is kept (cancel it instead)"
            )
        for item in items:
            session.delete(item)
        session.flush()
        session.delete(meeting)
        session.flush()
        what = f"meeting #{meeting.id} ({event.title}) with its {len(items)} TOP(s)"
    for link in (EventDistrict, EventOrganiser, EventOccurrence):
        session.exec(delete(link).where(col(link.event_id) == event.id))
    log(session, "event.delete", "event", event.id, event.title)
    session.delete(event)
    session.flush()
    return what


def record_attendance(
    session: Session, ref: str, count: int, *, on: date | None = None
) -> tuple[Event, datetime | None]:
    """How many took part (for reports); marks the event (or that date) as held."""
    parse_count(count, "attendance")
    event = find_event(session, ref)
    if event.rrule and on is None:
        raise Invalid(
            "on",
            f"event #{event.id} repeats; name the date with --on, e.g. "
            f"--on {clock.today():%d.%m.%Y}",
        )
    recurrence_id = occurrence_on(session, event, on) if on is not None else None
    if event.status == EventStatus.cancelled.value:
        raise Conflict(f"event #{event.id} {event.title} is cancelled; it had no participants")
    if recurrence_id is not None:
        change = change_of(session, event, recurrence_id)
        if change.status == EventStatus.cancelled.value:
            raise Conflict(f"event #{event.id} on {recurrence_id:%Y-%m-%d} was cancelled")
        _refuse_future(event, change.start or recurrence_id)
        change.attendance = count
        change.status = EventStatus.held.value
        session.add(change)
        summary = f"{event.title} on {recurrence_id:%Y-%m-%d}: {count}"
    else:
        _refuse_future(event, event.start)
        event.attendance = count
        event.status = EventStatus.held.value
        summary = f"{event.title}: {count}"
    event.updated_at = clock.now()
    session.add(event)
    session.flush()
    log(session, "event.attendance", "event", event.id, summary)
    return event, recurrence_id


def _refuse_future(event: Event, start: datetime) -> None:
    if start > clock.now():
        raise Conflict(
            f"event #{event.id} starts {fmt(start)}, in the future; record attendance after it"
        )
