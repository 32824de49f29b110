"""Section: the meetings held in the month, with their decisions and the tasks they gave."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from stm.services.report.lookups import names, rows_for_ids
from stm.services.report.period import Period, Scope
from stm.services.report.records import DecisionRecord, MeetingRecord, MeetingTask
from stm.services.report.tasks import task_status_at
from stm.services.titles import sitting_title
from stm.store import tables

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def month_meetings(
    connection: Connection, period: Period, scope: Scope, slugs: dict[int, str]
) -> list[MeetingRecord]:
    """Meetings held in the month, each with its decisions and the tasks it gave."""
    m, e, n = tables.MEETING.c, tables.EVENT.c, tables.NETWORK.c
    rows = connection.execute(
        select(m.id, m.number, m.state, e.start, e.location, n.slug, n.name, n.kind, n.district_id)
        .select_from(
            tables.MEETING.join(tables.EVENT, e.id == m.event_id)
            .join(tables.NETWORK, n.id == m.network_id)
        )
        .where(e.start >= period.start_at, e.start < period.end_at, e.status != "cancelled")
        .where(scope.where_network(n))
        .order_by(e.start, m.id)
    ).all()  # fmt: skip
    ids = [row.id for row in rows]
    decisions = _by_meeting(connection, _decisions, ids)
    tasks = _by_meeting(connection, _tasks, ids)
    present = _counts(connection, ids, tables.ATTENDANCE, tables.ATTENDANCE.c.status == "present")
    tops = _counts(connection, ids, tables.AGENDA_ITEM)
    owners = names(connection, (task.owner_id for items in tasks.values() for task in items))
    meetings: list[MeetingRecord] = []
    for row in rows:
        title = sitting_title(row.number, row.name, row.kind)
        meetings.append(
            {
                "id": row.id,
                "network": row.slug,
                "district": slugs.get(row.district_id) if row.district_id else None,
                "title": title,
                "number": row.number,
                "start": row.start,
                "location": row.location,
                "state": row.state,
                "present": present.get(row.id, 0),
                "agenda_items": tops.get(row.id, 0),
                "decisions": [_decision(d, title) for d in decisions.get(row.id, [])],
                "tasks": [_task(t, owners, period) for t in tasks.get(row.id, [])],
            }
        )
    return meetings


def _decisions(chunk: Any) -> Any:
    d = tables.DECISION.c
    return select(d.id, d.meeting_id, d.text, d.result, d.votes_yes, d.votes_no,
                  d.votes_abstain).where(d.meeting_id.in_(chunk))  # fmt: skip


def _tasks(chunk: Any) -> Any:
    t = tables.TASK.c
    return select(t.id, t.meeting_id, t.title, t.owner_id, t.due, t.status, t.done_on).where(
        t.meeting_id.in_(chunk)
    )


def _by_meeting(connection: Connection, statement_for: Any, ids: list[int]) -> dict[int, list[Any]]:
    """Rows of a meeting's table by meeting id, each meeting's in the order of their ids."""
    found: dict[int, list[Any]] = defaultdict(list)
    for row in rows_for_ids(connection, statement_for, ids):
        found[row.meeting_id].append(row)
    for items in found.values():
        items.sort(key=lambda row: row.id)
    return found


def _counts(connection: Connection, ids: list[int], table: Any, *where: Any) -> dict[int, int]:
    """Rows of `table` per meeting id."""
    meeting = table.c.meeting_id
    rows = rows_for_ids(
        connection,
        lambda c: select(meeting, func.count()).where(meeting.in_(c), *where).group_by(meeting),
        ids,
    )
    return {meeting_id: count for meeting_id, count in rows}


def _decision(row: Any, meeting: str) -> DecisionRecord:
    return {
        "id": row.id,
        "meeting": meeting,
        "text": row.text,
        "result": row.result,
        "votes": {"yes": row.votes_yes, "no": row.votes_no, "abstain": row.votes_abstain},
    }


def _task(row: Any, owners: dict[int, str | None], period: Period) -> MeetingTask:
    return {
        "id": row.id,
        "title": row.title,
        "owner": owners.get(row.owner_id) if row.owner_id else None,
        "due": row.due,
        "status": task_status_at(row, period.end),
    }
