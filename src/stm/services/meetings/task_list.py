"""Listing tasks, and their JSON shape: a read over the light tables (no ORM), so that
`stm tasks list` stays fast. Adding and closing tasks is `stm.services.meetings.tasks`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

from sqlalchemy import select as select_columns

from stm import clock
from stm.services.titles import sitting_title
from stm.store import in_chunks, tables
from stm.vocab import TaskStatus

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


@dataclass
class TaskFilter:
    open_only: bool = False
    done_only: bool = False
    overdue: bool = False
    owner: str | None = None
    network: str | None = None
    #: A meeting reference (`12`, `next`, `last`; in `network` if given).
    meeting: str | None = None


class TaskLike(Protocol):
    """A task as records need it: a stored `Task`, or a light `TaskRow`."""

    @property
    def id(self) -> int | None: ...
    @property
    def title(self) -> str: ...
    @property
    def owner_id(self) -> int | None: ...
    @property
    def due(self) -> date | None: ...
    @property
    def status(self) -> str: ...
    @property
    def meeting_id(self) -> int | None: ...
    @property
    def agenda_item_id(self) -> int | None: ...
    @property
    def done_on(self) -> date | None: ...


@dataclass(slots=True)
class TaskRow:
    """A task read over the light tables (same names as `models.Task`)."""

    id: int
    title: str
    owner_id: int | None
    due: date | None
    status: str
    meeting_id: int | None
    agenda_item_id: int | None
    done_on: date | None


class TaskRecord(TypedDict):
    """The stable JSON shape of a task (SPEC §7)."""

    id: int
    title: str
    owner: str | None
    owner_id: int | None
    due: date | None
    status: str
    meeting: int | None
    meeting_title: str | None
    network: str | None
    top: int | None
    done_on: date | None
    overdue: bool


def list_tasks(connection: Connection, criteria: TaskFilter | None = None) -> list[TaskRow]:
    """Tasks by due date (undated last), then id; a read over the light tables (owner,
    network and meeting are resolved through the ORM, on the same connection)."""
    criteria = criteria or TaskFilter()
    t = tables.TASK.c
    statement: Any = select_columns(
        t.id, t.title, t.owner_id, t.due, t.status, t.meeting_id, t.agenda_item_id, t.done_on
    )
    if criteria.open_only or criteria.overdue:
        statement = statement.where(t.status == TaskStatus.open.value)
    if criteria.done_only:
        statement = statement.where(t.status == TaskStatus.done.value)
    if criteria.overdue:
        statement = statement.where(t.due < clock.today())
    statement = statement.where(*_reference_clauses(connection, criteria))
    statement = statement.order_by(t.due.is_(None), t.due, t.id)
    return [TaskRow(*row) for row in connection.execute(statement)]


def _reference_clauses(connection: Connection, criteria: TaskFilter) -> list[Any]:
    if not (criteria.owner or criteria.network or criteria.meeting):
        return []
    from stm.services.meetings.meeting_match import meeting_id
    from stm.services.refs.actor_match import actor_id
    from stm.services.refs.slug_match import network_row

    t, m = tables.TASK.c, tables.MEETING.c
    clauses: list[Any] = []
    if criteria.meeting:
        clauses.append(t.meeting_id == meeting_id(connection, criteria.meeting, criteria.network))
    if criteria.owner:
        clauses.append(t.owner_id == actor_id(connection, criteria.owner, "owner"))
    if criteria.network:
        network = network_row(connection, criteria.network)
        clauses.append(t.meeting_id.in_(select_columns(m.id).where(m.network_id == network.id)))
    return clauses


def actor_names(connection: Connection, ids: Sequence[int | None]) -> dict[int, str]:
    a = tables.ACTOR.c
    wanted = sorted({i for i in ids if i})
    names: dict[int, str] = {}
    for chunk in in_chunks(wanted):
        for actor_id, name in connection.execute(
            select_columns(a.id, a.name).where(a.id.in_(chunk))
        ):
            names[actor_id] = name
    return names


def task_records(connection: Connection, tasks: Sequence[TaskLike]) -> list[TaskRecord]:
    """The stable JSON shape of tasks (SPEC §7): id, title, owner, due, status, meeting."""
    owners = actor_names(connection, [t.owner_id for t in tasks])
    meetings = _meeting_titles(connection, sorted({t.meeting_id for t in tasks if t.meeting_id}))
    positions = _positions(
        connection, sorted({t.agenda_item_id for t in tasks if t.agenda_item_id})
    )
    today = clock.today()
    records: list[TaskRecord] = []
    for t in tasks:
        meeting = meetings.get(t.meeting_id or 0)
        records.append(
            {
                "id": t.id or 0,
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


def _meeting_titles(connection: Connection, ids: Sequence[int]) -> dict[int, tuple[int, str, str]]:
    """Number, network slug and title of each meeting."""
    m, n = tables.MEETING.c, tables.NETWORK.c
    meetings: dict[int, tuple[int, str, str]] = {}
    for chunk in in_chunks(ids):
        rows = connection.execute(
            select_columns(m.id, m.number, n.slug, n.name, n.kind)
            .join_from(tables.MEETING, tables.NETWORK, n.id == m.network_id)
            .where(m.id.in_(chunk))
        )
        for meeting_id, number, slug, name, kind in rows:
            meetings[meeting_id] = (number, slug, sitting_title(number, name, kind))
    return meetings


def _positions(connection: Connection, ids: Sequence[int]) -> dict[int, int]:
    a = tables.AGENDA_ITEM.c
    positions: dict[int, int] = {}
    for chunk in in_chunks(ids):
        for item_id, position in connection.execute(
            select_columns(a.id, a.position).where(a.id.in_(chunk))
        ):
            positions[item_id] = position
    return positions
