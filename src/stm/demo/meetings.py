"""Demo step: meetings with minutes, tasks and the next agendas (data/demo/meetings.toml).

The past meetings are kept through the same services a user's commands use (attend,
note, decide, task, approve), so the demo shows what those produce. The step writes the
next Stadtteiltisch Schmarl's agenda and the last minutes into the demo folder.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from stm import clock
from stm.models import Meeting
from stm.parsing import parse_time
from stm.render import render_document
from stm.resources import load_data_toml
from stm.services import meetings
from stm.services.meetings import minutes, tasks

if TYPE_CHECKING:
    from stm.demo.documents import DemoContext

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DOCUMENTS_OF = "stadtteiltisch-schmarl"


def demo_day(today: date, days: int, weekday: str | None) -> date:
    """`days` from today, moved forward to the next `weekday` (the body's usual day)."""
    day = today + timedelta(days=days)
    if weekday:
        day += timedelta(days=(WEEKDAYS.index(weekday) - day.weekday()) % 7)
    return day


def demo_meetings(session: Session, context: DemoContext) -> None:
    data = load_data_toml("demo", "meetings.toml")
    today = clock.today()
    made = [_meeting(session, entry, today) for entry in data.get("meeting", [])]
    for entry in data.get("task", []):
        tasks.add_task(
            session,
            tasks.TaskFields(
                title=entry["text"],
                owner=entry.get("owner"),
                due=today + timedelta(days=entry["days"]) if "days" in entry else None,
            ),
        )
    context.counts["meetings"] = len(made)
    context.counts["tasks"] = sum(len(e.get("task", [])) for e in data.get("meeting", [])) + len(
        data.get("task", [])
    )
    _write_documents(session, context)


def _meeting(session: Session, entry: dict[str, Any], today: date) -> Meeting:
    day = demo_day(today, entry["days"], entry.get("weekday"))
    meeting = meetings.new_meeting(
        session,
        meetings.MeetingFields(
            network=entry["network"],
            day=day,
            start_time=parse_time(entry["time"]),
            location=entry.get("location"),
            minutes_by=entry.get("minutes_by"),
            number=entry.get("number"),
        ),
    )
    for top in entry.get("top", []):
        meetings.add_item(session, meeting, meetings.AgendaFields(**top))
    if entry.get("invited"):
        meetings.edit_meeting(session, meeting, meetings.MeetingFields(), invited=True)
    _minutes(session, meeting, entry, day)
    return meeting


def _minutes(session: Session, meeting: Meeting, entry: dict[str, Any], day: date) -> None:
    for status in ("present", "excused", "absent"):
        if entry.get(status):
            minutes.attend(session, meeting, entry[status], status=status)
    if entry.get("guests"):
        minutes.attend(session, meeting, [], guests=entry["guests"])
    for item in entry.get("note", []):
        minutes.note(session, meeting, item["top"], item["text"].strip())
    for item in entry.get("decision", []):
        votes = minutes.Votes(item.get("yes"), item.get("no"), item.get("abstain"))
        minutes.decide(session, meeting, item["top"], item["text"], votes)
    for item in entry.get("task", []):
        due = day + timedelta(days=item["due_days"]) if "due_days" in item else None
        fields = tasks.TaskFields(title=item["text"], owner=item.get("owner"), due=due)
        task = minutes.add_minutes_task(session, meeting, item["top"], fields)
        if "done_days" in item:
            tasks.mark_done(session, str(task.id), day + timedelta(days=item["done_days"]))
    if entry.get("approve"):
        minutes.approve(session, meeting)


def _write_documents(session: Session, context: DemoContext) -> None:
    """The next Schmarl agenda and the last Schmarl minutes: md, html and pdf each."""
    options = context.render_options()
    upcoming = meetings.resolve(session, "next", DOCUMENTS_OF)
    last = meetings.resolve(session, "last", DOCUMENTS_OF)
    documents = [
        ("agenda", f"tagesordnung-{upcoming.number}", meetings.agenda_document(session, upcoming)),
        ("minutes", f"protokoll-{last.number}", meetings.minutes_document(session, last)),
    ]
    for template, stem, data in documents:
        context.write_documents(
            f"{stem}-{DOCUMENTS_OF}",
            partial(render_document, template, data, options=options),
        )
