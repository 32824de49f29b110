"""Rules as RFC 5545 text: their parts, UNTIL, and checking a rule before it is stored."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal

from stm.errors import Invalid

MAX_COUNT = 5000
#: An UNTIL this many years after the start is refused for the same reason.
MAX_YEARS = 200
MAX_INTERVAL = 1000
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
REPEAT_FORMS = (
    "an RRULE such as FREQ=MONTHLY;BYDAY=2TU;COUNT=12, or daily, weekly, monthly, yearly, "
    "'every 2nd tuesday', 'jeden 2. Dienstag', 'alle 2 Wochen', with 'until 31.12.2027' "
    "or '10 times'"
)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_PART_ORDER = (
    "FREQ", "INTERVAL", "BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY",
    "BYHOUR", "BYMINUTE", "BYSECOND", "BYSETPOS", "WKST", "COUNT", "UNTIL",
)  # fmt: skip
_KNOWN_PARTS = frozenset(_PART_ORDER)
BYDAY_ITEM = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$")


# ------------------------------------------------------------------------------ the parts


def split_rule(rule: str) -> dict[str, str]:
    """`FREQ=WEEKLY;BYDAY=TU` → {'FREQ': 'WEEKLY', 'BYDAY': 'TU'} (no validation)."""
    parts: dict[str, str] = {}
    for item in rule.split(";"):
        if not item:
            continue
        name, _, value = item.partition("=")
        parts[name.strip().upper()] = value.strip()
    return parts


def join_rule(parts: dict[str, str]) -> str:
    """The parts in the conventional order, FREQ first."""
    ordered = [name for name in _PART_ORDER if name in parts]
    ordered += [name for name in parts if name not in _KNOWN_PARTS]
    return ";".join(f"{name}={parts[name]}" for name in ordered)


def format_until(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def parse_until(value: str, field: str = "repeat", *, timezone: str | None = None) -> datetime:
    """An RRULE UNTIL as naive wall-clock time; `…Z` (UTC) is converted to `timezone`."""
    match = _UNTIL.match(value.strip().upper())
    if not match:
        raise Invalid(field, f"UNTIL={value} is not a date; use UNTIL=20271231 or 20271231T180000")
    year, month, day, hour, minute, second, utc = match.groups()
    try:
        if hour is None:
            # A date alone: the whole day counts, whatever time the event starts.
            return datetime(int(year), int(month), int(day), 23, 59, 59)
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        raise Invalid(field, f"UNTIL={value} is not a calendar date") from None
    if utc:
        from datetime import UTC
        from zoneinfo import ZoneInfo

        from stm import clock

        zone = ZoneInfo(timezone or clock.timezone())
        moment = moment.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
    return moment


# ------------------------------------------------------------------------------ parsing


def check_rule(rule: str, start: datetime, field: str = "repeat") -> str:
    """Validate an RRULE against its start; returns it normalised (UNTIL as wall clock)."""
    parts = _checked_parts(rule.replace(" ", ""), field)
    _one_time_of_day(parts, start, field)
    if "UNTIL" in parts:
        until = parse_until(parts["UNTIL"], field)
        if until < start:
            raise Invalid(
                field, f"UNTIL {until:%Y-%m-%d %H:%M} is before the start {start:%Y-%m-%d %H:%M}"
            )
        if until.year - start.year > MAX_YEARS:
            raise Invalid(field, f"UNTIL {until:%Y-%m-%d} is more than {MAX_YEARS} years ahead")
        parts["UNTIL"] = format_until(until)
    normalised = join_rule(parts)
    try:
        first = dateutil_rule(normalised, start).after(start, inc=True)
    except (ValueError, TypeError, OverflowError) as error:
        raise Invalid(
            field, f"{rule!r} is not a valid rule ({error}); use {REPEAT_FORMS}"
        ) from None
    if first is None:
        raise Invalid(field, f"{rule!r} gives no date on or after the start {start:%Y-%m-%d}")
    return normalised


#: The parts that would give a series more than one time on a day.
_TIME_PARTS = {"BYHOUR": "hour", "BYMINUTE": "minute", "BYSECOND": "second"}


def _one_time_of_day(parts: dict[str, str], start: datetime, field: str) -> None:
    """No rule gives more than one date a day: its time of day is the event's start.

    BYHOUR, BYMINUTE and BYSECOND are refused (a list of them would multiply the dates
    of each day), except a single value that is the start's own, which is dropped.
    """
    for name, unit in _TIME_PARTS.items():
        if name not in parts:
            continue
        value = parts[name]
        if re.fullmatch(r"\d{1,2}", value) and int(value) == getattr(start, unit):
            del parts[name]
            continue
        raise Invalid(
            field,
            f"{name}={value}: a rule gives at most one date a day, at the event's start "
            f"time ({start:%H:%M}); leave {name} out and set the time with --time",
        )


def _checked_parts(rule: str, field: str) -> dict[str, str]:
    items = [item for item in rule.split(";") if item]
    parts: dict[str, str] = {}
    for item in items:
        name, equals, value = item.partition("=")
        if not equals or not value:
            raise Invalid(field, f"{item!r} is not a NAME=VALUE part; use {REPEAT_FORMS}")
        if name not in _KNOWN_PARTS:
            raise Invalid(field, f"unknown rule part {name!r}; use {REPEAT_FORMS}")
        if name in parts:
            raise Invalid(field, f"{name} is given twice")
        parts[name] = value
    freq = parts.get("FREQ")
    if freq is None:
        raise Invalid(field, f"FREQ is missing; use {REPEAT_FORMS}")
    if freq in ("HOURLY", "MINUTELY", "SECONDLY"):
        raise Invalid(field, f"FREQ={freq}: events repeat at most daily")
    if freq not in FREQUENCIES:
        raise Invalid(field, f"FREQ={freq} is not DAILY, WEEKLY, MONTHLY or YEARLY")
    if "COUNT" in parts and "UNTIL" in parts:
        raise Invalid(field, "give COUNT or UNTIL, not both")
    if "COUNT" in parts:
        count = _whole(parts["COUNT"], "COUNT", field)
        if not 1 <= count <= MAX_COUNT:
            raise Invalid(
                field,
                f"COUNT={parts['COUNT']} is out of range; 1 to {MAX_COUNT} occurrences "
                "(leave COUNT out for an open-ended series)",
            )
        parts["COUNT"] = str(count)
    if "INTERVAL" in parts:
        interval = _whole(parts["INTERVAL"], "INTERVAL", field)
        if not 1 <= interval <= MAX_INTERVAL:
            raise Invalid(
                field, f"INTERVAL={parts['INTERVAL']} is out of range (1 to {MAX_INTERVAL})"
            )
        if interval == 1:
            del parts["INTERVAL"]
        else:
            parts["INTERVAL"] = str(interval)
    if "BYDAY" in parts:
        for item in parts["BYDAY"].split(","):
            if not BYDAY_ITEM.match(item):
                raise Invalid(
                    field, f"BYDAY={parts['BYDAY']}: {item!r} is not a weekday like TU or 2TU"
                )
    return parts


def _whole(value: str, name: str, field: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,40}", value):
        raise Invalid(field, f"{name}={value} is not a whole number")
    return int(value)


# ------------------------------------------------------------------------------ dateutil


@lru_cache(maxsize=512)
def _cached_rule(rule: str, start: datetime) -> Any:
    from dateutil.rrule import rrulestr

    try:
        return _built_rule(rule, start)
    except (KeyError, ValueError):
        return rrulestr(rule, dtstart=start)  # let dateutil say what is wrong


_FREQ_CODES: dict[str, Literal[0, 1, 2, 3]] = {"YEARLY": 0, "MONTHLY": 1, "WEEKLY": 2, "DAILY": 3}
_NUMBER_LISTS = {
    "BYMONTH": "bymonth", "BYMONTHDAY": "bymonthday", "BYYEARDAY": "byyearday",
    "BYWEEKNO": "byweekno", "BYHOUR": "byhour", "BYMINUTE": "byminute", "BYSECOND": "bysecond",
    "BYSETPOS": "bysetpos",
}  # fmt: skip


def _built_rule(rule: str, start: datetime) -> Any:
    """The dateutil rule, built from the parts directly.

    `rrulestr` hands UNTIL to dateutil's general date parser, which is slow enough to
    show when a month of 500 series is listed; rules stored here are already normal.
    """
    from dateutil.rrule import rrule, weekday

    parts = split_rule(rule)
    options: dict[str, Any] = {"interval": int(parts.pop("INTERVAL", "1"))}
    freq = _FREQ_CODES[parts.pop("FREQ")]
    if "COUNT" in parts:
        options["count"] = int(parts.pop("COUNT"))
    if "UNTIL" in parts:
        options["until"] = parse_until(parts.pop("UNTIL"))
    if "WKST" in parts:
        options["wkst"] = WEEKDAYS.index(parts.pop("WKST"))
    if "BYDAY" in parts:
        days = []
        for item in parts.pop("BYDAY").split(","):
            match = BYDAY_ITEM.match(item)
            if not match:
                raise ValueError(item)
            n = int(match.group(1)) if match.group(1) else None
            days.append(weekday(WEEKDAYS.index(match.group(2)), n))
        options["byweekday"] = days
    for name in list(parts):
        options[_NUMBER_LISTS[name]] = [int(v) for v in parts.pop(name).split(",")]
    return rrule(freq, dtstart=start, **options)


def dateutil_rule(rule: str, start: datetime) -> Any:
    return _cached_rule(rule, start)
