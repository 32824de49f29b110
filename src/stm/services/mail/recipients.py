"""Who receives a message, and at which address.

An actor's own address; for a person without one, their organisation's (the invitation
reaches them through the office they work in). Never: an erased person, an archived
actor, a person who withdrew consent to be mailed (`stm mail withdraw`). Actors left
without any address are returned separately, so the CLI can name each of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_
from sqlmodel import Session, col, select

from stm.errors import Invalid
from stm.models import Actor, Attendance, Meeting, Membership
from stm.models.mail import MailWithdrawal
from stm.names import fold


@dataclass(frozen=True)
class Recipient:
    actor_id: int
    name: str
    address: str
    via: str = "own"  # or "organisation"


@dataclass
class Recipients:
    """Those who get the message, and those who cannot (no address, withdrawn)."""

    chosen: list[Recipient]
    without_address: list[str]
    withdrawn: list[str]


def members_of(session: Session, meeting: Meeting, day: date, *, guests: bool = False) -> list[int]:
    """The network's members on `day`; guest members only with `guests`."""
    statement = select(Membership.actor_id).where(
        Membership.network_id == meeting.network_id,
        or_(col(Membership.until).is_(None), col(Membership.until) >= day),
        or_(col(Membership.since).is_(None), col(Membership.since) <= day),
    )
    if not guests:
        statement = statement.where(Membership.role != "guest")
    return list(session.exec(statement).all())


def attendees_of(session: Session, meeting: Meeting) -> list[int]:
    statement = select(Attendance.actor_id).where(
        Attendance.meeting_id == meeting.id,
        Attendance.status == "present",
        col(Attendance.actor_id).is_not(None),
    )
    return [i for i in session.exec(statement).all() if i is not None]


def named_actors(session: Session, refs_given: Sequence[str]) -> list[int]:
    from stm.services import refs

    ids = []
    for ref in refs_given:
        actor = refs.actor(session, ref)
        if actor.erased_at is not None:
            raise Invalid("to", f"#{actor.id} was erased (data protection); nobody to mail")
        ids.append(actor.id or 0)
    return ids


def addresses(session: Session, actor_ids: Iterable[int]) -> Recipients:
    """The recipients among `actor_ids` (each once, by name), with their addresses."""
    wanted = sorted(set(actor_ids))
    actors = {
        a.id: a
        for chunk in _chunks(wanted)
        for a in session.exec(select(Actor).where(col(Actor.id).in_(chunk))).all()
    }
    organisation_ids = {a.organisation_id for a in actors.values() if a.organisation_id}
    organisations = {
        a.id: a
        for chunk in _chunks(sorted(i for i in organisation_ids if i))
        for a in session.exec(select(Actor).where(col(Actor.id).in_(chunk))).all()
    }
    withdrawn_ids = set(session.exec(select(MailWithdrawal.actor_id)).all())
    result = Recipients([], [], [])
    for actor in sorted(actors.values(), key=lambda a: fold(a.name)):
        if actor.erased_at is not None or actor.archived_at is not None:
            continue
        if actor.id in withdrawn_ids:
            result.withdrawn.append(actor.name)
            continue
        if actor.email:
            result.chosen.append(Recipient(actor.id or 0, actor.name, actor.email))
            continue
        organisation = organisations.get(actor.organisation_id)
        if organisation and organisation.email and organisation.archived_at is None:
            result.chosen.append(
                Recipient(actor.id or 0, actor.name, organisation.email, "organisation")
            )
            continue
        result.without_address.append(actor.name)
    return result


def _chunks(values: Sequence[int], size: int = 900) -> list[Sequence[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)]
