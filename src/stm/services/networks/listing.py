"""Listing networks: SQLAlchemy Core over the store's light tables, no models.

`stm networks list` runs on this alone: neither SQLModel nor the models are imported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from stm import clock
from stm.parsing import choose
from stm.services.networks.records import NetworkRecord
from stm.services.refs import district_ids_in
from stm.store import in_chunks, tables
from stm.vocab import NetworkKind

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


@dataclass
class NetworkFilter:
    districts: Sequence[str] = ()
    kinds: Sequence[str] = ()


def network_list(
    connection: Connection, criteria: NetworkFilter | None = None
) -> list[NetworkRecord]:
    """The networks `criteria` asks for, by name."""
    criteria = criteria or NetworkFilter()
    n = tables.NETWORK.c
    statement = select(n.id, n.slug, n.name, n.kind, n.level, n.district_id)
    if criteria.kinds:
        kinds = [choose(NetworkKind, k, "kind").value for k in criteria.kinds]
        statement = statement.where(n.kind.in_(kinds))
    if criteria.districts:
        ids = district_ids_in(connection, criteria.districts)
        nd = tables.NETWORK_DISTRICT.c
        served = select(nd.network_id).where(nd.district_id.in_(ids))
        statement = statement.where(or_(n.district_id.in_(ids), n.id.in_(served)))
    rows = connection.execute(statement.order_by(n.name)).all()
    return records_of(connection, rows)


def records_of(connection: Connection, networks: Sequence[Any]) -> list[NetworkRecord]:
    """The stable JSON shape of networks, from rows or `Network` objects (their columns by
    name): districts by slug, the first first, and the number of current members."""
    ms, a = tables.MEMBERSHIP.c, tables.ACTOR.c
    today = clock.today()
    counts = Counter(
        connection.execute(
            select(ms.network_id)
            .select_from(tables.MEMBERSHIP.join(tables.ACTOR, a.id == ms.actor_id))
            .where(or_(ms.until.is_(None), ms.until >= today), a.erased_at.is_(None))
        ).scalars()
    )
    d = tables.DISTRICT.c
    slugs = {row.id: row.slug for row in connection.execute(select(d.id, d.slug))}
    district_ids = district_ids_of(connection, networks)
    return [
        {
            "id": net.id,
            "slug": net.slug,
            "name": net.name,
            "kind": net.kind,
            "level": net.level,
            "districts": [slugs[i] for i in district_ids.get(net.id or 0, []) if i in slugs],
            "members": counts.get(net.id or 0, 0),
        }
        for net in networks
    ]


def district_ids_of(connection: Connection, networks: Sequence[Any]) -> dict[int, list[int]]:
    """Each network's district ids, the first (`district_id`) first."""
    ids = [net.id for net in networks if net.id is not None]
    found: dict[int, list[int]] = {i: [] for i in ids}
    nd = tables.NETWORK_DISTRICT.c
    for chunk in in_chunks(ids):
        statement = select(nd.network_id, nd.district_id).where(nd.network_id.in_(chunk))
        for network_id, district_id in connection.execute(statement):
            found[network_id].append(district_id)
    for net in networks:
        first = net.district_id
        if net.id is not None and first is not None:
            found[net.id] = [first, *sorted(i for i in found[net.id] if i != first)]
    return found
