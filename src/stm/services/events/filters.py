"""Which events a list or an export wants: a window and filters, as SQL conditions.

Districts, projects and organisers are resolved over the light tables, by the rules every
command names them with (`stm.services.refs`), so that a read builds no ORM classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from stm import clock
from stm.errors import Invalid
from stm.services.refs.district_match import district_ids_in as district_ids
from stm.store import tables

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

#: `stm event list` without --from/--to: from today, eight weeks.
DEFAULT_WEEKS = 8

EVENT = tables.EVENT


@dataclass
class EventFilter:
    """Which events: a window (dates, inclusive) and filters; repeated values widen."""

    start: date | None = None
    end: date | None = None
    districts: Sequence[str] = ()
    kinds: Sequence[str] = ()
    projects: Sequence[str] = ()
    organisers: Sequence[str] = ()
    statuses: Sequence[str] = ()

    def window(self) -> tuple[datetime, datetime]:
        """[lower, upper): from the first day's 00:00 to the day after the last."""
        first = self.start or clock.today()
        last = self.end or first + timedelta(weeks=DEFAULT_WEEKS, days=-1)
        if last < first:
            raise Invalid("to", f"{last.isoformat()} is before --from {first.isoformat()}")
        return datetime.combine(first, time(0, 0)), datetime.combine(last, time(0, 0)) + timedelta(
            days=1
        )


def filter_clauses(connection: Connection, criteria: EventFilter) -> list[Any]:
    """SQL conditions on `EVENT` for the district/kind/project/organiser filters."""
    clauses: list[Any] = []
    if criteria.kinds:
        from stm.parsing import choose
        from stm.vocab import EventKind

        kinds = [choose(EventKind, k, "kind").value for k in criteria.kinds]
        clauses.append(EVENT.c.kind.in_(kinds))
    if criteria.districts:
        ids = district_ids(connection, criteria.districts)
        district_link = tables.EVENT_DISTRICT.c
        linked = select(district_link.event_id).where(district_link.district_id.in_(ids))
        clauses.append(EVENT.c.id.in_(linked))
    if criteria.projects:
        from stm.services.refs.slug_match import project_row

        projects = [project_row(connection, p).id for p in criteria.projects]
        clauses.append(EVENT.c.project_id.in_(projects))
    if criteria.organisers:
        from stm.services.refs.actor_match import actor_id

        actors = {actor_id(connection, ref, "organiser") for ref in criteria.organisers}
        organiser_link = tables.EVENT_ORGANISER.c
        organised = select(organiser_link.event_id).where(organiser_link.actor_id.in_(actors))
        clauses.append(EVENT.c.id.in_(organised))
    return clauses


def wanted_statuses(criteria: EventFilter) -> set[str]:
    if not criteria.statuses:
        return set()
    from stm.parsing import choose
    from stm.vocab import EventStatus

    return {choose(EventStatus, s, "status").value for s in criteria.statuses}
