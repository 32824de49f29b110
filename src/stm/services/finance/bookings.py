"""Bookings: what was spent on a position, with its receipt. Never edited in place.

A correction is a reversal (`reverse`: the opposite amount, naming the booking it
reverses) plus a new booking. A booking on a finished or cancelled project needs `late`;
one dated before the project's start or after its end is kept and flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from stm import clock
from stm.errors import Conflict, Invalid
from stm.models.finance import Booking
from stm.parsing import parse_date, parse_short_text, parse_text
from stm.services import refs
from stm.services.activity import log
from stm.services.finance.money import positive_amount
from stm.services.finance.period import outside_period
from stm.services.finance.plan import position_named

CLOSED_STATUSES = ("finished", "cancelled")


@dataclass
class BookingFields:
    project: str
    position: str
    amount: str
    date: str | None = None
    payee: str | None = None
    receipt: str | None = None
    note: str | None = None
    late: bool = False


def _check_open(project: Any, late: bool) -> None:
    if project.status in CLOSED_STATUSES and not late:
        raise Invalid(
            "late",
            f"project {project.title!r} is {project.status}; a booking on it is a late "
            "booking: confirm with --late",
        )


def book(session: Session, fields: BookingFields) -> tuple[Booking, list[str]]:
    """Add a booking; returns it and warnings (a date outside the running time)."""
    project = refs.project(session, fields.project)
    position = position_named(session, project, fields.position, "position")
    amount = positive_amount(fields.amount, "amount")
    day = parse_date(fields.date, "date") if fields.date else clock.today()
    payee = parse_short_text(fields.payee, "payee", 200)
    receipt = parse_short_text(fields.receipt, "receipt", 100)
    note = parse_text(fields.note, "note")
    _check_open(project, fields.late)
    assert project.id is not None
    booking = Booking(project_id=project.id, position_id=position.id or 0, day=day, amount=amount,
                      payee=payee, receipt=receipt, note=note, late=fields.late,
                      created_at=clock.now())  # fmt: skip
    session.add(booking)
    session.flush()
    log(session, "finance.book", "booking", booking.id,
        f"{project.title}: {position.name} {amount} ({receipt or 'ohne Beleg'})")  # fmt: skip
    warning = outside_period(project, day)
    return booking, [f"booking #{booking.id} is dated {warning}"] if warning else []


def reverse(
    session: Session, ref: str, day_text: str | None = None, note: str | None = None,
    late: bool = False,
) -> Booking:  # fmt: skip
    """Reverse a booking: a new booking of the opposite amount that names it."""
    original = refs.by_id(session, Booking, ref, "booking")
    if original.reverses_id is not None:
        raise Conflict(
            f"booking #{original.id} is itself the reversal of #{original.reverses_id}; "
            "book the amount anew instead"
        )
    already = session.exec(select(Booking).where(Booking.reverses_id == original.id)).first()
    if already is not None:
        raise Conflict(f"booking #{original.id} was reversed already by #{already.id}")
    project = refs.project(session, str(original.project_id))
    _check_open(project, late)
    day = parse_date(day_text, "date") if day_text else clock.today()
    if day < original.day:
        raise Invalid(
            "date", f"{day:%d.%m.%Y} is before the booking it reverses ({original.day:%d.%m.%Y})"
        )
    reversal = Booking(project_id=original.project_id, position_id=original.position_id, day=day,
                       amount=-original.amount, payee=original.payee, receipt=original.receipt,
                       note=parse_text(note, "note") or f"Storno zu #{original.id}",
                       reverses_id=original.id, late=late, created_at=clock.now())  # fmt: skip
    session.add(reversal)
    session.flush()
    log(session, "finance.reverse", "booking", reversal.id,
        f"{project.title}: Storno zu #{original.id} ({original.amount})")  # fmt: skip
    return reversal
