"""Writing iCalendar: the register's events (`write_calendar`) and a meeting's
invitation (`write_invitation`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from stm.formats.ics.model import PRODID, IcsChange, IcsEvent

_STATUS_OUT = {"planned": "CONFIRMED", "held": "CONFIRMED", "cancelled": "CANCELLED"}


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
