"""The TOPs (Tagesordnungspunkte) of a meeting: the standard ones of its kind, and
adding, editing, moving and removing them; the meeting's event ends with its last TOP."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Conflict, Invalid
from stm.models import AgendaItem, Decision, Meeting, Task
from stm.names import fold
from stm.parsing import choose, parse_count, parse_name
from stm.resources import load_data_toml
from stm.services.activity import log
from stm.services.meetings.lookup import actor_id, event_of
from stm.vocab import AgendaKind, MeetingState

MAX_TOP_MINUTES = 600
DEFAULT_LENGTH = timedelta(hours=2)  # a meeting whose TOPs have no durations


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


def agenda_items(session: Session, meeting: Meeting) -> list[AgendaItem]:
    return list(
        session.exec(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(col(AgendaItem.position), col(AgendaItem.id))
        ).all()
    )


def start_times(start: datetime, items: Sequence[AgendaItem]) -> list[datetime]:
    """Each TOP's planned start: the meeting's start plus the durations before it."""
    times, moment = [], start
    for item in items:
        times.append(moment)
        moment += timedelta(minutes=item.minutes or 0)
    return times


def planned_length(items: Sequence[AgendaItem]) -> timedelta:
    total = sum(item.minutes or 0 for item in items)
    return timedelta(minutes=total) if total else DEFAULT_LENGTH


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


def _minutes(value: int | None, field: str = "minutes") -> int | None:
    parse_count(value, field)
    if value is not None and value > MAX_TOP_MINUTES:
        raise Invalid(field, f"{value} minutes is too long for a TOP; at most {MAX_TOP_MINUTES}")
    return value


def add_item(session: Session, meeting: Meeting, data: AgendaFields) -> AgendaItem:
    """Add a TOP; without a position it goes before the closing TOPs (Verschiedenes …)."""
    refuse_if_approved(meeting)
    title = parse_name(data.title or "", "title")
    minutes = _minutes(data.minutes if data.minutes is not None else default_top_minutes())
    kind = choose(AgendaKind, data.kind, "kind").value if data.kind else AgendaKind.info.value
    presenter = actor_id(session, data.presenter, "presenter") if data.presenter else None
    items = agenda_items(session, meeting)
    if data.position is not None:
        _check_range(meeting, data.position, len(items), "position", extra=1)
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
    event.end = event.start + planned_length(items)
    event.updated_at = clock.now()
    session.add(event)


def edit_item(session: Session, meeting: Meeting, top: int, data: AgendaFields) -> AgendaItem:
    refuse_if_approved(meeting)
    item = agenda_item(session, meeting, top)
    if data.title is not None:
        item.title = parse_name(data.title, "title")
    if data.minutes is not None:
        item.minutes = _minutes(data.minutes)
    if data.kind is not None:
        item.kind = choose(AgendaKind, data.kind, "kind").value
    if data.presenter is not None:
        item.presenter_id = (
            actor_id(session, data.presenter, "presenter") if data.presenter.strip() else None
        )
    if data.public is not None:
        item.public = data.public
    session.add(item)
    _sync_event_end(session, meeting, agenda_items(session, meeting))
    log(session, "agenda.edit", "meeting", meeting.id, f"TOP {top} changed")
    return item


def move_item(session: Session, meeting: Meeting, top: int, to: int) -> AgendaItem:
    refuse_if_approved(meeting)
    items = agenda_items(session, meeting)
    _check_range(meeting, top, len(items), "TOP")
    _check_range(meeting, to, len(items), "to")
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
