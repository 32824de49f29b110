"""Persons who withdrew consent to be mailed (Art. 7 (3) DSGVO): stm never mails them."""

from __future__ import annotations

from sqlmodel import Session

from stm import clock
from stm.errors import Conflict
from stm.models import Actor
from stm.models.mail import MailWithdrawal
from stm.services import refs
from stm.services.activity import log


def _actor(session: Session, ref: str) -> Actor:
    actor = refs.actor(session, ref)
    if actor.erased_at is not None:
        raise Conflict(f"#{actor.id} was erased; stm mails nobody erased")
    return actor


def withdraw(session: Session, ref: str) -> Actor:
    actor = _actor(session, ref)
    if session.get(MailWithdrawal, actor.id) is None:
        session.add(MailWithdrawal(actor_id=actor.id or 0, since=clock.now()))
        session.flush()
        log(session, "mail.withdraw", "actor", actor.id,
            f"actor #{actor.id} is not mailed any more", actor_id=actor.id)  # fmt: skip
    return actor


def allow(session: Session, ref: str) -> Actor:
    actor = _actor(session, ref)
    found = session.get(MailWithdrawal, actor.id)
    if found is None:
        raise Conflict(f"#{actor.id} {actor.name} has not withdrawn consent to be mailed")
    session.delete(found)
    session.flush()
    log(session, "mail.allow", "actor", actor.id,
        f"actor #{actor.id} may be mailed again", actor_id=actor.id)  # fmt: skip
    return actor
