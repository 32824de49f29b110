"""Adding and editing events, a whole series or one date of it."""

from __future__ import annotations

import uuid
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from stm import clock, recurrence
from stm.errors import Invalid
from stm.models.events import Event, EventDistrict, EventOccurrence, EventOrganiser
from stm.parsing import choose, parse_count, parse_name, parse_text
from stm.services import refs
from stm.services.activity import log
from stm.services.events.lookup import change_of, find_event, occurrence_on
from stm.services.events.occurrences import LONGEST_OCCURRENCE, EventRow, series_occurrence
from stm.services.events.records import as_change
from stm.services.events.warnings import clash_warnings, event_warnings, holiday_warnings
from stm.services.events.when import EventFields, When, when_of
from stm.vocab import EventKind, EventStatus

MAX_LOCATION = 300


def _validated(session: Session, data: EventFields) -> dict[str, Any]:
    """Check every given field before anything is written; names the option on error."""
    values: dict[str, Any] = {}
    if data.title is not None:
        values["title"] = parse_name(data.title, "title")
    if data.kind is not None:
        values["kind"] = choose(EventKind, data.kind, "kind").value
    if data.status is not None:
        values["status"] = choose(EventStatus, data.status, "status").value
    if data.location is not None:
        text = " ".join(data.location.split())
        if len(text) > MAX_LOCATION:
            raise Invalid("location", f"is {len(text)} characters long; at most {MAX_LOCATION}")
        values["location"] = text or None
    if data.description is not None:
        values["description"] = parse_text(data.description, "description")
    if data.expected is not None:
        values["expected"] = parse_count(data.expected, "expected")
    if data.districts is not None:
        values["districts"] = refs.districts(session, data.districts)
    if data.organisers is not None:
        values["organisers"] = refs.actors(session, data.organisers, "organiser")
    if data.project is not None:
        values["project"] = refs.project(session, data.project) if data.project.strip() else None
    return values


def _rule(data: EventFields, when: When, current: str | None) -> tuple[str | None, When, list[str]]:
    """The checked rule; a start that the rule skips moves to the rule's first date."""
    notes: list[str] = []
    if data.repeat is None:
        rule = current
        if rule is not None:
            rule = recurrence.check_rule(rule, when.start)
    elif data.repeat.strip().lower() in ("", "none", "never", "nie", "no"):
        rule = None
    else:
        rule = recurrence.parse_rule(data.repeat, when.start)
    if rule is None:
        return None, when, notes
    if when.end is not None and when.end - when.start > LONGEST_OCCURRENCE:
        raise Invalid(
            "end",
            f"one date of a repeating event may last at most {LONGEST_OCCURRENCE.days} days",
        )
    first = recurrence.first_start(rule, when.start)
    if first is not None and first != when.start:
        shift = first - when.start
        when = When(first, when.end + shift if when.end else None, when.all_day)
        notes.append(f"the rule's first date is {first:%a %d.%m.%Y}; the event starts then")
    return rule, when, notes


def set_links(session: Session, event: Event, values: dict[str, Any]) -> None:
    assert event.id is not None
    if "districts" in values:
        session.exec(delete(EventDistrict).where(col(EventDistrict.event_id) == event.id))
        for district in values["districts"]:
            session.add(EventDistrict(event_id=event.id, district_id=district.id))
    if "organisers" in values:
        session.exec(delete(EventOrganiser).where(col(EventOrganiser.event_id) == event.id))
        for actor in values["organisers"]:
            session.add(EventOrganiser(event_id=event.id, actor_id=actor.id))


def _apply(event: Event, values: dict[str, Any]) -> None:
    for name in ("title", "kind", "status", "location", "description", "expected"):
        if name in values:
            setattr(event, name, values[name])
    if "project" in values:
        event.project_id = values["project"].id if values["project"] else None


# ------------------------------------------------------------------------------ add


def add_event(
    session: Session, data: EventFields, *, default_state: str = ""
) -> tuple[Event, list[str]]:
    """Add an event; returns it with warnings (holidays, clashes, a moved start)."""
    if data.title is None:
        raise Invalid("title", "is required")
    values = _validated(session, data)
    rule, when, notes = _rule(data, when_of(data, None), None)
    now = clock.now()
    event = Event(
        uid=data.uid or new_uid(),
        title=values["title"],
        kind=values.get("kind", EventKind.sonstiges.value),
        start=when.start,
        end=when.end,
        all_day=when.all_day,
        rrule=rule,
        until=recurrence.last_start(rule, when.start) if rule else None,
        status=values.get("status", EventStatus.planned.value),
        created_at=now,
        updated_at=now,
    )
    _apply(event, values)
    session.add(event)
    session.flush()
    set_links(session, event, values)
    session.flush()
    log(session, "event.add", "event", event.id, event.title)
    return event, notes + event_warnings(session, event, default_state=default_state)


def create_event(session: Session, data: EventFields) -> Event:
    """Add an event for another service (e.g. a meeting's date); no warnings."""
    return add_event(session, data)[0]


def new_uid() -> str:
    return f"{uuid.uuid4()}@stm"


# ------------------------------------------------------------------------------ edit

_ONE_DATE_FIELDS = {"title", "date", "time", "end", "location", "status"}


def edit_event(
    session: Session,
    ref: str,
    data: EventFields,
    *,
    on: date | None = None,
    default_state: str = "",
) -> tuple[Event, list[str]]:
    """Change the event (a whole series), or with `on` one date of a series."""
    event = find_event(session, ref)
    recurrence_id = occurrence_on(session, event, on) if on is not None else None
    if recurrence_id is not None:
        change = _edit_one_date(session, event, recurrence_id, data)
        moved = series_occurrence(EventRow.of(event), recurrence_id, as_change(change))
        if moved.status == EventStatus.cancelled.value:
            return event, []
        warnings = holiday_warnings(session, event, [moved], default_state)
        return event, warnings + clash_warnings(session, event, [moved])
    values = _validated(session, data)
    current = When(event.start, event.end, event.all_day)
    rule, when, notes = _rule(data, when_of(data, current), event.rrule)
    _apply(event, values)
    if rule is not None and rule == event.rrule:
        _follow_new_time(session, event, when.start)
    if (when.start, rule) != (event.start, event.rrule):
        event.tzid = None  # times typed here are the office's
    event.start, event.end, event.all_day = when.start, when.end, when.all_day
    event.rrule = rule
    event.until = recurrence.last_start(rule, when.start, event.tzid) if rule else None
    event.updated_at = clock.now()
    session.add(event)
    session.flush()
    set_links(session, event, values)
    session.flush()
    changed = sorted(f.name for f in fields(data) if getattr(data, f.name) is not None)
    log(session, "event.edit", "event", event.id, f"{event.title}: {', '.join(changed)}")
    return event, notes + event_warnings(session, event, default_state=default_state)


def _follow_new_time(session: Session, event: Event, start: datetime) -> None:
    """A series moved to another time of day: its changed dates are keyed by the new time.

    (A series moved to other days keeps its changed dates where they were; they apply
    again only to dates the rule still gives.)
    """
    base = date(2000, 1, 3)
    shift = datetime.combine(base, start.time()) - datetime.combine(base, event.start.time())
    if not shift:
        return
    for change in session.exec(
        select(EventOccurrence).where(EventOccurrence.event_id == event.id)
    ).all():
        change.recurrence_id += shift
        session.add(change)


def _edit_one_date(
    session: Session, event: Event, recurrence_id: datetime, data: EventFields
) -> EventOccurrence:
    given = {f.name for f in fields(data) if getattr(data, f.name) is not None}
    others = given - _ONE_DATE_FIELDS
    if others:
        options = ", ".join(f"--{name.replace('_', '-')}" for name in sorted(others))
        raise Invalid(
            "on", f"{options} cannot change for one date; leave out --on to change the series"
        )
    change = change_of(session, event, recurrence_id)
    values = _validated(
        session, EventFields(title=data.title, location=data.location, status=data.status)
    )
    duration = event.end - event.start if event.end else None
    old_start = change.start or recurrence_id
    old_end = change.end or (old_start + duration if duration else None)
    when = when_of(
        EventFields(date=data.date, time=data.time, end=data.end, all_day=event.all_day),
        When(old_start, old_end, event.all_day),
    )
    change.start = when.start if when.start != recurrence_id else None
    default_end = when.start + duration if duration else None
    change.end = when.end if when.end != default_end else None
    if "title" in values:
        change.title = values["title"] if values["title"] != event.title else None
    if "location" in values:
        change.location = values["location"]
    if "status" in values:
        change.status = values["status"]
    session.add(change)
    event.updated_at = clock.now()
    session.add(event)
    session.flush()
    log(session, "event.edit", "event", event.id, f"{event.title} on {recurrence_id:%Y-%m-%d}")
    return change
