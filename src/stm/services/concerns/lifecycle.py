"""A concern's path: reported, forwarded, worked on, closed; and what `show` displays.

Forwarding to an actor who is not an administration (a housing company, a social
organisation) is allowed, because offices do carry concerns there too, but it comes
with a warning the CLI prints: the usual addressee is the administration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Conflict, Invalid
from stm.models import Actor, Concern, ConcernHistory
from stm.parsing import choose, parse_name, parse_text
from stm.services import refs
from stm.services.activity import log
from stm.services.concerns.listing import records_of
from stm.services.concerns.records import (
    CLOSED_STATUSES,
    ConcernDetail,
)
from stm.vocab import PERSON_KINDS, ActorKind, ConcernStatus

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
    return parse_name(value, "category", max_length=MAX_CATEGORY_LENGTH)


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
    description = parse_text(data.description, "description")
    category = _category(data.category)
    if data.anonymous and data.reporter:
        raise Invalid("anonymous", "give either --from ACTOR or --anonymous, not both")
    district = refs.district(session, data.district) if data.district else None
    reporter = refs.actor(session, data.reporter, "reporter") if data.reporter else None
    reported_on = data.reported_on or clock.today()
    if reported_on > clock.today():
        raise Invalid("reported", f"{reported_on.isoformat()} is in the future")
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
        raise Invalid("on", f"{on.isoformat()} is in the future; a step is dated today or before")
    if on < item.reported_on:
        raise Invalid(
            "on",
            f"{on.isoformat()} is before concern #{item.id} was reported "
            f"({item.reported_on.isoformat()})",
        )
    return on


def _check_due(due: date | None, step_day: date) -> None:
    if due is not None and due < step_day:
        raise Invalid(
            "due",
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
    note_text = parse_text(note, "note")
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
    note_text = parse_text(change.note, "note")
    status = choose(ConcernStatus, change.status, "status").value if change.status else None
    if status in CLOSED_STATUSES:
        raise Invalid(
            "status",
            f"{status!r} closes the concern; use 'stm concerns close {item.id} --answer …'"
            + (" --rejected" if status == ConcernStatus.rejected.value else ""),
        )
    step_day = _step_day(item, change.on)
    _check_due(change.due, step_day)
    if status is None and note_text is None and change.due is None:
        raise Invalid("status", "give --status, --note or --due (nothing to update)")
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
    text = parse_text(answer, "answer")
    if not text:
        raise Invalid("answer", "must not be empty; say what the residents are told")
    item.status = (ConcernStatus.rejected if rejected else ConcernStatus.resolved).value
    item.answer = text
    item.closed_on = step_day
    item.updated_at = clock.now()
    session.add(item)
    _history(session, item, text, step_day)
    log(session, "concern.close", "concern", item.id, item.status)
    return item


def concern_detail(session: Session, item: Concern) -> ConcernDetail:
    """Everything `show` displays: the record, who reported it, the answer, the history."""
    session.flush()
    [listed] = records_of(session.connection(), [item])
    reporter = session.get(Actor, item.reporter_id) if item.reporter_id else None
    rows = session.exec(
        select(ConcernHistory)
        .where(ConcernHistory.concern_id == item.id)
        .order_by(col(ConcernHistory.at), col(ConcernHistory.id))
    ).all()
    return {
        **listed,
        "description": item.description,
        "reported_by": None if reporter is None or reporter.erased_at else reporter.name,
        "anonymous": item.anonymous,
        "answer": item.answer,
        "history": [
            {"at": h.at.isoformat(timespec="minutes"), "status": h.status, "note": h.note}
            for h in rows
        ],
    }
