"""The JSON shape of meetings (SPEC §7): with their agenda and tasks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TypedDict

from sqlmodel import Session, col, select

from stm.models import AgendaItem, Event, Meeting, Network, Task
from stm.services.meetings import tasks as task_service
from stm.services.meetings.agenda import start_times
from stm.services.meetings.lookup import title_of
from stm.store import in_chunks
from stm.vocab import TaskStatus


class AgendaEntry(TypedDict):
    """A TOP of a meeting's record."""

    position: int
    title: str
    presenter: str | None
    minutes: int | None
    kind: str
    start: datetime


class MeetingRecord(TypedDict):
    """The stable JSON shape of a meeting (SPEC §7)."""

    id: int
    network: str
    number: int
    title: str
    start: datetime
    end: datetime | None
    location: str | None
    state: str
    chair: str | None
    minutes_by: str | None
    approved_at: datetime | None
    event: int
    agenda: list[AgendaEntry]
    tasks: list[task_service.TaskRecord]
    open_tasks: int


def _items_by_meeting(session: Session, ids: Sequence[int]) -> dict[int, list[AgendaItem]]:
    grouped: dict[int, list[AgendaItem]] = defaultdict(list)
    for chunk in in_chunks(ids):
        for item in session.exec(
            select(AgendaItem)
            .where(col(AgendaItem.meeting_id).in_(chunk))
            .order_by(col(AgendaItem.position), col(AgendaItem.id))
        ).all():
            grouped[item.meeting_id].append(item)
    return grouped


def meeting_records(session: Session, meetings: Sequence[Meeting]) -> list[MeetingRecord]:
    """The stable JSON shape of meetings (SPEC §7), with agenda and tasks."""
    ids = [m.id or 0 for m in meetings]
    events = {
        e.id: e
        for chunk in in_chunks([m.event_id for m in meetings])
        for e in session.exec(select(Event).where(col(Event.id).in_(chunk))).all()
    }
    networks = {n.id: n for n in session.exec(select(Network)).all()}
    items = _items_by_meeting(session, ids)
    tasks_of: dict[int, list[Task]] = defaultdict(list)
    for chunk in in_chunks(ids):
        for t in session.exec(
            select(Task).where(col(Task.meeting_id).in_(chunk)).order_by(col(Task.id))
        ).all():
            tasks_of[t.meeting_id or 0].append(t)
    all_tasks = [t for group in tasks_of.values() for t in group]
    task_json = {r["id"]: r for r in task_service.task_records(session.connection(), all_tasks)}
    people = task_service.actor_names(
        session.connection(),
        [m.chair_id for m in meetings]
        + [m.minutes_by_id for m in meetings]
        + [i.presenter_id for group in items.values() for i in group],
    )
    records: list[MeetingRecord] = []
    for m in meetings:
        event, network = events[m.event_id], networks[m.network_id]
        agenda = items.get(m.id or 0, [])
        starts = start_times(event.start, agenda)
        tasks = [task_json[t.id or 0] for t in tasks_of.get(m.id or 0, [])]
        records.append(
            {
                "id": m.id or 0,
                "network": network.slug,
                "number": m.number,
                "title": title_of(network, m.number),
                "start": event.start,
                "end": event.end,
                "location": event.location,
                "state": m.state,
                "chair": people.get(m.chair_id or 0),
                "minutes_by": people.get(m.minutes_by_id or 0),
                "approved_at": m.approved_at,
                "event": m.event_id,
                "agenda": [
                    {
                        "position": i.position,
                        "title": i.title,
                        "presenter": people.get(i.presenter_id or 0),
                        "minutes": i.minutes,
                        "kind": i.kind,
                        "start": begins,
                    }
                    for i, begins in zip(agenda, starts, strict=True)
                ],
                "tasks": tasks,
                "open_tasks": sum(1 for t in tasks if t["status"] == TaskStatus.open.value),
            }
        )
    return records


def meeting_detail(session: Session, meeting: Meeting) -> MeetingRecord:
    return meeting_records(session, [meeting])[0]
