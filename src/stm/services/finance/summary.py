"""Reading a project's money: the bookings list and `show` (planned, spent, remaining).

Read through the light Core tables (`tables.py`) and summed in Python with exact
Decimals, on SQLite (whose NUMERIC may come back as a float) as on PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from stm.services.finance.money import ZERO, exact, money_text, percent, total
from stm.services.finance.period import outside_period
from stm.store.tables import BOOKING
from stm.store.tables import FINANCE_POSITION as POSITION

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

#: Positions spent more than this many percent over plan are flagged (config default).
OVER_PLAN_PERCENT = 20


@dataclass
class BookingFilter:
    start: date | None = None
    end: date | None = None
    position_id: int | None = None


@dataclass
class BookingRow:
    id: int
    day: date
    amount: Decimal
    position_id: int
    payee: str | None
    receipt: str | None
    note: str | None
    reverses_id: int | None
    late: bool


def position_rows(connection: Connection, project_id: int) -> list[Any]:
    p = POSITION.c
    statement = (
        select(p.id, p.kind, p.name, p.planned)
        .where(p.project_id == project_id)
        .order_by(p.position, p.id)
    )
    return list(connection.execute(statement))


def booking_rows(
    connection: Connection, project_id: int, criteria: BookingFilter | None = None
) -> list[BookingRow]:
    """The project's bookings in date order (then in the order they were made)."""
    criteria = criteria or BookingFilter()
    b = BOOKING.c
    statement = select(b.id, b.day, b.amount, b.position_id, b.payee, b.receipt, b.note,
                       b.reverses_id, b.late).where(b.project_id == project_id)  # fmt: skip
    if criteria.start:
        statement = statement.where(b.day >= criteria.start)
    if criteria.end:
        statement = statement.where(b.day <= criteria.end)
    if criteria.position_id:
        statement = statement.where(b.position_id == criteria.position_id)
    rows = connection.execute(statement.order_by(b.day, b.id))
    # Unpacked, not read by attribute: a Row's attributes cost four times as much, and a
    # Verwendungsnachweis reads every booking of the project.
    return [
        BookingRow(id, day, exact(amount), position, payee, receipt, note, reverses, bool(late))
        for id, day, amount, position, payee, receipt, note, reverses, late in rows
    ]


def reversed_by(connection: Connection, project_id: int) -> dict[int, int]:
    """Booking id → the id of the booking that reverses it."""
    b = BOOKING.c
    statement = select(b.id, b.reverses_id).where(
        b.project_id == project_id, b.reverses_id.is_not(None)
    )
    return {row.reverses_id: row.id for row in connection.execute(statement)}


def booking_records(
    connection: Connection, project: Any, criteria: BookingFilter | None = None
) -> list[dict[str, Any]]:
    """The bookings as the stable JSON shape: amounts as strings, dates ISO."""
    names = {r.id: (r.name, r.kind) for r in position_rows(connection, project.id)}
    reversals = reversed_by(connection, project.id)
    records = []
    for row in booking_rows(connection, project.id, criteria):
        name, kind = names[row.position_id]
        records.append(
            {
                "id": row.id,
                "date": row.day.isoformat(),
                "position": name,
                "kind": kind,
                "amount": money_text(row.amount),
                "payee": row.payee,
                "receipt": row.receipt,
                "note": row.note,
                "reverses": row.reverses_id,
                "reversed_by": reversals.get(row.id),
                "late": row.late,
                "outside_period": outside_period(project, row.day) is not None,
            }
        )
    return records


def _position_line(row: Any, spent: Decimal, count: int, threshold: int) -> dict[str, Any]:
    planned = exact(row.planned)
    limit = planned * (100 + threshold) / 100
    return {
        "id": row.id,
        "kind": row.kind,
        "name": row.name,
        "planned": planned,
        "spent": spent,
        "remaining": planned - spent,
        "percent": percent(spent, planned),
        "bookings": count,
        "over_plan": row.kind == "cost" and spent > limit,
    }


def position_lines(
    connection: Connection, project: Any, bookings: list[BookingRow], threshold: int
) -> list[dict[str, Any]]:
    """Per position: planned, the sum of `bookings` on it, remaining, percent, flag."""
    sums: dict[int, list[Decimal]] = defaultdict(list)
    for booking in bookings:
        sums[booking.position_id].append(booking.amount)
    return [
        _position_line(row, total(sums.get(row.id, [])), len(sums.get(row.id, [])), threshold)
        for row in position_rows(connection, project.id)
    ]


def totals(lines: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    own = [line for line in lines if line["kind"] == kind]
    planned = total(line["planned"] for line in own)
    spent = total(line["spent"] for line in own)
    return {"planned": planned, "spent": spent, "remaining": planned - spent,
            "percent": percent(spent, planned)}  # fmt: skip


def finance_summary(
    connection: Connection, project: Any, threshold: int = OVER_PLAN_PERCENT
) -> dict[str, Any]:
    """What `stm finance show` displays (plain data, amounts as Decimals)."""
    bookings = booking_rows(connection, project.id)
    lines = position_lines(connection, project, bookings, threshold)
    costs, income = totals(lines, "cost"), totals(lines, "income")
    outside = [b for b in bookings if outside_period(project, b.day)]
    return {
        "project": {
            "id": project.id,
            "slug": project.slug,
            "title": project.title,
            "status": project.status,
            "start": project.start,
            "end": project.end,
            "budget": project.budget,
        },
        "threshold": threshold,
        "costs": [line for line in lines if line["kind"] == "cost"],
        "income": [line for line in lines if line["kind"] == "income"],
        "total_costs": costs,
        "total_income": income,
        "covered": income["planned"] >= costs["planned"],
        "shortfall": max(costs["planned"] - income["planned"], ZERO),
        "over_plan": [line["name"] for line in lines if line["over_plan"]],
        "outside_period": [
            {"id": b.id, "date": b.day, "amount": b.amount, "why": outside_period(project, b.day)}
            for b in outside
        ],
        "bookings": len(bookings),
    }


def as_json(value: Any) -> Any:
    """Decimals as strings "1234.50", percentages "112.5", dates ISO: the JSON contract."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value.as_tuple().exponent == -2 else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
