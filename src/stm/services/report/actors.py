"""Section: the network's actors at the month's end, who joined it and its bodies, and
the consents that expire."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_, select

from stm.services.report.lookups import day
from stm.services.report.period import Period, Scope
from stm.services.report.records import ActorSummary, MembershipRecord, NewOrganisation
from stm.store import tables
from stm.vocab import PERSON_KINDS

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def actor_summary(
    connection: Connection, period: Period, scope: Scope, consent_years: int
) -> ActorSummary:
    """How many actors the network has at the month's end; who joined it and its bodies;
    how many it does not reach yet (no body, no project in the year up to the month's end)."""
    from stm.services.network_map import not_reached

    a = tables.ACTOR.c
    current = and_(
        a.erased_at.is_(None),
        a.created_at < period.end_at,
        or_(a.archived_at.is_(None), a.archived_at >= period.end_at),
    )
    new = and_(a.erased_at.is_(None), a.created_at >= period.start_at, a.created_at < period.end_at)
    in_scope = scope.where_actor(a.id)
    total = connection.execute(select(func.count()).where(current, in_scope)).scalar_one()
    joined = connection.execute(
        select(a.id, a.name, a.kind).where(new, in_scope).order_by(a.key, a.id)
    ).all()
    organisations: list[NewOrganisation] = [
        {"id": row.id, "name": row.name, "kind": row.kind}
        for row in joined
        if row.kind not in PERSON_KINDS
    ]
    return {
        "total": int(total),
        "new": len(joined),
        "new_organisations": organisations,
        "new_persons": len(joined) - len(organisations),
        "memberships": new_memberships(connection, period, scope),
        "not_reached": not_reached(
            connection, period.end - timedelta(days=1), scope.ids, consent_years
        ),
    }


def new_memberships(connection: Connection, period: Period, scope: Scope) -> list[MembershipRecord]:
    """Who joined a network in the month; persons are counted, never named."""
    ms, n, a = tables.MEMBERSHIP.c, tables.NETWORK.c, tables.ACTOR.c
    joined_in_month = or_(
        period.dates(ms.since),
        and_(ms.since.is_(None), ms.created_at >= period.start_at, ms.created_at < period.end_at),
    )
    rows = connection.execute(
        select(ms.since, ms.created_at, ms.role, n.name.label("network"), a.name, a.kind)
        .select_from(
            tables.MEMBERSHIP.join(tables.NETWORK, n.id == ms.network_id)
            .join(tables.ACTOR, a.id == ms.actor_id)
        )
        .where(a.erased_at.is_(None), joined_in_month, scope.where_network(n))
    ).all()  # fmt: skip
    found: list[MembershipRecord] = [
        {
            "network": row.network,
            "actor": None if row.kind in PERSON_KINDS else row.name,
            "person": row.kind in PERSON_KINDS,
            "role": row.role,
            "since": row.since or row.created_at.date(),
        }
        for row in rows
    ]
    return sorted(found, key=lambda r: (r["network"], r["since"], r["person"], r["actor"] or ""))


def consents_expiring(connection: Connection, month: Period, scope: Scope, years: int) -> int:
    """Persons whose consent to be shared on contact sheets expires within `month`."""
    from stm.services.privacy.consent import consent_start, expires_on

    a = tables.ACTOR.c
    rows = connection.execute(
        select(a.consent_given_on, a.created_at).where(
            a.erased_at.is_(None), a.archived_at.is_(None), a.consent_share.is_(True),
            a.kind.in_(sorted(PERSON_KINDS)), scope.where_actor(a.id),
        )
    ).all()  # fmt: skip
    count = 0
    for given_on, created_at in rows:
        start = consent_start(day(given_on), day(created_at))
        if start is not None and month.holds(expires_on(start, years)):
            count += 1
    return count
