"""Finding a meeting (`12`, `next`, `last`), its event and network, and actors it names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from stm.models import Event, Meeting, Network
from stm.services import refs

if TYPE_CHECKING:
    from sqlmodel.sql.expression import SelectOfScalar


def resolve(session: Session, ref: str, network: str | None = None) -> Meeting:
    """A meeting by id, `next` (running or upcoming) or `last` (the latest begun), by the
    one rule of `meeting_match`, as a model object."""
    from stm.services.meetings.meeting_match import meeting_id
    from stm.store import connection_of

    found = session.get(Meeting, meeting_id(connection_of(session), ref, network))
    assert found is not None, "the id was just read"
    return found


def meetings_with_events(scope: Network | None) -> SelectOfScalar[Meeting]:
    """Meetings whose event is not cancelled (of one network, if given)."""
    statement = select(Meeting).join(Event, col(Event.id) == Meeting.event_id)
    statement = statement.where(Event.status != "cancelled")
    if scope is not None:
        statement = statement.where(Meeting.network_id == scope.id)
    return statement


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
