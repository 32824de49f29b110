"""Section: next month's dates (events, meetings) and deadlines, and the tasks overdue now."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from stm.services.report.concerns import WAITING
from stm.services.report.events import placed
from stm.services.report.newspaper import issues
from stm.services.report.period import Period, Scope
from stm.services.report.records import Dated, Deadline, Outlook
from stm.services.report.tasks import overdue_tasks, scoped_tasks
from stm.store import tables

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def outlook_for(
    connection: Connection, dated: list[Dated], links: dict[int, list[int]],
    period: Period, scope: Scope, slugs: dict[int, str], consents_expiring: int,
) -> Outlook:  # fmt: skip
    """Next month's dates (events, meetings) and deadlines, and the tasks overdue now."""
    upcoming = period.next()
    found = [o for o in dated if upcoming.holds(o["start"]) and o["status"] != "cancelled"]
    return {
        "month": upcoming.label,
        "events": placed(found, links, scope, slugs, keep_meetings=True),
        "deadlines": _deadlines(connection, upcoming, scope),
        "overdue_tasks": overdue_tasks(connection, period, scope),
        "consents_expiring": consents_expiring,
    }


def _deadlines(connection: Connection, upcoming: Period, scope: Scope) -> list[Deadline]:
    i, t, c = tables.PAPER_ISSUE.c, tables.TASK.c, tables.CONCERN.c
    deadlines: list[Deadline] = []
    in_month = or_(upcoming.dates(i.deadline), upcoming.dates(i.publish_on))
    for issue in issues(connection, scope, in_month):
        name = f"{issue['publication']} {issue['label']}"
        if issue["deadline"] is not None and upcoming.holds(issue["deadline"]):
            deadlines.append({"date": issue["deadline"], "kind": "paper_deadline", "title": name})
        if issue["publish_on"] is not None and upcoming.holds(issue["publish_on"]):
            deadlines.append({"date": issue["publish_on"], "kind": "paper_publish", "title": name})
    due_tasks = scoped_tasks(scope, t.title, t.due).where(t.status == "open", upcoming.dates(t.due))
    for row in connection.execute(due_tasks):
        deadlines.append({"date": row.due, "kind": "task", "title": row.title})
    follow_ups = select(c.title, c.due).where(
        scope.where(c.district_id), c.status.in_(WAITING), upcoming.dates(c.due)
    )
    for row in connection.execute(follow_ups):
        deadlines.append({"date": row.due, "kind": "concern_follow_up", "title": row.title})
    return sorted(deadlines, key=lambda d: (d["date"], d["kind"], d["title"]))
