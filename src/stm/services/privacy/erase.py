"""Art. 17 DSGVO, the right to erasure: the record anonymised in place, and the texts
that name the person.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select, update
from sqlmodel import Session

from stm import clock
from stm.models import Actor, ActorAlias, ActorDistrict, ActorSector, Membership
from stm.names import fold
from stm.services.activity import log
from stm.services.privacy.ledger import record_erasure
from stm.services.privacy.mentions import find_mentions, identity_of
from stm.services.privacy.mentions import redact as redact_mentions
from stm.services.privacy.persons import (
    ERASED_NAME,
    check_not_erased,
    model_tables,
    person,
)
from stm.services.privacy.traces import clear_traces_on_commit


def erase_preview(session: Session, ref: str) -> Actor:
    """The person an erasure would anonymise (checked, nothing changed)."""
    actor = person(session, ref, "erasure")
    check_not_erased(actor)
    return actor


def erase_mentions(session: Session, actor: Actor) -> list[str]:
    """The free texts of other records that name the person (nothing is changed)."""
    found = find_mentions(session.connection(), identity_of(actor), skip_actor=actor.id)
    return [mention.describe() for mention, _old, _new in found]


def erase_person(session: Session, ref: str, *, redact: bool = False) -> tuple[Actor, list[str]]:
    """Anonymise a person (Art. 17 DSGVO); returns the record and the texts naming them.

    Free texts written by others (a concern and its history, TOP notes, decisions, tasks,
    events, networks, projects, articles, the log) may still mention the person by full
    name, family name, e-mail or phone. They are listed; with `redact` each mention is
    replaced by "[gelöscht]" in the same transaction, and the list says what changed.
    """
    actor = erase_preview(session, ref)
    assert actor.id is not None
    identity = identity_of(actor)
    old = [v for v in (actor.name, actor.email, actor.phone) if v]
    now = clock.now()
    actor.name = ERASED_NAME.format(id=actor.id)
    actor.key = fold(actor.name)
    for name in ("given_name", "family_name", "organisation_id", "function", "email", "phone",
                 "website", "street", "postcode", "city", "notes", "consent_given_on",
                 "consent_purpose", "uid"):  # fmt: skip
        setattr(actor, name, None)
    actor.consent_share = False
    actor.erased_at = now
    actor.updated_at = now
    session.add(actor)
    connection = session.connection()
    for link in (ActorDistrict, ActorSector, ActorAlias):
        table: Any = link.__table__  # type: ignore[union-attr]
        connection.execute(table.delete().where(table.c.actor_id == actor.id))
    memberships = Membership.__table__  # type: ignore[attr-defined]
    connection.execute(
        update(memberships)
        .where(memberships.c.actor_id == actor.id, memberships.c.until.is_(None))
        .values(until=now.date())
    )
    _scrub_log(connection, actor.id, old)
    session.flush()
    mentions = find_mentions(connection, identity, skip_actor=actor.id)
    if redact:
        redact_mentions(connection, mentions)
    record_erasure(session, actor, redact)
    clear_traces_on_commit(session, {m.table for m, _old, _new in mentions} | {"erasure"})
    log(session, "privacy.erase", "actor", actor.id,
        f"person #{actor.id} erased (Art. 17 DSGVO)", actor_id=actor.id)  # fmt: skip
    return actor, [m.describe() for m, _old, _new in mentions]


def _scrub_log(connection: Any, actor_id: int, old: list[str]) -> None:
    """Log entries should hold no personal data; replace any that slipped in."""
    table = model_tables()["activity"]
    entries = connection.execute(
        select(table.c.id, table.c.summary).where(
            or_(table.c.actor_id == actor_id,
                (table.c.entity == "actor") & (table.c.entity_id == actor_id))
        )
    ).all()  # fmt: skip
    for entry_id, summary in entries:
        cleaned = summary or ""
        for value in old:
            cleaned = _replace_folded(cleaned, value, f"person #{actor_id}")
        if cleaned != summary:
            connection.execute(update(table).where(table.c.id == entry_id).values(summary=cleaned))


def _replace_folded(text: str, value: str, replacement: str) -> str:
    position = text.lower().find(value.lower())
    while position >= 0:
        text = text[:position] + replacement + text[position + len(value) :]
        position = text.lower().find(value.lower(), position + len(replacement))
    return text
