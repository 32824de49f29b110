"""Finding a meeting (`12`, `next`, `last`), its event and network, and actors it names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Invalid, NotFound
from stm.models import Event, Meeting, Network
from stm.services import refs

if TYPE_CHECKING:
    from sqlmodel.sql.expression import SelectOfScalar

NEXT_WORDS = ("next", "naechste", "nächste")
LAST_WORDS = ("last", "letzte", "previous")


def resolve(session: Session, ref: str, network: str | None = None) -> Meeting:
    """A meeting by id, `next` (running or upcoming) or `last` (the latest begun)."""
    text = ref.strip()
    scope = refs.network(session, network) if network else None
    word = text.lower()
    if word in NEXT_WORDS:
        return _next_meeting(session, scope)
    if word in LAST_WORDS:
        return _last_meeting(session, scope)
    digits = text.lstrip("#")
    if not digits.isdigit():
        raise Invalid(
            "meeting",
            f"{ref!r} is not a meeting; use its id (see 'stm meeting list'), 'next' or 'last'",
        )
    meeting = session.get(Meeting, int(digits))
    if meeting is None:
        raise NotFound(f"no meeting with id {digits}; see 'stm meeting list'")
    if scope is not None and meeting.network_id != scope.id:
        raise NotFound(f"meeting #{meeting.id} is not a meeting of {scope.slug}")
    return meeting


def meetings_with_events(scope: Network | None) -> SelectOfScalar[Meeting]:
    """Meetings whose event is not cancelled (of one network, if given)."""
    statement = select(Meeting).join(Event, col(Event.id) == Meeting.event_id)
    statement = statement.where(Event.status != "cancelled")
    if scope is not None:
        statement = statement.where(Meeting.network_id == scope.id)
    return statement


def _next_meeting(session: Session, scope: Network | None) -> Meeting:
    now = clock.now()
    statement = meetings_with_events(scope).where(
        func.coalesce(col(Event.end), col(Event.start)) > now
    )
    found = session.exec(statement.order_by(col(Event.start), col(Meeting.id))).first()
    if found is None:
        of = f" of {scope.slug}" if scope else ""
        raise NotFound(f"no upcoming meeting{of}; plan one with 'stm meeting new NETWORK --date …'")
    return found


def _last_meeting(session: Session, scope: Network | None) -> Meeting:
    statement = meetings_with_events(scope).where(col(Event.start) <= clock.now())
    found = session.exec(
        statement.order_by(col(Event.start).desc(), col(Meeting.id).desc())
    ).first()
    if found is None:
        of = f" of {scope.slug}" if scope else ""
        raise NotFound(f"no meeting{of} has taken place yet")
    return found


def event_of(session: Session, meeting: Meeting) -> Event:
    event = session.get(Event, meeting.event_id)
    assert event is not None, "every meeting has its event"
    return event


def network_of(session: Session, meeting: Meeting) -> Network:
    network = session.get(Network, meeting.network_id)
    assert network is not None
    return network


def title_of(network: Network, number: int) -> str:
    """ "12. Stadtteiltisch Schmarl", "12. Sitzung des Ortsbeirats Schmarl" (by kind)."""
    from stm.services.titles import sitting_title

    return sitting_title(number, network.name, network.kind)


def actor_id(session: Session, ref: str, what: str) -> int:
    actor = refs.actor(session, ref, what)
    assert actor.id is not None
    return actor.id
