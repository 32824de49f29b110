"""The Verwendungsnachweis (proof of use) of a project, and the yearly Zwischennachweis.

Three parts, as funders ask for them: the numerical part (per position planned and
actual, income by source), the chronological list of receipts, and a Sachbericht to
complete, prefilled from the project's description, goals, its events with attendance and
the decisions that concern it (those whose text or TOP names the project).

Due dates: the Verwendungsnachweis six months after the project's end, the
Zwischennachweis of a year by 30 April of the next (the usual funding conditions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from stm import clock
from stm.errors import Invalid
from stm.services.finance.money import total
from stm.services.finance.period import final_due, interim_due, outside_period
from stm.services.finance.summary import (
    OVER_PLAN_PERCENT,
    booking_rows,
    position_lines,
    position_rows,
    totals,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


@dataclass
class NachweisRequest:
    start: date | None = None
    end: date | None = None
    interim: int | None = None
    threshold: int = OVER_PLAN_PERCENT


def _period(project: Any, request: NachweisRequest, first: date | None, last: date | None
            ) -> tuple[date | None, date | None]:  # fmt: skip
    if request.interim is not None:
        if request.start or request.end:
            raise Invalid("interim", "a Zwischennachweis covers its year; leave out --from/--to")
        year = request.interim
        if not 1900 <= year <= 2100:
            raise Invalid("interim", f"{year} is not a year; use e.g. 2026")
        start, end = date(year, 1, 1), date(year, 12, 31)
        if (project.end and start > project.end) or (project.start and end < project.start):
            running = f"{_day(project.start)} – {_day(project.end)}"
            raise Invalid("interim", f"{year} lies outside the project's running time ({running})")
        return max(start, project.start or start), min(end, project.end or end)
    # The whole Nachweis shows every booking: one dated outside the running time is
    # listed and flagged, not left out.
    lower = request.start or _earliest(project.start, first)
    upper = request.end or _latest(project.end, last)
    if lower and upper and upper < lower:
        raise Invalid("end", f"{upper:%d.%m.%Y} is before the start {lower:%d.%m.%Y}")
    return lower, upper


def _earliest(a: date | None, b: date | None) -> date | None:
    return min(d for d in (a, b) if d) if (a or b) else None


def _latest(a: date | None, b: date | None) -> date | None:
    return max(d for d in (a, b) if d) if (a or b) else None


def _day(value: date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else "…"


def nachweis_data(connection: Connection, project: Any, request: NachweisRequest
                  ) -> dict[str, Any]:  # fmt: skip
    """The whole document as plain data (Decimals, dates), for md/html/pdf/csv.

    `project` is its row (`refs.project_row`) or model object; a read needs no models."""
    from stm.services.project_records import project_records

    every = booking_rows(connection, project.id)
    start, end = _period(project, request, every[0].day if every else None,
                         every[-1].day if every else None)  # fmt: skip
    chosen = [b for b in every if (not start or b.day >= start) and (not end or b.day <= end)]
    lines = position_lines(connection, project, chosen, request.threshold)
    names = {r.id: r.name for r in position_rows(connection, project.id)}
    kinds = {line["id"]: line["kind"] for line in lines}
    record = project_records(connection, [project])[0]
    receipts = [
        {"number": n, "id": b.id, "date": b.day, "receipt": b.receipt, "payee": b.payee,
         "position": names[b.position_id], "amount": b.amount, "note": b.note,
         "reverses": b.reverses_id, "outside_period": outside_period(project, b.day)}
        for n, b in enumerate((b for b in chosen if kinds[b.position_id] == "cost"), start=1)
    ]  # fmt: skip
    received = [b for b in chosen if kinds[b.position_id] == "income"]
    costs, income = totals(lines, "cost"), totals(lines, "income")
    events = _events(connection, project.id, start, end)
    return {
        "kind": "interim" if request.interim is not None else "final",
        "year": request.interim,
        "project": {
            **record,
            "description": project.description,
            "start": project.start,
            "end": project.end,
        },
        "period": {"start": start, "end": end},
        "due": interim_due(request.interim) if request.interim is not None else final_due(project),
        "threshold": request.threshold,
        "costs": [line for line in lines if line["kind"] == "cost"],
        "income": [line for line in lines if line["kind"] == "income"],
        "total_costs": costs,
        "total_income": income,
        "balance": income["spent"] - costs["spent"],
        "receipts": receipts,
        "receipts_total": total(r["amount"] for r in receipts),
        "income_bookings": [
            {
                "date": b.day,
                "source": names[b.position_id],
                "amount": b.amount,
                "receipt": b.receipt,
            }
            for b in received
        ],
        "over_plan": [line["name"] for line in lines if line["over_plan"]],
        "sachbericht": {
            "description": project.description,
            "goals": list(project.goals),
            "events": events,
            "events_held": sum(1 for e in events if e["status"] != "cancelled"),
            "attendance": sum(e["attendance"] or 0 for e in events),
            "decisions": _decisions(connection, project, start, end),
        },
    }


def _events(connection: Connection, project_id: int, start: date | None, end: date | None
            ) -> list[dict[str, Any]]:  # fmt: skip
    from stm.services.events import occurrences as timeline
    from stm.store.tables import EVENT

    lower = datetime.combine(start or date(1900, 1, 1), time(0, 0))
    upper = datetime.combine((end or date(2100, 12, 31)) + timedelta(days=1), time(0, 0))
    rows = timeline.window_rows(connection, lower, upper, [EVENT.c.project_id == project_id])
    # What took place: the dates still to come belong in no proof of use.
    upper = min(upper, clock.now())
    found = [o for o in timeline.occurrences_of(connection, rows, lower, upper)
             if lower <= o.start < upper]  # fmt: skip
    return [
        {"date": o.start.date(), "title": o.title, "status": o.status, "attendance": o.attendance}
        for o in found
    ]


def _decisions(connection: Connection, project: Any, start: date | None, end: date | None
               ) -> list[dict[str, Any]]:  # fmt: skip
    """Decisions of meetings in the period whose text or TOP names the project."""
    from stm.names import fold_words
    from stm.services.titles import sitting_title
    from stm.store.tables import AGENDA_ITEM, DECISION, EVENT, MEETING, NETWORK

    decision, meeting, event, network, item = DECISION, MEETING, EVENT, NETWORK, AGENDA_ITEM
    d, m, e, n, a = decision.c, meeting.c, event.c, network.c, item.c
    statement = (
        select(
            d.text,
            d.votes_yes,
            d.votes_no,
            d.votes_abstain,
            d.result,
            e.start,
            m.number,
            n.name,
            n.kind,
            a.title.label("top"),
        )
        .select_from(
            decision.join(meeting, m.id == d.meeting_id)
            .join(event, e.id == m.event_id)
            .join(network, n.id == m.network_id)
            .outerjoin(item, a.id == d.agenda_item_id)
        )
        .order_by(e.start, d.id)
    )
    if start:
        statement = statement.where(e.start >= datetime.combine(start, time(0, 0)))
    if end:
        statement = statement.where(e.start < datetime.combine(end + timedelta(days=1), time(0, 0)))
    names = {fold_words(project.title), fold_words(project.slug.replace("-", " "))}
    found = []
    for row in connection.execute(statement):
        words = " " + fold_words(f"{row.top or ''} {row.text}") + " "
        if any(name and f" {name} " in words for name in names):
            found.append(
                {
                    "date": row.start.date(),
                    "meeting": sitting_title(row.number, row.name, row.kind),
                    "top": row.top,
                    "text": row.text,
                    "result": row.result,
                    "votes": {
                        "yes": row.votes_yes,
                        "no": row.votes_no,
                        "abstain": row.votes_abstain,
                    },
                }
            )
    return found
