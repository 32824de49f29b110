"""The monthly report: the month's period and scope, then each section in turn."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from stm.services.report.actors import actor_summary, consents_expiring
from stm.services.report.concerns import concern_summary
from stm.services.report.districts import district_rows
from stm.services.report.events import held_events, occurrences
from stm.services.report.lookups import links
from stm.services.report.meetings import month_meetings
from stm.services.report.newspaper import newspaper_issues
from stm.services.report.outlook import outlook_for
from stm.services.report.period import Period, Scope
from stm.services.report.projects import project_lists
from stm.services.report.records import MonthlyReport
from stm.services.report.tasks import task_counts
from stm.store import tables

if TYPE_CHECKING:
    from sqlmodel import Session


def monthly_report(
    session: Session, month: date, districts: Sequence[str] = (), consent_years: int = 3
) -> MonthlyReport:
    """The report of `month` (any day in it), limited to `districts` when given.

    The outlook counts the consents that expire next month (after `consent_years`)."""
    from stm.services.finance.report_section import finance_section as money_in_month

    period = Period.of(month)
    connection = session.connection()
    d = tables.DISTRICT.c
    every = connection.execute(select(d.id, d.slug, d.name).order_by(d.city, d.name)).all()
    if districts:
        from stm.services import refs

        chosen = {found.id for found in refs.districts(session, districts) if found.id}
        scope = Scope([row for row in every if row.id in chosen], chosen)
    else:
        scope = Scope(list(every), None)
    slugs = {row.id: row.slug for row in every}

    # One expansion of every event for the month and the next (the outlook).
    dated = occurrences(connection, period.start_at, period.next().end_at)
    event_links = links(connection, tables.EVENT_DISTRICT, "event_id", {o["id"] for o in dated})
    events = held_events(dated, event_links, period, scope, slugs)
    meetings = month_meetings(connection, period, scope, slugs)
    tasks = task_counts(connection, period, scope)
    projects = project_lists(connection, period, scope, slugs)
    concerns = concern_summary(connection, period, scope, slugs)
    expiring = consents_expiring(connection, period.next(), scope, consent_years)
    return {
        "month": period.label,
        "period": {"start": period.start, "end": period.end - timedelta(days=1)},
        "districts": district_rows(scope, events, meetings, concerns, projects),
        "events": events,
        "attendance": sum(e["attendance"] or 0 for e in events),
        "meetings": meetings,
        "decisions": [decision for m in meetings for decision in m["decisions"]],
        "tasks_open": tasks["open"],
        "tasks_done": tasks["done"],
        "projects": projects,
        "concerns": concerns,
        "actors": actor_summary(connection, period, scope, consent_years),
        "newspaper": newspaper_issues(connection, period, scope),
        "finance": money_in_month(connection, period, scope),
        "outlook": outlook_for(connection, dated, event_links, period, scope, slugs, expiring),
    }
