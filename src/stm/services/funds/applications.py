"""Applications to a fund: apply, decide (linked to a meeting's TOP decision), pay.

Refused with the amounts named (exit 1): an application over the fund's cap, an approval
over the remaining budget, a payment over what was approved. A closed fund takes no
applications (bad input, exit 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Conflict, Invalid, NotFound
from stm.models.finance import Fund, FundApplication, FundPayment
from stm.parsing import parse_date, parse_name, parse_short_text, parse_text
from stm.services import refs
from stm.services.activity import log
from stm.services.finance.money import exact, positive_amount, total
from stm.services.funds.funds import fund_by_ref, fund_money


def _euro(value: Decimal) -> str:
    from stm.wording import format_money

    return format_money(value)


def apply(
    session: Session, fund_ref: str, title: str, applicant: str, amount_text: str,
    description: str | None = None, on: str | None = None,
) -> FundApplication:  # fmt: skip
    fund = fund_by_ref(session, fund_ref)
    if fund.closed_on:
        raise Invalid(
            "fund", f"{fund.name!r} is closed (since {fund.closed_on:%d.%m.%Y}); it takes no "
            "more applications"
        )  # fmt: skip
    amount = positive_amount(amount_text, "amount")
    name = parse_name(title, "title")
    who = refs.actor(session, applicant, "applicant")
    day = parse_date(on, "on") if on else clock.today()
    text = parse_text(description, "description")
    if fund.cap is not None and amount > exact(fund.cap):
        raise Conflict(
            f"the application asks for {_euro(amount)}, over the cap of {_euro(exact(fund.cap))} "
            f"per application of {fund.name}"
        )
    application = FundApplication(fund_id=fund.id or 0, title=name, applicant_id=who.id or 0,
                                  amount=amount, description=text, applied_on=day,
                                  created_at=clock.now())  # fmt: skip
    session.add(application)
    session.flush()
    log(session, "fund.apply", "fund_application", application.id, f"{fund.name}: {name} {amount}")
    return application


def application_by_ref(session: Session, ref: str) -> FundApplication:
    return refs.by_id(session, FundApplication, ref, "application")


@dataclass
class Verdict:
    approve: bool
    amount: str | None = None
    meeting: str | None = None
    top: int | None = None
    on: str | None = None


def _linked_decision(session: Session, fund: Fund, verdict: Verdict) -> tuple[Any, Any, date]:
    """The meeting, its decision at TOP `top` (or None) and the day the fund decided."""
    from stm.models.events import Event
    from stm.models.meetings import AgendaItem, Decision
    from stm.services import meetings

    if verdict.meeting is None:
        if verdict.top is not None:
            raise Invalid("top", "names a TOP of a meeting; give the meeting too (--meeting)")
        return None, None, parse_date(verdict.on, "on") if verdict.on else clock.today()
    meeting = meetings.resolve(session, verdict.meeting)
    if fund.jury_id and meeting.network_id != fund.jury_id:
        jury, body = refs.network(session, str(fund.jury_id)), refs.network(
            session, str(meeting.network_id))  # fmt: skip
        raise Conflict(
            f"meeting #{meeting.id} is a meeting of {body.slug}; {fund.name} is decided by "
            f"{jury.slug}"
        )
    event = session.get(Event, meeting.event_id)
    day = event.start.date() if event else clock.today()
    if verdict.top is None:
        return meeting, None, day
    item = session.exec(
        select(AgendaItem).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.position == verdict.top
        )
    ).first()
    if item is None:
        raise NotFound(f"meeting #{meeting.id} has no TOP {verdict.top}")
    decisions = list(session.exec(
        select(Decision).where(Decision.agenda_item_id == item.id).order_by(col(Decision.id))
    ).all())  # fmt: skip
    if not decisions:
        raise NotFound(
            f"no decision is recorded at TOP {verdict.top} ({item.title}) of meeting "
            f"#{meeting.id}; record it in the minutes first"
        )
    if len(decisions) > 1:
        listed = "; ".join(f"#{d.id} {d.text[:60]}" for d in decisions)
        raise Conflict(
            f"TOP {verdict.top} of meeting #{meeting.id} holds several decisions: {listed}"
        )
    decision = decisions[0]
    if verdict.approve and decision.result != "adopted":
        raise Conflict(f"the decision at TOP {verdict.top} was rejected; it approves nothing")
    return meeting, decision, day


def decide(session: Session, ref: str, verdict: Verdict) -> FundApplication:
    application = application_by_ref(session, ref)
    fund = session.get(Fund, application.fund_id)
    assert fund is not None
    if application.state != "applied":
        raise Conflict(f"application #{application.id} is {application.state} already")
    requested = exact(application.amount)
    amount = positive_amount(verdict.amount, "amount") if verdict.amount else requested
    if not verdict.approve and verdict.amount:
        raise Invalid("amount", "is the amount approved; a rejection approves none")
    meeting, decision, day = _linked_decision(session, fund, verdict)
    if verdict.approve:
        if amount > requested:
            raise Conflict(f"{_euro(amount)} is more than the {_euro(requested)} applied for")
        money = fund_money(session, [fund.id or 0])[fund.id or 0]
        remaining = money.remaining(exact(fund.budget))
        if amount > remaining:
            raise Conflict(
                f"approving {_euro(amount)} exceeds the remaining budget of {fund.name}: "
                f"{_euro(remaining)} of {_euro(exact(fund.budget))} are left"
            )
        application.approved = amount
    application.state = "approved" if verdict.approve else "rejected"
    application.decided_on = day
    application.meeting_id = meeting.id if meeting else None
    application.decision_id = decision.id if decision else None
    session.add(application)
    session.flush()
    log(session, "fund.decide", "fund_application", application.id,
        f"{application.title}: {application.state}")  # fmt: skip
    return application


def pay(
    session: Session, ref: str, amount_text: str, day_text: str | None, receipt: str | None
) -> FundPayment:
    application = application_by_ref(session, ref)
    if application.state not in ("approved", "paid"):
        raise Conflict(
            f"application #{application.id} is {application.state}; only an approved one is paid"
        )
    amount = positive_amount(amount_text, "amount")
    day = parse_date(day_text, "date") if day_text else clock.today()
    if application.decided_on and day < application.decided_on:
        raise Invalid(
            "date", f"{day:%d.%m.%Y} is before the decision ({application.decided_on:%d.%m.%Y})"
        )
    p = FundPayment.__table__.c  # type: ignore[attr-defined]
    earlier = (
        session.connection()
        .execute(select_columns(p.amount).where(p.application_id == application.id))
        .scalars()
    )
    paid = total(exact(a) for a in earlier)
    approved = exact(application.approved)
    if paid + amount > approved:
        raise Conflict(
            f"paying {_euro(amount)} exceeds the {_euro(approved)} approved "
            f"({_euro(paid)} paid already)"
        )
    payment = FundPayment(application_id=application.id or 0, day=day, amount=amount,
                          receipt=parse_short_text(receipt, "receipt", 100),
                          created_at=clock.now())  # fmt: skip
    session.add(payment)
    if paid + amount == approved:
        application.state = "paid"
        session.add(application)
    session.flush()
    log(session, "fund.pay", "fund_payment", payment.id, f"{application.title}: {amount}")
    return payment
