"""Section: projects active in the month, and those that started or finished in it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from stm.services.report.lookups import links, names
from stm.services.report.period import Period, Scope
from stm.services.report.records import ProjectLists, ProjectRecord
from stm.store import tables

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def project_lists(
    connection: Connection, period: Period, scope: Scope, slugs: dict[int, str]
) -> ProjectLists:
    """Projects active in the month, those that started and those that finished in it."""
    p = tables.PROJECT.c
    candidates = connection.execute(
        select(p.id, p.title, p.status, p.programme, p.lead_id, p.budget, p.start, p.end)
        .where(
            p.status.not_in(("idea", "cancelled")),
            or_(p.start.is_(None), p.start < period.end),
            or_(p.end.is_(None), p.end >= period.start),
        )
        .order_by(p.title, p.id)
    ).all()
    areas = links(connection, tables.PROJECT_DISTRICT, "project_id", (r.id for r in candidates))
    leads = names(connection, (row.lead_id for row in candidates))
    lists: ProjectLists = {"active": [], "started": [], "finished": []}
    for row in candidates:
        if not scope.covers(areas.get(row.id, [])):
            continue
        if row.status == "planned" and (row.start is None or row.start >= period.end):
            continue
        record: ProjectRecord = {
            "id": row.id,
            "title": row.title,
            "status": row.status,
            "programme": row.programme,
            "lead": leads.get(row.lead_id) if row.lead_id else None,
            "budget": row.budget,
            "start": row.start,
            "end": row.end,
            "districts": sorted(slugs[d] for d in areas.get(row.id, [])),
        }
        lists["active"].append(record)
        if period.holds(row.start):
            lists["started"].append(record)
        if period.holds(row.end) and row.status == "finished":
            lists["finished"].append(record)
    return lists
