"""Changing actors the register holds, as an import's duplicate policy says (update:
the file's values; fill: only empty fields), and filling in a created organisation."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from stm.names import fold
from stm.services.imports.checks import Candidate

if TYPE_CHECKING:
    from sqlmodel import Session

    from stm.models import Actor


def update_actor(
    session: Session, actor_id: int, candidate: Candidate, *, fill: bool, now: datetime
) -> list[str]:
    """Give the actor the record's values; the names of the fields that changed."""
    from stm.models import Actor

    actor = session.get(Actor, actor_id)
    assert actor is not None
    changed = [
        name
        for name, value in candidate.values.items()
        if value is not None and _set(actor, name, value, fill=fill)
    ]
    if candidate.organisation_id and _set(
        actor, "organisation_id", candidate.organisation_id, fill=fill
    ):
        changed.append("organisation")
    keeps_consent = fill and (actor.consent_share or actor.consent_given_on)
    consent = candidate.consent
    if consent is not None and not keeps_consent and actor.consent_share != consent:
        actor.consent_share = consent
        changed.append("consent")
    if (
        candidate.archived is not None
        and not fill
        and (actor.archived_at is not None) != candidate.archived
    ):
        actor.archived_at = now if candidate.archived else None
        changed.append("archived")
    if "name" in changed:
        actor.key = fold(actor.name)
    changed += _update_districts(session, actor_id, candidate, fill=fill)
    changed += _update_sectors(session, actor_id, candidate, fill=fill)
    if changed:
        actor.updated_at = now
        session.add(actor)
    return changed


def _update_districts(
    session: Session, actor_id: int, candidate: Candidate, *, fill: bool
) -> list[str]:
    from sqlmodel import select

    from stm.models import ActorDistrict

    if candidate.district_ids is None:
        return []
    current = set(session.exec(
        select(ActorDistrict.district_id).where(ActorDistrict.actor_id == actor_id)
    ).all())  # fmt: skip
    wanted = set(candidate.district_ids)
    if current == wanted or (fill and current):
        return []
    for district_id in current - wanted:
        session.delete(session.get(ActorDistrict, (actor_id, district_id)))
    for district_id in wanted - current:
        session.add(ActorDistrict(actor_id=actor_id, district_id=district_id))
    return ["districts"]


def _update_sectors(
    session: Session, actor_id: int, candidate: Candidate, *, fill: bool
) -> list[str]:
    from sqlmodel import select

    from stm.models import ActorSector

    if candidate.sectors is None:
        return []
    current = set(session.exec(
        select(ActorSector.sector).where(ActorSector.actor_id == actor_id)
    ).all())  # fmt: skip
    wanted = set(candidate.sectors)
    if current == wanted or (fill and current):
        return []
    for sector in current - wanted:
        session.delete(session.get(ActorSector, (actor_id, sector)))
    for sector in wanted - current:
        session.add(ActorSector(actor_id=actor_id, sector=sector))
    return ["sectors"]


def _set(actor: Actor, name: str, value: Any, *, fill: bool) -> bool:
    current = getattr(actor, name)
    if current == value or (fill and current not in (None, "")):
        return False
    if name == "kind" and fill:
        return False
    setattr(actor, name, value)
    return True


def overwrite(session: Session, candidate: Candidate, now: datetime) -> None:
    """Give an organisation created earlier in this import the values of its own row."""
    from stm.models import Actor, ActorDistrict, ActorSector

    actor = session.get(Actor, candidate.id)
    assert actor is not None and actor.id is not None
    for name, value in candidate.values.items():
        setattr(actor, name, value)
    actor.kind, actor.key = candidate.kind, candidate.key
    actor.organisation_id = candidate.organisation_id
    actor.consent_share = bool(candidate.consent)
    actor.archived_at = now if candidate.archived else None
    for district_id in candidate.district_ids or []:
        session.add(ActorDistrict(actor_id=actor.id, district_id=district_id))
    for sector in candidate.sectors or []:
        session.add(ActorSector(actor_id=actor.id, sector=sector))
    session.add(actor)
    session.flush()
