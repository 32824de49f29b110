"""Section: residents' concerns opened, forwarded and answered in the month."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, func, or_, select

from stm.services.report.lookups import kinds, names, rows_for_ids
from stm.services.report.period import Period, Scope
from stm.services.report.records import (
    AddresseeCount,
    CategoryCount,
    ConcernRecord,
    ConcernSummary,
    DistrictConcerns,
)
from stm.store import tables

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

CLOSED = ("resolved", "rejected")
WAITING = ("forwarded", "in-progress")

#: Whom concerns are forwarded to, by the kind of the receiving actor ("an die Verwaltung").
#: Their labels are the render layer's (`stm.render.ADDRESSEE_LABELS`).
ADDRESSEES: dict[str, tuple[str, ...]] = {
    "administration": ("administration",),
    "housing": ("housing",),
    "politics": ("politics",),
    "social": ("social", "church"),
    "education": ("school", "kita"),
    "associations": ("association", "initiative", "organisation"),
    "business": ("business", "media"),
    "other": (),
}


def addressee_of(kind: str | None) -> str:
    return next((name for name, kinds in ADDRESSEES.items() if kind in kinds), "other")


def concern_summary(
    connection: Connection, period: Period, scope: Scope, slugs: dict[int, str]
) -> ConcernSummary:
    """Opened, forwarded, resolved, rejected and still open, with the median days from
    report to answer of the concerns closed in the month."""
    counts = _counts(connection, period, scope)
    touched = _touched(connection, period, scope)
    closed = [row for row in touched if period.holds(row.closed_on) and row.status in CLOSED]
    days = sorted((row.closed_on - row.reported_on).days for row in closed)
    forwarded = [row for row in touched if period.holds(row.forwarded_on)]
    by_category = Counter(row.category or "" for row in touched if period.holds(row.reported_on))
    return {
        "opened": sum(int(row[1] or 0) for row in counts),
        "forwarded": len(forwarded),
        "forwarded_to_kinds": _addressees(connection, forwarded),
        "resolved": sum(1 for row in closed if row.status == "resolved"),
        "rejected": sum(1 for row in closed if row.status == "rejected"),
        "open": sum(int(row[3] or 0) for row in counts),
        "overdue": sum(int(row[4] or 0) for row in counts),
        "median_days_to_answer": _median(days),
        "by_category": [
            CategoryCount(category=name or None, count=n)
            for name, n in sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "by_district": _by_district(counts, slugs),
        "records": _records(connection, touched, period, slugs),
    }


def _counts(connection: Connection, period: Period, scope: Scope) -> list[Any]:
    """Per district: opened in the month, closed in it, open at its end, overdue then."""
    c = tables.CONCERN.c
    open_at_end = and_(
        c.reported_on < period.end, or_(c.closed_on.is_(None), c.closed_on >= period.end)
    )
    overdue = and_(open_at_end, c.status.in_(WAITING), c.due < period.end)

    def number(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    # One pass over the concerns for every count, per district.
    return list(connection.execute(
        select(c.district_id, number(period.dates(c.reported_on)),
               number(period.dates(c.closed_on)), number(open_at_end), number(overdue))
        .where(scope.where(c.district_id))
        .group_by(c.district_id)
    ).all())  # fmt: skip


def _touched(connection: Connection, period: Period, scope: Scope) -> list[Any]:
    """Concerns reported, forwarded or closed in the month."""
    c = tables.CONCERN.c
    return list(connection.execute(
        select(c.id, c.title, c.district_id, c.category, c.status, c.forwarded_to_id,
               c.forwarded_on, c.due, c.reported_on, c.closed_on, c.answer)
        .where(
            scope.where(c.district_id),
            or_(period.dates(c.reported_on), period.dates(c.forwarded_on),
                period.dates(c.closed_on)),
        ).order_by(c.reported_on, c.id)
    ).all())  # fmt: skip


def _addressees(connection: Connection, forwarded: list[Any]) -> list[AddresseeCount]:
    """How many concerns went to each kind of addressee, in the order of ADDRESSEES."""
    found = kinds(connection, (row.forwarded_to_id for row in forwarded))
    counted = Counter(addressee_of(found.get(row.forwarded_to_id)) for row in forwarded)
    return [{"addressee": name, "count": counted[name]} for name in ADDRESSEES if counted[name]]


def _by_district(counts: list[Any], slugs: dict[int, str]) -> dict[str, DistrictConcerns]:
    def slug(row: Any) -> str:
        return slugs.get(row[0], "") if row[0] else ""

    return {
        slug(row): {
            "opened": int(row[1] or 0), "closed": int(row[2] or 0), "open": int(row[3] or 0)
        }
        for row in sorted(counts, key=slug)
    }  # fmt: skip


def _records(
    connection: Connection, touched: list[Any], period: Period, slugs: dict[int, str]
) -> list[ConcernRecord]:
    statuses = _statuses_at(connection, [row.id for row in touched], period.end_at)
    targets = names(connection, (row.forwarded_to_id for row in touched))
    return [
        {
            "id": row.id,
            "title": row.title,
            "district": slugs.get(row.district_id) if row.district_id else None,
            "category": row.category,
            "status": statuses.get(row.id, row.status),
            "forwarded_to": targets.get(row.forwarded_to_id) if row.forwarded_to_id else None,
            "reported_on": row.reported_on,
            "closed_on": row.closed_on if period.holds(row.closed_on) else None,
            "answer": row.answer if period.holds(row.closed_on) else None,
        }
        for row in touched
    ]


def _median(values: list[int]) -> float | int | None:
    if not values:
        return None
    middle = statistics.median(values)
    return int(middle) if float(middle).is_integer() else round(float(middle), 1)


def _statuses_at(connection: Connection, ids: list[int], moment: datetime) -> dict[int, str]:
    """Each concern's status at `moment`, from its history."""
    h = tables.CONCERN_HISTORY.c
    latest: dict[int, tuple[datetime, int, str]] = {}
    for row in rows_for_ids(
        connection,
        lambda c: select(h.concern_id, h.at, h.id, h.status).where(
            h.concern_id.in_(c), h.at < moment
        ),
        ids,
    ):
        key = (row.at, row.id, row.status)
        if row.concern_id not in latest or key > latest[row.concern_id]:
            latest[row.concern_id] = key
    return {concern_id: status for concern_id, (_at, _id, status) in latest.items()}
