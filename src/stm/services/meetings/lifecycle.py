"""A meeting's life: planned (`new`) with its event and standard TOPs, rescheduled or
changed (`edit`), listed. Its states: scheduled → invited → held → approved."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Conflict, Invalid
from stm.models import AgendaItem, Event, Meeting, Membership, Network, NetworkDistrict
from stm.parsing import choose
from stm.services import refs
from stm.services.activity import log
from stm.services.meetings.agenda import (
    agenda_items,
    planned_length,
    refuse_if_approved,
    standard_agenda,
)
from stm.services.meetings.lookup import (
    actor_id,
    event_of,
    meetings_with_events,
    network_of,
    title_of,
)
from stm.vocab import AgendaKind, MeetingState


@dataclass
class MeetingFields:
    """What `stm meeting new/edit` sets; `None` means "not given"."""

    network: str | None = None
    day: date | None = None
    start_time: time | None = None
    location: str | None = None
    chair: str | None = None
    minutes_by: str | None = None
    number: int | None = None
    standard_agenda: bool = True
    #: When the meeting ended (for the minutes); on the day it began.
    end_time: time | None = None


def new_meeting(session: Session, data: MeetingFields) -> Meeting:
    """A numbered meeting of a network, with its event and the standard TOPs of its kind.

    Location and time default to the network's previous meeting, the chair to the
    network's current chair.
    """
    if data.network is None:
        raise Invalid("network", "is required")
    if data.day is None:
        raise Invalid("date", "is required, e.g. --date 8.12.2026")
    network = refs.network(session, data.network)
    previous = _latest_of(session, network)
    previous_event = event_of(session, previous) if previous else None
    start_time = data.start_time or (previous_event.start.time() if previous_event else None)
    if start_time is None:
        raise Invalid("time", "is required for a network's first meeting, e.g. --time 18:00")
    start = datetime.combine(data.day, start_time)
    number = _number(session, network, data.number)
    _refuse_same_start(session, network, start)
    location = (
        _location(data.location)
        if data.location is not None
        else (previous_event.location if previous_event else None)
    )
    chair = (
        actor_id(session, data.chair, "chair") if data.chair else _network_chair(session, network)
    )
    minutes_by = actor_id(session, data.minutes_by, "minute-taker") if data.minutes_by else None
    items = [
        AgendaItem(
            meeting_id=0,
            position=index,
            title=entry["title"],
            minutes=entry.get("minutes"),
            kind=entry.get("kind", AgendaKind.info.value),
        )
        for index, entry in enumerate(
            standard_agenda(network.kind) if data.standard_agenda else [], start=1
        )
    ]
    end = start + planned_length(items)
    event = _create_event(session, network, title_of(network, number), start, end, location)
    meeting = Meeting(
        network_id=network.id or 0,
        event_id=event.id or 0,
        number=number,
        chair_id=chair,
        minutes_by_id=minutes_by,
        state=MeetingState.scheduled.value,
        created_at=clock.now(),
    )
    session.add(meeting)
    session.flush()
    for item in items:
        item.meeting_id = meeting.id or 0
        session.add(item)
    session.flush()
    log(session, "meeting.new", "meeting", meeting.id, title_of(network, number))
    return meeting


def _latest_of(session: Session, network: Network) -> Meeting | None:
    statement = meetings_with_events(None).where(Meeting.network_id == network.id)
    return session.exec(statement.order_by(col(Event.start).desc())).first()


def _number(session: Session, network: Network, wanted: int | None) -> int:
    if wanted is not None:
        if wanted < 1:
            raise Invalid("number", f"{wanted} is not a meeting number; use 1 or more")
        clash = session.exec(
            select(Meeting).where(Meeting.network_id == network.id, Meeting.number == wanted)
        ).first()
        if clash:
            raise Conflict(f"{title_of(network, wanted)} exists already (meeting #{clash.id})")
        return wanted
    highest = session.exec(
        select(func.max(Meeting.number)).where(Meeting.network_id == network.id)
    ).one()
    return int(highest or 0) + 1


def _refuse_same_start(
    session: Session, network: Network, start: datetime, meeting_id: int | None = None
) -> None:
    statement = meetings_with_events(None).where(
        Meeting.network_id == network.id, Event.start == start
    )
    for clash in session.exec(statement).all():
        if clash.id != meeting_id:
            raise Conflict(
                f"{title_of(network, clash.number)} (meeting #{clash.id}) is already at "
                f"{start:%d.%m.%Y %H:%M}"
            )


def _location(value: str) -> str | None:
    text = " ".join(value.split())
    if len(text) > 300:
        raise Invalid("location", f"is {len(text)} characters long; at most 300")
    return text or None


def _network_chair(session: Session, network: Network) -> int | None:
    today = clock.today()
    chairs = session.exec(
        select(Membership.actor_id).where(
            Membership.network_id == network.id,
            Membership.role == "chair",
            or_(col(Membership.until).is_(None), col(Membership.until) >= today),
        )
    ).all()
    return chairs[0] if len(chairs) == 1 else None


def _create_event(
    session: Session,
    network: Network,
    title: str,
    start: datetime,
    end: datetime,
    location: str | None,
) -> Event:
    """The meeting's event: kind `meeting`, in the network's district, in the calendar."""
    from stm.services.events import EventFields, create_event
    from stm.services.networks import districts_of

    fields = EventFields(
        title=title,
        start_at=start,
        end_at=end,
        kind="meeting",
        districts=[d.slug for d in districts_of(session, network)],
        location=location,
        uid=f"meeting-{uuid.uuid4()}@stm",
    )
    return create_event(session, fields)


def edit_meeting(
    session: Session, meeting: Meeting, data: MeetingFields, *, invited: bool = False
) -> Meeting:
    """Reschedule or change chair, minute taker, location; mark the invitation as sent."""
    refuse_if_approved(meeting)
    event = event_of(session, meeting)
    network = network_of(session, meeting)
    if data.day is not None or data.start_time is not None:
        start = datetime.combine(
            data.day or event.start.date(), data.start_time or event.start.time()
        )
        _refuse_same_start(session, network, start, meeting.id)
        length = (
            (event.end - event.start)
            if event.end
            else planned_length(agenda_items(session, meeting))
        )
        event.start, event.end = start, start + length
    if data.end_time is not None:
        event.end = _end_on_the_day(event.start, data.end_time)
    if data.location is not None:
        event.location = _location(data.location)
    if data.chair is not None:
        meeting.chair_id = actor_id(session, data.chair, "chair") if data.chair.strip() else None
    if data.minutes_by is not None:
        meeting.minutes_by_id = (
            actor_id(session, data.minutes_by, "minute-taker") if data.minutes_by.strip() else None
        )
    if data.number is not None and data.number != meeting.number:
        meeting.number = _number(session, network, data.number)
        event.title = title_of(network, meeting.number)
    if invited and meeting.state == MeetingState.scheduled.value:
        meeting.state = MeetingState.invited.value
    event.updated_at = clock.now()
    session.add_all([meeting, event])
    session.flush()
    log(session, "meeting.edit", "meeting", meeting.id, title_of(network, meeting.number))
    return meeting


def _end_on_the_day(start: datetime, end_time: time) -> datetime:
    end = datetime.combine(start.date(), end_time)
    if end <= start:
        raise Invalid("end", f"must be after the start ({start:%H:%M}), e.g. 19:30")
    return end


@dataclass
class MeetingFilter:
    networks: Sequence[str] = ()
    districts: Sequence[str] = ()
    upcoming: bool = False
    past: bool = False
    states: Sequence[str] = ()


def list_meetings(session: Session, criteria: MeetingFilter | None = None) -> list[Meeting]:
    criteria = criteria or MeetingFilter()
    statement = select(Meeting).join(Event, col(Event.id) == Meeting.event_id)
    if criteria.networks:
        ids = [refs.network(session, n).id for n in criteria.networks]
        statement = statement.where(col(Meeting.network_id).in_(ids))
    if criteria.districts:
        district_ids = [d.id for d in refs.districts(session, criteria.districts)]
        served = select(NetworkDistrict.network_id).where(
            col(NetworkDistrict.district_id).in_(district_ids)
        )
        first = select(Network.id).where(col(Network.district_id).in_(district_ids))
        statement = statement.where(
            col(Meeting.network_id).in_(served) | col(Meeting.network_id).in_(first)
        )
    now = clock.now()
    if criteria.upcoming:
        statement = statement.where(func.coalesce(col(Event.end), col(Event.start)) > now)
    if criteria.past:
        statement = statement.where(col(Event.start) <= now)
    if criteria.states:
        # "state_": the parameter's name (`state` alone names other commands' fields)
        states = [choose(MeetingState, s, "state_").value for s in criteria.states]
        statement = statement.where(col(Meeting.state).in_(states))
    return list(session.exec(statement.order_by(col(Event.start), col(Meeting.id))).all())
