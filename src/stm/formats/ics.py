"""Events as iCalendar (RFC 5545), with the `icalendar` library.

Writing: one VCALENDAR with a VTIMEZONE for the office's zone (Europe/Berlin) by yearly
rules (`vtimezone`), times as
local times with TZID, all-day events as DATE values, stable UIDs, the RRULE (UNTIL in
UTC, as the RFC asks), cancelled dates as EXDATE and changed dates as their own VEVENT
with a RECURRENCE-ID. Whole cancelled events carry STATUS:CANCELLED. `X-STM-KIND` and
`X-STM-DISTRICTS` keep what iCalendar has no property for, so a re-import keeps them.

Reading: whatever other calendar programs write: a bare VEVENT without VCALENDAR, UTC
times (`…Z`), floating times, TZIDs defined by a VTIMEZONE of their own (even one made
of RDATEs), all-day events, RRULE with EXDATE, RECURRENCE-ID overrides, escaped commas.
Times become naive wall-clock times of the office's zone. A file that is not iCalendar
(HTML, empty, cut off) is an `Invalid` error; an event that cannot be read is reported
as a problem naming it, so the caller can refuse or skip it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from stm.errors import Invalid

PRODID = "-//stm//Stadtteilmanagement-Toolkit//DE"
FIELD = "FILE"
MAX_BYTES = 50 * 1024 * 1024
_STATUS_OUT = {"planned": "CONFIRMED", "held": "CONFIRMED", "cancelled": "CANCELLED"}
_BEGIN_END = re.compile(r"^(BEGIN|END):([A-Za-z0-9-]+)\s*$", re.IGNORECASE)


@dataclass
class IcsChange:
    """One changed or cancelled date of a series (RECURRENCE-ID, or an EXDATE)."""

    recurrence_id: datetime
    status: str = "planned"
    start: datetime | None = None
    end: datetime | None = None
    title: str | None = None
    location: str | None = None


@dataclass
class IcsEvent:
    """An event as iCalendar sees it, in naive wall-clock times of the office's zone."""

    uid: str
    title: str
    start: datetime
    end: datetime | None
    all_day: bool = False
    rrule: str | None = None
    location: str | None = None
    description: str | None = None
    status: str = "planned"
    kind: str | None = None
    categories: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    changes: list[IcsChange] = field(default_factory=list)


@dataclass
class Problem:
    """An event in a file that could not be read."""

    position: int  # 1-based, in file order
    uid: str | None
    title: str | None
    message: str

    def __str__(self) -> str:
        name = f" {self.title!r}" if self.title else ""
        uid = f" (UID {self.uid})" if self.uid else ""
        return f"event {self.position}{name}{uid}: {self.message}"


@dataclass
class ReadCalendar:
    events: list[IcsEvent]
    problems: list[Problem]
    components: int  # VEVENTs in the file


# ------------------------------------------------------------------------------ writing


def _utc_until(value: str, zone: ZoneInfo, all_day: bool) -> str:
    from stm.services.recurrence import parse_until

    until = parse_until(value)
    if all_day:
        return until.strftime("%Y%m%d")
    return until.replace(tzinfo=zone).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _rrule(rule: str, zone: ZoneInfo, all_day: bool) -> Any:
    from icalendar import vRecur

    from stm.services.recurrence import join_rule, split_rule

    parts = split_rule(rule)
    if "UNTIL" in parts:
        parts["UNTIL"] = _utc_until(parts["UNTIL"], zone, all_day)
    return vRecur.from_ical(join_rule(parts))


def _moment(value: datetime, zone: ZoneInfo, all_day: bool) -> date | datetime:
    return value.date() if all_day else value.replace(tzinfo=zone)


def write_calendar(events: Iterable[IcsEvent], timezone: str, *, stamp: datetime) -> bytes:
    """A complete VCALENDAR; `stamp` (local time) becomes every DTSTAMP."""
    from icalendar import Calendar
    from icalendar import Event as VEvent

    zone = ZoneInfo(timezone)
    dtstamp = stamp.replace(tzinfo=zone).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-timezone", timezone)
    first: date | None = None
    last: date | None = None
    for event in events:
        component = VEvent()
        _fill(component, event, zone, dtstamp)
        calendar.add_component(component)
        for change in event.changes:
            if change.status == "cancelled" and change.start is None:
                continue  # written as EXDATE
            calendar.add_component(_change_component(event, change, zone, dtstamp))
        first = min(first, event.start.date()) if first else event.start.date()
        reach = event.end or event.start
        last = max(last, reach.date()) if last else reach.date()
    if first is not None and timezone != "UTC":
        calendar.subcomponents.insert(0, vtimezone(timezone, stamp.year))  # before its users
    return bytes(calendar.to_ical())


def vtimezone(name: str, year: int) -> Any:
    """A VTIMEZONE by yearly rules, as Google and Thunderbird write it.

    The rules are the zone's transitions in `year` (Europe/Berlin: last Sunday of March and
    of October), stated once from 1970 on: readers then know every year, where lists of
    dates (RDATE) end and mislead readers (vobject took later summers as +01:00).
    """
    from icalendar import Component, Timezone, TimezoneDaylight, TimezoneStandard

    zone = ZoneInfo(name)
    timezone = Timezone()
    timezone.add("tzid", name)
    changes = _transitions(zone, year)
    if not changes:
        standard = TimezoneStandard()
        at = datetime(year, 1, 1, 12, tzinfo=zone)
        offset = at.utcoffset() or timedelta(0)
        standard.add("dtstart", datetime(1970, 1, 1))
        standard.add("tzoffsetfrom", offset)
        standard.add("tzoffsetto", offset)
        standard.add("tzname", at.tzname() or name)
        timezone.add_component(standard)
        return timezone
    for local, before, after, tzname in changes:
        part: Component = TimezoneDaylight() if after > before else TimezoneStandard()
        part.add("dtstart", local.replace(year=1970))
        part.add("rrule", {"freq": "yearly", "bymonth": local.month, "byday": _nth_weekday(local)})
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("tzname", tzname)
        timezone.add_component(part)
    return timezone


def _transitions(zone: ZoneInfo, year: int) -> list[tuple[datetime, timedelta, timedelta, str]]:
    """(wall-clock time before the change, offset before, after, name after) in `year`."""
    found = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(zone).utcoffset()
    while moment.year == year:
        following = moment + timedelta(hours=1)
        after = following.astimezone(zone).utcoffset()
        if after != offset and offset is not None and after is not None:
            local = (following + offset).replace(tzinfo=None)
            found.append((local, offset, after, following.astimezone(zone).tzname() or ""))
            offset = after
        moment = following
    return found


def _nth_weekday(day: datetime) -> str:
    """`-1SU` for the last Sunday of its month, `2SU` for the second, …"""
    code = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[day.weekday()]
    if (day + timedelta(days=7)).month != day.month:
        return f"-1{code}"
    return f"{(day.day - 1) // 7 + 1}{code}"


def _fill(component: Any, event: IcsEvent, zone: ZoneInfo, dtstamp: datetime) -> None:
    component.add("uid", event.uid)
    component.add("dtstamp", dtstamp)
    component.add("summary", event.title)
    component.add("dtstart", _moment(event.start, zone, event.all_day))
    if event.end is not None:
        component.add("dtend", _moment(event.end, zone, event.all_day))
    if event.rrule:
        component.add("rrule", _rrule(event.rrule, zone, event.all_day))
        cancelled = [
            c.recurrence_id for c in event.changes if c.status == "cancelled" and c.start is None
        ]
        if cancelled:
            component.add("exdate", [_moment(d, zone, event.all_day) for d in sorted(cancelled)])
    if event.location:
        component.add("location", event.location)
    if event.description:
        component.add("description", event.description)
    component.add("status", _STATUS_OUT.get(event.status, "CONFIRMED"))
    if event.categories:
        component.add("categories", event.categories)
    if event.kind:
        component.add("x-stm-kind", event.kind)
    if event.districts:
        component.add("x-stm-districts", ",".join(event.districts))
    for contact in event.contacts:
        component.add("contact", contact)


def _change_component(event: IcsEvent, change: IcsChange, zone: ZoneInfo, dtstamp: datetime) -> Any:
    from icalendar import Event as VEvent

    component = VEvent()
    component.add("uid", event.uid)
    component.add("dtstamp", dtstamp)
    component.add("recurrence-id", _moment(change.recurrence_id, zone, event.all_day))
    component.add("summary", change.title or event.title)
    start = change.start or change.recurrence_id
    component.add("dtstart", _moment(start, zone, event.all_day))
    duration = event.end - event.start if event.end else None
    end = change.end or (start + duration if duration else None)
    if end is not None:
        component.add("dtend", _moment(end, zone, event.all_day))
    location = change.location or event.location
    if location:
        component.add("location", location)
    component.add("status", _STATUS_OUT.get(change.status, "CONFIRMED"))
    return component


# ------------------------------------------------------------------------------ reading


def check_text(data: bytes) -> str:
    """The file as text, if it looks like iCalendar and is complete; else `Invalid`."""
    if len(data) > MAX_BYTES:
        raise Invalid(FIELD, f"the file is {len(data) // (1024 * 1024)} MB; at most 50 MB")
    if not data.strip():
        raise Invalid(FIELD, "the file is empty; expected an iCalendar file (.ics)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype", "<html", "<?xml", "<")):
        raise Invalid(FIELD, "this is an HTML/XML page, not an iCalendar file (.ics)")
    if not head.startswith("begin:"):
        raise Invalid(FIELD, "not an iCalendar file: it does not start with BEGIN:VCALENDAR")
    _check_nesting(text)
    return text


def _check_nesting(text: str) -> None:
    stack: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _BEGIN_END.match(line.strip())
        if not match:
            continue
        kind, name = match.group(1).upper(), match.group(2).upper()
        if kind == "BEGIN":
            stack.append(name)
        elif not stack or stack.pop() != name:
            raise Invalid(
                FIELD, f"line {number}: END:{name} without its BEGIN; the file is damaged"
            )
    if stack:
        raise Invalid(
            FIELD,
            f"the file ends inside {stack[-1]} (no END:{stack[-1]}); it is cut off or damaged",
        )


def read_calendar(data: bytes, timezone: str) -> ReadCalendar:
    """Every VEVENT of the file, with overrides gathered under their series."""
    from icalendar import Component

    text = check_text(data)
    try:
        components = Component.from_ical(text, multiple=True)
    except ValueError as error:
        first_line = str(error).splitlines()[0][:200]
        raise Invalid(FIELD, f"not a valid iCalendar file ({first_line})") from None
    vevents = [v for c in components for v in c.walk("VEVENT")]
    if not vevents:
        raise Invalid(FIELD, "the file holds no events (no VEVENT)")
    zone = ZoneInfo(timezone)
    events: dict[str, IcsEvent] = {}
    changes: list[tuple[int, str, IcsChange, Any]] = []
    problems: list[Problem] = []
    for position, vevent in enumerate(vevents, start=1):
        uid = _text(vevent.get("UID"))
        title = _text(vevent.get("SUMMARY"))
        try:
            if vevent.get("RECURRENCE-ID") is not None:
                changes.append((position, uid or "", _read_change(vevent, zone), vevent))
                continue
            event = _read_event(vevent, zone, uid)
        except Invalid as error:
            problems.append(Problem(position, uid, title, error.message))
            continue
        if event.uid in events:
            problems.append(Problem(position, uid, title, "a second event with the same UID"))
            continue
        events[event.uid] = event
    for position, uid, change, vevent in changes:
        master = events.get(uid)
        if master is not None and master.rrule:
            master.changes.append(change)
            continue
        try:  # a single date of someone else's series: an event of its own
            event = _read_event(vevent, zone, f"{uid}/{change.recurrence_id:%Y%m%dT%H%M%S}")
        except Invalid as error:
            problems.append(Problem(position, uid, _text(vevent.get("SUMMARY")), error.message))
            continue
        events.setdefault(event.uid, event)
    return ReadCalendar(list(events.values()), problems, len(vevents))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = value[0] if value else None
        if value is None:
            return None
    text = str(value).strip()
    return text or None


def _broken(vevent: Any) -> None:
    for name, message in getattr(vevent, "errors", []) or []:
        raise Invalid(str(name), str(message))
    for name in ("DTSTART", "DTEND", "RRULE", "EXDATE", "RECURRENCE-ID", "DURATION"):
        value = vevent.get(name)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item is not None and type(item).__name__ == "vBroken":
                raise Invalid(name, f"{str(item)!r} cannot be read")


def _local(value: Any, zone: ZoneInfo) -> tuple[datetime, bool]:
    """(naive wall-clock time, is a whole day)."""
    moment = getattr(value, "dt", value)
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(zone).replace(tzinfo=None)
        return moment.replace(second=0, microsecond=0), False
    if isinstance(moment, date):
        return datetime.combine(moment, time(0, 0)), True
    raise Invalid("DTSTART", f"{moment!r} is not a date or a date-time")


def _read_event(vevent: Any, zone: ZoneInfo, uid: str | None) -> IcsEvent:
    from stm.parsing import check_year
    from stm.services.recurrence import check_rule

    _broken(vevent)
    if vevent.get("DTSTART") is None:
        raise Invalid("DTSTART", "missing; every event needs a start")
    start, all_day = _local(vevent["DTSTART"], zone)
    check_year(start.date(), "DTSTART")
    end = _read_end(vevent, zone, start, all_day)
    title = _text(vevent.get("SUMMARY")) or "(ohne Titel)"
    rule = None
    if vevent.get("RRULE") is not None:
        recur = vevent["RRULE"]
        recur = recur[0] if isinstance(recur, list) else recur
        rule = check_rule(recur.to_ical().decode(), start, "RRULE")
    event = IcsEvent(
        uid=uid or _made_uid(title, start),
        title=title,
        start=start,
        end=end,
        all_day=all_day,
        rrule=rule,
        location=_text(vevent.get("LOCATION")),
        description=_text(vevent.get("DESCRIPTION")),
        status="cancelled" if _text(vevent.get("STATUS")) == "CANCELLED" else "planned",
        kind=_text(vevent.get("X-STM-KIND")),
        categories=_categories(vevent),
        districts=[d for d in (_text(vevent.get("X-STM-DISTRICTS")) or "").split(",") if d],
    )
    if rule:
        for exdate in _dates(vevent.get("EXDATE"), zone):
            event.changes.append(IcsChange(recurrence_id=exdate, status="cancelled"))
    return event


def _read_end(vevent: Any, zone: ZoneInfo, start: datetime, all_day: bool) -> datetime | None:
    if vevent.get("DTEND") is not None:
        end, _ = _local(vevent["DTEND"], zone)
    elif vevent.get("DURATION") is not None:
        end = start + vevent["DURATION"].dt
    else:
        return start + timedelta(days=1) if all_day else None
    if end < start:
        raise Invalid("DTEND", f"{end:%Y-%m-%d %H:%M} is before DTSTART {start:%Y-%m-%d %H:%M}")
    if end == start:
        return start + timedelta(days=1) if all_day else None
    return end


def _read_change(vevent: Any, zone: ZoneInfo) -> IcsChange:
    _broken(vevent)
    recurrence_id, _ = _local(vevent["RECURRENCE-ID"], zone)
    start, all_day = _local(vevent["DTSTART"], zone) if vevent.get("DTSTART") else (None, False)
    end = _read_end(vevent, zone, start, all_day) if start is not None else None
    return IcsChange(
        recurrence_id=recurrence_id,
        status="cancelled" if _text(vevent.get("STATUS")) == "CANCELLED" else "planned",
        start=start,
        end=end,
        title=_text(vevent.get("SUMMARY")),
        location=_text(vevent.get("LOCATION")),
    )


def _dates(value: Any, zone: ZoneInfo) -> list[datetime]:
    if value is None:
        return []
    found = []
    for item in value if isinstance(value, list) else [value]:
        for moment in getattr(item, "dts", [item]):
            found.append(_local(moment, zone)[0])
    return found


def _categories(vevent: Any) -> list[str]:
    value = vevent.get("CATEGORIES")
    if value is None:
        return []
    found: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        found += [str(c).strip() for c in getattr(item, "cats", []) if str(c).strip()]
    return found


def _made_uid(title: str, start: datetime) -> str:
    """A UID for an event that has none, the same on every import of the same file."""
    digest = hashlib.sha1(f"{title}|{start.isoformat()}".encode()).hexdigest()[:20]
    return f"{digest}@import.stm"
