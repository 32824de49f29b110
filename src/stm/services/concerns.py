"""Residents' concerns (Anliegen/Bedarfe) and their path through the administration.

A concern is reported (by an actor or anonymously), forwarded to the administration with
a follow-up date, worked on, and closed with an answer (resolved or rejected). Every
step is a `ConcernHistory` row, so `show` tells the whole story.

Forwarding to an actor who is not an administration (a housing company, a social
organisation) is allowed, because offices do carry concerns there too, but it comes
with a warning the CLI prints: the usual addressee is the administration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Conflict, Invalid
from stm.models import Actor, Concern, ConcernHistory, District
from stm.names import fold
from stm.parsing import choose, parse_name, parse_text
from stm.services import refs
from stm.services.activity import log
from stm.vocab import PERSON_KINDS, ActorKind, ConcernStatus

OPEN_STATUSES = (ConcernStatus.new.value, ConcernStatus.forwarded.value,
                 ConcernStatus.in_progress.value)  # fmt: skip
CLOSED_STATUSES = (ConcernStatus.resolved.value, ConcernStatus.rejected.value)
#: Statuses whose follow-up date can be overdue: the administration holds the concern.
WAITING_STATUSES = (ConcernStatus.forwarded.value, ConcernStatus.in_progress.value)
MAX_CATEGORY_LENGTH = 60


@dataclass
class ConcernFields:
    title: str
    district: str | None = None
    reporter: str | None = None
    anonymous: bool = False
    category: str | None = None
    description: str | None = None
    reported_on: date | None = None


@dataclass
class ConcernFilter:
    statuses: Sequence[str] = ()
    districts: Sequence[str] = ()
    forwarded_to: str | None = None
    category: str | None = None
    overdue: bool = False
    open_only: bool = False


@dataclass
class Forwarded:
    """The forwarded concern, and a warning when the addressee is no administration."""

    concern: Concern
    warning: str | None = None


@dataclass
class ConcernChange:
    status: str | None = None
    note: str | None = None
    due: date | None = None
    on: date | None = None  # the day of the step (default today): paper notes typed later


def _category(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return parse_name(value, "--category", max_length=MAX_CATEGORY_LENGTH)


def _history(session: Session, concern: Concern, note: str | None, on: date | None = None) -> None:
    assert concern.id is not None
    now = clock.now()
    at = now if on is None or on == now.date() else datetime.combine(on, now.time())
    session.add(ConcernHistory(concern_id=concern.id, at=at, status=concern.status, note=note))


def _actor_label(actor: Actor) -> str:
    """How the history names an actor: persons by id only, so an erasure leaves no name."""
    return f"person #{actor.id}" if actor.kind in PERSON_KINDS else actor.name


def add_concern(session: Session, data: ConcernFields) -> Concern:
    """Record a concern as `new`; the reporter is an actor, or nobody when anonymous."""
    title = parse_name(data.title, "title")
    description = parse_text(data.description, "--description")
    category = _category(data.category)
    if data.anonymous and data.reporter:
        raise Invalid("--anonymous", "give either --from ACTOR or --anonymous, not both")
    district = refs.district(session, data.district) if data.district else None
    reporter = refs.actor(session, data.reporter, "reporter") if data.reporter else None
    reported_on = data.reported_on or clock.today()
    if reported_on > clock.today():
        raise Invalid("--reported", f"{reported_on.isoformat()} is in the future")
    now = clock.now()
    concern = Concern(
        title=title,
        description=description,
        district_id=district.id if district else None,
        category=category,
        reporter_id=reporter.id if reporter else None,
        anonymous=data.anonymous or reporter is None,
        status=ConcernStatus.new.value,
        reported_on=reported_on,
        created_at=now,
        updated_at=now,
    )
    session.add(concern)
    session.flush()
    reported = "reported" + (f" by {_actor_label(reporter)}" if reporter else "")
    _history(session, concern, reported, reported_on)
    log(session, "concern.add", "concern", concern.id, concern.title,
        actor_id=reporter.id if reporter and reporter.kind in PERSON_KINDS else None)  # fmt: skip
    return concern


def concern(session: Session, ref: str) -> Concern:
    return refs.by_id(session, Concern, ref, "concern")


def _refuse_closed(item: Concern, what: str) -> None:
    if item.status in CLOSED_STATUSES:
        closed = item.closed_on.isoformat() if item.closed_on else "earlier"
        raise Conflict(
            f"concern #{item.id} was closed as {item.status} on {closed}; {what} "
            f"(reopen it with 'stm concerns update {item.id} --status in-progress')"
        )


def _addressee_warning(session: Session, target: Actor) -> str | None:
    """None for an administration (or a person working for one), else a warning."""
    if target.kind == ActorKind.administration.value:
        return None
    if target.kind in PERSON_KINDS and target.organisation_id:
        organisation = session.get(Actor, target.organisation_id)
        if organisation and organisation.kind == ActorKind.administration.value:
            return None
    return (
        f"{target.name!r} is not an administration (kind: {target.kind}); "
        "the concern was forwarded anyway"
    )


def _step_day(item: Concern, on: date | None) -> date:
    """The day a step happened: today, or an earlier day typed in afterwards (--on)."""
    today = clock.today()
    if on is None:
        return today
    if on > today:
        raise Invalid("--on", f"{on.isoformat()} is in the future; a step is dated today or before")
    if on < item.reported_on:
        raise Invalid(
            "--on",
            f"{on.isoformat()} is before concern #{item.id} was reported "
            f"({item.reported_on.isoformat()})",
        )
    return on


def _check_due(due: date | None, step_day: date) -> None:
    if due is not None and due < step_day:
        raise Invalid(
            "--due",
            f"{due.isoformat()} is before the step's date {step_day.isoformat()}; "
            "a follow-up comes after it",
        )


def past_follow_up(due: date | None) -> str | None:
    """A warning when a follow-up date lies in the past (allowed: notes typed in later)."""
    if due is not None and due < clock.today():
        return f"the follow-up date {due.isoformat()} is in the past"
    return None


def forward_concern(
    session: Session,
    ref: str,
    to: str,
    *,
    due: date | None = None,
    note: str | None = None,
    on: date | None = None,
) -> Forwarded:
    """Hand a concern to an actor (normally the administration), with a follow-up date;
    `on` dates the step (default today)."""
    item = concern(session, ref)
    _refuse_closed(item, "it cannot be forwarded")
    target = refs.actor(session, to, "actor")
    if target.erased_at is not None or target.archived_at is not None:
        raise Conflict(f"actor #{target.id} is archived or erased; choose a current addressee")
    note_text = parse_text(note, "--note")
    step_day = _step_day(item, on)
    _check_due(due, step_day)
    warning = _addressee_warning(session, target)
    item.forwarded_to_id = target.id
    item.forwarded_on = step_day
    item.due = due
    item.status = ConcernStatus.forwarded.value
    item.updated_at = clock.now()
    session.add(item)
    text = f"forwarded to {_actor_label(target)}"
    if due:
        text += f", follow-up {due.isoformat()}"
    if note_text:
        text += f": {note_text}"
    _history(session, item, text, step_day)
    log(session, "concern.forward", "concern", item.id, f"to {_actor_label(target)}")
    return Forwarded(item, warning)


def update_concern(session: Session, ref: str, change: ConcernChange) -> Concern:
    """A step on the way: a new status (new, forwarded, in-progress), a note, a due date.

    Closing needs an answer and goes through `close_concern`. Updating a closed concern
    to an open status reopens it.
    """
    item = concern(session, ref)
    note_text = parse_text(change.note, "--note")
    status = choose(ConcernStatus, change.status, "--status").value if change.status else None
    if status in CLOSED_STATUSES:
        raise Invalid(
            "--status",
            f"{status!r} closes the concern; use 'stm concerns close {item.id} --answer …'"
            + (" --rejected" if status == ConcernStatus.rejected.value else ""),
        )
    step_day = _step_day(item, change.on)
    _check_due(change.due, step_day)
    if status is None and note_text is None and change.due is None:
        raise Invalid("--status", "give --status, --note or --due (nothing to update)")
    if status is None and item.status in CLOSED_STATUSES:
        _refuse_closed(item, "give --status to reopen it first")
    if status is not None and item.status in CLOSED_STATUSES:
        item.closed_on = None
        note_text = "reopened" + (f": {note_text}" if note_text else "")
    if status is not None:
        item.status = status
    if change.due is not None:
        item.due = change.due
        due_note = f"follow-up {change.due.isoformat()}"
        note_text = f"{note_text}; {due_note}" if note_text else due_note
    item.updated_at = clock.now()
    session.add(item)
    _history(session, item, note_text, step_day)
    log(session, "concern.update", "concern", item.id, item.status)
    return item


def close_concern(
    session: Session, ref: str, answer: str, *, rejected: bool = False, on: date | None = None
) -> Concern:
    """Close with the answer residents get: resolved, or rejected; `on` dates it."""
    item = concern(session, ref)
    _refuse_closed(item, "it cannot be closed again")
    step_day = _step_day(item, on)
    text = parse_text(answer, "--answer")
    if not text:
        raise Invalid("--answer", "must not be empty; say what the residents are told")
    item.status = (ConcernStatus.rejected if rejected else ConcernStatus.resolved).value
    item.answer = text
    item.closed_on = step_day
    item.updated_at = clock.now()
    session.add(item)
    _history(session, item, text, step_day)
    log(session, "concern.close", "concern", item.id, item.status)
    return item


def list_concerns(session: Session, criteria: ConcernFilter) -> list[Concern]:
    statement = select(Concern)
    if criteria.statuses:
        statuses = [choose(ConcernStatus, s, "--status").value for s in criteria.statuses]
        statement = statement.where(col(Concern.status).in_(statuses))
    if criteria.open_only:
        statement = statement.where(col(Concern.status).in_(OPEN_STATUSES))
    if criteria.districts:
        ids = [d.id for d in refs.districts(session, criteria.districts)]
        statement = statement.where(col(Concern.district_id).in_(ids))
    if criteria.forwarded_to:
        target = refs.actor(session, criteria.forwarded_to, "actor")
        statement = statement.where(Concern.forwarded_to_id == target.id)
    if criteria.overdue:
        statement = statement.where(
            col(Concern.status).in_(WAITING_STATUSES),
            col(Concern.due).is_not(None),
            col(Concern.due) < clock.today(),
        )
    items = list(session.exec(statement.order_by(col(Concern.reported_on), col(Concern.id))).all())
    if criteria.category:
        wanted = fold(criteria.category)
        items = [c for c in items if c.category and fold(c.category) == wanted]
    return items


def is_overdue(item: Concern, today: date) -> bool:
    return item.status in WAITING_STATUSES and item.due is not None and item.due < today


def concern_records(session: Session, items: Sequence[Concern]) -> list[dict[str, Any]]:
    """The stable JSON shape of concerns (SPEC §7), links loaded in two queries."""
    district_ids = {c.district_id for c in items if c.district_id}
    actor_ids = {c.forwarded_to_id for c in items if c.forwarded_to_id}
    slugs: dict[int | None, str] = {}
    if district_ids:
        statement = select(District.id, District.slug).where(col(District.id).in_(district_ids))
        slugs = dict(session.exec(statement).all())
    names: dict[int | None, str] = {}
    if actor_ids:
        names = dict(
            session.exec(select(Actor.id, Actor.name).where(col(Actor.id).in_(actor_ids))).all()
        )
    today = clock.today()
    return [
        {
            "id": c.id,
            "title": c.title,
            "district": slugs.get(c.district_id) if c.district_id else None,
            "status": c.status,
            "forwarded_to": names.get(c.forwarded_to_id) if c.forwarded_to_id else None,
            "reported_on": c.reported_on.isoformat(),
            "due": c.due.isoformat() if c.due else None,
            "category": c.category,
            "forwarded_on": c.forwarded_on.isoformat() if c.forwarded_on else None,
            "closed_on": c.closed_on.isoformat() if c.closed_on else None,
            "overdue": is_overdue(c, today),
        }
        for c in items
    ]


def concern_detail(session: Session, item: Concern) -> dict[str, Any]:
    """Everything `show` displays: the record, who reported it, the answer, the history."""
    record = concern_records(session, [item])[0]
    reporter = session.get(Actor, item.reporter_id) if item.reporter_id else None
    rows = session.exec(
        select(ConcernHistory)
        .where(ConcernHistory.concern_id == item.id)
        .order_by(col(ConcernHistory.at), col(ConcernHistory.id))
    ).all()
    record.update(
        {
            "description": item.description,
            "reported_by": None if reporter is None or reporter.erased_at else reporter.name,
            "anonymous": item.anonymous,
            "answer": item.answer,
            "history": [
                {"at": h.at.isoformat(timespec="minutes"), "status": h.status, "note": h.note}
                for h in rows
            ],
        }
    )
    return record
