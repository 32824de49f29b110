"""Actors (Akteure): organisations, initiatives, administration, politics, persons.

Persons are natural persons: their own phone and e-mail are personal data, shared on
contact sheets only with consent (`consent_share`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import delete, func, or_
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Invalid
from stm.models import Actor, ActorDistrict, ActorSector, District
from stm.names import fold, split_person_name
from stm.services import refs
from stm.services.activity import log

# Lists read the Core tables: plain rows, compiled without the ORM (no mapper setup).
# Parsers and vocabularies are imported where fields are checked, not for every list.
_ACTOR: Any = Actor.__table__  # type: ignore[attr-defined]
_ACTOR_DISTRICT: Any = ActorDistrict.__table__  # type: ignore[attr-defined]
_ACTOR_SECTOR: Any = ActorSector.__table__  # type: ignore[attr-defined]
_DISTRICT: Any = District.__table__  # type: ignore[attr-defined]


@dataclass
class ActorFields:
    """What a user may set on an actor; `None` means "not given" (unchanged on edit)."""

    name: str | None = None
    kind: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    organisation: str | None = None
    function: str | None = None
    districts: list[str] | None = None
    sectors: list[str] | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    notes: str | None = None
    consent: bool | None = None
    consent_purpose: str | None = None
    consent_given_on: date | None = None
    aliases: list[str] | None = None  # short names to add ("WIRO")
    remove_aliases: list[str] | None = None


@dataclass
class ActorFilter:
    districts: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)
    search: str | None = None
    archived: bool = False  # only archived ones
    include_archived: bool = False
    limit: int | None = None


def _validated(data: ActorFields, *, choose: Any = None, parse_email: Any = None) -> dict[str, Any]:
    """Check and normalise every given field; names the option on error.

    Bulk imports pass a cached `choose` and a faster `parse_email` with the same results.
    """
    from stm import parsing
    from stm.parsing import (
        parse_name,
        parse_phone,
        parse_short_text,
        parse_text,
        parse_website,
    )
    from stm.vocab import ActorKind, Sector

    choose = choose or parsing.choose
    parse_email = parse_email or parsing.parse_email
    values: dict[str, Any] = {}
    if data.name is not None:
        values["name"] = parse_name(data.name, "name")
    if data.kind is not None:
        values["kind"] = choose(ActorKind, data.kind, "--kind").value
    for name in ("given_name", "family_name"):
        given = getattr(data, name)
        if given is not None:
            values[name] = parse_name(given, f"--{name.replace('_', '-')}") if given else None
    if data.function is not None:
        values["function"] = parse_short_text(data.function, "--function")
    if data.email is not None:
        values["email"] = parse_email(data.email) if data.email.strip() else None
    if data.phone is not None:
        values["phone"] = parse_phone(data.phone) if data.phone.strip() else None
    if data.website is not None:
        values["website"] = parse_website(data.website) if data.website.strip() else None
    for name in ("street", "postcode", "city"):
        given = getattr(data, name)
        if given is not None:
            values[name] = parse_short_text(given, f"--{name}")
    if data.notes is not None:
        values["notes"] = parse_text(data.notes, "--notes")
    if data.sectors is not None:
        values["sectors"] = sorted({choose(Sector, s, "--sector").value for s in data.sectors})
    if data.consent_purpose is not None:
        values["consent_purpose"] = parse_short_text(data.consent_purpose, "--consent-purpose")
    return values


def validate_fields(
    data: ActorFields, *, choose: Any = None, parse_email: Any = None
) -> dict[str, Any]:
    """The checked, normalised values of `data`, without writing (imports check every row)."""
    return _validated(data, choose=choose, parse_email=parse_email)


def _apply(session: Session, actor: Actor, data: ActorFields, values: dict[str, Any]) -> None:
    from stm.vocab import DEFAULT_CONSENT_PURPOSE

    for name in (
        "kind", "name", "given_name", "family_name", "function", "email", "phone",
        "website", "street", "postcode", "city", "notes",
    ):  # fmt: skip
        if name in values:
            setattr(actor, name, values[name])
    if _is_person(actor.kind):
        if "name" in values and "given_name" not in values and "family_name" not in values:
            actor.given_name, actor.family_name = split_person_name(actor.name)
        elif "name" not in values and ("given_name" in values or "family_name" in values):
            actor.name = " ".join(p for p in (actor.given_name, actor.family_name) if p)
    actor.key = fold(actor.name)
    if data.organisation is not None:
        if data.organisation.strip():
            organisation = refs.actor(session, data.organisation, "organisation")
            if organisation.id == actor.id:
                raise Invalid("--organisation", "an actor cannot belong to itself")
            if _is_person(organisation.kind):
                raise Invalid(
                    "--organisation", f"{organisation.name!r} is a person, not an organisation"
                )
            actor.organisation_id = organisation.id
        else:
            actor.organisation_id = None
    if data.consent is not None:
        actor.consent_share = data.consent
        if data.consent:
            actor.consent_given_on = data.consent_given_on or clock.today()
            purpose = values.get("consent_purpose")
            actor.consent_purpose = purpose or DEFAULT_CONSENT_PURPOSE
    elif "consent_purpose" in values:
        actor.consent_purpose = values["consent_purpose"]


def _set_links(session: Session, actor: Actor, data: ActorFields, values: dict[str, Any]) -> None:
    assert actor.id is not None
    if data.districts is not None:
        districts = refs.districts(session, data.districts)
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
            raise Invalid("--remove-alias", f"{actor.name} has no short name {given!r} ({known})")
        session.delete(alias)
    for given in data.aliases or []:
        name = parse_name(given, "--alias")
        key = fold(name)
        if not key:
            raise Invalid("--alias", f"{given!r} holds no letter or digit")
        if key != actor.key and key not in existing:
            existing[key] = ActorAlias(actor_id=actor.id or 0, key=key, name=name)
            session.add(existing[key])
    session.flush()


def aliases_of(session: Session, actor_ids: Sequence[int | None]) -> dict[int, list[str]]:
    """Each actor's short names, sorted."""
    from stm.models import ActorAlias

    ids = sorted({i for i in actor_ids if i is not None})
    found: dict[int, list[str]] = {}
    for chunk in _chunks(ids, 900):
        for actor_id, name in session.exec(
            select(ActorAlias.actor_id, ActorAlias.name).where(col(ActorAlias.actor_id).in_(chunk))
        ).all():
            found.setdefault(actor_id, []).append(name)
    return {i: sorted(names, key=fold) for i, names in found.items()}


def namesakes(session: Session, actor: Actor) -> list[Actor]:
    """Other actors with the same name or short name (a warning when one is added)."""
    from stm.models import ActorAlias

    same_alias = select(ActorAlias.actor_id).where(ActorAlias.key == actor.key)
    return list(
        session.exec(
            select(Actor)
            .where((col(Actor.key) == actor.key) | col(Actor.id).in_(same_alias))
            .where(col(Actor.id) != actor.id, col(Actor.erased_at).is_(None))
            .order_by(col(Actor.id))
        ).all()
    )


def add_actor(session: Session, data: ActorFields) -> Actor:
    """Add an actor; `name` and `kind` are required (kind defaults to organisation)."""
    from stm.vocab import ActorKind

    if data.name is None:
        raise Invalid("name", "is required")
    values = _validated(data)
    if data.districts is not None:
        refs.districts(session, data.districts)  # fail before anything is written
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
    log(session, "actor.add", "actor", actor.id, _log_name(actor), actor_id=_person_id(actor))
    return actor


def edit_actor(session: Session, ref: str, data: ActorFields) -> Actor:
    actor = refs.actor(session, ref)
    _refuse_erased(actor)
    values = _validated(data)
    _apply(session, actor, data, values)
    actor.updated_at = clock.now()
    session.add(actor)
    session.flush()
    _set_links(session, actor, data, values)
    _set_aliases(session, actor, data)
    changed = sorted(k for k, v in vars(data).items() if v is not None)
    log(session, "actor.edit", "actor", actor.id, ", ".join(changed), actor_id=_person_id(actor))
    return actor


def archive_actor(session: Session, ref: str, *, restore: bool = False) -> Actor:
    actor = refs.actor(session, ref)
    _refuse_erased(actor)
    actor.archived_at = None if restore else clock.now()
    actor.updated_at = clock.now()
    session.add(actor)
    action = "actor.restore" if restore else "actor.archive"
    log(session, action, "actor", actor.id, _log_name(actor), actor_id=_person_id(actor))
    return actor


def _refuse_erased(actor: Actor) -> None:
    if actor.erased_at is not None:
        from stm.errors import Conflict

        raise Conflict(f"actor #{actor.id} was erased (data protection) and cannot be changed")


def _is_person(kind: str) -> bool:
    from stm.vocab import PERSON_KINDS

    return kind in PERSON_KINDS


def _person_id(actor: Actor) -> int | None:
    return actor.id if _is_person(actor.kind) else None


def _log_name(actor: Actor) -> str:
    """Persons are logged by id only, so that an erasure leaves no name behind."""
    return f"person #{actor.id}" if _is_person(actor.kind) else actor.name


def _filtered(session: Session, statement: Any, criteria: ActorFilter) -> Any:
    actor = _ACTOR.c
    statement = statement.where(actor.erased_at.is_(None))
    if criteria.archived:
        statement = statement.where(actor.archived_at.is_not(None))
    elif not criteria.include_archived:
        statement = statement.where(actor.archived_at.is_(None))
    if criteria.kinds:
        from stm.parsing import choose
        from stm.vocab import ActorKind

        kinds = [choose(ActorKind, k, "--kind").value for k in criteria.kinds]
        statement = statement.where(actor.kind.in_(kinds))
    if criteria.districts:
        district_ids = refs.district_ids(session, criteria.districts)
        linked = _ACTOR_DISTRICT.c
        statement = statement.where(
            actor.id.in_(
                select_columns(linked.actor_id).where(linked.district_id.in_(district_ids))
            )
        )
    if criteria.sectors:
        from stm.parsing import choose
        from stm.vocab import Sector

        sectors = [choose(Sector, s, "--sector").value for s in criteria.sectors]
        linked = _ACTOR_SECTOR.c
        statement = statement.where(
            actor.id.in_(select_columns(linked.actor_id).where(linked.sector.in_(sectors)))
        )
    if criteria.networks:
        from stm.models import Membership

        network_ids = [refs.network(session, n).id for n in criteria.networks]
        member = Membership.__table__.c  # type: ignore[attr-defined]
        today = clock.today()
        statement = statement.where(
            actor.id.in_(
                select_columns(member.actor_id).where(
                    member.network_id.in_(network_ids),
                    or_(member.until.is_(None), member.until >= today),
                )
            )
        )
    if criteria.search:
        statement = statement.where(_search_clause(criteria.search))
    statement = statement.order_by(actor.key, actor.id)
    if criteria.limit:
        statement = statement.limit(criteria.limit)
    return statement


def list_actors(session: Session, criteria: ActorFilter) -> list[Actor]:
    """The actors matching `criteria`, as model objects (erased persons never)."""
    return list(session.exec(_filtered(session, select(Actor), criteria)).all())


#: The columns of a record, in this order; rows of `list_actor_records` add `archived`.
_RECORD_COLUMNS = (
    "id", "kind", "name", "email", "phone", "organisation_id", "function", "website",
    "street", "postcode", "city",
)  # fmt: skip


def list_actor_records(session: Session, criteria: ActorFilter) -> list[dict[str, Any]]:
    """The same list as plain records: only the needed columns, no model objects.

    This is the path of `stm actors list`, kept lean because scripts call it often: Core
    tables only, and the database tells whether an actor is archived.
    """
    columns = [_ACTOR.c[name] for name in _RECORD_COLUMNS]
    archived = _ACTOR.c.archived_at.is_not(None).label("archived")
    statement = _filtered(session, select_columns(*columns, archived), criteria)
    rows = session.execute(statement).all()
    # Links are read for "the same filter" in one query each, not by lists of ids; the
    # filter alone is quicker to compile and run than the whole list as a subquery.
    among = select_columns(_ACTOR.c.id).where(statement.whereclause)
    if criteria.limit:
        among = select_columns(statement.subquery().c.id)
    return actor_records(session, rows, among=among)


def _search_clause(text: str) -> Any:
    actor = _ACTOR.c
    needle = fold(text)
    pattern = f"%{text.strip().lower()}%"
    return or_(
        actor.key.contains(needle),
        func.lower(actor.email).like(pattern),
        func.lower(actor.function).like(pattern),
        func.lower(actor.notes).like(pattern),
        func.lower(actor.city).like(pattern),
    )


def actor_records(
    session: Session, actors: Sequence[Any], among: Any = None
) -> list[dict[str, Any]]:
    """The stable JSON shape of actors (SPEC §7), loading links in three queries.

    `actors` are `Actor` objects or the rows of `list_actor_records`; `among`, if given,
    is a select of their ids (faster than lists of ids for long lists).
    """
    district_slugs: dict[int, list[str]] = defaultdict(list)
    sectors: dict[int, list[str]] = defaultdict(list)
    organisations: dict[int, str] = {}
    linked, district, sector, actor = _ACTOR_DISTRICT.c, _DISTRICT.c, _ACTOR_SECTOR.c, _ACTOR.c
    chunks = [among] if among is not None else _chunks([a.id for a in actors], 900)
    for chunk in chunks:
        rows = session.execute(
            select_columns(linked.actor_id, district.slug)
            .join(_DISTRICT, district.id == linked.district_id)
            .where(linked.actor_id.in_(chunk))
            .order_by(district.slug)
        ).all()
        for actor_id, slug in rows:
            district_slugs[actor_id].append(slug)
        for actor_id, name in session.execute(
            select_columns(sector.actor_id, sector.sector)
            .where(sector.actor_id.in_(chunk))
            .order_by(sector.sector)
        ).all():
            sectors[actor_id].append(name)
    organisation_ids = {a.organisation_id for a in actors if a.organisation_id}
    for chunk in _chunks(list(organisation_ids), 900):
        for organisation_id, name in session.execute(
            select_columns(actor.id, actor.name).where(actor.id.in_(chunk))
        ).all():
            organisations[organisation_id] = name
    # Unpacked by position: a long list spends most of its time here.
    return [
        {
            "id": actor_id,
            "kind": kind,
            "name": name,
            "districts": district_slugs.get(actor_id, []),
            "sectors": sectors.get(actor_id, []),
            "email": email,
            "phone": phone,
            "organisation": organisations.get(organisation_id) if organisation_id else None,
            "function": function,
            "website": website,
            "address": _address(street, postcode, city),
            "archived": bool(archived),
        }
        for (
            actor_id, kind, name, email, phone, organisation_id, function, website,
            street, postcode, city, archived,
        ) in map(_record_fields, actors)
    ]  # fmt: skip


def _record_fields(actor: Any) -> Sequence[Any]:
    """`_RECORD_COLUMNS` and whether the actor is archived, from an `Actor` or a row."""
    if isinstance(actor, Actor):
        values = [getattr(actor, name) for name in _RECORD_COLUMNS]
        return [*values, actor.archived_at is not None]
    return actor  # a row: those columns, then `archived`


def actor_detail(session: Session, actor: Actor) -> dict[str, Any]:
    """Everything `show` displays: the record plus person fields, consent and networks."""
    from stm.models import Membership, Network

    record = actor_records(session, [actor])[0]
    record.update(
        {
            "aliases": aliases_of(session, [actor.id]).get(actor.id or 0, []),
            "given_name": actor.given_name,
            "family_name": actor.family_name,
            "street": actor.street,
            "postcode": actor.postcode,
            "city": actor.city,
            "notes": actor.notes,
            "consent": {
                "given_on": actor.consent_given_on.isoformat() if actor.consent_given_on else None,
                "purpose": actor.consent_purpose,
                "share": actor.consent_share,
            },
            "created": actor.created_at.isoformat(timespec="minutes"),
            "updated": actor.updated_at.isoformat(timespec="minutes"),
            "archived_on": actor.archived_at.isoformat(timespec="minutes")
            if actor.archived_at
            else None,
        }
    )
    from sqlalchemy import select as select_columns

    rows = session.execute(
        select_columns(
            col(Network.slug),
            col(Network.name),
            col(Membership.role),
            col(Membership.since),
            col(Membership.until),
        )
        .join(Network, col(Network.id) == Membership.network_id)
        .where(col(Membership.actor_id) == actor.id)
        .order_by(col(Network.name))
    ).all()
    record["networks"] = [
        {
            "slug": slug,
            "name": name,
            "role": role,
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
        }
        for slug, name, role, since, until in rows
    ]
    record["people"] = [
        {"id": p.id, "name": p.name, "function": p.function}
        for p in session.exec(
            select(Actor)
            .where(Actor.organisation_id == actor.id, col(Actor.erased_at).is_(None))
            .order_by(col(Actor.key))
        ).all()
    ]
    return record


def format_address(actor: Actor) -> str | None:
    return _address(actor.street, actor.postcode, actor.city)


def _address(street: str | None, postcode: str | None, city: str | None) -> str | None:
    if not (street or postcode or city):
        return None
    place = " ".join(p for p in (postcode, city) if p)
    return ", ".join(p for p in (street, place) if p)


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def actor_field_names() -> list[str]:
    return [f.name for f in fields(ActorFields)]
