"""A network's life: add, edit, members joining and leaving, and what `show` displays.

A membership ties an actor to a network with a role, a voting right and since/until
dates. Leaving keeps the membership with an end date, so history is not lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Conflict, Invalid, NotFound
from stm.models import Actor, District, Membership, Network, NetworkDistrict
from stm.names import fold, slugify
from stm.parsing import choose, parse_name, parse_text
from stm.services import refs
from stm.services.activity import log
from stm.services.networks.listing import district_ids_of, records_of
from stm.services.networks.records import MemberRecord, NetworkDetail, NetworkRecord
from stm.vocab import MemberRole, NetworkKind, NetworkLevel


@dataclass
class NetworkFields:
    name: str
    kind: str
    level: str = "district"
    district: str | None = None  # one district (the demo's data); `districts` for several
    slug: str | None = None
    description: str | None = None
    districts: Sequence[str] = ()


def add_network(session: Session, data: NetworkFields) -> Network:
    name = parse_name(data.name, "name")
    kind = choose(NetworkKind, data.kind, "kind").value
    level = choose(NetworkLevel, data.level, "level").value
    wanted = [*([data.district] if data.district else []), *data.districts]
    districts = refs.districts(session, wanted) if wanted else []
    slug = slugify(data.slug or name)
    if not slug:
        raise Invalid("slug", "must contain at least one letter or digit")
    clash = session.exec(select(Network).where(Network.slug == slug)).first()
    if clash:
        raise Conflict(f"a network with slug {slug!r} exists already (#{clash.id} {clash.name})")
    network = Network(
        slug=slug,
        key=fold(name),
        name=name,
        kind=kind,
        level=level,
        district_id=districts[0].id if districts else None,
        description=parse_text(data.description, "description"),
        created_at=clock.now(),
    )
    session.add(network)
    session.flush()
    _set_districts(session, network, districts)
    log(session, "network.add", "network", network.id, network.name)
    return network


def _set_districts(session: Session, network: Network, districts: Sequence[District]) -> None:
    """Replace the network's districts; the first is also kept as `district_id`."""
    for link in session.exec(
        select(NetworkDistrict).where(NetworkDistrict.network_id == network.id)
    ).all():
        session.delete(link)
    session.flush()
    for district in districts:
        session.add(NetworkDistrict(network_id=network.id or 0, district_id=district.id or 0))
    network.district_id = districts[0].id if districts else None
    session.add(network)
    session.flush()


@dataclass
class NetworkChanges:
    """What `stm networks edit` changes; None leaves a field as it is."""

    name: str | None = None
    kind: str | None = None
    level: str | None = None
    districts: Sequence[str] | None = None
    description: str | None = None


def edit_network(session: Session, network: Network, changes: NetworkChanges) -> Network:
    """Rename a network, change its kind, level, districts (replaced) or description.

    The slug stays, so scripts and references keep working."""
    if changes.name is not None:
        network.name = parse_name(changes.name, "name")
        network.key = fold(network.name)
    if changes.kind is not None:
        network.kind = choose(NetworkKind, changes.kind, "kind").value
    if changes.level is not None:
        network.level = choose(NetworkLevel, changes.level, "level").value
    if changes.description is not None:
        network.description = parse_text(changes.description, "description")
    districts = refs.districts(session, changes.districts) if changes.districts else None
    session.add(network)
    if districts is not None:
        _set_districts(session, network, districts)
    session.flush()
    log(session, "network.edit", "network", network.id, network.name)
    return network


def districts_of(session: Session, network: Network) -> list[District]:
    """The network's districts as records, the first first."""
    ids = district_ids_of(session.connection(), [network]).get(network.id or 0, [])
    return [d for d in (session.get(District, i) for i in ids) if d is not None]


def _active(today: date) -> Any:
    return or_(col(Membership.until).is_(None), col(Membership.until) >= today)


def memberships(
    session: Session, network: Network, *, current_only: bool = False
) -> list[MemberRecord]:
    statement = (
        select(Membership, Actor)
        .join(Actor, col(Actor.id) == Membership.actor_id)
        .where(Membership.network_id == network.id, col(Actor.erased_at).is_(None))
        .order_by(col(Actor.key))
    )
    if current_only:
        statement = statement.where(_active(clock.today()))
    return [
        {
            "actor_id": actor.id or 0,  # loaded rows have ids
            "name": actor.name,
            "kind": actor.kind,
            "role": membership.role,
            "voting": membership.voting,
            "since": membership.since.isoformat() if membership.since else None,
            "until": membership.until.isoformat() if membership.until else None,
        }
        for membership, actor in session.exec(statement).all()
    ]


def network_records(session: Session, networks: Sequence[Network]) -> list[NetworkRecord]:
    """The list records of these networks (after `add` or `edit`)."""
    session.flush()
    return records_of(session.connection(), networks)


def network_detail(session: Session, network: Network) -> NetworkDetail:
    [record] = network_records(session, [network])
    return {
        **record,
        "description": network.description,
        "memberships": memberships(session, network),
    }


def join(
    session: Session,
    network_ref: str,
    actor_refs: Sequence[str],
    *,
    role: str = "member",
    voting: bool | None = None,
    since: date | None = None,
) -> list[Membership]:
    """Add actors to a network; an existing current membership is a conflict."""
    network = refs.network(session, network_ref)
    role_value = choose(MemberRole, role, "role").value
    if voting is None:
        voting = role_value in ("member", "chair")
    actors = refs.actors(session, actor_refs)
    joined = []
    for actor in actors:
        existing = session.exec(
            select(Membership).where(
                Membership.network_id == network.id, Membership.actor_id == actor.id
            )
        ).first()
        if existing and existing.until is None:
            raise Conflict(f"{actor.name} (#{actor.id}) is already a member of {network.slug}")
        membership = existing or Membership(
            network_id=network.id or 0, actor_id=actor.id or 0, created_at=clock.now()
        )
        membership.role = role_value
        membership.voting = voting
        membership.since = since or clock.today()
        membership.until = None
        session.add(membership)
        joined.append(membership)
        log(
            session,
            "network.join",
            "network",
            network.id,
            f"#{actor.id} joined {network.slug} as {role_value}",
            actor_id=actor.id,
        )
    session.flush()
    return joined


def leave(
    session: Session, network_ref: str, actor_refs: Sequence[str], *, until: date | None = None
) -> list[Membership]:
    network = refs.network(session, network_ref)
    actors = refs.actors(session, actor_refs)
    end = until or clock.today()
    left = []
    for actor in actors:
        membership = session.exec(
            select(Membership).where(
                Membership.network_id == network.id,
                Membership.actor_id == actor.id,
                col(Membership.until).is_(None),
            )
        ).first()
        if membership is None:
            raise NotFound(f"{actor.name} (#{actor.id}) is not a member of {network.slug}")
        if membership.since and end < membership.since:
            raise Invalid(
                "until", f"{end.isoformat()} is before the membership began ({membership.since})"
            )
        membership.until = end
        session.add(membership)
        left.append(membership)
        log(
            session,
            "network.leave",
            "network",
            network.id,
            f"#{actor.id} left {network.slug}",
            actor_id=actor.id,
        )
    return left
