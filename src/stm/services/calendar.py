"""The month grid of `stm calendar`: weeks of days, each with its events and holidays.

A read over the light tables (no ORM): the events come from the listing of
`stm.services.events`, the holidays from `stm.holidays`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypedDict

from stm import clock, holidays
from stm.services.events import EventFilter, days_of, district_ids, district_rows, list_occurrences

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


class CalendarEntry(TypedDict):
    """An event on a day of the grid."""

    id: int
    title: str
    time: str | None
    status: str
    kind: str


class CalendarDay(TypedDict):
    date: str
    day: int
    in_month: bool
    today: bool
    holidays: list[str]
    events: list[CalendarEntry]


class MonthCalendar(TypedDict):
    """`stm calendar --json`."""

    month: str
    districts: list[str]
    states: list[str]
    weeks: list[list[CalendarDay]]
    events: int


def month_calendar(
    connection: Connection,
    month: date,
    *,
    districts: Sequence[str] = (),
    default_state: str = "",
) -> MonthCalendar:
    """A month as weeks of days (Monday first), each with its events and holidays."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    grid_start = first - timedelta(days=first.weekday())
    grid_end = following + timedelta(days=(7 - following.weekday()) % 7)
    criteria = EventFilter(start=grid_start, end=grid_end - timedelta(days=1), districts=districts)
    found = list_occurrences(connection, criteria)
    states = _calendar_states(connection, districts, default_state)
    holiday_days = holidays.holidays_between(grid_start, grid_end, states or [holidays.NATIONWIDE])
    by_day: dict[date, list[CalendarEntry]] = defaultdict(list)
    for occurrence in found:
        all_day = occurrence.event.all_day
        for day in days_of(occurrence):
            by_day[day].append(
                {
                    "id": occurrence.event.id,
                    "title": occurrence.title,
                    "time": None if all_day else occurrence.start.strftime("%H:%M"),
                    "status": occurrence.status,
                    "kind": occurrence.event.kind,
                }
            )
    today = clock.today()
    weeks: list[list[CalendarDay]] = []
    day = grid_start
    while day < grid_end:
        week: list[CalendarDay] = []
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


def _calendar_states(
    connection: Connection, districts: Sequence[str], default_state: str
) -> list[str]:
    rows = district_rows(connection)
    if districts:
        wanted = set(district_ids(connection, districts))
        return sorted({row.state for row in rows if row.id in wanted and row.state})
    if default_state:
        return [default_state.upper()]
    return sorted({row.state for row in rows if row.state})


def _holiday_labels(names: dict[str, str], several_states: bool) -> list[str]:
    by_name: dict[str, list[str]] = defaultdict(list)
    for state, name in names.items():
        by_name[name].append(state)
    if not several_states:
        return sorted(by_name)
    return [f"{name} ({', '.join(states)})" for name, states in sorted(by_name.items())]
