"""Tasks (Aufgaben): what someone agreed to do, by when; from a meeting's minutes or free.

Tasks agreed in a meeting keep their meeting and TOP, so that the open ones come back on
the next agenda of the same network (`open_tasks_for_next_agenda`), as proto3 re-links
its todos into later protocols.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Conflict
from stm.models import Actor, AgendaItem, Event, Meeting, Task
from stm.parsing import parse_name
from stm.services import refs
from stm.services.activity import log
from stm.services.meetings.task_list import (
    TaskFilter,
    TaskRecord,
    TaskRow,
    actor_names,
    list_tasks,
    task_records,
)
from stm.store import in_chunks
from stm.vocab import PERSON_KINDS, TaskStatus

__all__ = [
    "TaskFields",
    "TaskFilter",
    "TaskRecord",
    "TaskRow",
    "actor_labels",
    "actor_names",
    "add_task",
    "list_tasks",
    "mark_done",
    "open_tasks_for_next_agenda",
    "reopen",
    "task",
    "task_records",
]


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


def actor_labels(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    """Display names of actors; a person with an organisation as 'Name (Organisation)'."""
    wanted = sorted({i for i in ids if i})
    actors: dict[int, Actor] = {}
    for chunk in in_chunks(wanted):
        for actor in session.exec(select(Actor).where(col(Actor.id).in_(chunk))).all():
            actors[actor.id or 0] = actor
    organisation_ids = sorted({a.organisation_id for a in actors.values() if a.organisation_id})
    organisations: dict[int, str] = {}
    for chunk in in_chunks(organisation_ids):
        for actor_id, name in session.exec(
            select(Actor.id, Actor.name).where(col(Actor.id).in_(chunk))
        ).all():
            organisations[actor_id or 0] = name
    labels = {}
    for actor_id, actor in actors.items():
        organisation = organisations.get(actor.organisation_id or 0)
        labels[actor_id] = f"{actor.name} ({organisation})" if organisation else actor.name
    return labels
