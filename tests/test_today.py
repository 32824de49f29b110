"""Whatever is computed from today holds on every day: `next`, `last`, the default window
of `event list`, `--month last`, the report's outlook, overdue tasks, stale persons.

Each test sets `STM_NOW` to days spread over a year, plus the days that break calendars:
New Year's Eve and Day, 29 February, the DST changes, month ends.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from helpers import json_of
from stm.parsing import parse_month

YEAR = [date(2027, 1, 1) + timedelta(days=n) for n in range(0, 365, 17)]
EDGES = [
    date(2027, 1, 1),
    date(2027, 3, 28),  # DST begins
    date(2027, 3, 31),
    date(2027, 10, 31),  # DST ends
    date(2027, 12, 31),
    date(2028, 2, 29),
]
DAYS = sorted(set(YEAR + EDGES))


def _at(monkeypatch, day: date, clock: str = "10:00") -> None:
    monkeypatch.setenv("STM_NOW", f"{day.isoformat()}T{clock}")


def _first_tuesdays(first: date, months: int) -> list[date]:
    found = []
    year, month = first.year, first.month
    for _ in range(months):
        day = date(year, month, 1)
        found.append(day + timedelta(days=(1 - day.weekday()) % 7))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def test_month_last_is_the_month_before_on_every_day_of_a_leap_year():
    day = date(2028, 1, 1)
    while day.year == 2028:
        first = day.replace(day=1)
        before = (first - timedelta(days=1)).replace(day=1)
        assert parse_month("last", today=day) == before, day
        assert parse_month("this", today=day) == first, day
        day += timedelta(days=1)


def test_next_and_last_meeting_on_every_day(cli, register, monkeypatch):
    _at(monkeypatch, date(2026, 12, 1))
    cli("networks", "add", "Stadtteiltisch Schmarl", "-k", "stadtteiltisch", "-d", "schmarl")
    starts = [datetime.combine(d, datetime.min.time()).replace(hour=18)
              for d in _first_tuesdays(date(2026, 12, 1), 16)]  # fmt: skip
    for number, start in enumerate(starts, 1):
        made = cli("meeting", "new", "stadtteiltisch-schmarl", "--date", start.date().isoformat(),
                   "--time", "18:00", "--number", str(number))  # fmt: skip
        assert made.exit_code == 0, made.output
    for day in DAYS:
        _at(monkeypatch, day)
        now = datetime.combine(day, datetime.min.time()).replace(hour=10)
        upcoming = min(s for s in starts if s > now)
        begun = max(s for s in starts if s <= now)
        shown = json_of(cli("meeting", "show", "next", "--json"))
        assert shown["start"] == upcoming.isoformat(timespec="minutes"), day
        shown = json_of(cli("meeting", "show", "last", "--json"))
        assert shown["start"] == begun.isoformat(timespec="minutes"), day


def test_event_list_shows_today_and_the_next_eight_weeks_on_every_day(cli, register, monkeypatch):
    _at(monkeypatch, date(2026, 12, 1))
    added = cli("event", "add", "Mieterberatung", "--date", "2.12.2026", "--time", "16:00",
                "--repeat", "weekly", "-d", "schmarl")  # fmt: skip
    assert added.exit_code == 0, added.output
    wednesdays = [date(2026, 12, 2) + timedelta(weeks=n) for n in range(80)]
    for day in DAYS:
        _at(monkeypatch, day)
        listed = [e["start"][:10] for e in json_of(cli("event", "list", "--json"))]
        last = day + timedelta(weeks=8, days=-1)
        assert listed == [w.isoformat() for w in wednesdays if day <= w <= last], day


@pytest.mark.parametrize("day", [date(2027, 1, 1), date(2027, 3, 1), date(2028, 3, 1),
                                 date(2027, 10, 31), date(2027, 12, 31)])  # fmt: skip
def test_the_report_covers_last_month_and_looks_at_this_one(cli, register, monkeypatch, day):
    _at(monkeypatch, date(2026, 12, 1))
    cli("event", "add", "Adventsmarkt", "--date", "15.12.2026", "--repeat", "monthly",
        "-d", "schmarl")  # fmt: skip
    _at(monkeypatch, day)
    report = json_of(cli("report", "monthly", "-f", "json"))
    before = (day.replace(day=1) - timedelta(days=1)).replace(day=1)
    assert report["month"] == before.strftime("%Y-%m"), day
    outlook = report["outlook"]
    assert outlook["month"] == day.strftime("%Y-%m"), day
    assert [e["start"][:10] for e in outlook["events"]] == [day.replace(day=15).isoformat()]


def test_overdue_tasks_on_every_day(cli, register, monkeypatch):
    _at(monkeypatch, date(2026, 12, 1))
    dues = [date(2026, 12, 20) + timedelta(days=23 * n) for n in range(20)]
    for n, due in enumerate(dues):
        cli("tasks", "add", f"Aufgabe {n}", "--due", due.isoformat())
    for day in DAYS:
        _at(monkeypatch, day)
        overdue = [t["due"] for t in json_of(cli("tasks", "list", "--overdue", "--json"))]
        assert overdue == [d.isoformat() for d in dues if d < day], day


def test_stale_persons_on_every_day(cli, register, monkeypatch):
    entered = [date(2023, 1, 1) + timedelta(days=61 * n) for n in range(16)]
    for n, day in enumerate(entered):
        _at(monkeypatch, day)
        assert cli("actors", "add", f"Person {n}", "--kind", "person").exit_code == 0
    for day in DAYS:
        _at(monkeypatch, day)
        try:
            cutoff = day.replace(year=day.year - 3)
        except ValueError:
            cutoff = day.replace(year=day.year - 3, day=28)
        stale = [r["last_activity"] for r in json_of(cli("privacy", "stale", "--years", "3",
                                                        "--json"))]  # fmt: skip
        assert stale == [d.isoformat() for d in entered if d < cutoff], day


def test_overdue_concerns_on_every_day(cli, register, monkeypatch):
    _at(monkeypatch, date(2026, 12, 1))
    cli("actors", "add", "Amt für Stadtentwicklung", "--kind", "administration")
    dues = [date(2026, 12, 10) + timedelta(days=29 * n) for n in range(14)]
    for n, due in enumerate(dues, 1):
        cli("concerns", "add", f"Anliegen {n}", "-d", "schmarl")
        forwarded = cli("concerns", "forward", str(n), "--to", "Amt für Stadtentwicklung",
                        "--due", due.isoformat())  # fmt: skip
        assert forwarded.exit_code == 0, forwarded.output
    for day in DAYS:
        _at(monkeypatch, day)
        overdue = sorted(c["due"] for c in json_of(cli("concerns", "list", "--overdue", "--json")))
        assert overdue == [d.isoformat() for d in dues if d < day], day
