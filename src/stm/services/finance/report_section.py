"""The monthly report's money: spent per project and paid per fund in the month, the fund
applications decided, and the Verwendungsnachweise due next month (for the outlook).

One function the monthly report calls (`stm.services.report.monthly_report`); plain
data, amounts as Decimals, every list in a total order.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from stm.services.finance.money import exact, total
from stm.services.finance.period import final_due, interim_due
from stm.store.tables import BOOKING, FUND
from stm.store.tables import FINANCE_POSITION as POSITION
from stm.store.tables import FUND_APPLICATION as APPLICATION
from stm.store.tables import FUND_PAYMENT as PAYMENT

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def finance_section(connection: Connection, period: Any, scope: Any) -> dict[str, Any]:
    """`period` and `scope` are the report's (`stm.services.report.Period`, `Scope`)."""
    in_scope = _projects_in_scope(connection, scope)
    projects = _spent_per_project(connection, period, scope, in_scope)
    funds = _funds_in_scope(connection, scope)
    paid = _paid_per_fund(connection, period, funds)
    decided = _decided_applications(connection, period, funds)
    due = _due_in_scope(connection, period, scope, in_scope)
    return {
        "projects": projects,
        "spent": total(item["spent"] for item in projects),
        "funds": paid,
        "decided": decided,
        "due": due,
    }


def _projects_in_scope(connection: Connection, scope: Any) -> set[int]:
    from stm.store.tables import PROJECT_DISTRICT

    pd = PROJECT_DISTRICT.c
    return {r.project_id for r in connection.execute(select(pd.project_id)
            .where(scope.where(pd.district_id)))}  # fmt: skip


def _spent_per_project(
    connection: Connection, period: Any, scope: Any, in_scope: set[int]
) -> list[dict[str, Any]]:
    """The costs booked in the period, per project (by title)."""
    from stm.store.tables import PROJECT

    p, b, pos = PROJECT.c, BOOKING.c, POSITION.c
    spent: dict[int, list[Decimal]] = defaultdict(list)
    rows = connection.execute(
        select(b.project_id, b.amount)
        .select_from(BOOKING.join(POSITION, pos.id == b.position_id))
        .where(period.dates(b.day), pos.kind == "cost")
    )
    for row in rows:
        if scope.ids is None or row.project_id in in_scope:
            spent[row.project_id].append(exact(row.amount))
    titles: dict[int, str] = dict(connection.execute(select(p.id, p.title)).all())
    return [
        {"project": titles[i], "spent": total(v)}
        for i, v in sorted(spent.items(), key=lambda item: titles[item[0]])
    ]


def _funds_in_scope(connection: Connection, scope: Any) -> dict[int, Any]:
    f = FUND.c
    return {r.id: r for r in connection.execute(select(f.id, f.name, f.district_id))
            if scope.ids is None or r.district_id in scope.ids}  # fmt: skip


def _paid_per_fund(
    connection: Connection, period: Any, funds: dict[int, Any]
) -> list[dict[str, Any]]:
    """The payments made in the period, per fund (by name)."""
    a, pay = APPLICATION.c, PAYMENT.c
    paid: dict[int, list[Decimal]] = defaultdict(list)
    for row in connection.execute(
        select(a.fund_id, pay.amount)
        .select_from(PAYMENT.join(APPLICATION, a.id == pay.application_id))
        .where(period.dates(pay.day))
    ):
        if row.fund_id in funds:
            paid[row.fund_id].append(exact(row.amount))
    return sorted(
        ({"fund": funds[i].name, "paid": total(v)} for i, v in paid.items()),
        key=lambda item: item["fund"],
    )


def _decided_applications(
    connection: Connection, period: Any, funds: dict[int, Any]
) -> list[dict[str, Any]]:
    """The fund applications decided in the period, in the order they were decided."""
    from stm.store.tables import ACTOR

    a, actor = APPLICATION.c, ACTOR.c
    names: dict[int, str] = dict(connection.execute(select(actor.id, actor.name)).all())
    return [
        {
            "fund": funds[r.fund_id].name,
            "title": r.title,
            "applicant": names.get(r.applicant_id),
            "state": r.state,
            "amount": exact(r.amount),
            "approved": exact(r.approved) if r.approved is not None else None,
            "decided_on": r.decided_on,
        }
        for r in connection.execute(
            select(a.fund_id, a.title, a.applicant_id, a.state, a.amount, a.approved, a.decided_on)
            .where(period.dates(a.decided_on))
            .order_by(a.decided_on, a.id)
        )
        if r.fund_id in funds
    ]


def _due_in_scope(
    connection: Connection, period: Any, scope: Any, in_scope: set[int]
) -> list[dict[str, Any]]:
    """The reports due next month for the projects in scope that have a finance plan."""
    pos = POSITION.c
    planned = {r.project_id for r in connection.execute(select(pos.project_id).distinct())}
    return _due(connection, period.next(), [i for i in planned
                                            if scope.ids is None or i in in_scope])  # fmt: skip


def _due(connection: Connection, upcoming: Any, project_ids: list[int]) -> list[dict[str, Any]]:
    """Verwendungsnachweise (six months after the end) and Zwischennachweise (30 April of
    the following year, for a project running on past that year) due in `upcoming`."""
    from stm.store.tables import PROJECT

    p = PROJECT.c
    found = []
    for row in connection.execute(
        select(p.id, p.title, p.start, p.end, p.status).where(p.id.in_(project_ids))
    ):
        if row.status == "cancelled":
            continue
        final = final_due(row)
        if final and upcoming.holds(final):
            found.append({"date": final, "kind": "final", "project": row.title, "year": None})
        year = upcoming.start.year - 1
        interim = interim_due(year)
        ran = (row.start is None or row.start <= date(year, 12, 31)) and (
            row.end is None or row.end > date(year, 12, 31)
        )
        if upcoming.holds(interim) and ran:
            found.append({"date": interim, "kind": "interim", "project": row.title, "year": year})
    return sorted(found, key=lambda d: (d["date"], d["project"]))
