"""The persons data protection is about, and their consent (who may be shared on
contact sheets with their own phone and e-mail, given when, for what).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict

from sqlmodel import Session, SQLModel

from stm import clock
from stm.errors import Conflict, Invalid
from stm.models import Actor
from stm.parsing import parse_name
from stm.services import refs
from stm.services.activity import log
from stm.vocab import PERSON_KINDS

ERASED_NAME = "Gelöschte Person #{id}"
MAX_PURPOSE = 300


def person(session: Session, ref: str, what: str) -> Actor:
    actor = refs.actor(session, ref)
    if actor.kind not in PERSON_KINDS:
        raise Conflict(
            f"#{actor.id} {actor.name} is a {actor.kind}, not a person: {what} concerns persons "
            "(archive an organisation with 'stm actors archive')"
        )
    return actor


def check_not_erased(actor: Actor) -> None:
    if actor.erased_at is not None:
        stamp = actor.erased_at.date().isoformat()
        raise Conflict(f"#{actor.id} was erased on {stamp}; nothing is left to change")


def iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def model_tables() -> dict[str, Any]:
    from stm.models import load_all

    load_all()
    return dict(SQLModel.metadata.tables)


def record_consent(
    session: Session, ref: str, *, given: date, purpose: str, share: bool | None = None
) -> Actor:
    """Record a person's consent; `share=None` keeps whether they appear on contact sheets."""
    actor = person(session, ref, "consent")
    check_not_erased(actor)
    if given > clock.today():
        raise Invalid("given", f"{given.isoformat()} is in the future; give the day of consent")
    actor.consent_given_on = given
    actor.consent_purpose = parse_name(purpose, "purpose", max_length=MAX_PURPOSE)
    if share is not None:
        actor.consent_share = share
    actor.updated_at = clock.now()
    session.add(actor)
    session.flush()
    shared = "may be shared" if actor.consent_share else "not shared"
    log(session, "privacy.consent", "actor", actor.id,
        f"consent of person #{actor.id} recorded ({given.isoformat()}, {shared})",
        actor_id=actor.id)  # fmt: skip
    return actor


class Consent(TypedDict):
    given_on: str | None
    purpose: str | None
    share: bool


class ConsentRecord(TypedDict):
    """`stm privacy consent --json`: the person and their consent."""

    id: int
    name: str
    consent: Consent


def consent_record(actor: Actor) -> ConsentRecord:
    return {
        "id": actor.id or 0,  # stored rows have ids
        "name": actor.name,
        "consent": {
            "given_on": iso(actor.consent_given_on),
            "purpose": actor.consent_purpose,
            "share": actor.consent_share,
        },
    }
