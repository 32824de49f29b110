"""Funds: add, close, and read them with their money (budget, approved, paid, remaining)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Conflict, Invalid
from stm.models.core import Actor, District
from stm.models.finance import Fund, FundApplication, FundPayment
from stm.models.networks import Network
from stm.names import fold, slugify
from stm.parsing import parse_date, parse_name
from stm.services import refs
from stm.services.activity import log
from stm.services.finance.money import ZERO, exact, money_text, positive_amount, total

STATES = ("applied", "approved", "rejected", "paid")


@dataclass
class FundFields:
    name: str
    budget: str
    cap: str | None = None
    district: str | None = None
    jury: str | None = None
    slug: str | None = None


def add_fund(session: Session, fields: FundFields) -> Fund:
    name = parse_name(fields.name, "name")
    budget = positive_amount(fields.budget, "budget")
    cap = positive_amount(fields.cap, "cap") if fields.cap else None
    if cap is not None and cap > budget:
        raise Invalid("cap", f"{cap:.2f} € is more than the budget of {budget:.2f} €")
    district = refs.district(session, fields.district) if fields.district else None
    jury = refs.network(session, fields.jury) if fields.jury else None
    slug = slugify(fields.slug or name)
    if not slug:
        raise Invalid("slug", "must contain at least one letter or digit")
    clash = session.exec(select(Fund).where(Fund.slug == slug)).first()
    if clash:
        raise Conflict(f"a fund with slug {slug!r} exists already (#{clash.id} {clash.name})")
    fund = Fund(slug=slug, key=fold(name), name=name, budget=budget, cap=cap,
                district_id=district.id if district else None, jury_id=jury.id if jury else None,
                created_at=clock.now())  # fmt: skip
    session.add(fund)
    session.flush()
    log(session, "fund.add", "fund", fund.id, f"{name}: {budget}")
    return fund


def fund_by_ref(session: Session, ref: str) -> Fund:
    from stm.services.refs import by_slug

    found: Fund = by_slug(session, Fund, ref, "fund", "name")
    return found


def close_fund(session: Session, ref: str, day: str | None = None) -> Fund:
    fund = fund_by_ref(session, ref)
    if fund.closed_on:
        raise Conflict(f"fund {fund.name!r} is closed already (since {fund.closed_on:%d.%m.%Y})")
    fund.closed_on = parse_date(day, "on") if day else clock.today()
    session.add(fund)
    log(session, "fund.close", "fund", fund.id, fund.name)
    return fund


@dataclass
class FundMoney:
    approved: Decimal
    paid: Decimal
    requested: Decimal
    states: dict[str, int]

    def remaining(self, budget: Decimal) -> Decimal:
        return budget - self.approved


def fund_money(session: Session, fund_ids: list[int]) -> dict[int, FundMoney]:
    """Per fund: approved (including paid), paid, open requests, applications by state."""
    a, p = FundApplication.__table__.c, FundPayment.__table__.c  # type: ignore[attr-defined]
    approved: dict[int, list[Decimal]] = defaultdict(list)
    requested: dict[int, list[Decimal]] = defaultdict(list)
    states: dict[int, Counter[str]] = defaultdict(Counter)
    rows = session.connection().execute(
        select_columns(a.fund_id, a.state, a.amount, a.approved).where(a.fund_id.in_(fund_ids))
    )
    for row in rows:
        states[row.fund_id][row.state] += 1
        if row.state in ("approved", "paid"):
            approved[row.fund_id].append(exact(row.approved))
        elif row.state == "applied":
            requested[row.fund_id].append(exact(row.amount))
    paid: dict[int, list[Decimal]] = defaultdict(list)
    payments = session.connection().execute(
        select_columns(a.fund_id, p.amount)
        .select_from(FundPayment.__table__.join(  # type: ignore[attr-defined]
            FundApplication.__table__, a.id == p.application_id))  # type: ignore[attr-defined]
        .where(a.fund_id.in_(fund_ids))
    )  # fmt: skip
    for row in payments:
        paid[row.fund_id].append(exact(row.amount))
    return {
        i: FundMoney(
            total(approved[i]),
            total(paid[i]),
            total(requested[i]),
            {s: states[i][s] for s in STATES},
        )
        for i in fund_ids
    }


def fund_records(session: Session, funds: list[Fund] | None = None) -> list[dict[str, Any]]:
    """The stable JSON shape of funds; money as strings."""
    if funds is None:
        funds = list(session.exec(select(Fund).order_by(col(Fund.key), col(Fund.id))).all())
    ids = [f.id for f in funds if f.id is not None]
    money = fund_money(session, ids)
    districts = dict(session.exec(select(District.id, District.slug)).all())
    juries = dict(session.exec(select(Network.id, Network.slug)).all())
    records = []
    for fund in funds:
        m = money[fund.id or 0]
        budget = exact(fund.budget)
        records.append(
            {
                "id": fund.id,
                "slug": fund.slug,
                "name": fund.name,
                "district": districts.get(fund.district_id) if fund.district_id else None,
                "jury": juries.get(fund.jury_id) if fund.jury_id else None,
                "budget": money_text(budget),
                "cap": money_text(exact(fund.cap)) if fund.cap is not None else None,
                "approved": money_text(m.approved),
                "paid": money_text(m.paid),
                "remaining": money_text(m.remaining(budget)),
                "requested": money_text(m.requested),
                "applications": m.states,
                "closed": fund.closed_on.isoformat() if fund.closed_on else None,
            }
        )
    return records


def application_records(session: Session, fund: Fund) -> list[dict[str, Any]]:
    from stm.models.meetings import Decision, Meeting

    applications = list(
        session.exec(
            select(FundApplication)
            .where(FundApplication.fund_id == fund.id)
            .order_by(col(FundApplication.applied_on), col(FundApplication.id))
        ).all()
    )
    names = dict(
        session.exec(
            select(Actor.id, Actor.name).where(
                col(Actor.id).in_({a.applicant_id for a in applications})
            )
        ).all()
    )
    decisions = {
        d.id: d
        for d in session.exec(
            select(Decision).where(col(Decision.id).in_({a.decision_id for a in applications}))
        ).all()
    }
    meetings = {
        m.id: m
        for m in session.exec(
            select(Meeting).where(col(Meeting.id).in_({a.meeting_id for a in applications}))
        ).all()
    }
    paid = _paid_by_application(session, [a.id or 0 for a in applications])
    records = []
    for application in applications:
        decision = decisions.get(application.decision_id) if application.decision_id else None
        meeting = meetings.get(application.meeting_id) if application.meeting_id else None
        records.append(
            {
                "id": application.id,
                "title": application.title,
                "applicant": names.get(application.applicant_id),
                "amount": money_text(exact(application.amount)),
                "approved": money_text(exact(application.approved))
                if application.approved is not None
                else None,
                "paid": money_text(paid.get(application.id or 0, ZERO)),
                "state": application.state,
                "applied_on": application.applied_on.isoformat(),
                "decided_on": application.decided_on.isoformat()
                if application.decided_on
                else None,
                "meeting": meeting.id if meeting else None,
                "decision": _decision_record(decision) if decision else None,
            }
        )
    return records


def _decision_record(decision: Any) -> dict[str, Any]:
    return {
        "id": decision.id,
        "text": decision.text,
        "result": decision.result,
        "votes": {
            "yes": decision.votes_yes,
            "no": decision.votes_no,
            "abstain": decision.votes_abstain,
        },
    }


def _paid_by_application(session: Session, ids: list[int]) -> dict[int, Decimal]:
    p = FundPayment.__table__.c  # type: ignore[attr-defined]
    sums: dict[int, list[Decimal]] = defaultdict(list)
    rows = session.connection().execute(
        select_columns(p.application_id, p.amount).where(p.application_id.in_(ids))
    )
    for row in rows:
        sums[row.application_id].append(exact(row.amount))
    return {key: total(values) for key, values in sums.items()}


def fund_detail(session: Session, fund: Fund) -> dict[str, Any]:
    record = fund_records(session, [fund])[0]
    record["application_list"] = application_records(session, fund)
    return record
