"""The one rule for naming a meeting (`12`, `next`, `last`, in a network if given), over a
Core connection: `stm tasks list --meeting next` needs no models, and `lookup.resolve`
loads the model object of the id found here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from stm import clock
from stm.errors import Invalid, NotFound
from stm.store.tables import EVENT, MEETING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql import Select

NEXT_WORDS = ("next", "naechste", "nächste")
LAST_WORDS = ("last", "letzte", "previous")


def meeting_id(connection: Connection, ref: str, network: str | None = None) -> int:
    """A meeting by id, `next` (running or upcoming) or `last` (the latest begun)."""
    from stm.services.refs.slug_match import network_row

    text = ref.strip()
    scope = network_row(connection, network) if network else None
    word = text.lower()
    if word in NEXT_WORDS:
        return _next_meeting(connection, scope)
    if word in LAST_WORDS:
        return _last_meeting(connection, scope)
    digits = text.lstrip("#")
    if not digits.isdigit():
        raise Invalid(
            "meeting",
            f"{ref!r} is not a meeting; use its id (see 'stm meeting list'), 'next' or 'last'",
        )
    m = MEETING.c
    found = connection.execute(select(m.id, m.network_id).where(m.id == int(digits))).first()
    if found is None:
        raise NotFound(f"no meeting with id {digits}; see 'stm meeting list'")
    if scope is not None and found.network_id != scope.id:
        raise NotFound(f"meeting #{found.id} is not a meeting of {scope.slug}")
    return int(found.id)


def held_or_planned(scope: Any | None) -> Select[Any]:
    """The ids of meetings whose event is not cancelled (of one network, if given)."""
    m, e = MEETING.c, EVENT.c
    statement = select(m.id).select_from(MEETING.join(EVENT, e.id == m.event_id))
    statement = statement.where(e.status != "cancelled")
    if scope is not None:
        statement = statement.where(m.network_id == scope.id)
    return statement


def _next_meeting(connection: Connection, scope: Any | None) -> int:
    m, e = MEETING.c, EVENT.c
    statement = held_or_planned(scope).where(func.coalesce(e.end, e.start) > clock.now())
    found = connection.execute(statement.order_by(e.start, m.id)).scalar()
    if found is None:
        of = f" of {scope.slug}" if scope else ""
        raise NotFound(f"no upcoming meeting{of}; plan one with 'stm meeting new NETWORK --date …'")
    return int(found)


def _last_meeting(connection: Connection, scope: Any | None) -> int:
    m, e = MEETING.c, EVENT.c
    statement = held_or_planned(scope).where(e.start <= clock.now())
    found = connection.execute(statement.order_by(e.start.desc(), m.id.desc())).scalar()
    if found is None:
        of = f" of {scope.slug}" if scope else ""
        raise NotFound(f"no meeting{of} has taken place yet")
    return int(found)
