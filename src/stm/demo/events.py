"""Demo steps for projects and events (data/demo/projects.toml, data/demo/events.toml).

Events are placed around the demo's today (`stm.clock.today()`): a yearly event falls in
the year that puts it nearest to today (about half a year away at most), so the demo
always shows a past half year that was held (with participants) and a coming half year
that is planned.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from stm import clock
from stm.resources import load_data_toml
from stm.services import events, projects

if TYPE_CHECKING:
    from stm.demo.documents import DemoContext

_WEEKDAYS = {"mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "sa": 5, "su": 6}


def demo_projects(session: Session, context: DemoContext) -> None:
    entries = load_data_toml("demo", "projects.toml")["project"]
    year = clock.today().year
    for entry in entries:
        start, end = entry.get("start"), entry.get("end")
        if "years" in entry:
            start = date(year + entry["years"][0], 1, 1)
            end = date(year + entry["years"][1], 12, 31)
        if "years_end" in entry:
            end = date(year + entry["years_end"], 12, 31)
        projects.add_project(
            session,
            projects.ProjectFields(
                title=entry["title"],
                slug=entry.get("slug"),
                status=entry.get("status"),
                lead=entry.get("lead"),
                partners=entry.get("partners"),
                programme=entry.get("programme"),
                budget=entry.get("budget"),
                start=start.isoformat() if start else None,
                end=end.isoformat() if end else None,
                districts=entry.get("districts"),
                goals=entry.get("goals"),
                description=entry.get("description"),
            ),
        )
    context.counts["projects"] = len(entries)


def nth_weekday(year: int, month: int, week: int, weekday: int) -> date:
    """The `week`-th (1-5, or -1 for the last) `weekday` of a month."""
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month]
    matching = [d for d in days if d.weekday() == weekday]
    return matching[week - 1] if week > 0 else matching[week]


def place(entry: dict[str, Any], today: date) -> date:
    """The day an entry of events.toml falls on, relative to `today` where it says so."""
    if "date" in entry:
        given: date = entry["date"]  # TOML gives a date
        return given
    if "in_days" in entry:
        return today + timedelta(days=entry["in_days"])
    weekday = _WEEKDAYS[entry["weekday"]]
    if "since_months" in entry:
        begin = today - timedelta(days=round(-entry["since_months"] * 30.44))
        return begin + timedelta(days=(weekday - begin.weekday()) % 7)
    # The year whose date lies nearest to today (a tie goes to the coming one). The
    # nth weekday of a month moves by up to six days from year to year, so a fixed
    # window of half a year each way would leave days on which no year fits.
    candidates = [
        nth_weekday(year, entry["month"], entry["week"], weekday)
        for year in (today.year - 1, today.year, today.year + 1)
    ]
    return min(candidates, key=lambda day: (abs((day - today).days), day < today))


def demo_events(session: Session, context: DemoContext) -> None:
    entries = load_data_toml("demo", "events.toml")["event"]
    today = clock.today()
    for entry in entries:
        day = place(entry, today)
        event, _warnings = events.add_event(
            session,
            events.EventFields(
                title=entry["title"],
                date=day.isoformat(),
                time=entry.get("time"),
                end=entry.get("end"),
                kind=entry.get("kind"),
                districts=entry.get("districts"),
                location=entry.get("location"),
                organisers=entry.get("organisers"),
                project=entry.get("project"),
                expected=entry.get("expected"),
                repeat=entry.get("repeat"),
                description=entry.get("description"),
            ),
        )
        ref = str(event.id)
        if entry.get("cancelled"):
            events.cancel_event(session, ref)
        elif event.rrule:
            _follow_up_series(session, event, entry)
        elif "attendance" in entry and event.start < clock.now():
            events.record_attendance(session, ref, entry["attendance"])
    context.counts["events"] = len(entries)


def _follow_up_series(session: Session, event: Any, entry: dict[str, Any]) -> None:
    """Participants for the past dates of a series, and the cancelled ones."""
    from stm.recurrence import starts_between

    assert event.rrule is not None
    now = clock.now()
    length = event.end - event.start if event.end else timedelta(0)
    starts = starts_between(event.rrule, event.start, event.until, event.start, now)
    past = [start for start in starts if start + length <= now]
    cancelled = {index - 1 for index in entry.get("cancel_past", []) if 0 < index <= len(past)}
    counts = entry.get("attendance") or []
    for index, start in enumerate(past):
        on = start.date()
        if index in cancelled:
            events.cancel_event(session, str(event.id), on=on)
        elif counts:
            events.record_attendance(session, str(event.id), counts[index % len(counts)], on=on)
