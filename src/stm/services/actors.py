"""Actors (Akteure): organisations, initiatives, administration, politics, persons.

Persons are natural persons: their own phone and e-mail are personal data, shared on
contact sheets only with consent (`consent_share`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Invalid
from stm.models import Actor, ActorDistrict, ActorSector, District
from stm.names import fold
from stm.parsing import choose, parse_email, parse_name, parse_text
from stm.services import refs
from stm.services.activity import log
from stm.vocab import PERSON_KINDS, ActorKind, Sector

_PHONE = re.compile(r"^\+?[0-9][0-9 ()/.\-]{2,30}$")
DEFAULT_CONSENT_PURPOSE = "Kontaktliste des Stadtteilmanagements"


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


def parse_phone(value: str, field_name: str = "--phone") -> str:
    text = " ".join(value.split())
    if text.lower().startswith("tel:"):
        text = text[4:]
    if not _PHONE.match(text):
        raise Invalid(field_name, f"{value!r} is not a phone number; use digits, spaces, + ( ) / -")
    return text


def parse_website(value: str, field_name: str = "--website") -> str:
    text = value.strip()
    if " " in text or "." not in text:
        raise Invalid(field_name, f"{value!r} is not a web address; use e.g. https://example.org")
    if not re.match(r"^https?://", text, re.IGNORECASE):
        text = "https://" + text
    return text


def _optional(value: str | None, field_name: str, max_length: int = 300) -> str | None:
    if value is None:
        return None
    text = " ".join(value.split())
    if len(text) > max_length:
        raise Invalid(field_name, f"is {len(text)} characters long; at most {max_length}")
    return text or None


def _split_person_name(name: str) -> tuple[str | None, str | None]:
    given, _, family = name.rpartition(" ")
    return (given or None, family or name)


def _validated(
    data: ActorFields, *, choose: Any = choose, parse_email: Any = parse_email
) -> dict[str, Any]:
    """Check and normalise every given field; names the option on error.

    Bulk imports pass a cached `choose` and a faster `parse_email` with the same results.
    """
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
        values["function"] = _optional(data.function, "--function")
    if data.email is not None:
        values["email"] = parse_email(data.email) if data.email.strip() else None
    if data.phone is not None:
        values["phone"] = parse_phone(data.phone) if data.phone.strip() else None
    if data.website is not None:
        values["website"] = parse_website(data.website) if data.website.strip() else None
    for name in ("street", "postcode", "city"):
        given = getattr(data, name)
        if given is not None:
            values[name] = _optional(given, f"--{name}")
    if data.notes is not None:
        values["notes"] = parse_text(data.notes, "--notes")
    if data.sectors is not None:
        values["sectors"] = sorted({choose(Sector, s, "--sector").value for s in data.sectors})
    if data.consent_purpose is not None:
        values["consent_purpose"] = _optional(data.consent_purpose, "--consent-purpose")
    return values


def validate_fields(
    data: ActorFields, *, choose: Any = choose, parse_email: Any = parse_email
) -> dict[str, Any]:
    """The checked, normalised values of `data`, without writing (imports check every row)."""
    return _validated(data, choose=choose, parse_email=parse_email)


def _apply(session: Session, actor: Actor, data: ActorFields, values: dict[str, Any]) -> None:
    for name in (
        "kind", "name", "given_name", "family_name", "function", "email", "phone",
        "website", "street", "postcode", "city", "notes",
    ):  # fmt: skip
        if name in values:
            setattr(actor, name, values[name])
    if actor.kind in PERSON_KINDS:
        if "name" in values and "given_name" not in values and "family_name" not in values:
            actor.given_name, actor.family_name = _split_person_name(actor.name)
        elif "name" not in values and ("given_name" in values or "family_name" in values):
            actor.name = " ".join(p for p in (actor.given_name, actor.family_name) if p)
    actor.key = fold(actor.name)
    if data.organisation is not None:
        if data.organisation.strip():
            organisation = refs.actor(session, data.organisation, "organisation")
            if organisation.id == actor.id:
                raise Invalid("--organisation", "an actor cannot belong to itself")
            if organisation.kind in PERSON_KINDS:
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
            actor.consent_purpose = values.get("consent_purpose") or DEFAULT_CONSENT_PURPOSE
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


def add_actor(session: Session, data: ActorFields) -> Actor:
    """Add an actor; `name` and `kind` are required (kind defaults to organisation)."""
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


def _person_id(actor: Actor) -> int | None:
    return actor.id if actor.kind in PERSON_KINDS else None


def _log_name(actor: Actor) -> str:
    """Persons are logged by id only, so that an erasure leaves no name behind."""
    return f"person #{actor.id}" if actor.kind in PERSON_KINDS else actor.name


def _filtered(session: Session, statement: Any, criteria: ActorFilter) -> Any:
    statement = statement.where(col(Actor.erased_at).is_(None))
    if criteria.archived:
        statement = statement.where(col(Actor.archived_at).is_not(None))
    elif not criteria.include_archived:
        statement = statement.where(col(Actor.archived_at).is_(None))
    if criteria.kinds:
        kinds = [choose(ActorKind, k, "--kind").value for k in criteria.kinds]
        statement = statement.where(col(Actor.kind).in_(kinds))
    if criteria.districts:
        district_ids = [d.id for d in refs.districts(session, criteria.districts)]
        statement = statement.where(
            col(Actor.id).in_(
                select(ActorDistrict.actor_id).where(
                    col(ActorDistrict.district_id).in_(district_ids)
                )
            )
        )
    if criteria.sectors:
        sectors = [choose(Sector, s, "--sector").value for s in criteria.sectors]
        statement = statement.where(
            col(Actor.id).in_(
                select(ActorSector.actor_id).where(col(ActorSector.sector).in_(sectors))
            )
        )
    if criteria.networks:
        from stm.models import Membership

        network_ids = [refs.network(session, n).id for n in criteria.networks]
        today = clock.today()
        statement = statement.where(
            col(Actor.id).in_(
                select(Membership.actor_id).where(
                    col(Membership.network_id).in_(network_ids),
                    or_(col(Membership.until).is_(None), col(Membership.until) >= today),
                )
            )
        )
    if criteria.search:
        statement = statement.where(_search_clause(criteria.search))
    statement = statement.order_by(col(Actor.key), col(Actor.id))
    if criteria.limit:
        statement = statement.limit(criteria.limit)
    return statement


def list_actors(session: Session, criteria: ActorFilter) -> list[Actor]:
    """The actors matching `criteria`, as model objects (erased persons never)."""
    return list(session.exec(_filtered(session, select(Actor), criteria)).all())


_RECORD_COLUMNS = (
    "id", "kind", "name", "email", "phone", "organisation_id", "function", "website",
    "street", "postcode", "city", "archived_at",
)  # fmt: skip


def list_actor_records(session: Session, criteria: ActorFilter) -> list[dict[str, Any]]:
    """The same list as plain records: only the needed columns, no model objects.

    This is the path of `stm actors list`, kept lean because scripts call it often.
    """
    table: Any = Actor.__table__  # type: ignore[attr-defined]
    columns = [table.c[name] for name in _RECORD_COLUMNS]
    statement = _filtered(session, select(*columns), criteria)
    rows = session.connection().execute(statement).all()
    # Links are read for "the same filter" in one query each, not by lists of ids.
    return actor_records(session, rows, among=select(statement.subquery().c.id))


def _record(
    actor: Any, districts: list[str], sectors: list[str], organisation: str | None
) -> dict[str, Any]:
    return {
        "id": actor.id,
        "kind": actor.kind,
        "name": actor.name,
        "districts": districts,
        "sectors": sectors,
        "email": actor.email,
        "phone": actor.phone,
        "organisation": organisation,
        "function": actor.function,
        "website": actor.website,
        "address": format_address(actor),
        "archived": actor.archived_at is not None,
    }


def _search_clause(text: str) -> Any:
    needle = fold(text)
    pattern = f"%{text.strip().lower()}%"
    return or_(
        col(Actor.key).contains(needle),
        func.lower(col(Actor.email)).like(pattern),
        func.lower(col(Actor.function)).like(pattern),
        func.lower(col(Actor.notes)).like(pattern),
        func.lower(col(Actor.city)).like(pattern),
    )


def actor_records(
    session: Session, actors: Sequence[Any], among: Any = None
) -> list[dict[str, Any]]:
    """The stable JSON shape of actors (SPEC §7), loading links in three queries.

    `actors` are `Actor` objects or rows with the same attributes; `among`, if given,
    is a select of their ids (faster than lists of ids for long lists).
    """
    ids = [a.id for a in actors]
    district_slugs: dict[int, list[str]] = defaultdict(list)
    sectors: dict[int, list[str]] = defaultdict(list)
    organisations: dict[int, str] = {}
    connection = session.connection()  # plain rows: no ORM loading for link tables
    for chunk in [among] if among is not None else _chunks(ids, 900):
        rows = connection.execute(
            select(ActorDistrict.actor_id, District.slug)
            .join(District, col(District.id) == ActorDistrict.district_id)
            .where(col(ActorDistrict.actor_id).in_(chunk))
            .order_by(col(District.slug))
        ).all()
        for actor_id, slug in rows:
            district_slugs[actor_id].append(slug)
        for actor_id, sector in connection.execute(
            select(ActorSector.actor_id, ActorSector.sector)
            .where(col(ActorSector.actor_id).in_(chunk))
            .order_by(col(ActorSector.sector))
        ).all():
            sectors[actor_id].append(sector)
    organisation_ids = {a.organisation_id for a in actors if a.organisation_id}
    for chunk in _chunks(list(organisation_ids), 900):
        for organisation_id, name in connection.execute(
            select(Actor.id, Actor.name).where(col(Actor.id).in_(chunk))
        ).all():
            organisations[organisation_id or 0] = name
    return [
        _record(
            a,
            district_slugs.get(a.id or 0, []),
            sectors.get(a.id or 0, []),
            organisations.get(a.organisation_id or 0),
        )
        for a in actors
    ]


def actor_detail(session: Session, actor: Actor) -> dict[str, Any]:
    """Everything `show` displays: the record plus person fields, consent and networks."""
    from stm.models import Membership, Network

    record = actor_records(session, [actor])[0]
    record.update(
        {
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
    place = " ".join(p for p in (actor.postcode, actor.city) if p)
    parts = [p for p in (actor.street, place) if p]
    return ", ".join(parts) or None


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def actor_field_names() -> list[str]:
    return [f.name for f in fields(ActorFields)]
