"""A project's financing plan: cost positions and sources of income with planned amounts.

`set_plan` adds the positions it is given and changes the planned amount of those that
exist; positions not named stay as they are. A position with bookings is never removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from stm.errors import Conflict, Invalid
from stm.models.finance import Booking, FinancePosition
from stm.names import fold
from stm.services import refs
from stm.services.activity import log
from stm.services.finance.money import named_amount

COST, INCOME = "cost", "income"
#: Funding conditions speak of these; any other name is a position of its own.
USUAL_COSTS = ("Personal", "Honorare", "Sachkosten", "Öffentlichkeitsarbeit", "Miete")


@dataclass
class PlanChange:
    """What `stm finance plan` was given: `NAME=AMOUNT` texts, and names to remove."""

    costs: Sequence[str] = ()
    income: Sequence[str] = ()
    remove: Sequence[str] = ()


@dataclass
class PlanResult:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def positions(session: Session, project_id: int) -> list[FinancePosition]:
    statement = (
        select(FinancePosition)
        .where(FinancePosition.project_id == project_id)
        .order_by(col(FinancePosition.position), col(FinancePosition.id))
    )
    return list(session.exec(statement).all())


def _parsed(change: PlanChange) -> list[tuple[str, str, Decimal]]:
    given: dict[str, tuple[str, str, Decimal]] = {}
    for kind, texts, option in (
        (COST, change.costs, "cost"),
        (INCOME, change.income, "income"),
    ):
        for text in texts:
            name, amount = named_amount(text, option)
            earlier = given.get(fold(name))
            if earlier and earlier[0] != kind:
                raise Invalid(
                    option, f"{name!r} is given as a cost and as income; one name, one kind"
                )
            given[fold(name)] = (kind, name, amount)
    return list(given.values())


def set_plan(session: Session, ref: str, change: PlanChange) -> tuple[Any, PlanResult]:
    """Add or change planned positions of a project, and remove positions without bookings."""
    project = refs.project(session, ref)
    assert project.id is not None
    wanted = _parsed(change)
    existing = {p.key: p for p in positions(session, project.id)}
    result = PlanResult()
    for text in change.remove:
        position = existing.get(fold(text))
        if position is None:
            from stm.parsing import unknown

            raise unknown("remove", text, [p.name for p in existing.values()], what="position")
        booked = session.exec(
            select(func.count()).select_from(Booking).where(Booking.position_id == position.id)
        ).one()
        if booked:
            raise Conflict(
                f"position {position.name!r} has {booked} booking(s); a booked position stays "
                "in the plan (set its planned amount to 0 instead)"
            )
        session.delete(position)
        del existing[position.key]
        result.removed.append(position.name)
    order = max((p.position for p in existing.values()), default=0)
    for kind, name, amount in wanted:
        position = existing.get(fold(name))
        if position is None:
            order += 1
            position = FinancePosition(project_id=project.id, kind=kind, name=name,
                                       key=fold(name), planned=amount, position=order)  # fmt: skip
            result.added.append(name)
        elif position.kind != kind:
            what = "a cost position" if position.kind == COST else "a source of income"
            raise Invalid(
                "cost" if kind == COST else "income", f"{position.name!r} is {what} already"
            )
        else:
            position.planned = amount
            result.changed.append(position.name)
        session.add(position)
    session.flush()
    summary = ", ".join(f"{w[1]}={w[2]}" for w in wanted) or "positions removed"
    log(session, "finance.plan", "project", project.id, f"{project.title}: {summary}")
    return project, result


def position_named(session: Session, project: Any, name: str, field: str) -> FinancePosition:
    """A position of the project by its name (case, umlauts and spaces do not matter)."""
    found = positions(session, project.id)
    for position in found:
        if position.key == fold(name):
            return position
    if not found:
        raise Invalid(
            field,
            f"project {project.title!r} has no financing plan yet; give its positions first "
            "(stm finance plan)",
        )
    from stm.parsing import unknown

    raise unknown(field, name, [p.name for p in found], what="position")
