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
from itertools import chain
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
    attendance: int | None = None


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
    tzid: str | None = None  # the zone a series repeats in, if not the office's
    project: str | None = None
    expected: int | None = None
    attendance: int | None = None
    position: int = 0  # of its VEVENT in the file, 1-based


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
class Notice:
    """Something of the file that was not taken as it stood; the importer tells of it."""

    kind: str  # what, counted per kind: "properties not imported: ATTENDEE", …
    where: str  # which event

    def __str__(self) -> str:
        return f"{self.where}: {self.kind}"


@dataclass
class ReadCalendar:
    events: list[IcsEvent]
    problems: list[Problem]
    components: int  # VEVENTs in the file
    notices: list[Notice] = field(default_factory=list)


def where(position: int, title: str | None, uid: str | None) -> str:
    return str(Problem(position, uid, title, "")).rstrip(": ")


#: VEVENT properties that are read, or mean nothing outside the program that wrote them.
_READ = {
    "UID", "DTSTAMP", "SUMMARY", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE",
    "RECURRENCE-ID", "LOCATION", "DESCRIPTION", "STATUS", "CATEGORIES", "CONTACT", "ORGANIZER",
    "SEQUENCE", "CREATED", "LAST-MODIFIED", "TRANSP", "CLASS",
}  # fmt: skip
_TECHNICAL_PREFIXES = ("X-STM-", "X-MICROSOFT-", "X-MOZ-", "X-APPLE-", "X-GOOGLE-", "X-LIC-",
                       "X-MS-", "X-ALT-DESC", "X-EVOLUTION-", "X-KDE-")  # fmt: skip
MAX_TITLE = 200


# ------------------------------------------------------------------------------ writing


def _utc_until(value: str, zone: ZoneInfo, all_day: bool) -> str:
    from stm.recurrence import parse_until

    until = parse_until(value)
    if all_day:
        return until.strftime("%Y%m%d")
    return until.replace(tzinfo=zone).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _rrule(rule: str, zone: ZoneInfo, all_day: bool) -> Any:
    from icalendar import vRecur

    from stm.recurrence import join_rule, split_rule

    parts = split_rule(rule)
    if "UNTIL" in parts:
        parts["UNTIL"] = _utc_until(parts["UNTIL"], zone, all_day)
    return vRecur.from_ical(join_rule(parts))


def write_calendar(events: Iterable[IcsEvent], timezone: str, *, stamp: datetime) -> bytes:
    """A complete VCALENDAR; `stamp` (local time) becomes every DTSTAMP."""
    from icalendar import Calendar
    from icalendar import Event as VEvent

    zone = ZoneInfo(timezone)
    dtstamp = stamp.replace(tzinfo=zone).astimezone(UTC)
    others: set[str] = set()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-timezone", timezone)
    first: date | None = None
    last: date | None = None
    for event in events:
        component = VEvent()
        own = _Out(zone, event.tzid)
        if event.tzid and event.tzid != "UTC":
            others.add(event.tzid)
        _fill(component, event, own, dtstamp)
        calendar.add_component(component)
        for change in event.changes:
            if change.status == "cancelled" and change.start is None:
                continue  # written as EXDATE
            calendar.add_component(_change_component(event, change, own, dtstamp))
        first = min(first, event.start.date()) if first else event.start.date()
        reach = event.end or event.start
        last = max(last, reach.date()) if last else reach.date()
    zones = sorted(others - {timezone})
    if first is not None and timezone != "UTC":
        zones.insert(0, timezone)
    for position, name in enumerate(zones):
        calendar.subcomponents.insert(position, vtimezone(name, stamp.year))  # before its users
    return bytes(calendar.to_ical())


class _Out:
    """Writes the office's wall-clock times of one event: in the office's zone, or in the
    series' own (`IcsEvent.tzid`), where its rule repeats."""

    def __init__(self, office: ZoneInfo, tzid: str | None) -> None:
        self.office = office
        self.own = ZoneInfo(tzid) if tzid else office

    def moment(self, value: datetime, all_day: bool) -> date | datetime:
        if all_day:
            return value.date()
        aware = value.replace(tzinfo=self.office).astimezone(self.own)
        return aware.astimezone(UTC) if self.own.key == "UTC" else aware


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


def _fill(component: Any, event: IcsEvent, out: _Out, dtstamp: datetime) -> None:
    zone = out.office
    component.add("uid", event.uid)
    component.add("dtstamp", dtstamp)
    component.add("summary", event.title)
    component.add("dtstart", out.moment(event.start, event.all_day))
    if event.end is not None:
        component.add("dtend", out.moment(event.end, event.all_day))
    if event.rrule:
        component.add("rrule", _rrule(event.rrule, zone, event.all_day))
        cancelled = [
            c.recurrence_id for c in event.changes if c.status == "cancelled" and c.start is None
        ]
        if cancelled:
            component.add("exdate", [out.moment(d, event.all_day) for d in sorted(cancelled)])
    if event.location:
        component.add("location", event.location)
    if event.description:
        component.add("description", event.description)
    component.add("status", _STATUS_OUT.get(event.status, "CONFIRMED"))
    if event.status == "held":  # iCalendar has no word for it
        component.add("x-stm-status", "held")
    if event.categories:
        component.add("categories", event.categories)
    if event.kind:
        component.add("x-stm-kind", event.kind)
    if event.districts:
        component.add("x-stm-districts", ",".join(event.districts))
    for contact in event.contacts:
        component.add("contact", contact)
    if event.project:
        component.add("x-stm-project", event.project)
    if event.expected is not None:
        component.add("x-stm-expected", str(event.expected))
    if event.attendance is not None:
        component.add("x-stm-attendance", str(event.attendance))


def _change_component(event: IcsEvent, change: IcsChange, out: _Out, dtstamp: datetime) -> Any:
    from icalendar import Event as VEvent

    component = VEvent()
    component.add("uid", event.uid)
    component.add("dtstamp", dtstamp)
    component.add("recurrence-id", out.moment(change.recurrence_id, event.all_day))
    component.add("summary", change.title or event.title)
    start = change.start or change.recurrence_id
    component.add("dtstart", out.moment(start, event.all_day))
    duration = event.end - event.start if event.end else None
    end = change.end or (start + duration if duration else None)
    if end is not None:
        component.add("dtend", out.moment(end, event.all_day))
    location = change.location or event.location
    if location:
        component.add("location", location)
    component.add("status", _STATUS_OUT.get(change.status, "CONFIRMED"))
    if change.status == "held":
        component.add("x-stm-status", "held")
    if change.attendance is not None:
        component.add("x-stm-attendance", str(change.attendance))
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

    text, exdates = _take_exdates(check_text(data))
    try:
        components = Component.from_ical(text, multiple=True)
    except ValueError as error:
        first_line = str(error).splitlines()[0][:200]
        raise Invalid(FIELD, f"not a valid iCalendar file ({first_line})") from None
    vevents = [v for c in components for v in c.walk("VEVENT")]
    if not vevents:
        raise Invalid(FIELD, "the file holds no events (no VEVENT)")
    reader = _Reader(ZoneInfo(timezone), timezone)
    for position, vevent in enumerate(vevents, start=1):
        reader.exdates = exdates.get(position, [])
        reader.read(position, vevent)
    reader.place_changes()
    return ReadCalendar(list(reader.events.values()), reader.problems, len(vevents), reader.notices)


class _Reader:
    def __init__(self, zone: ZoneInfo, timezone: str) -> None:
        self.zone = zone
        self.timezone = timezone
        self.events: dict[str, IcsEvent] = {}
        self.changes: list[tuple[int, str, IcsChange, Any]] = []
        self.problems: list[Problem] = []
        self.notices: list[Notice] = []
        self.exdates: list[tuple[datetime, bool]] = []  # of the VEVENT being read

    def read(self, position: int, vevent: Any) -> None:
        uid = _text(vevent.get("UID"))
        title = _text(vevent.get("SUMMARY"))
        here = where(position, title, uid)
        self._ignored(vevent, here)
        try:
            if vevent.get("RECURRENCE-ID") is not None:
                change = _read_change(vevent, self.zone)
                self.changes.append((position, uid or "", change, vevent))
                return
            event = _read_event(vevent, self.zone, uid, self.timezone, exdates=self.exdates)
        except Invalid as error:
            self.problems.append(Problem(position, uid, title, error.message))
            return
        event.position = position
        if event.uid in self.events:
            self.problems.append(Problem(position, uid, title, "a second event with the same UID"))
            return
        self._cut_title(event, here)
        self.events[event.uid] = event
        self._extra_dates(vevent, event, here)
        if event.rrule:
            self._start_off_rule(event, here)
            self._foreign_zone(vevent, event, here)

    def _foreign_zone(self, vevent: Any, event: IcsEvent, here: str) -> None:
        """A series in a zone that only the file defines (no IANA name) cannot repeat in
        its own zone: it repeats at the office's wall-clock time of its first date."""
        tzid = str(getattr(vevent["DTSTART"], "params", {}).get("TZID", ""))
        if event.tzid is None and tzid and tzid != self.timezone and not event.all_day:
            try:
                ZoneInfo(tzid)
            except (ValueError, KeyError, OSError):
                self.notices.append(
                    Notice(
                        f"series in a time zone only the file defines ({tzid}), repeated "
                        "at the office's time of its first date",
                        here,
                    )
                )

    def _start_off_rule(self, event: IcsEvent, here: str) -> None:
        """RFC 5545: DTSTART always counts as the first date, even when the rule does not
        give it (dateutil, and so stm's rules, would leave it out): then it is an event of
        its own, and a COUNT counts it."""
        from stm.recurrence import join_rule, split_rule, starts_between

        assert event.rrule is not None
        probe = starts_between(
            event.rrule, event.start, None, event.start, event.start + timedelta(minutes=1),
            event.tzid,
        )  # fmt: skip
        if probe == [event.start]:
            return
        first = _single_date(event, event.start, event.end)
        self.events.setdefault(first.uid, first)
        parts = split_rule(event.rrule)
        if "COUNT" in parts:
            left = int(parts["COUNT"]) - 1
            parts["COUNT"] = str(left)
            event.rrule = join_rule(parts) if left > 0 else None
        self.notices.append(
            Notice("start (DTSTART) not on a date of its rule, imported as an event of its own",
                   here)
        )  # fmt: skip

    def _ignored(self, vevent: Any, here: str) -> None:
        for name in vevent:
            upper = str(name).upper()
            if upper not in _READ and not upper.startswith(_TECHNICAL_PREFIXES):
                self.notices.append(Notice(f"property not imported: {upper}", here))
        for sub in vevent.subcomponents:
            self.notices.append(Notice(f"part not imported: {sub.name}", here))

    def _cut_title(self, event: IcsEvent, here: str) -> None:
        if len(event.title) > MAX_TITLE:
            self.notices.append(
                Notice(f"SUMMARY over {MAX_TITLE} characters, cut ({len(event.title)})", here)
            )
            event.title = event.title[: MAX_TITLE - 1] + "…"

    def _extra_dates(self, vevent: Any, event: IcsEvent, here: str) -> None:
        """RDATE: dates besides the rule's, each an event of its own (stm keeps one rule)."""
        for moment in _dates(vevent.get("RDATE"), self.zone):
            if moment == event.start:
                continue
            duration = event.end - event.start if event.end else None
            extra = _single_date(event, moment, moment + duration if duration else None)
            self.events.setdefault(extra.uid, extra)
            self.notices.append(Notice("extra date (RDATE) imported as an event of its own", here))

    def place_changes(self) -> None:
        for position, uid, change, vevent in self.changes:
            master = self.events.get(uid)
            if master is not None and master.rrule:
                master.changes.append(change)
                continue
            title = _text(vevent.get("SUMMARY"))
            try:  # a single date of someone else's series: an event of its own
                event = _read_event(
                    vevent, self.zone, f"{uid}/{change.recurrence_id:%Y%m%dT%H%M%S}",
                    self.timezone, single=True,
                )  # fmt: skip
            except Invalid as error:
                self.problems.append(Problem(position, uid, title, error.message))
                continue
            event.position = position
            here = where(position, title, uid)
            self._cut_title(event, here)
            self.events.setdefault(event.uid, event)
            self.notices.append(
                Notice("changed date (RECURRENCE-ID) without its series, imported alone", here)
            )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = value[0] if value else None
        if value is None:
            return None
    text = str(value).strip()
    return text or None


def _count(value: Any, name: str) -> int | None:
    text = _text(value)
    if text is None:
        return None
    if not text.isdigit() or len(text) > 9:
        raise Invalid(name, f"{text!r} is not a count; expected a whole number such as 40")
    return int(text)


def _broken(vevent: Any) -> None:
    for name, message in getattr(vevent, "errors", []) or []:
        raise Invalid(str(name), str(message))
    for name in ("DTSTART", "DTEND", "RRULE", "EXDATE", "RDATE", "RECURRENCE-ID", "DURATION"):
        value = vevent.get(name)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item is not None and type(item).__name__ == "vBroken":
                raise Invalid(name, f"{str(item)!r} cannot be read")
            _known_zone(item, name)


def _known_zone(item: Any, name: str) -> None:
    """A TZID that neither the file (VTIMEZONE) nor the IANA database defines is refused:
    taking the time as local would be wrong by hours."""
    params = getattr(item, "params", None) or {}
    tzid = params.get("TZID")
    if not tzid:
        return
    moments = [getattr(d, "dt", d) for d in getattr(item, "dts", [item])]
    if any(isinstance(m, datetime) and m.tzinfo is None for m in moments):
        raise Invalid(
            name,
            f"unknown time zone TZID={tzid!r}; use an IANA name such as Europe/Berlin, or "
            "define it in a VTIMEZONE of the file",
        )


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


def _single_date(event: IcsEvent, start: datetime, end: datetime | None) -> IcsEvent:
    """One date of `event` as an event of its own (an RDATE, or a DTSTART off its rule):
    the same title, place and links, no rule, no changed dates, no attendance."""
    from dataclasses import replace

    uid = f"{event.uid}/{start:%Y%m%dT%H%M%S}"
    return replace(
        event, uid=uid, start=start, end=end, rrule=None, changes=[], tzid=None, attendance=None
    )


def change_alone(event: IcsEvent, change: IcsChange) -> IcsEvent:
    """A changed date of a series that its rule does not give, as an event of its own."""
    start = change.start or change.recurrence_id
    duration = event.end - event.start if event.end else None
    return IcsEvent(
        uid=f"{event.uid}/{change.recurrence_id:%Y%m%dT%H%M%S}",
        title=change.title or event.title,
        start=start,
        end=change.end or (start + duration if duration else None),
        all_day=event.all_day,
        location=change.location or event.location,
        description=event.description,
        status=change.status,
        kind=event.kind,
        categories=event.categories,
        attendance=change.attendance,
    )


def _zone_name(value: Any, office: str) -> str | None:
    """The IANA zone a date-time is given in, if it is not the office's (UTC: "UTC")."""
    moment = getattr(value, "dt", value)
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        return None  # floating: the office's wall clock
    info = moment.tzinfo
    name = getattr(info, "key", None) or getattr(info, "zone", None)
    if name is None and info is UTC:
        name = "UTC"
    if name is None:  # a zone the file defines: by its name, if that is an IANA one
        name = str(getattr(value, "params", {}).get("TZID", "")) or None
    if name in ("Etc/UTC", "Z", "GMT", "Etc/GMT"):
        name = "UTC"
    if not name or name == office:
        return None
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return None  # converted once to the office's wall clock
    return name


def _read_event(
    vevent: Any,
    zone: ZoneInfo,
    uid: str | None,
    office: str = "",
    *,
    single: bool = False,
    exdates: Iterable[tuple[datetime, bool]] = (),
) -> IcsEvent:
    from stm.parsing import check_year
    from stm.recurrence import check_rule

    _broken(vevent)
    if vevent.get("DTSTART") is None:
        raise Invalid("DTSTART", "missing; every event needs a start")
    start, all_day = _local(vevent["DTSTART"], zone)
    check_year(start.date(), "DTSTART")
    end = _read_end(vevent, zone, start, all_day)
    title = _text(vevent.get("SUMMARY")) or "(ohne Titel)"
    rule = None
    recur = vevent.get("RRULE")
    recur = recur[0] if isinstance(recur, list) and recur else recur
    if recur and not single:  # an empty `RRULE:` (holiday feeds) is no rule
        rule = check_rule(recur.to_ical().decode(), start, "RRULE")
    status = _text(vevent.get("STATUS"))
    own = _text(vevent.get("X-STM-STATUS"))
    event = IcsEvent(
        uid=uid or _made_uid(title, start),
        title=title,
        start=start,
        end=end,
        all_day=all_day,
        rrule=rule,
        location=_text(vevent.get("LOCATION")),
        description=_text(vevent.get("DESCRIPTION")),
        status="cancelled" if status == "CANCELLED" else own if own in ("held",) else "planned",
        kind=_text(vevent.get("X-STM-KIND")),
        categories=_categories(vevent),
        districts=[d for d in (_text(vevent.get("X-STM-DISTRICTS")) or "").split(",") if d],
        contacts=_people(vevent),
        tzid=_zone_name(vevent["DTSTART"], office) if rule else None,
        project=_text(vevent.get("X-STM-PROJECT")),
        expected=_count(vevent.get("X-STM-EXPECTED"), "X-STM-EXPECTED"),
        attendance=_count(vevent.get("X-STM-ATTENDANCE"), "X-STM-ATTENDANCE"),
    )
    if rule:
        for exdate, whole_day in chain(_dates_and_kinds(vevent.get("EXDATE"), zone), exdates):
            if whole_day and not all_day:  # a date on a series of times: that day's date
                exdate = _on_day(exdate, vevent["DTSTART"], zone)
            event.changes.append(IcsChange(recurrence_id=exdate, status="cancelled"))
    return event


def _on_day(day: datetime, dtstart: Any, zone: ZoneInfo) -> datetime:
    """The series' start time on `day`, as the office's wall clock."""
    moment = getattr(dtstart, "dt", dtstart)
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        there = datetime.combine(day.date(), moment.time(), tzinfo=moment.tzinfo)
        return there.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    return datetime.combine(day.date(), moment.time()).replace(second=0, microsecond=0)


def _people(vevent: Any) -> list[str]:
    """Organisers: ORGANIZER's CN (or address) and every CONTACT, each once."""
    found: list[str] = []
    organizer = vevent.get("ORGANIZER")
    for item in organizer if isinstance(organizer, list) else [organizer]:
        if item is None:
            continue
        name = str(getattr(item, "params", {}).get("CN", "")).strip()
        if not name:
            name = str(item).removeprefix("mailto:").removeprefix("MAILTO:").strip()
        if name and name not in found:
            found.append(name)
    contact = vevent.get("CONTACT")
    for item in contact if isinstance(contact, list) else [contact]:
        text = _text(item)
        if text and text not in found:
            found.append(text)
    return found


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
    status = _text(vevent.get("STATUS"))
    held = _text(vevent.get("X-STM-STATUS")) == "held"
    return IcsChange(
        recurrence_id=recurrence_id,
        status="cancelled" if status == "CANCELLED" else "held" if held else "planned",
        start=start,
        end=end,
        title=_text(vevent.get("SUMMARY")),
        location=_text(vevent.get("LOCATION")),
        attendance=_count(vevent.get("X-STM-ATTENDANCE"), "X-STM-ATTENDANCE"),
    )


_EXDATE_LINE = re.compile(
    r"^EXDATE(?P<params>(?:;[A-Za-z-]+=[^:;]*)*):(?P<values>[0-9TZ,]+)\s*$", re.IGNORECASE
)
_EXDATE_VALUE = re.compile(r"^(\d{4})(\d\d)(\d\d)(?:T(\d\d)(\d\d)(\d\d)(Z?))?$")


def _take_exdates(text: str) -> tuple[str, dict[int, list[tuple[datetime, bool]]]]:
    """EXDATE lines read here, fast, and left out of what icalendar parses.

    icalendar needs about half a millisecond per property line, and calendars with years
    of daily dates cancelled one by one exist (100,000 EXDATEs: a minute); these simple
    lines are read here in a second. Lines with a TZID that only the file defines stay.
    Result: the text without them, and per VEVENT (1-based, in file order) the dates as
    the office's wall-clock times (with whether each was a date alone).
    """
    if "EXDATE" not in text.upper():
        return text, {}
    from stm import clock

    office = ZoneInfo(clock.timezone())
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    kept: list[str] = []
    found: dict[int, list[tuple[datetime, bool]]] = {}
    vevent = 0
    zones: dict[str, ZoneInfo | None] = {}
    for line in unfolded.splitlines():
        upper = line[:12].upper()
        if upper.startswith("BEGIN:VEVENT"):
            vevent += 1
        elif upper.startswith("EXDATE"):
            dates = _exdate_line(line, office, zones)
            if dates is not None:
                found.setdefault(vevent, []).extend(dates)
                continue
        kept.append(line)
    return "\r\n".join(kept) + "\r\n", found


def _exdate_line(
    line: str, office: ZoneInfo, zones: dict[str, ZoneInfo | None]
) -> list[tuple[datetime, bool]] | None:
    match = _EXDATE_LINE.match(line.strip())
    if not match:
        return None
    params = {
        k.upper(): v.strip('"')
        for k, _, v in (p.partition("=") for p in match["params"].split(";")[1:])
    }
    zone: ZoneInfo | None = None
    if "TZID" in params:
        name = params.pop("TZID")
        if name not in zones:
            try:
                zones[name] = ZoneInfo(name)
            except (ValueError, KeyError, OSError):
                zones[name] = None
        zone = zones[name]
        if zone is None:
            return None  # a zone of the file's own: icalendar reads it
    if set(params) - {"VALUE"}:
        return None
    dates = []
    for value in match["values"].split(","):
        parts = _EXDATE_VALUE.match(value)
        if parts is None:
            return None
        year, month, day, hour, minute, _second, utc = parts.groups()
        try:
            if hour is None:
                dates.append((datetime(int(year), int(month), int(day)), True))
                continue
            moment = datetime(int(year), int(month), int(day), int(hour), int(minute))
        except ValueError:
            return None  # icalendar names what is wrong
        if utc:
            moment = moment.replace(tzinfo=UTC).astimezone(office).replace(tzinfo=None)
        elif zone is not None and zone is not office:  # the office's: as it stands
            moment = moment.replace(tzinfo=zone).astimezone(office).replace(tzinfo=None)
        dates.append((moment, False))
    return dates


def _dates_and_kinds(value: Any, zone: ZoneInfo) -> list[tuple[datetime, bool]]:
    if value is None:
        return []
    found = []
    for item in value if isinstance(value, list) else [value]:
        for moment in getattr(item, "dts", [item]):
            found.append(_local(moment, zone))
    return found


def _dates(value: Any, zone: ZoneInfo) -> list[datetime]:
    return [moment for moment, _ in _dates_and_kinds(value, zone)]


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


# ------------------------------------------------------------------------------ invitations

#: The heading of the agenda in an invitation's DESCRIPTION, by document language.
AGENDA_HEADINGS = {"de": "Tagesordnung:", "en": "Agenda:"}


def write_invitation(
    document: dict[str, Any],
    timezone: str,
    *,
    stamp: datetime,
    organiser_email: str | None = None,
    lang: str = "de",
) -> bytes:
    """An iCalendar invitation (one VEVENT) for the meeting of an agenda document; the
    agenda in its DESCRIPTION is headed in the document's language."""
    from icalendar import Calendar
    from icalendar import Event as VEvent

    zone = ZoneInfo(timezone)
    meeting = document["meeting"]
    calendar = Calendar()
    calendar.add("prodid", "-//stm//Stadtteilmanagement//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    vevent = VEvent()
    vevent.add("uid", meeting["uid"])
    vevent.add("dtstamp", stamp.replace(tzinfo=zone).astimezone(ZoneInfo("UTC")))
    vevent.add("dtstart", meeting["start"].replace(tzinfo=zone))
    end = meeting["end"] or document["planned_end"]
    vevent.add("dtend", end.replace(tzinfo=zone))
    vevent.add("summary", meeting["title"])
    if meeting["location"]:
        vevent.add("location", meeting["location"])
    vevent.add("description", _agenda_text(document, lang))
    vevent.add("status", "CONFIRMED")
    if organiser_email:
        vevent.add("organizer", f"mailto:{organiser_email}")
    calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _agenda_text(document: dict[str, Any], lang: str) -> str:
    lines = [AGENDA_HEADINGS.get(lang, AGENDA_HEADINGS["de"])]
    for item in document["items"]:
        presenter = f" ({item['presenter']})" if item["presenter"] else ""
        lines.append(f"TOP {item['number']} {item['start']:%H:%M} {item['title']}{presenter}")
    return "\n".join(lines)
