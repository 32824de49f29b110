"""Events: Stadtteilfest, Flohmarkt, Frühjahrsputz, Sprechstunde, meetings' dates, ….

An event has a wall-clock start, an end (exclusive; all-day events end at midnight after
their last day) or none, and may repeat by an RFC 5545 rule (`recurrence`). One date of
a series can be changed or cancelled on its own (`EventOccurrence`, keyed by the date the
rule gives it, as iCalendar's RECURRENCE-ID). Nothing is deleted: cancelling keeps the
event with status `cancelled`.

Other services create events through `create_event` (meetings do, with kind `meeting`).
Listing in a window lives in `occurrences` (fast, without the ORM) and is re-exported
here. Warnings (public holidays, clashes at the same place) are returned as strings; the
CLI prints them.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Ambiguous, Conflict, Invalid, NotFound
from stm.models.core import Actor, District
from stm.models.events import Event, EventDistrict, EventOccurrence, EventOrganiser
from stm.models.projects import Project
from stm.names import fold
from stm.parsing import (
    check_wall_clock,
    choose,
    did_you_mean,
    parse_count,
    parse_date,
    parse_datetime,
    parse_name,
    parse_text,
    parse_time,
)
from stm import holidays, recurrence
from stm.services import refs
from stm.services.activity import log
from stm.services.occurrences import (
    LONGEST_OCCURRENCE,
    EventFilter,
    EventRow,
    Occurrence,
    format_end,
    format_start,
    is_date_of,
    links,
    list_occurrences,
    occurrence_record,
    occurrence_records,
    occurrences_of,
    series_occurrence,
    single_occurrence,
    window_rows,
)
from stm.vocab import EventKind, EventStatus

__all__ = [
    "EventFields",
    "EventFilter",
    "Occurrence",
    "add_event",
    "create_event",
    "edit_event",
    "event_detail",
    "event_record",
    "find_event",
    "list_occurrences",
    "occurrence_records",
]

#: An event without an end counts as this long when looking for clashes at one place.
ASSUMED_LENGTH = timedelta(hours=1)
#: How far ahead a new series is checked for holidays and clashes.
CHECK_AHEAD = timedelta(days=366)
MAX_LOCATION = 300
END_FORMS = "a time (18:00), a date (19.06.2022) or both ('19.06.2022 18:00')"


@dataclass
class EventFields:
    """What a user may set on an event; `None` means "not given" (unchanged on edit).

    Dates and times are the user's text (`18.06.2022`, `14 Uhr`), parsed here so that
    errors name the option; other services may pass `start_at`/`end_at` instead.
    """

    title: str | None = None
    date: str | None = None
    time: str | None = None
    end: str | None = None
    all_day: bool | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None
    kind: str | None = None
    districts: list[str] | None = None
    location: str | None = None
    organisers: list[str] | None = None
    project: str | None = None
    expected: int | None = None
    repeat: str | None = None
    description: str | None = None
    status: str | None = None
    uid: str | None = None


@dataclass
class When:
    start: datetime
    end: datetime | None
    all_day: bool


# ------------------------------------------------------------------------------ when


def _fmt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _looks_like_time(text: str) -> bool:
    try:
        parse_time(text, "--end")
    except Invalid:
        return False
    return True


def parse_end(text: str, start: datetime, all_day: bool) -> datetime:
    """`--end`: a time (same day), a date (all-day: the last day) or a date and a time."""
    value = text.strip()
    if _looks_like_time(value):
        if all_day:
            raise Invalid(
                "--end", f"{text!r} is a time, but the event lasts all day; give its last day"
            )
        end = datetime.combine(start.date(), parse_time(value, "--end"))
    elif " " in value or "T" in value:
        if all_day:
            raise Invalid(
                "--end", f"{text!r} has a time, but the event lasts all day; give its last day"
            )
        end = parse_datetime(value, "--end")
    else:
        day = _end_date(value)
        if not all_day:
            raise Invalid(
                "--end", f"{text!r} has no time; the event starts at {start:%H:%M}, use {END_FORMS}"
            )
        if day < start.date():
            raise Invalid(
                "--end", f"{day.isoformat()} is before the start {start.date().isoformat()}"
            )
        return datetime.combine(day, time(0, 0)) + timedelta(days=1)
    if end <= start:
        raise Invalid("--end", f"{_fmt(end)} is not after the start {_fmt(start)}")
    return end


def _end_date(value: str) -> date:
    try:
        return parse_date(value, "--end")
    except Invalid:
        raise Invalid("--end", f"{value!r} is not an end; use {END_FORMS}") from None


def _when(data: EventFields, current: When | None) -> When:
    """Start, end and all-day from the given fields, keeping what is not given."""
    if data.start_at is not None:
        all_day = bool(data.all_day)
        start = data.start_at.replace(second=0, microsecond=0)
        if all_day:
            start = datetime.combine(start.date(), time(0, 0))
    else:
        if current is None and data.date is None:
            raise Invalid("--date", "is required")
        day = parse_date(data.date, "--date") if data.date is not None else None
        moment = parse_time(data.time, "--time") if data.time is not None else None
        if data.all_day is not None:
            all_day = data.all_day
        elif moment is not None:
            all_day = False
        else:
            all_day = current.all_day if current else True
        if all_day and moment is not None:
            raise Invalid(
                "--time", "an all-day event has no start time; leave out --all-day or --time"
            )
        base = current.start if current else None
        day = day or (base.date() if base else clock.today())
        if all_day:
            start = datetime.combine(day, time(0, 0))
        else:
            if moment is None and (current is None or current.all_day):
                raise Invalid(
                    "--time", "is required for an event that is not all day, e.g. --time 14:00"
                )
            start = datetime.combine(day, moment or (base.time() if base else time(0, 0)))
    end = _end(data, current, start, all_day)
    if not all_day:  # a time the clocks skip in spring is no time at all
        check_wall_clock(start, "--time")
        if end is not None:
            check_wall_clock(end, "--end")
    return When(start, end, all_day)


def _end(
    data: EventFields, current: When | None, start: datetime, all_day: bool
) -> datetime | None:
    if data.end_at is not None:
        end = data.end_at.replace(second=0, microsecond=0)
        if end <= start:
            raise Invalid("end", f"{_fmt(end)} is not after the start {_fmt(start)}")
        return end
    if data.end is not None:
        return (
            parse_end(data.end, start, all_day)
            if data.end.strip()
            else _default_end(start, all_day)
        )
    if current is not None and current.end is not None and current.all_day == all_day:
        return start + (current.end - current.start)  # moved: keep the length
    return _default_end(start, all_day)


def _default_end(start: datetime, all_day: bool) -> datetime | None:
    return start + timedelta(days=1) if all_day else None


# ------------------------------------------------------------------------------ fields


def _validated(session: Session, data: EventFields) -> dict[str, Any]:
    """Check every given field before anything is written; names the option on error."""
    values: dict[str, Any] = {}
    if data.title is not None:
        values["title"] = parse_name(data.title, "title")
    if data.kind is not None:
        values["kind"] = choose(EventKind, data.kind, "--kind").value
    if data.status is not None:
        values["status"] = choose(EventStatus, data.status, "--status").value
    if data.location is not None:
        text = " ".join(data.location.split())
        if len(text) > MAX_LOCATION:
            raise Invalid("--location", f"is {len(text)} characters long; at most {MAX_LOCATION}")
        values["location"] = text or None
    if data.description is not None:
        values["description"] = parse_text(data.description, "--description")
    if data.expected is not None:
        values["expected"] = parse_count(data.expected, "--expected")
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
            "--end",
            f"one date of a repeating event may last at most {LONGEST_OCCURRENCE.days} days",
        )
    first = recurrence.first_start(rule, when.start)
    if first is not None and first != when.start:
        shift = first - when.start
        when = When(first, when.end + shift if when.end else None, when.all_day)
        notes.append(f"the rule's first date is {first:%a %d.%m.%Y}; the event starts then")
    return rule, when, notes


def _set_links(session: Session, event: Event, values: dict[str, Any]) -> None:
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
    rule, when, notes = _rule(data, _when(data, None), None)
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
    _set_links(session, event, values)
    session.flush()
    log(session, "event.add", "event", event.id, event.title)
    return event, notes + event_warnings(session, event, default_state=default_state)


def create_event(session: Session, data: EventFields) -> Event:
    """Add an event for another service (e.g. a meeting's date); no warnings."""
    return add_event(session, data)[0]


def new_uid() -> str:
    return f"{uuid.uuid4()}@stm"


# ------------------------------------------------------------------------------ find


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


def _change(session: Session, event: Event, recurrence_id: datetime) -> EventOccurrence:
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
            "--on", f"event #{event.id} is on {event.start:%Y-%m-%d}, not {day.isoformat()}"
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
        "--on", f"event #{event.id} has no date on {day.isoformat()}; its dates near it: {shown}"
    )


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
        moved = series_occurrence(EventRow.of(event), recurrence_id, _as_change(change))
        if moved.status == EventStatus.cancelled.value:
            return event, []
        warnings = holiday_warnings(session, event, [moved], default_state)
        return event, warnings + clash_warnings(session, event, [moved])
    values = _validated(session, data)
    current = When(event.start, event.end, event.all_day)
    rule, when, notes = _rule(data, _when(data, current), event.rrule)
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
    _set_links(session, event, values)
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
            "--on", f"{options} cannot change for one date; leave out --on to change the series"
        )
    change = _change(session, event, recurrence_id)
    values = _validated(
        session, EventFields(title=data.title, location=data.location, status=data.status)
    )
    duration = event.end - event.start if event.end else None
    old_start = change.start or recurrence_id
    old_end = change.end or (old_start + duration if duration else None)
    when = _when(
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


def cancel_event(
    session: Session, ref: str, *, on: date | None = None
) -> tuple[Event, datetime | None]:
    """Cancel the event (every date), or with `on` one date of a series; kept, not deleted."""
    event = find_event(session, ref)
    recurrence_id = occurrence_on(session, event, on) if on is not None else None
    if event.status == EventStatus.cancelled.value:
        raise Conflict(f"event #{event.id} {event.title} is cancelled already")
    if recurrence_id is not None:
        change = _change(session, event, recurrence_id)
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
            "--on",
            f"event #{event.id} repeats; name the date with --on, e.g. "
            f"--on {clock.today():%d.%m.%Y}",
        )
    recurrence_id = occurrence_on(session, event, on) if on is not None else None
    if event.status == EventStatus.cancelled.value:
        raise Conflict(f"event #{event.id} {event.title} is cancelled; it had no participants")
    if recurrence_id is not None:
        change = _change(session, event, recurrence_id)
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
            f"event #{event.id} starts {_fmt(start)}, in the future; record attendance after it"
        )


# ------------------------------------------------------------------------------ warnings


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
    days = sorted({day for o in mine for day in _days(o, event.all_day)})
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


def _days(occurrence: Occurrence, all_day: bool) -> list[date]:
    if all_day and occurrence.end is not None:
        return holidays.days_of(occurrence.start.date(), occurrence.end.date())
    return [occurrence.start.date()]


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


# ------------------------------------------------------------------------------ records


def event_record(session: Session, event: Event) -> dict[str, Any]:
    """The list shape of one event (its first date), plus the rule in words."""
    row = EventRow.of(event)
    record = occurrence_record(single_occurrence(row), links(session.connection(), [row]))
    record["repeats"] = recurrence.describe_rule(event.rrule, event.start) if event.rrule else None
    return record


def event_detail(session: Session, event: Event, *, upcoming: int = 5) -> dict[str, Any]:
    """Everything `show` displays: the record, the rule in words, next and changed dates."""
    record = event_record(session, event)
    record["description"] = event.description
    record["until"] = format_start(event.until, event.all_day) if event.until else None
    record["created"] = event.created_at.isoformat(timespec="minutes")
    record["updated"] = event.updated_at.isoformat(timespec="minutes")
    record["next"] = []
    record["changes"] = []
    if not event.rrule:
        return record
    row = EventRow.of(event)
    changes = session.exec(
        select(EventOccurrence)
        .where(EventOccurrence.event_id == event.id)
        .order_by(col(EventOccurrence.recurrence_id))
    ).all()
    by_date = {c.recurrence_id: c for c in changes}
    now = clock.now()
    starts = recurrence.next_starts(
        event.rrule, event.start, event.until, now, upcoming, event.tzid
    )
    for start in starts:
        occurrence = series_occurrence(row, start, _as_change(by_date.get(start)))
        record["next"].append(_date_record(occurrence, event.all_day))
    for change in changes:
        if not is_date_of(row, change.recurrence_id):  # of a date the rule no longer gives
            continue
        occurrence = series_occurrence(row, change.recurrence_id, _as_change(change))
        record["changes"].append(_date_record(occurrence, event.all_day))
    return record


def _as_change(change: EventOccurrence | None) -> Any:
    if change is None:
        return None
    from stm.services.occurrences import Change

    return Change(
        change.recurrence_id, change.status, change.start, change.end, change.title,
        change.location, change.attendance,
    )  # fmt: skip


def _date_record(occurrence: Occurrence, all_day: bool) -> dict[str, Any]:
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


# ------------------------------------------------------------------------------ calendar


def month_calendar(
    session: Session,
    month: date,
    *,
    districts: Sequence[str] = (),
    default_state: str = "",
) -> dict[str, Any]:
    """A month as weeks of days (Monday first), each with its events and holidays."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    grid_start = first - timedelta(days=first.weekday())
    grid_end = following + timedelta(days=(7 - following.weekday()) % 7)
    criteria = EventFilter(start=grid_start, end=grid_end - timedelta(days=1), districts=districts)
    found = list_occurrences(session, criteria)
    states = _calendar_states(session, districts, default_state)
    holiday_days = holidays.holidays_between(grid_start, grid_end, states or [holidays.NATIONWIDE])
    by_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for occurrence in found:
        for day in _days(occurrence, occurrence.event.all_day):
            by_day[day].append(
                {
                    "id": occurrence.event.id,
                    "title": occurrence.title,
                    "time": None
                    if occurrence.event.all_day
                    else occurrence.start.strftime("%H:%M"),
                    "status": occurrence.status,
                    "kind": occurrence.event.kind,
                }
            )
    today = clock.today()
    weeks = []
    day = grid_start
    while day < grid_end:
        week = []
        for _ in range(7):
            names = holiday_days.get(day, {})
            week.append(
                {
                    "date": day.isoformat(),
                    "day": day.day,
                    "in_month": day.month == first.month,
                    "today": day == today,
                    "holidays": _holiday_labels(names, len(states) > 1),
                    "events": by_day.get(day, []),
                }
            )
            day += timedelta(days=1)
        weeks.append(week)
    return {
        "month": first.strftime("%Y-%m"),
        "districts": list(districts),
        "states": states,
        "weeks": weeks,
        "events": len(found),
    }


def _calendar_states(session: Session, districts: Sequence[str], default_state: str) -> list[str]:
    if districts:
        return sorted({d.state for d in refs.districts(session, districts) if d.state})
    if default_state:
        return [default_state.upper()]
    return sorted({s for s in session.exec(select(District.state)).all() if s})


def _holiday_labels(names: dict[str, str], several_states: bool) -> list[str]:
    by_name: dict[str, list[str]] = defaultdict(list)
    for state, name in names.items():
        by_name[name].append(state)
    if not several_states:
        return sorted(by_name)
    return [f"{name} ({', '.join(states)})" for name, states in sorted(by_name.items())]


# ------------------------------------------------------------------------------ iCalendar


def _kind_label(kind: str) -> str:
    try:
        return EventKind(kind).label
    except ValueError:
        return kind


def export_calendar(session: Session, criteria: EventFilter | None = None) -> tuple[bytes, int]:
    """The events (all, or those the filter finds in its window) as an .ics file."""
    from stm.formats import ics
    from stm.services.occurrences import event_rows, filter_clauses

    connection = session.connection()
    if criteria is None:
        rows = event_rows(connection, [])
    elif criteria.start is None and criteria.end is None:
        rows = event_rows(connection, filter_clauses(session, criteria))
    else:
        # Open on the side that is not given: "from 1.1.2027" means from then on.
        bounded = EventFilter(
            start=criteria.start or date(1900, 1, 1), end=criteria.end or date(9999, 1, 1)
        )
        lower, upper = bounded.window()
        rows = window_rows(connection, lower, upper, filter_clauses(session, criteria))
    rows.sort(key=lambda r: (r.start, r.id))
    linked = links(connection, rows)
    changes: dict[int, list[ics.IcsChange]] = defaultdict(list)
    series = {r.id: r for r in rows if r.rrule}
    series_ids = list(series)
    for chunk_start in range(0, len(series_ids), 500):
        chunk = series_ids[chunk_start : chunk_start + 500]
        for change in session.exec(
            select(EventOccurrence).where(col(EventOccurrence.event_id).in_(chunk))
        ).all():
            if not is_date_of(series[change.event_id], change.recurrence_id):
                continue  # a date the rule no longer gives (the series moved to other days)
            changes[change.event_id].append(
                ics.IcsChange(
                    change.recurrence_id,
                    change.status,
                    change.start,
                    change.end,
                    change.title,
                    change.location,
                    change.attendance,
                )
            )
    descriptions = _descriptions(session, [r.id for r in rows])
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


def _descriptions(session: Session, ids: Sequence[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for event_id, text in session.exec(
            select(Event.id, Event.description).where(
                col(Event.id).in_(chunk), col(Event.description).is_not(None)
            )
        ).all():
            found[event_id or 0] = text or ""
    return found


@dataclass
class ImportOptions:
    skip_invalid: bool = False
    districts: Sequence[str] = ()
    kind: str | None = None
    project: str | None = None
    source: str = "file"


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    #: What was not taken as it stood: (kind, which event); counted per kind for the user.
    notices: list[tuple[str, str]] = field(default_factory=list)

    def notice_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for kind, _where in self.notices:
            counts[kind] = counts.get(kind, 0) + 1
        return counts


def import_calendar(session: Session, data: bytes, options: ImportOptions) -> ImportResult:
    """Read an .ics file; events with a known UID are updated, not added twice.

    A file with an unreadable event imports nothing (naming the event) unless
    `skip_invalid`; a file that is not iCalendar at all is an error.
    """
    from stm.formats import ics
    from stm.store import lock_for_import

    lock_for_import(session)  # UIDs are matched against what the register holds
    districts = refs.districts(session, options.districts) if options.districts else []
    kind = choose(EventKind, options.kind, "--kind").value if options.kind else None
    project = refs.project(session, options.project) if options.project else None
    read = ics.read_calendar(data, clock.timezone())
    problems = [str(p) for p in read.problems]
    valid = []
    for position, item in enumerate(read.events, start=1):
        message = _import_problem(item)
        if message:
            problems.append(f"event {position} {item.title!r} (UID {item.uid}): {message}")
        else:
            valid.append(item)
    if problems and not options.skip_invalid:
        total = read.components
        raise Invalid(
            options.source,
            f"{len(problems)} of {total} events cannot be read, nothing imported: "
            + "; ".join(problems[:5])
            + ("; …" if len(problems) > 5 else "")
            + ". Use --skip-invalid to import the others",
        )
    result = ImportResult(skipped=problems, notices=[(n.kind, n.where) for n in read.notices])
    known = _district_slugs(session)
    lookup = _ImportLinks(session, result)
    for item in valid:
        here = ics.where(item.position, item.title, item.uid)
        item_project = project or lookup.project(item.project, here)
        event, added = _upsert(session, item, kind, item_project)
        item_districts = districts or [known[s] for s in item.districts if s in known]
        values: dict[str, Any] = {"organisers": lookup.organisers(item.contacts, here)}
        if item_districts or added:
            values["districts"] = item_districts
        if values["organisers"] or added:
            _set_links(session, event, values)
        elsewhere = _import_changes(session, event, item)
        result.events.append(event)
        if added:
            result.added += 1
        else:
            result.updated += 1
        for change in elsewhere:  # a changed date its series does not give: kept on its own
            alone = _alone(item, change)
            single, single_added = _upsert(session, alone, kind, item_project)
            _set_links(session, single, {"districts": item_districts})
            result.events.append(single)
            result.added += int(single_added)
            result.updated += int(not single_added)
            result.notices.append(
                ("changed date (RECURRENCE-ID) matching no date of its series, imported "
                 "alone", f"{here}, {change.recurrence_id:%Y-%m-%d %H:%M}")
            )  # fmt: skip
    session.flush()
    log(
        session, "event.import", "event", None,
        f"{result.added} added, {result.updated} updated from {options.source}",
    )  # fmt: skip
    return result


class _ImportLinks:
    """Organisers and projects an .ics names, looked up in the register once each."""

    def __init__(self, session: Session, result: ImportResult) -> None:
        self.session = session
        self.result = result
        self._actors: dict[str, Actor | None] = {}
        self._projects: dict[str, Project | None] = {}

    def organisers(self, names: Sequence[str], here: str) -> list[Actor]:
        found = []
        for name in names:
            if name not in self._actors:
                matches = self.session.exec(
                    select(Actor).where(Actor.key == fold(name), col(Actor.erased_at).is_(None))
                ).all()
                self._actors[name] = matches[0] if len(matches) == 1 else None
            actor = self._actors[name]
            if actor is None:
                self.result.notices.append(
                    ("organiser (ORGANIZER/CONTACT) not in the register", f"{here}: {name}")
                )
            elif actor not in found:
                found.append(actor)
        return found

    def project(self, title: str | None, here: str) -> Project | None:
        if not title:
            return None
        if title not in self._projects:
            try:
                self._projects[title] = refs.project(self.session, title)
            except (Invalid, NotFound, Ambiguous):
                self._projects[title] = None
        if self._projects[title] is None:
            self.result.notices.append(
                ("project (X-STM-PROJECT) not in the register", f"{here}: {title}")
            )
        return self._projects[title]


def _alone(item: Any, change: Any) -> Any:
    """A changed date of a series as an event of its own."""
    from stm.formats import ics

    start = change.start or change.recurrence_id
    duration = item.end - item.start if item.end else None
    return ics.IcsEvent(
        uid=f"{item.uid}/{change.recurrence_id:%Y%m%dT%H%M%S}",
        title=change.title or item.title,
        start=start,
        end=change.end or (start + duration if duration else None),
        all_day=item.all_day,
        location=change.location or item.location,
        description=item.description,
        status=change.status,
        kind=item.kind,
        categories=item.categories,
        attendance=change.attendance,
    )


def _import_problem(item: Any) -> str | None:
    if len(item.title) > 200:
        item.title = item.title[:199] + "…"
    if item.rrule and item.end is not None and item.end - item.start > LONGEST_OCCURRENCE:
        return f"one date of a repeating event may last at most {LONGEST_OCCURRENCE.days} days"
    if item.location and len(item.location) > MAX_LOCATION:
        item.location = item.location[: MAX_LOCATION - 1] + "…"
    return None


def _district_slugs(session: Session) -> dict[str, District]:
    return {d.slug: d for d in session.exec(select(District)).all()}


def _kind_of(item: Any, default: str | None) -> str:
    candidates = [item.kind] if item.kind else []
    candidates += item.categories
    for candidate in candidates:
        try:
            return choose(EventKind, candidate, "kind").value
        except Invalid:
            continue
    return default or EventKind.sonstiges.value


def _upsert(
    session: Session, item: Any, kind: str | None, project: Project | None
) -> tuple[Event, bool]:
    event = session.exec(select(Event).where(Event.uid == item.uid)).first()
    added = event is None
    now = clock.now()
    if event is None:
        event = Event(
            uid=item.uid, title=item.title, start=item.start, created_at=now, updated_at=now
        )
    event.title = item.title
    event.kind = kind or _kind_of(item, event.kind if not added else None)
    event.start, event.end, event.all_day = item.start, item.end, item.all_day
    event.rrule = item.rrule
    event.tzid = item.tzid if item.rrule else None
    event.until = recurrence.last_start(item.rrule, item.start, event.tzid) if item.rrule else None
    event.location = item.location
    event.description = item.description
    cancelled, held = EventStatus.cancelled.value, EventStatus.held.value
    if cancelled in (item.status, event.status) or item.status == held:
        event.status = item.status
    if item.expected is not None:
        event.expected = item.expected
    if item.attendance is not None:
        event.attendance = item.attendance
    if project is not None:
        event.project_id = project.id
    event.updated_at = now
    session.add(event)
    session.flush()
    return event, added


def _import_changes(session: Session, event: Event, item: Any) -> list[Any]:
    """The series' changed and cancelled dates; returns those its rule does not give.

    New dates go in with one multi-row INSERT: calendars with 100,000 EXDATEs exist."""
    if not event.rrule:
        return []
    row = EventRow.of(event)
    elsewhere = []
    held = {
        c.recurrence_id: c
        for c in session.exec(
            select(EventOccurrence).where(EventOccurrence.event_id == event.id)
        ).all()
    }
    new: dict[datetime, dict[str, Any]] = {}
    for ics_change in item.changes:
        plain_exdate = ics_change.status == EventStatus.cancelled.value and not ics_change.start
        if not plain_exdate and not is_date_of(row, ics_change.recurrence_id):
            elsewhere.append(ics_change)
            continue
        values = {
            "status": ics_change.status,
            "start": ics_change.start if ics_change.start != ics_change.recurrence_id else None,
            "end": ics_change.end,
            "title": ics_change.title if ics_change.title != event.title else None,
            "location": ics_change.location if ics_change.location != event.location else None,
        }
        if ics_change.attendance is not None:
            values["attendance"] = ics_change.attendance
        change = held.get(ics_change.recurrence_id)
        if change is None:
            new[ics_change.recurrence_id] = {
                "event_id": event.id, "recurrence_id": ics_change.recurrence_id,
                "attendance": None, **values,
            }  # fmt: skip
            continue
        for name, value in values.items():
            setattr(change, name, value)
        session.add(change)
    if new:
        from sqlalchemy import insert

        table = EventOccurrence.__table__  # type: ignore[attr-defined]
        session.flush()
        session.connection().execute(insert(table), list(new.values()))
    return elsewhere


def organisers_of(session: Session, event: Event) -> list[Actor]:
    return list(
        session.exec(
            select(Actor)
            .join(EventOrganiser, col(EventOrganiser.actor_id) == Actor.id)
            .where(EventOrganiser.event_id == event.id)
            .order_by(col(Actor.name))
        ).all()
    )
