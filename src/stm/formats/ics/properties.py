"""The properties of a VEVENT as stm reads them: texts, counts, dates and times in the
office's zone, zones, people, ends, changed dates and EXDATEs."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo

from stm.errors import Invalid
from stm.formats.ics.model import IcsChange, IcsEvent


def text_of(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = value[0] if value else None
        if value is None:
            return None
    text = str(value).strip()
    return text or None


def _count(value: Any, name: str) -> int | None:
    text = text_of(value)
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


def read_event(
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
    title = text_of(vevent.get("SUMMARY")) or "(ohne Titel)"
    rule = None
    recur = vevent.get("RRULE")
    recur = recur[0] if isinstance(recur, list) and recur else recur
    if recur and not single:  # an empty `RRULE:` (holiday feeds) is no rule
        rule = check_rule(recur.to_ical().decode(), start, "RRULE")
    status = text_of(vevent.get("STATUS"))
    own = text_of(vevent.get("X-STM-STATUS"))
    event = IcsEvent(
        uid=uid or _made_uid(title, start),
        title=title,
        start=start,
        end=end,
        all_day=all_day,
        rrule=rule,
        location=text_of(vevent.get("LOCATION")),
        description=text_of(vevent.get("DESCRIPTION")),
        status="cancelled" if status == "CANCELLED" else own if own in ("held",) else "planned",
        kind=text_of(vevent.get("X-STM-KIND")),
        categories=_categories(vevent),
        districts=[d for d in (text_of(vevent.get("X-STM-DISTRICTS")) or "").split(",") if d],
        contacts=_people(vevent),
        tzid=_zone_name(vevent["DTSTART"], office) if rule else None,
        project=text_of(vevent.get("X-STM-PROJECT")),
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
        text = text_of(item)
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


def read_change(vevent: Any, zone: ZoneInfo) -> IcsChange:
    _broken(vevent)
    recurrence_id, _ = _local(vevent["RECURRENCE-ID"], zone)
    start, all_day = _local(vevent["DTSTART"], zone) if vevent.get("DTSTART") else (None, False)
    end = _read_end(vevent, zone, start, all_day) if start is not None else None
    status = text_of(vevent.get("STATUS"))
    held = text_of(vevent.get("X-STM-STATUS")) == "held"
    return IcsChange(
        recurrence_id=recurrence_id,
        status="cancelled" if status == "CANCELLED" else "held" if held else "planned",
        start=start,
        end=end,
        title=text_of(vevent.get("SUMMARY")),
        location=text_of(vevent.get("LOCATION")),
        attendance=_count(vevent.get("X-STM-ATTENDANCE"), "X-STM-ATTENDANCE"),
    )


_EXDATE_LINE = re.compile(
    r"^EXDATE(?P<params>(?:;[A-Za-z-]+=[^:;]*)*):(?P<values>[0-9TZ,]+)\s*$", re.IGNORECASE
)
_EXDATE_VALUE = re.compile(r"^(\d{4})(\d\d)(\d\d)(?:T(\d\d)(\d\d)(\d\d)(Z?))?$")


def take_exdates(text: str) -> tuple[str, dict[int, list[tuple[datetime, bool]]]]:
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


def dates_of(value: Any, zone: ZoneInfo) -> list[datetime]:
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
