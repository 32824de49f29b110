"""Meetings of a network: the agenda before, the minutes during and after.

A meeting is an event of a network (kind `meeting`, in the network's district), with a
number per network ("12. Stadtteiltisch Schmarl"). Its life: scheduled → invited →
held (the first minutes are kept) → approved (the minutes are locked).

Minutes (attendance, notes, decisions, tasks) are kept in `stm.services.minutes`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Conflict, Invalid, NotFound
from stm.models import (
    AgendaItem,
    Decision,
    Event,
    Meeting,
    Membership,
    Network,
    NetworkDistrict,
    Task,
)
from stm.names import fold
from stm.parsing import choose, parse_count, parse_name
from stm.resources import load_data_toml
from stm.services import refs
from stm.services import tasks as task_service
from stm.services.activity import log
from stm.vocab import AgendaKind, MeetingState, TaskStatus

MAX_TOP_MINUTES = 600
DEFAULT_LENGTH = timedelta(hours=2)  # a meeting whose TOPs have no durations
UPCOMING_EVENTS_WINDOW = timedelta(weeks=6)
NEXT_WORDS = ("next", "naechste", "nächste")
LAST_WORDS = ("last", "letzte", "previous")


# ----------------------------------------------------------------------------- standard TOPs


def standard_agenda(kind: str) -> list[dict[str, Any]]:
    """The standard TOPs of a network kind (data/agendas.toml)."""
    entries: list[dict[str, Any]] = load_data_toml("agendas.toml").get(kind, [])
    return entries


def default_top_minutes() -> int:
    return int(load_data_toml("agendas.toml").get("default_minutes", 15))


def _closing_titles() -> set[str]:
    data = load_data_toml("agendas.toml")
    return {
        fold(entry["title"])
        for entries in data.values()
        if isinstance(entries, list)
        for entry in entries
        if entry.get("closing")
    }


# ----------------------------------------------------------------------------- references


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


def _meetings_with_events(scope: Network | None) -> Any:
    statement = select(Meeting).join(Event, col(Event.id) == Meeting.event_id)
    statement = statement.where(Event.status != "cancelled")
    if scope is not None:
        statement = statement.where(Meeting.network_id == scope.id)
    return statement


def _next_meeting(session: Session, scope: Network | None) -> Meeting:
    now = clock.now()
    statement = _meetings_with_events(scope).where(
        func.coalesce(col(Event.end), col(Event.start)) > now
    )
    found = session.exec(statement.order_by(col(Event.start), col(Meeting.id))).first()
    if found is None:
        of = f" of {scope.slug}" if scope else ""
        raise NotFound(f"no upcoming meeting{of}; plan one with 'stm meeting new NETWORK --date …'")
    return found


def _last_meeting(session: Session, scope: Network | None) -> Meeting:
    statement = _meetings_with_events(scope).where(col(Event.start) <= clock.now())
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


# ----------------------------------------------------------------------------- new, edit


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
        raise Invalid("--date", "is required, e.g. --date 8.12.2026")
    network = refs.network(session, data.network)
    previous = _latest_of(session, network)
    previous_event = event_of(session, previous) if previous else None
    start_time = data.start_time or (previous_event.start.time() if previous_event else None)
    if start_time is None:
        raise Invalid("--time", "is required for a network's first meeting, e.g. --time 18:00")
    start = datetime.combine(data.day, start_time)
    number = _number(session, network, data.number)
    _refuse_same_start(session, network, start)
    location = (
        _location(data.location)
        if data.location is not None
        else (previous_event.location if previous_event else None)
    )
    chair = (
        _actor_id(session, data.chair, "chair") if data.chair else _network_chair(session, network)
    )
    minutes_by = _actor_id(session, data.minutes_by, "--minutes-by") if data.minutes_by else None
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
    end = start + _planned_length(items)
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
    statement = _meetings_with_events(None).where(Meeting.network_id == network.id)
    return session.exec(statement.order_by(col(Event.start).desc())).first()


def _number(session: Session, network: Network, wanted: int | None) -> int:
    if wanted is not None:
        if wanted < 1:
            raise Invalid("--number", f"{wanted} is not a meeting number; use 1 or more")
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
    statement = _meetings_with_events(None).where(
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
        raise Invalid("--location", f"is {len(text)} characters long; at most 300")
    return text or None


def _actor_id(session: Session, ref: str, what: str) -> int:
    actor = refs.actor(session, ref, what)
    assert actor.id is not None
    return actor.id


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


def _planned_length(items: Sequence[AgendaItem]) -> timedelta:
    total = sum(item.minutes or 0 for item in items)
    return timedelta(minutes=total) if total else DEFAULT_LENGTH


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
            else _planned_length(agenda_items(session, meeting))
        )
        event.start, event.end = start, start + length
    if data.end_time is not None:
        event.end = _end_on_the_day(event.start, data.end_time)
    if data.location is not None:
        event.location = _location(data.location)
    if data.chair is not None:
        meeting.chair_id = _actor_id(session, data.chair, "--chair") if data.chair.strip() else None
    if data.minutes_by is not None:
        meeting.minutes_by_id = (
            _actor_id(session, data.minutes_by, "--minutes-by") if data.minutes_by.strip() else None
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
        raise Invalid("--end", f"must be after the start ({start:%H:%M}), e.g. 19:30")
    return end


# ----------------------------------------------------------------------------- list


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
        states = [choose(MeetingState, s, "--state").value for s in criteria.states]
        statement = statement.where(col(Meeting.state).in_(states))
    return list(session.exec(statement.order_by(col(Event.start), col(Meeting.id))).all())


# ----------------------------------------------------------------------------- records


def agenda_items(session: Session, meeting: Meeting) -> list[AgendaItem]:
    return list(
        session.exec(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(col(AgendaItem.position), col(AgendaItem.id))
        ).all()
    )


def _items_by_meeting(session: Session, ids: Sequence[int]) -> dict[int, list[AgendaItem]]:
    grouped: dict[int, list[AgendaItem]] = defaultdict(list)
    for chunk in _chunks(ids):
        for item in session.exec(
            select(AgendaItem)
            .where(col(AgendaItem.meeting_id).in_(chunk))
            .order_by(col(AgendaItem.position), col(AgendaItem.id))
        ).all():
            grouped[item.meeting_id].append(item)
    return grouped


def _chunks(values: Sequence[int], size: int = 900) -> list[Sequence[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _start_times(start: datetime, items: Sequence[AgendaItem]) -> list[datetime]:
    """Each TOP's planned start: the meeting's start plus the durations before it."""
    times, moment = [], start
    for item in items:
        times.append(moment)
        moment += timedelta(minutes=item.minutes or 0)
    return times


def meeting_records(session: Session, meetings: Sequence[Meeting]) -> list[dict[str, Any]]:
    """The stable JSON shape of meetings (SPEC §7), with agenda and tasks."""
    ids = [m.id or 0 for m in meetings]
    events = {
        e.id: e
        for chunk in _chunks([m.event_id for m in meetings])
        for e in session.exec(select(Event).where(col(Event.id).in_(chunk))).all()
    }
    networks = {n.id: n for n in session.exec(select(Network)).all()}
    items = _items_by_meeting(session, ids)
    tasks_of: dict[int, list[Task]] = defaultdict(list)
    for chunk in _chunks(ids):
        for t in session.exec(
            select(Task).where(col(Task.meeting_id).in_(chunk)).order_by(col(Task.id))
        ).all():
            tasks_of[t.meeting_id or 0].append(t)
    all_tasks = [t for group in tasks_of.values() for t in group]
    task_json = {r["id"]: r for r in task_service.task_records(session, all_tasks)}
    people = task_service.actor_names(
        session,
        [m.chair_id for m in meetings]
        + [m.minutes_by_id for m in meetings]
        + [i.presenter_id for group in items.values() for i in group],
    )
    records = []
    for m in meetings:
        event, network = events[m.event_id], networks[m.network_id]
        agenda = items.get(m.id or 0, [])
        starts = _start_times(event.start, agenda)
        tasks = [task_json[t.id] for t in tasks_of.get(m.id or 0, [])]
        records.append(
            {
                "id": m.id,
                "network": network.slug,
                "number": m.number,
                "title": title_of(network, m.number),
                "start": event.start,
                "end": event.end,
                "location": event.location,
                "state": m.state,
                "chair": people.get(m.chair_id or 0),
                "minutes_by": people.get(m.minutes_by_id or 0),
                "approved_at": m.approved_at,
                "event": event.id,
                "agenda": [
                    {
                        "position": i.position,
                        "title": i.title,
                        "presenter": people.get(i.presenter_id or 0),
                        "minutes": i.minutes,
                        "kind": i.kind,
                        "start": begins,
                    }
                    for i, begins in zip(agenda, starts, strict=True)
                ],
                "tasks": tasks,
                "open_tasks": sum(1 for t in tasks if t["status"] == TaskStatus.open.value),
            }
        )
    return records


def meeting_detail(session: Session, meeting: Meeting) -> dict[str, Any]:
    return meeting_records(session, [meeting])[0]


# ----------------------------------------------------------------------------- agenda


@dataclass
class AgendaFields:
    """A TOP's fields; `None` means "not given" (unchanged on edit)."""

    title: str | None = None
    presenter: str | None = None
    minutes: int | None = None
    kind: str | None = None
    position: int | None = None
    public: bool | None = None  # False: a non-public TOP (nicht öffentlich)


def refuse_if_approved(meeting: Meeting) -> None:
    if meeting.state == MeetingState.approved.value:
        when = f" on {meeting.approved_at:%d.%m.%Y}" if meeting.approved_at else ""
        raise Conflict(
            f"the minutes of meeting #{meeting.id} were approved{when}; it cannot be changed"
        )


def agenda_item(session: Session, meeting: Meeting, top: int, field: str = "TOP") -> AgendaItem:
    """The TOP at `top`; out of range is an input error naming the range."""
    items = agenda_items(session, meeting)
    _check_range(meeting, top, len(items), field)
    return items[top - 1]


def _check_range(meeting: Meeting, top: int, count: int, field: str, *, extra: int = 0) -> None:
    if count + extra == 0:
        raise Invalid(
            field, f"meeting #{meeting.id} has no TOPs yet; add one with 'stm agenda add'"
        )
    if not 1 <= top <= count + extra:
        raise Invalid(
            field, f"{top} is out of range; meeting #{meeting.id} has TOPs 1–{count + extra}"
        )


def _minutes(value: int | None, field: str = "--minutes") -> int | None:
    parse_count(value, field)
    if value is not None and value > MAX_TOP_MINUTES:
        raise Invalid(field, f"{value} minutes is too long for a TOP; at most {MAX_TOP_MINUTES}")
    return value


def add_item(session: Session, meeting: Meeting, data: AgendaFields) -> AgendaItem:
    """Add a TOP; without a position it goes before the closing TOPs (Verschiedenes …)."""
    refuse_if_approved(meeting)
    title = parse_name(data.title or "", "title")
    minutes = _minutes(data.minutes if data.minutes is not None else default_top_minutes())
    kind = choose(AgendaKind, data.kind, "--kind").value if data.kind else AgendaKind.info.value
    presenter = _actor_id(session, data.presenter, "presenter") if data.presenter else None
    items = agenda_items(session, meeting)
    if data.position is not None:
        _check_range(meeting, data.position, len(items), "--position", extra=1)
        position = data.position
    else:
        position = _before_closing(items)
    item = AgendaItem(
        meeting_id=meeting.id or 0,
        position=position,
        title=title,
        presenter_id=presenter,
        minutes=minutes,
        kind=kind,
        public=data.public is not False,
    )
    items.insert(position - 1, item)
    _renumber(session, items)
    _sync_event_end(session, meeting, items)
    log(session, "agenda.add", "meeting", meeting.id, f"TOP {position} added")
    return item


def _before_closing(items: Sequence[AgendaItem]) -> int:
    closing = _closing_titles()
    position = len(items) + 1
    while position > 1 and fold(items[position - 2].title) in closing:
        position -= 1
    return position


def _renumber(session: Session, items: Sequence[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position
        session.add(item)
    session.flush()


def _sync_event_end(session: Session, meeting: Meeting, items: Sequence[AgendaItem]) -> None:
    """The meeting's event ends when its last TOP is planned to end."""
    event = event_of(session, meeting)
    event.end = event.start + _planned_length(items)
    event.updated_at = clock.now()
    session.add(event)


def edit_item(session: Session, meeting: Meeting, top: int, data: AgendaFields) -> AgendaItem:
    refuse_if_approved(meeting)
    item = agenda_item(session, meeting, top)
    if data.title is not None:
        item.title = parse_name(data.title, "--title")
    if data.minutes is not None:
        item.minutes = _minutes(data.minutes)
    if data.kind is not None:
        item.kind = choose(AgendaKind, data.kind, "--kind").value
    if data.presenter is not None:
        item.presenter_id = (
            _actor_id(session, data.presenter, "--presenter") if data.presenter.strip() else None
        )
    session.add(item)
    _sync_event_end(session, meeting, agenda_items(session, meeting))
    log(session, "agenda.edit", "meeting", meeting.id, f"TOP {top} changed")
    return item


def move_item(session: Session, meeting: Meeting, top: int, to: int) -> AgendaItem:
    refuse_if_approved(meeting)
    items = agenda_items(session, meeting)
    _check_range(meeting, top, len(items), "TOP")
    _check_range(meeting, to, len(items), "--to")
    item = items.pop(top - 1)
    items.insert(to - 1, item)
    _renumber(session, items)
    log(session, "agenda.move", "meeting", meeting.id, f"TOP {top} moved to {to}")
    return item


def remove_item(session: Session, meeting: Meeting, top: int) -> AgendaItem:
    """Remove a TOP; one that holds minutes (notes, decisions, tasks) is kept (exit 1)."""
    refuse_if_approved(meeting)
    items = agenda_items(session, meeting)
    _check_range(meeting, top, len(items), "TOP")
    item = items.pop(top - 1)
    decisions = count_rows(session, Decision, Decision.agenda_item_id == item.id)
    tasks = count_rows(session, Task, Task.agenda_item_id == item.id)
    if item.notes or decisions or tasks:
        raise Conflict(
            f"TOP {top} ({item.title}) holds minutes ({decisions} decision(s), {tasks} task(s)"
            f"{', notes' if item.notes else ''}); it is kept"
        )
    session.delete(item)
    session.flush()
    _renumber(session, items)
    _sync_event_end(session, meeting, items)
    log(session, "agenda.remove", "meeting", meeting.id, f"TOP {top} removed")
    return item


def count_rows(session: Session, model: Any, clause: Any) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(clause)).one())


# ----------------------------------------------------------------------------- documents


def document_header(session: Session, meeting: Meeting) -> dict[str, Any]:
    event, network = event_of(session, meeting), network_of(session, meeting)
    from stm.services.networks import districts_of

    districts = districts_of(session, network)
    people = task_service.actor_labels(session, [meeting.chair_id, meeting.minutes_by_id])
    return {
        "id": meeting.id,
        "number": meeting.number,
        "title": title_of(network, meeting.number),
        "network": {"name": network.name, "slug": network.slug, "kind": network.kind},
        "district": "/".join(d.name for d in districts) or None,
        "start": event.start,
        "end": event.end,
        "location": event.location,
        "chair": people.get(meeting.chair_id or 0),
        "minutes_by": people.get(meeting.minutes_by_id or 0),
        "state": meeting.state,
        "approved_at": meeting.approved_at,
        "uid": event.uid,
    }


def task_rows(session: Session, tasks: Sequence[Task]) -> list[dict[str, Any]]:
    records = task_service.task_records(session, tasks)
    owners = task_service.actor_labels(session, [t.owner_id for t in tasks])
    for record, t in zip(records, tasks, strict=True):
        record["owner"] = owners.get(t.owner_id or 0)
    return records


def agenda_document(session: Session, meeting: Meeting) -> dict[str, Any]:
    """Everything the invitation and Tagesordnung show, as plain data for the templates."""
    header = document_header(session, meeting)
    items = agenda_items(session, meeting)
    starts = _start_times(header["start"], items)
    presenters = task_service.actor_labels(session, [i.presenter_id for i in items])
    network = network_of(session, meeting)
    return {
        "meeting": header,
        "items": [
            {
                "number": i.position,
                "title": i.title,
                "presenter": presenters.get(i.presenter_id or 0),
                "minutes": i.minutes,
                "kind": i.kind,
                "public": i.public,
                "start": begins,
            }
            for i, begins in zip(items, starts, strict=True)
        ],
        "planned_end": header["start"] + timedelta(minutes=sum(i.minutes or 0 for i in items)),
        "open_tasks": task_rows(session, task_service.open_tasks_for_next_agenda(session, meeting)),
        "events": upcoming_district_events(session, network, header["start"], meeting.event_id),
    }


def upcoming_district_events(
    session: Session, network: Network, start: datetime, own_event_id: int
) -> list[dict[str, Any]]:
    """The district's other events from the meeting's start for six weeks.

    A repeating event is shown once, at its first date, with its further dates.
    """
    from stm.services.networks import districts_of
    from stm.services.occurrences import EventFilter, list_occurrences

    districts = districts_of(session, network)
    if not districts:
        return []
    first = start.date()
    criteria = EventFilter(
        start=first,
        end=first + UPCOMING_EVENTS_WINDOW - timedelta(days=1),
        districts=[d.slug for d in districts],
    )
    rows: dict[int, dict[str, Any]] = {}
    for o in list_occurrences(session, criteria):
        still_on = o.start >= start or (o.end is not None and o.end > start)
        if o.event.id == own_event_id or o.status == "cancelled" or not still_on:
            continue
        if o.event.id in rows:
            rows[o.event.id]["also"].append(o.start)
            continue
        rows[o.event.id] = {
            "title": o.title,
            "kind": o.event.kind,
            "start": o.start,
            "all_day": o.event.all_day,
            "location": o.location,
            "also": [],
        }
    return sorted(rows.values(), key=lambda r: (r["start"], fold(r["title"])))


def invitation_ics(document: dict[str, Any], *, organiser_email: str | None = None) -> bytes:
    """An iCalendar invitation (one VEVENT) for the meeting of an agenda document."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar
    from icalendar import Event as VEvent

    zone = ZoneInfo(clock.timezone())
    meeting = document["meeting"]
    calendar = Calendar()
    calendar.add("prodid", "-//stm//Stadtteilmanagement//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    vevent = VEvent()
    vevent.add("uid", meeting["uid"])
    vevent.add("dtstamp", clock.now().replace(tzinfo=zone).astimezone(ZoneInfo("UTC")))
    vevent.add("dtstart", meeting["start"].replace(tzinfo=zone))
    end = meeting["end"] or document["planned_end"]
    vevent.add("dtend", end.replace(tzinfo=zone))
    vevent.add("summary", meeting["title"])
    if meeting["location"]:
        vevent.add("location", meeting["location"])
    vevent.add("description", _agenda_text(document))
    vevent.add("status", "CONFIRMED")
    if organiser_email:
        vevent.add("organizer", f"mailto:{organiser_email}")
    calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _agenda_text(document: dict[str, Any]) -> str:
    lines = ["Tagesordnung:"]
    for item in document["items"]:
        presenter = f" ({item['presenter']})" if item["presenter"] else ""
        lines.append(f"TOP {item['number']} {item['start']:%H:%M} {item['title']}{presenter}")
    return "\n".join(lines)
