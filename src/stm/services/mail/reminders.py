"""Task reminders: one message per owner listing their open tasks, for cron.

Which tasks: open ones due within the next N days (default 7) and those overdue; with
`overdue_only` the overdue ones alone. Tasks without a due date or owner are left out.
Each owner gets one reminder a day: a rerun on the same day sends only what is missing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Invalid
from stm.models import Task
from stm.render import RenderOptions
from stm.services.mail import compose, log, recipients
from stm.services.mail.sending import Outgoing, Plan

DEFAULT_WITHIN_DAYS = 7
MAX_WITHIN_DAYS = 366


def due_tasks(session: Session, within: int, overdue_only: bool) -> list[Task]:
    if not 0 <= within <= MAX_WITHIN_DAYS:
        raise Invalid("within", f"{within} is not a number of days from 0 to {MAX_WITHIN_DAYS}")
    today = clock.today()
    limit = today - timedelta(days=1) if overdue_only else today + timedelta(days=within)
    statement = select(Task).where(
        Task.status == "open",
        col(Task.due).is_not(None),
        col(Task.owner_id).is_not(None),
        col(Task.due) <= limit,
    )
    return list(session.exec(statement.order_by(col(Task.due), col(Task.id))).all())


def plan_reminders(
    session: Session,
    options: RenderOptions,
    *,
    within: int = DEFAULT_WITHIN_DAYS,
    overdue_only: bool = False,
) -> Plan:
    from stm.services.meetings.tasks import task_records

    tasks = due_tasks(session, within, overdue_only)
    today = clock.today()
    by_owner: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for task, record in zip(tasks, task_records(session.connection(), tasks), strict=True):
        due = task.due
        assert due is not None and task.owner_id is not None
        by_owner[task.owner_id].append({**record, "due": due, "overdue": due < today})
    found = recipients.addresses(session, list(by_owner))
    plan = Plan(what="the task reminders", without_address=found.without_address,
                withdrawn=found.withdrawn)  # fmt: skip
    batch = today.isoformat()
    done = log.already_sent(session, ["reminder"], None, batch)
    for person in found.chosen:
        if person.actor_id in done:
            plan.already.append(person.name)
            continue
        own = by_owner[person.actor_id]
        texts = compose.bodies("reminder", {"tasks": own, "name": person.name}, options)
        line = compose.subject("reminder", options, count=len(own))
        plan.outgoing.append(
            Outgoing(
                recipient=person,
                kind="reminder",
                letter=compose.letter(person, line, texts),
                batch=batch,
            )
        )
    return plan
