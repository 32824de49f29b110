"""Typed times of an event: a date, a time, an end, all day or not, as the user gives them.

Dates and times arrive as the user's text (`18.06.2022`, `14 Uhr`, `--end 20:00`) or, from
other services, as datetimes (`start_at`, `end_at`); errors name the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from stm import clock
from stm.errors import Invalid
from stm.parsing import check_wall_clock, parse_date, parse_datetime, parse_time

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


def fmt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _looks_like_time(text: str) -> bool:
    try:
        parse_time(text, "end")
    except Invalid:
        return False
    return True


def parse_end(text: str, start: datetime, all_day: bool) -> datetime:
    """`--end`: a time (same day), a date (all-day: the last day) or a date and a time."""
    value = text.strip()
    if _looks_like_time(value):
        if all_day:
            raise Invalid(
                "end", f"{text!r} is a time, but the event lasts all day; give its last day"
            )
        end = datetime.combine(start.date(), parse_time(value, "end"))
    elif " " in value or "T" in value:
        if all_day:
            raise Invalid(
                "end", f"{text!r} has a time, but the event lasts all day; give its last day"
            )
        end = parse_datetime(value, "end")
    else:
        day = _end_date(value)
        if not all_day:
            raise Invalid(
                "end", f"{text!r} has no time; the event starts at {start:%H:%M}, use {END_FORMS}"
            )
        if day < start.date():
            raise Invalid(
                "end", f"{day.isoformat()} is before the start {start.date().isoformat()}"
            )
        return datetime.combine(day, time(0, 0)) + timedelta(days=1)
    if end <= start:
        raise Invalid("end", f"{fmt(end)} is not after the start {fmt(start)}")
    return end


def _end_date(value: str) -> date:
    try:
        return parse_date(value, "end")
    except Invalid:
        raise Invalid("end", f"{value!r} is not an end; use {END_FORMS}") from None


def when_of(data: EventFields, current: When | None) -> When:
    """Start, end and all-day from the given fields, keeping what is not given."""
    if data.start_at is not None:
        all_day = bool(data.all_day)
        start = data.start_at.replace(second=0, microsecond=0)
        if all_day:
            start = datetime.combine(start.date(), time(0, 0))
    else:
        if current is None and data.date is None:
            raise Invalid("date", "is required")
        day = parse_date(data.date, "date") if data.date is not None else None
        moment = parse_time(data.time, "time") if data.time is not None else None
        if data.all_day is not None:
            all_day = data.all_day
        elif moment is not None:
            all_day = False
        else:
            all_day = current.all_day if current else True
        if all_day and moment is not None:
            raise Invalid(
                "time", "an all-day event has no start time; leave out --all-day or --time"
            )
        base = current.start if current else None
        day = day or (base.date() if base else clock.today())
        if all_day:
            start = datetime.combine(day, time(0, 0))
        else:
            if moment is None and (current is None or current.all_day):
                raise Invalid(
                    "time", "is required for an event that is not all day, e.g. --time 14:00"
                )
            start = datetime.combine(day, moment or (base.time() if base else time(0, 0)))
    end = _end(data, current, start, all_day)
    if not all_day:  # a time the clocks skip in spring is no time at all
        check_wall_clock(start, "time")
        if end is not None:
            check_wall_clock(end, "end")
    return When(start, end, all_day)


def _end(
    data: EventFields, current: When | None, start: datetime, all_day: bool
) -> datetime | None:
    if data.end_at is not None:
        end = data.end_at.replace(second=0, microsecond=0)
        if end <= start:
            raise Invalid("end", f"{fmt(end)} is not after the start {fmt(start)}")
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
