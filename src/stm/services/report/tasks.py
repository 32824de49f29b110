"""Section: tasks done in the month, open at its end, and overdue then."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.sql import ColumnElement, Select

from stm.services.report.lookups import names
from stm.services.report.period import Period, Scope
from stm.services.report.records import OverdueTask, TaskCounts
from stm.store import tables

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def task_status_at(task: Any, day: date) -> str:
    """A task's status at the start of `day`: done later means open then."""
    if task.status == "done" and (task.done_on is None or task.done_on < day):
        return "done"
    return "open"


def _task_since() -> Any:
    """When a task came to be: its meeting's day, or when it was recorded if earlier
    (minutes are often typed in days after the meeting)."""
    e, t = tables.EVENT.c, tables.TASK.c
    return case((e.start < t.created_at, e.start), else_=t.created_at)


def scoped_tasks(scope: Scope, *columns: Any) -> Select[Any]:
    """Tasks (these columns) with their meeting's event joined, within the scope; tasks
    outside any meeting belong to no district and only count without a scope."""
    m, e, t = tables.MEETING.c, tables.EVENT.c, tables.TASK.c
    joined = tables.TASK.outerjoin(tables.MEETING, m.id == t.meeting_id).outerjoin(
        tables.EVENT, e.id == m.event_id
    )
    if scope.ids is not None:
        network = tables.NETWORK
        joined = joined.join(network, network.c.id == m.network_id)
        return select(*columns).select_from(joined).where(scope.where_network(network.c))
    return select(*columns).select_from(joined)


def _open_at_end(period: Period) -> ColumnElement[bool]:
    t = tables.TASK.c
    return and_(_task_since() < period.end_at, or_(t.status == "open", t.done_on >= period.end))


def task_counts(connection: Connection, period: Period, scope: Scope) -> TaskCounts:
    """Tasks done in the month, and tasks open at its end."""
    t = tables.TASK.c
    done = func.sum(case((period.dates(t.done_on), 1), else_=0))
    still_open = func.sum(case((_open_at_end(period), 1), else_=0))
    row = connection.execute(scoped_tasks(scope, done, still_open)).one()
    return {"open": int(row[1] or 0), "done": int(row[0] or 0)}


def overdue_tasks(connection: Connection, period: Period, scope: Scope) -> list[OverdueTask]:
    """Tasks open at the month's end whose due date had passed by then."""
    t = tables.TASK.c
    statement = scoped_tasks(scope, t.id, t.title, t.owner_id, t.due).where(
        t.due < period.end, _open_at_end(period)
    )
    tasks = sorted(connection.execute(statement).all(), key=lambda task: (task.due, task.id))
    owners = names(connection, (task.owner_id for task in tasks))
    return [
        {"id": task.id, "title": task.title,
         "owner": owners.get(task.owner_id) if task.owner_id else None, "due": task.due}
        for task in tasks
    ]  # fmt: skip
