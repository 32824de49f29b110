"""Actors as the stable JSON records of SPEC §7: the list, and everything `show` displays.

Reads only: SQLAlchemy Core over `stm.store.tables`, on a Core connection or a session,
so that `stm actors list/show` build no ORM classes (neither SQLModel nor Pydantic).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, cast

from stm.store import in_chunks

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session
    from sqlalchemy.sql import ColumnElement, Select

    Db = Session | Connection


class ActorRecord(TypedDict):
    """One actor of `stm actors list --json`."""

    id: int
    kind: str
    name: str
    districts: list[str]
    sectors: list[str]
    email: str | None
    phone: str | None
    organisation: str | None
    function: str | None
    website: str | None
    address: str | None
    archived: bool


class ConsentRecord(TypedDict):
    given_on: str | None
    purpose: str | None
    share: bool


class MembershipRecord(TypedDict):
    slug: str
    name: str
    role: str
    since: str | None
    until: str | None


class PersonRecord(TypedDict):
    id: int
    name: str
    function: str | None


class ActorDetail(ActorRecord):
    """`stm actors show --json`: the list's record, then these, in this order."""

    aliases: list[str]
    given_name: str | None
    family_name: str | None
    street: str | None
    postcode: str | None
    city: str | None
    notes: str | None
    consent: ConsentRecord
    created: str
    updated: str
    archived_on: str | None
    networks: list[MembershipRecord]
    people: list[PersonRecord]


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


class ActorLike(Protocol):
    """An `Actor` model object, as far as its record needs it."""

    id: int | None
    kind: str
    name: str
    email: str | None
    phone: str | None
    organisation_id: int | None
    function: str | None
    website: str | None
    street: str | None
    postcode: str | None
    city: str | None
    archived_at: datetime | None


#: The columns of a record, in this order; rows of `list_actor_records` add `archived`.
RECORD_COLUMNS = (
    "id", "kind", "name", "email", "phone", "organisation_id", "function", "website",
    "street", "postcode", "city",
)  # fmt: skip


def filtered(db: Db, statement: Select[Any], criteria: ActorFilter) -> Select[Any]:
    """`statement` (over `tables.ACTOR`) narrowed to the actors `criteria` asks for."""
    from sqlalchemy import select

    from stm.services.actors.lookup import district_ids
    from stm.store.tables import ACTOR, ACTOR_DISTRICT, ACTOR_SECTOR

    actor = ACTOR.c
    statement = statement.where(actor.erased_at.is_(None))
    if criteria.archived:
        statement = statement.where(actor.archived_at.is_not(None))
    elif not criteria.include_archived:
        statement = statement.where(actor.archived_at.is_(None))
    if criteria.kinds:
        from stm.parsing import choose
        from stm.vocab import ActorKind

        kinds = [choose(ActorKind, k, "kind").value for k in criteria.kinds]
        statement = statement.where(actor.kind.in_(kinds))
    if criteria.districts:
        ids = district_ids(db, criteria.districts)
        linked = ACTOR_DISTRICT.c
        statement = statement.where(
            actor.id.in_(select(linked.actor_id).where(linked.district_id.in_(ids)))
        )
    if criteria.sectors:
        from stm.parsing import choose
        from stm.vocab import Sector

        sectors = [choose(Sector, s, "sectors").value for s in criteria.sectors]
        sector = ACTOR_SECTOR.c
        statement = statement.where(
            actor.id.in_(select(sector.actor_id).where(sector.sector.in_(sectors)))
        )
    if criteria.networks:
        statement = statement.where(actor.id.in_(_current_members(db, criteria.networks)))
    if criteria.search:
        statement = statement.where(_search_clause(criteria.search))
    statement = statement.order_by(actor.key, actor.id)
    if criteria.limit:
        statement = statement.limit(criteria.limit)
    return statement


def _current_members(db: Db, networks: Sequence[str]) -> Select[Any]:
    from sqlalchemy import or_, select

    from stm import clock
    from stm.services.actors.lookup import network_id
    from stm.store.tables import MEMBERSHIP

    ids = [network_id(db, n) for n in networks]
    member = MEMBERSHIP.c
    today = clock.today()
    return select(member.actor_id).where(
        member.network_id.in_(ids), or_(member.until.is_(None), member.until >= today)
    )


def _search_clause(text: str) -> ColumnElement[bool]:
    from sqlalchemy import func, or_

    from stm.names import fold
    from stm.store.tables import ACTOR

    actor = ACTOR.c
    pattern = f"%{text.strip().lower()}%"
    return or_(
        actor.key.contains(fold(text)),
        func.lower(actor.email).like(pattern),
        func.lower(actor.function).like(pattern),
        func.lower(actor.notes).like(pattern),
        func.lower(actor.city).like(pattern),
    )


def list_actor_records(db: Db, criteria: ActorFilter) -> list[ActorRecord]:
    """The actors matching `criteria`, as records: only the needed columns.

    The path of `stm actors list`, kept lean because scripts call it often: Core tables
    only, and the database tells whether an actor is archived.
    """
    from sqlalchemy import select

    from stm.store.tables import ACTOR

    columns = [ACTOR.c[name] for name in RECORD_COLUMNS]
    archived = ACTOR.c.archived_at.is_not(None).label("archived")
    statement = filtered(db, select(*columns, archived), criteria)
    rows = db.execute(statement).all()
    # Links are read for "the same filter" in one query each, not by lists of ids; the
    # filter alone is quicker to compile and run than the whole list as a subquery.
    among = select(ACTOR.c.id).where(statement.whereclause)  # type: ignore[arg-type]
    if criteria.limit:
        among = select(statement.subquery().c.id)
    return actor_records(db, rows, among=among)


def actor_records(
    db: Db, actors: Sequence[Any], among: Select[Any] | None = None
) -> list[ActorRecord]:
    """The stable JSON shape of actors (SPEC §7), loading links in three queries.

    `actors` are `Actor` objects or the rows of `list_actor_records`; `among`, if given,
    is a select of their ids (faster than lists of ids for long lists).
    """
    from sqlalchemy import select

    from stm.store.tables import ACTOR, ACTOR_DISTRICT, ACTOR_SECTOR, DISTRICT

    district_slugs: dict[int, list[str]] = defaultdict(list)
    sectors: dict[int, list[str]] = defaultdict(list)
    organisations: dict[int, str] = {}
    linked, district, sector, actor = ACTOR_DISTRICT.c, DISTRICT.c, ACTOR_SECTOR.c, ACTOR.c
    fields = [_record_fields(a) for a in actors]
    chunks: Iterable[Any] = [among] if among is not None else in_chunks([f[0] for f in fields])
    for chunk in chunks:
        rows = db.execute(
            select(linked.actor_id, district.slug)
            .join(DISTRICT, district.id == linked.district_id)
            .where(linked.actor_id.in_(chunk))
            .order_by(district.slug)
        ).all()
        for actor_id, slug in rows:
            district_slugs[actor_id].append(slug)
        for actor_id, name in db.execute(
            select(sector.actor_id, sector.sector)
            .where(sector.actor_id.in_(chunk))
            .order_by(sector.sector)
        ).all():
            sectors[actor_id].append(name)
    organisation_ids = sorted({f[5] for f in fields if f[5]})
    for ids in in_chunks(organisation_ids):
        for organisation_id, name in db.execute(
            select(actor.id, actor.name).where(actor.id.in_(ids))
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
            "address": address(street, postcode, city),
            "archived": bool(archived),
        }
        for (
            actor_id, kind, name, email, phone, organisation_id, function, website,
            street, postcode, city, archived,
        ) in fields
    ]  # fmt: skip


def _record_fields(actor: Any) -> Sequence[Any]:
    """`RECORD_COLUMNS` and whether the actor is archived, from an `Actor` or a row."""
    from sqlalchemy.engine import Row

    if isinstance(actor, Row):  # a row: those columns, then `archived`
        return cast("Sequence[Any]", actor)
    values = [getattr(actor, name) for name in RECORD_COLUMNS]
    return [*values, actor.archived_at is not None]


def actor_detail(db: Db, actor: ActorLike | int) -> ActorDetail:
    """Everything `show` displays: the record plus person fields, consent and networks.

    `actor` is an actor's id, or an `Actor` a session has just changed (then flushed
    first, so that the register's rows say what the record shows)."""
    from sqlalchemy import select

    from stm.store.tables import ACTOR

    if not isinstance(actor, int):
        flush = getattr(db, "flush", None)
        if flush is not None:
            flush()
        assert actor.id is not None
        actor = actor.id
    columns = [ACTOR.c[name] for name in RECORD_COLUMNS]
    row = db.execute(
        select(*columns, ACTOR.c.archived_at.is_not(None).label("archived")).where(
            ACTOR.c.id == actor
        )
    ).one()
    extra = db.execute(
        select(
            ACTOR.c.given_name, ACTOR.c.family_name, ACTOR.c.street, ACTOR.c.postcode,
            ACTOR.c.city, ACTOR.c.notes, ACTOR.c.consent_given_on, ACTOR.c.consent_purpose,
            ACTOR.c.consent_share, ACTOR.c.created_at, ACTOR.c.updated_at, ACTOR.c.archived_at,
        ).where(ACTOR.c.id == actor)
    ).one()  # fmt: skip
    record = actor_records(db, [row])[0]
    return {
        **record,
        "aliases": aliases_of(db, [actor]).get(actor, []),
        "given_name": extra.given_name,
        "family_name": extra.family_name,
        "street": extra.street,
        "postcode": extra.postcode,
        "city": extra.city,
        "notes": extra.notes,
        "consent": {
            "given_on": _iso(extra.consent_given_on),
            "purpose": extra.consent_purpose,
            "share": bool(extra.consent_share),
        },
        "created": _minutes(extra.created_at),
        "updated": _minutes(extra.updated_at),
        "archived_on": _minutes(extra.archived_at) if extra.archived_at else None,
        "networks": _memberships(db, actor),
        "people": _people(db, actor),
    }


def _memberships(db: Db, actor_id: int) -> list[MembershipRecord]:
    from sqlalchemy import select

    from stm.store.tables import MEMBERSHIP, NETWORK

    network, member = NETWORK.c, MEMBERSHIP.c
    rows = db.execute(
        select(network.slug, network.name, member.role, member.since, member.until)
        .join(NETWORK, network.id == member.network_id)
        .where(member.actor_id == actor_id)
        .order_by(network.name)
    ).all()
    return [
        {"slug": slug, "name": name, "role": role, "since": _iso(since), "until": _iso(until)}
        for slug, name, role, since, until in rows
    ]


def _people(db: Db, organisation_id: int) -> list[PersonRecord]:
    from sqlalchemy import select

    from stm.store.tables import ACTOR

    actor = ACTOR.c
    rows = db.execute(
        select(actor.id, actor.name, actor.function)
        .where(actor.organisation_id == organisation_id, actor.erased_at.is_(None))
        .order_by(actor.key)
    ).all()
    return [{"id": i, "name": name, "function": function} for i, name, function in rows]


def aliases_of(db: Db, actor_ids: Sequence[int | None]) -> dict[int, list[str]]:
    """Each actor's short names, sorted."""
    from sqlalchemy import select

    from stm.names import fold
    from stm.store.tables import ACTOR_ALIAS

    ids = sorted({i for i in actor_ids if i is not None})
    found: dict[int, list[str]] = {}
    alias = ACTOR_ALIAS.c
    for chunk in in_chunks(ids):
        for actor_id, name in db.execute(
            select(alias.actor_id, alias.name).where(alias.actor_id.in_(chunk))
        ).all():
            found.setdefault(actor_id, []).append(name)
    return {i: sorted(names, key=fold) for i, names in found.items()}


def address(street: str | None, postcode: str | None, city: str | None) -> str | None:
    if not (street or postcode or city):
        return None
    place = " ".join(p for p in (postcode, city) if p)
    return ", ".join(p for p in (street, place) if p)


def format_address(actor: ActorLike) -> str | None:
    return address(actor.street, actor.postcode, actor.city)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _minutes(value: datetime) -> str:
    return value.isoformat(timespec="minutes")
