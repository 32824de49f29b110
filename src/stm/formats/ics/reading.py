"""Reading iCalendar files: checking that a file is one, then each VEVENT as an
`IcsEvent` (see `stm.formats.ics.properties` for the properties)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from stm.errors import Invalid
from stm.formats.ics.model import (
    FIELD,
    MAX_BYTES,
    IcsChange,
    IcsEvent,
    Notice,
    Problem,
    ReadCalendar,
    single_date,
    where,
)
from stm.formats.ics.properties import dates_of, read_change, read_event, take_exdates, text_of

_BEGIN_END = re.compile(r"^(BEGIN|END):([A-Za-z0-9-]+)\s*$", re.IGNORECASE)

#: VEVENT properties that are read, or mean nothing outside the program that wrote them.
_READ = {
    "UID", "DTSTAMP", "SUMMARY", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE",
    "RECURRENCE-ID", "LOCATION", "DESCRIPTION", "STATUS", "CATEGORIES", "CONTACT", "ORGANIZER",
    "SEQUENCE", "CREATED", "LAST-MODIFIED", "TRANSP", "CLASS",
}  # fmt: skip
_TECHNICAL_PREFIXES = ("X-STM-", "X-MICROSOFT-", "X-MOZ-", "X-APPLE-", "X-GOOGLE-", "X-LIC-",
                       "X-MS-", "X-ALT-DESC", "X-EVOLUTION-", "X-KDE-")  # fmt: skip
MAX_TITLE = 200


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

    text, exdates = take_exdates(check_text(data))
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
        uid = text_of(vevent.get("UID"))
        title = text_of(vevent.get("SUMMARY"))
        here = where(position, title, uid)
        self._ignored(vevent, here)
        try:
            if vevent.get("RECURRENCE-ID") is not None:
                change = read_change(vevent, self.zone)
                self.changes.append((position, uid or "", change, vevent))
                return
            event = read_event(vevent, self.zone, uid, self.timezone, exdates=self.exdates)
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
        first = single_date(event, event.start, event.end)
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
        for moment in dates_of(vevent.get("RDATE"), self.zone):
            if moment == event.start:
                continue
            duration = event.end - event.start if event.end else None
            extra = single_date(event, moment, moment + duration if duration else None)
            self.events.setdefault(extra.uid, extra)
            self.notices.append(Notice("extra date (RDATE) imported as an event of its own", here))

    def place_changes(self) -> None:
        for position, uid, change, vevent in self.changes:
            master = self.events.get(uid)
            if master is not None and master.rrule:
                master.changes.append(change)
                continue
            title = text_of(vevent.get("SUMMARY"))
            try:  # a single date of someone else's series: an event of its own
                event = read_event(
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
