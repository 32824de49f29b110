"""Tasks (Aufgaben): what someone agreed to do, by when; from a meeting's minutes or free.

Tasks agreed in a meeting keep their meeting and TOP, so that the open ones come back on
the next agenda of the same network (`open_tasks_for_next_agenda`), as proto3 re-links
its todos into later protocols.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Conflict
from stm.models import Actor, AgendaItem, Event, Meeting, Network, Task
from stm.parsing import parse_name
from stm.services import refs
from stm.services.activity import log
from stm.services.titles import sitting_title
from stm.vocab import PERSON_KINDS, TaskStatus


@dataclass
class TaskFields:
    """A new task; `owner` is an actor reference, `due` already parsed."""

    title: str
    owner: str | None = None
    due: date | None = None


def add_task(
    session: Session,
    data: TaskFields,
    *,
    meeting: Meeting | None = None,
    item: AgendaItem | None = None,
) -> Task:
    """A task, free or agreed under a TOP of a meeting. An unknown owner is exit 1."""
    title = parse_name(data.title, "task", max_length=500)
    owner = refs.actor(session, data.owner, "owner") if data.owner else None
    task = Task(
        title=title,
        owner_id=owner.id if owner else None,
        due=data.due,
        status=TaskStatus.open.value,
        meeting_id=meeting.id if meeting else None,
        agenda_item_id=item.id if item else None,
        created_at=clock.now(),
    )
    session.add(task)
    session.flush()
    where = f" in meeting #{meeting.id}" if meeting else ""
    log(session, "task.add", "task", task.id, f"task #{task.id}{where}", actor_id=_person(owner))
    return task


def _person(actor: Actor | None) -> int | None:
    return actor.id if actor is not None and actor.kind in PERSON_KINDS else None


def task(session: Session, ref: str) -> Task:
    return refs.by_id(session, Task, ref, "task")


def mark_done(session: Session, ref: str, on: date | None = None) -> Task:
    """Close a task (today, or `on`); a task already done is a conflict (exit 1)."""
    found = task(session, ref)
    if found.status == TaskStatus.done.value:
        when = f" on {found.done_on.isoformat()}" if found.done_on else ""
        raise Conflict(f"task #{found.id} is already done{when}")
    found.status = TaskStatus.done.value
    found.done_on = on or clock.today()
    session.add(found)
    log(session, "task.done", "task", found.id, f"task #{found.id} done")
    return found


def reopen(session: Session, ref: str) -> Task:
    found = task(session, ref)
    if found.status == TaskStatus.open.value:
        raise Conflict(f"task #{found.id} is open already")
    found.status = TaskStatus.open.value
    found.done_on = None
    session.add(found)
    log(session, "task.reopen", "task", found.id, f"task #{found.id} reopened")
    return found


@dataclass
class TaskFilter:
    open_only: bool = False
    done_only: bool = False
    overdue: bool = False
    owner: str | None = None
    network: str | None = None
    meeting_id: int | None = None


def list_tasks(session: Session, criteria: TaskFilter | None = None) -> list[Task]:
    """Tasks by due date (undated last), then id."""
    criteria = criteria or TaskFilter()
    statement = select(Task)
    if criteria.open_only or criteria.overdue:
        statement = statement.where(Task.status == TaskStatus.open.value)
    if criteria.done_only:
        statement = statement.where(Task.status == TaskStatus.done.value)
    if criteria.overdue:
        statement = statement.where(col(Task.due) < clock.today())
    if criteria.owner:
        statement = statement.where(
            Task.owner_id == refs.actor(session, criteria.owner, "owner").id
        )
    if criteria.network:
        network = refs.network(session, criteria.network)
        meeting_ids = select(Meeting.id).where(Meeting.network_id == network.id)
        statement = statement.where(col(Task.meeting_id).in_(meeting_ids))
    if criteria.meeting_id is not None:
        statement = statement.where(Task.meeting_id == criteria.meeting_id)
    statement = statement.order_by(col(Task.due).is_(None), col(Task.due), col(Task.id))
    return list(session.exec(statement).all())


def open_tasks_for_next_agenda(session: Session, meeting: Meeting) -> list[Task]:
    """Open tasks of the earlier meetings of the same network: followed up on this agenda.

    The previous meeting's tasks, and those still open from before it, so a task is
    not forgotten because it stayed open over two meetings.
    """
    this_start = session.exec(select(Event.start).where(Event.id == meeting.event_id)).one()
    earlier = (
        select(Meeting.id)
        .join(Event, col(Event.id) == Meeting.event_id)
        .where(Meeting.network_id == meeting.network_id, col(Event.start) < this_start)
    )
    statement = (
        select(Task)
        .where(Task.status == TaskStatus.open.value, col(Task.meeting_id).in_(earlier))
        .order_by(col(Task.due).is_(None), col(Task.due), col(Task.id))
    )
    return list(session.exec(statement).all())


def _chunks(values: Sequence[int], size: int = 900) -> list[Sequence[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def actor_labels(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    """Display names of actors; a person with an organisation as 'Name (Organisation)'."""
    wanted = sorted({i for i in ids if i})
    actors: dict[int, Actor] = {}
    for chunk in _chunks(wanted):
        for actor in session.exec(select(Actor).where(col(Actor.id).in_(chunk))).all():
            actors[actor.id or 0] = actor
    organisation_ids = sorted({a.organisation_id for a in actors.values() if a.organisation_id})
    organisations: dict[int, str] = {}
    for chunk in _chunks(organisation_ids):
        for actor_id, name in session.exec(
            select(Actor.id, Actor.name).where(col(Actor.id).in_(chunk))
        ).all():
            organisations[actor_id or 0] = name
    labels = {}
    for actor_id, actor in actors.items():
        organisation = organisations.get(actor.organisation_id or 0)
        labels[actor_id] = f"{actor.name} ({organisation})" if organisation else actor.name
    return labels


def actor_names(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i})
    names: dict[int, str] = {}
    for chunk in _chunks(wanted):
        for actor_id, name in session.exec(
            select(Actor.id, Actor.name).where(col(Actor.id).in_(chunk))
        ).all():
            names[actor_id or 0] = name
    return names


def task_records(session: Session, tasks: Sequence[Task]) -> list[dict[str, Any]]:
    """The stable JSON shape of tasks (SPEC §7): id, title, owner, due, status, meeting."""
    owners = actor_names(session, [t.owner_id for t in tasks])
    meeting_ids = sorted({t.meeting_id for t in tasks if t.meeting_id})
    item_ids = sorted({t.agenda_item_id for t in tasks if t.agenda_item_id})
    meetings: dict[int, tuple[int, str, str]] = {}
    for chunk in _chunks(meeting_ids):
        rows = session.execute(
            select_columns(
                col(Meeting.id),
                col(Meeting.number),
                col(Network.slug),
                col(Network.name),
                col(Network.kind),
            )
            .join(Network, col(Network.id) == Meeting.network_id)
            .where(col(Meeting.id).in_(chunk))
        ).all()
        for meeting_id, number, slug, name, kind in rows:
            meetings[meeting_id or 0] = (number, slug, sitting_title(number, name, kind))
    positions: dict[int, int] = {}
    for chunk in _chunks(item_ids):
        for item_id, position in session.exec(
            select(AgendaItem.id, AgendaItem.position).where(col(AgendaItem.id).in_(chunk))
        ).all():
            positions[item_id or 0] = position
    today = clock.today()
    records = []
    for t in tasks:
        meeting = meetings.get(t.meeting_id or 0)
        records.append(
            {
                "id": t.id,
                "title": t.title,
                "owner": owners.get(t.owner_id or 0),
                "owner_id": t.owner_id,
                "due": t.due,
                "status": t.status,
                "meeting": t.meeting_id,
                "meeting_title": meeting[2] if meeting else None,
                "network": meeting[1] if meeting else None,
                "top": positions.get(t.agenda_item_id or 0),
                "done_on": t.done_on,
                "overdue": t.status == TaskStatus.open.value
                and t.due is not None
                and t.due < today,
            }
        )
    return records
