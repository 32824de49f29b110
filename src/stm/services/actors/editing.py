"""Adding, editing and archiving actors; their short names (aliases)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stm import clock
from stm.errors import Invalid
from stm.names import fold, split_person_name
from stm.services.actors.records import ActorFilter, filtered
from stm.services.actors.validate import ActorFields, CheckedFields, validated

if TYPE_CHECKING:
    from sqlmodel import Session

    from stm.models import Actor


def add_actor(session: Session, data: ActorFields) -> Actor:
    """Add an actor; `name` and `kind` are required (kind defaults to organisation)."""
    from stm.models import Actor
    from stm.services import refs
    from stm.vocab import ActorKind

    if data.name is None:
        raise Invalid("name", "is required")
    values = validated(data)
    if data.districts is not None:
        refs.districts(session, data.districts, "district")  # fail before anything is written
    now = clock.now()
    actor = Actor(
        kind=values.get("kind", ActorKind.organisation.value),
        name=values["name"],
        key="",
        created_at=now,
        updated_at=now,
    )
    _apply(session, actor, data, values)
    session.add(actor)
    session.flush()
    _set_links(session, actor, data, values)
    _set_aliases(session, actor, data)
    session.flush()
    _log(session, "actor.add", actor, _log_name(actor))
    return actor


def edit_actor(session: Session, ref: str, data: ActorFields) -> Actor:
    from stm.services import refs

    actor = refs.actor(session, ref)
    _refuse_erased(actor)
    values = validated(data)
    _apply(session, actor, data, values)
    actor.updated_at = clock.now()
    session.add(actor)
    session.flush()
    _set_links(session, actor, data, values)
    _set_aliases(session, actor, data)
    changed = sorted(k for k, v in vars(data).items() if v is not None)
    _log(session, "actor.edit", actor, ", ".join(changed))
    return actor


def archive_actor(session: Session, ref: str, *, restore: bool = False) -> Actor:
    from stm.services import refs

    actor = refs.actor(session, ref)
    _refuse_erased(actor)
    actor.archived_at = None if restore else clock.now()
    actor.updated_at = clock.now()
    session.add(actor)
    _log(session, "actor.restore" if restore else "actor.archive", actor, _log_name(actor))
    return actor


def list_actors(session: Session, criteria: ActorFilter) -> list[Actor]:
    """The actors matching `criteria`, as model objects (erased persons never)."""
    from sqlalchemy import select as select_columns
    from sqlmodel import col, select

    from stm.models import Actor
    from stm.store import in_chunks
    from stm.store.tables import ACTOR

    ids = list(session.execute(filtered(session, select_columns(ACTOR.c.id), criteria)).scalars())
    found: dict[int | None, Actor] = {}
    for chunk in in_chunks(ids):
        found.update((a.id, a) for a in session.exec(select(Actor).where(col(Actor.id).in_(chunk))))
    return [found[i] for i in ids]


def namesakes(session: Session, actor: Actor) -> list[Actor]:
    """Other actors with the same name or short name (a warning when one is added)."""
    from sqlmodel import col, select

    from stm.models import Actor, ActorAlias

    same_alias = select(ActorAlias.actor_id).where(ActorAlias.key == actor.key)
    return list(
        session.exec(
            select(Actor)
            .where((col(Actor.key) == actor.key) | col(Actor.id).in_(same_alias))
            .where(col(Actor.id) != actor.id, col(Actor.erased_at).is_(None))
            .order_by(col(Actor.id))
        ).all()
    )


_COPIED = (
    "kind", "name", "given_name", "family_name", "function", "email", "phone",
    "website", "street", "postcode", "city", "notes",
)  # fmt: skip


def _apply(session: Session, actor: Actor, data: ActorFields, values: CheckedFields) -> None:
    from stm.vocab import DEFAULT_CONSENT_PURPOSE

    for name in _COPIED:
        if name in values:
            setattr(actor, name, values[name])  # type: ignore[literal-required]
    if _is_person(actor.kind):
        if "name" in values and "given_name" not in values and "family_name" not in values:
            actor.given_name, actor.family_name = split_person_name(actor.name)
        elif "name" not in values and ("given_name" in values or "family_name" in values):
            actor.name = " ".join(p for p in (actor.given_name, actor.family_name) if p)
    actor.key = fold(actor.name)
    if data.organisation is not None:
        actor.organisation_id = _organisation_id(session, actor, data.organisation)
    if data.consent is not None:
        actor.consent_share = data.consent
        if data.consent:
            actor.consent_given_on = data.consent_given_on or clock.today()
            purpose = values.get("consent_purpose")
            actor.consent_purpose = purpose or DEFAULT_CONSENT_PURPOSE
    elif "consent_purpose" in values:
        actor.consent_purpose = values["consent_purpose"]


def _organisation_id(session: Session, actor: Actor, given: str) -> int | None:
    """The organisation a person belongs to; an empty text clears it."""
    from stm.services import refs

    if not given.strip():
        return None
    organisation = refs.actor(session, given, "organisation")
    if organisation.id == actor.id:
        raise Invalid("organisation", "an actor cannot belong to itself")
    if _is_person(organisation.kind):
        raise Invalid("organisation", f"{organisation.name!r} is a person, not an organisation")
    return organisation.id


def _set_links(session: Session, actor: Actor, data: ActorFields, values: CheckedFields) -> None:
    from sqlmodel import col, delete

    from stm.models import ActorDistrict, ActorSector
    from stm.services import refs

    assert actor.id is not None
    if data.districts is not None:
        districts = refs.districts(session, data.districts, "district")
        session.exec(delete(ActorDistrict).where(col(ActorDistrict.actor_id) == actor.id))
        for district in districts:
            assert district.id is not None
            session.add(ActorDistrict(actor_id=actor.id, district_id=district.id))
    if "sectors" in values:
        session.exec(delete(ActorSector).where(col(ActorSector.actor_id) == actor.id))
        for sector in values["sectors"]:
            session.add(ActorSector(actor_id=actor.id, sector=sector))


def _set_aliases(session: Session, actor: Actor, data: ActorFields) -> None:
    """Add and remove short names; an alias equal to the name itself is not kept."""
    from sqlmodel import select

    from stm.models import ActorAlias
    from stm.parsing import parse_name

    existing = {
        a.key: a
        for a in session.exec(select(ActorAlias).where(ActorAlias.actor_id == actor.id)).all()
    }
    for given in data.remove_aliases or []:
        alias = existing.pop(fold(given), None)
        if alias is None:
            known = ", ".join(a.name for a in existing.values()) or "none"
            raise Invalid("remove_alias", f"{actor.name} has no short name {given!r} ({known})")
        session.delete(alias)
    for given in data.aliases or []:
        name = parse_name(given, "alias")
        key = fold(name)
        if not key:
            raise Invalid("alias", f"{given!r} holds no letter or digit")
        if key != actor.key and key not in existing:
            existing[key] = ActorAlias(actor_id=actor.id or 0, key=key, name=name)
            session.add(existing[key])
    session.flush()


def _refuse_erased(actor: Actor) -> None:
    if actor.erased_at is not None:
        from stm.errors import Conflict

        raise Conflict(f"actor #{actor.id} was erased (data protection) and cannot be changed")


def _is_person(kind: str) -> bool:
    from stm.vocab import PERSON_KINDS

    return kind in PERSON_KINDS


def _log(session: Session, action: str, actor: Actor, summary: str) -> None:
    from stm.services.activity import log

    person = actor.id if _is_person(actor.kind) else None
    log(session, action, "actor", actor.id, summary, actor_id=person)


def _log_name(actor: Actor) -> str:
    """Persons are logged by id only, so that an erasure leaves no name behind."""
    return f"person #{actor.id}" if _is_person(actor.kind) else actor.name
