"""The send log: what went to whom, when; what is still missing; forgetting on erasure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from stm import clock
from stm.models.mail import MailSent

#: Kinds of message; an invitation and its updates share the meeting's SEQUENCE.
KINDS = ("invitation", "update", "cancel", "minutes", "draft", "reminder", "test")
CALENDAR_KINDS = ("invitation", "update")


@dataclass
class Invited:
    """What the attendees of a meeting were last told: SEQUENCE, and who has which."""

    sequence: int | None = None
    fingerprint: str = ""
    latest: dict[int, int] = field(default_factory=dict)  # actor id → SEQUENCE they have
    cancelled: set[int] = field(default_factory=set)  # actor ids that got the cancel


def invited(session: Session, meeting_id: int) -> Invited:
    rows = session.exec(
        select(MailSent)
        .where(
            MailSent.meeting_id == meeting_id, col(MailSent.kind).in_((*CALENDAR_KINDS, "cancel"))
        )
        .order_by(col(MailSent.id))
    ).all()
    state = Invited()
    for row in rows:
        if row.kind == "cancel":
            state.cancelled.add(row.actor_id or 0)
            continue
        sequence = row.sequence or 0
        if state.sequence is None or sequence >= state.sequence:
            state.sequence, state.fingerprint = sequence, row.fingerprint
        if row.actor_id is not None:
            state.latest[row.actor_id] = max(state.latest.get(row.actor_id, -1), sequence)
    return state


def already_sent(
    session: Session, kinds: Sequence[str], meeting_id: int | None, batch: str
) -> set[int]:
    """Actor ids that got a message of `kinds` (for the meeting, in the batch)."""
    statement = select(MailSent.actor_id).where(
        col(MailSent.kind).in_(kinds), MailSent.batch == batch
    )
    if meeting_id is not None:
        statement = statement.where(MailSent.meeting_id == meeting_id)
    return {i for i in session.exec(statement).all() if i is not None}


def record(
    session: Session,
    *,
    kind: str,
    address: str,
    message_id: str,
    actor_id: int | None = None,
    meeting_id: int | None = None,
    sequence: int | None = None,
    batch: str = "",
    fingerprint: str = "",
    at: datetime | None = None,
) -> MailSent:
    row = MailSent(
        sent_at=at or clock.now(),
        kind=kind,
        meeting_id=meeting_id,
        actor_id=actor_id,
        address=address,
        message_id=message_id,
        sequence=sequence,
        batch=batch,
        fingerprint=fingerprint,
    )
    session.add(row)
    session.flush()
    return row


def forget_addresses(connection: Any, actor_id: int) -> None:
    """After an erasure the log keeps that a message went out, not where to."""
    table: Any = MailSent.__table__  # type: ignore[attr-defined]
    connection.execute(table.update().where(table.c.actor_id == actor_id).values(address=None))


@dataclass
class LogFilter:
    meeting_id: int | None = None
    kinds: Sequence[str] = ()
    limit: int | None = None


def log_records(session: Session, criteria: LogFilter | None = None) -> list[dict[str, Any]]:
    """The send log, newest first, as plain records (stable JSON keys)."""
    from stm.models import Actor, Meeting, Network
    from stm.services.meetings import title_of

    criteria = criteria or LogFilter()
    statement = select(MailSent)
    if criteria.meeting_id is not None:
        statement = statement.where(MailSent.meeting_id == criteria.meeting_id)
    if criteria.kinds:
        statement = statement.where(col(MailSent.kind).in_(criteria.kinds))
    statement = statement.order_by(col(MailSent.sent_at).desc(), col(MailSent.id).desc())
    if criteria.limit:
        statement = statement.limit(criteria.limit)
    rows = list(session.exec(statement).all())
    names = {
        a.id: a.name
        for a in session.exec(
            select(Actor).where(col(Actor.id).in_({r.actor_id for r in rows if r.actor_id}))
        ).all()
    }
    meetings = {
        m.id: m
        for m in session.exec(
            select(Meeting).where(col(Meeting.id).in_({r.meeting_id for r in rows if r.meeting_id}))
        ).all()
    }
    networks = {n.id: n for n in session.exec(select(Network)).all()} if meetings else {}
    titles = {i: title_of(networks[m.network_id], m.number) for i, m in meetings.items()}
    return [
        {
            "id": r.id,
            "sent_at": r.sent_at,
            "kind": r.kind,
            "to": names.get(r.actor_id or 0),
            "address": r.address,
            "meeting": r.meeting_id,
            "meeting_title": titles.get(r.meeting_id or 0),
            "sequence": r.sequence,
            "message_id": r.message_id,
        }
        for r in rows
    ]
