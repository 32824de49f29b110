"""Expanding rules: the dates of a series inside a window, its last and next dates.

dateutil walks a rule from its first date, which would make a weekly series begun years
ago slow to list; the window is therefore approached in whole periods of the rule first.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from stm.recurrence.rules import (
    WEEKDAYS,
    dateutil_rule,
    format_until,
    join_rule,
    parse_until,
    split_rule,
)

# ------------------------------------------------------------------------------ expansion


def last_start(rule: str, start: datetime, tzid: str | None = None) -> datetime | None:
    """The start of the rule's last occurrence; None for an open-ended rule."""
    zones = _zoned(tzid)
    if zones is not None:
        last = last_start(zones.rule_there(rule), zones.there(start))
        return zones.here(last) if last is not None else None
    parts = split_rule(rule)
    if "COUNT" in parts:
        occurrences = list(dateutil_rule(rule, start))
        return occurrences[-1] if occurrences else None
    if "UNTIL" in parts:
        until = parse_until(parts["UNTIL"])
        unbounded = join_rule({k: v for k, v in parts.items() if k != "UNTIL"})
        # Look near UNTIL first instead of walking there from the start (daily for years).
        lower = until - timedelta(days=800)
        if lower > start:
            found = starts_between(unbounded, start, None, lower, until + timedelta(seconds=1))
            if found:
                return found[-1]
        before: datetime | None = dateutil_rule(rule, start).before(until, inc=True)
        return before
    return None


def _explicit(parts: dict[str, str], start: datetime, until: datetime | None) -> dict[str, str]:
    """What dateutil would take from the start, written out, so the start can move."""
    explicit = dict(parts)
    implicit = not any(k in parts for k in ("BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY"))
    freq = parts.get("FREQ")
    if implicit and freq == "YEARLY":
        explicit.setdefault("BYMONTH", str(start.month))
        explicit["BYMONTHDAY"] = str(start.day)
    elif implicit and freq == "MONTHLY":
        explicit["BYMONTHDAY"] = str(start.day)
    elif implicit and freq == "WEEKLY":
        explicit["BYDAY"] = WEEKDAYS[start.weekday()]
    explicit.pop("COUNT", None)
    explicit.pop("UNTIL", None)
    if until is not None:
        explicit["UNTIL"] = format_until(until)
    return explicit


def _anchor(parts: dict[str, str], start: datetime, lower: datetime) -> datetime:
    """A later start of the same rule: the beginning of a period at or before `lower`.

    Every occurrence of that period has the start's time of day, so none of them lies
    before it; a rule with its own BYHOUR/BYMINUTE/BYSECOND keeps one period to spare.
    """
    if lower <= start:
        return start
    interval = int(parts.get("INTERVAL", "1"))
    freq = parts["FREQ"]
    spare = 1 if any(k in parts for k in ("BYHOUR", "BYMINUTE", "BYSECOND")) else 0
    if freq == "DAILY":
        periods = (lower - start).days // interval - spare
        return start + timedelta(days=periods * interval) if periods > 0 else start
    if freq == "WEEKLY":
        periods = (lower - start).days // 7 // interval - spare
        if periods <= 0:
            return start
        moved = start + timedelta(weeks=periods * interval)
        week_start = WEEKDAYS.index(parts.get("WKST", "MO"))
        moved -= timedelta(days=(moved.weekday() - week_start) % 7)
        return datetime.combine(moved.date(), start.time())
    if freq == "MONTHLY":
        months = (lower.year - start.year) * 12 + lower.month - start.month
        periods = months // interval - spare
        if periods <= 0:
            return start
        index = start.year * 12 + start.month - 1 + periods * interval
        return datetime.combine(date(index // 12, index % 12 + 1, 1), start.time())
    years = lower.year - start.year
    periods = years // interval - spare
    if periods <= 0:
        return start
    return datetime.combine(date(start.year + periods * interval, 1, 1), start.time())


class _Zones:
    """Between the office's wall clock and a series' own zone (`Event.tzid`)."""

    def __init__(self, tzid: str) -> None:
        from zoneinfo import ZoneInfo

        from stm import clock

        self.own = ZoneInfo(tzid)
        self.office = ZoneInfo(clock.timezone())

    def there(self, moment: datetime) -> datetime:
        return moment.replace(tzinfo=self.office).astimezone(self.own).replace(tzinfo=None)

    def here(self, moment: datetime) -> datetime:
        return moment.replace(tzinfo=self.own).astimezone(self.office).replace(tzinfo=None)

    def rule_there(self, rule: str) -> str:
        parts = split_rule(rule)
        if "UNTIL" in parts:
            parts["UNTIL"] = format_until(self.there(parse_until(parts["UNTIL"])))
        return join_rule(parts)


def _zoned(tzid: str | None) -> _Zones | None:
    from stm import clock

    return _Zones(tzid) if tzid and tzid != clock.timezone() else None


def starts_between(
    rule: str,
    start: datetime,
    until: datetime | None,
    lower: datetime,
    upper: datetime,
    tzid: str | None = None,
) -> list[datetime]:
    """Starts `s` of the rule with `lower <= s < upper`, never expanding outside that window.

    `until` is the last occurrence's start (the register keeps it), so that a COUNT rule
    can be expanded from anywhere, not only from its first date. Times are the office's
    wall clock; a series with a zone of its own (`tzid`) repeats in that zone's.
    """
    zones = _zoned(tzid)
    if zones is not None:
        if start >= upper + _MARGIN or (until is not None and until < lower - _MARGIN):
            return []
        found = _starts_between(
            zones.rule_there(rule),
            zones.there(start),
            zones.there(until) if until is not None else None,
            zones.there(lower) - _MARGIN,
            zones.there(upper) + _MARGIN,
        )
        return [moment for moment in map(zones.here, found) if lower <= moment < upper]
    return _starts_between(rule, start, until, lower, upper)


_MARGIN = timedelta(days=1)  # more than any two zones differ by


def _starts_between(
    rule: str, start: datetime, until: datetime | None, lower: datetime, upper: datetime
) -> list[datetime]:
    if start >= upper or (until is not None and until < lower):
        return []
    parts = split_rule(rule)
    if "COUNT" in parts and until is None:
        until = last_start(rule, start)
        if until is None:
            return []
    anchor = _anchor(parts, start, lower)
    if anchor == start:
        expanded = dateutil_rule(rule, start)
    else:
        expanded = dateutil_rule(join_rule(_explicit(parts, start, until)), anchor)
    found = expanded.between(lower, upper, inc=True)
    return [s for s in found if s < upper and s >= start]


def occurs_on(
    rule: str, start: datetime, until: datetime | None, day: date, tzid: str | None = None
) -> datetime | None:
    """The start of the rule's occurrence on `day`, if it has one."""
    begin = datetime.combine(day, time(0, 0))
    found = starts_between(rule, start, until, begin, begin + timedelta(days=1), tzid)
    return found[0] if found else None


def next_starts(
    rule: str,
    start: datetime,
    until: datetime | None,
    after: datetime,
    limit: int,
    tzid: str | None = None,
) -> list[datetime]:
    """Up to `limit` starts at or after `after` (for `show`)."""
    found: list[datetime] = []
    lower = after
    for span in (62, 400, 4000, 40000):
        found = starts_between(rule, start, until, lower, lower + timedelta(days=span), tzid)
        if len(found) >= limit:
            break
    return found[:limit]


def first_start(rule: str, start: datetime) -> datetime | None:
    """The first date the rule gives (dateutil omits a start that does not fit the rule)."""
    first: datetime | None = dateutil_rule(rule, start).after(start, inc=True)
    return first


def weekday_codes(days: Iterable[date]) -> list[str]:
    return [WEEKDAYS[d.weekday()] for d in days]
