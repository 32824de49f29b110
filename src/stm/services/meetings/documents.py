"""The plain data of a meeting's documents: the invitation with its Tagesordnung and
the Protokoll (minutes). Rendering them is `stm.render`'s job."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from stm.models import Actor, Attendance, Decision, Meeting, Membership, Network, Task
from stm.names import fold
from stm.services.meetings import tasks as task_service
from stm.services.meetings.agenda import agenda_items, start_times
from stm.services.meetings.lookup import event_of, network_of, title_of
from stm.services.meetings.minutes import quorum
from stm.store import in_chunks
from stm.vocab import AttendanceStatus, MeetingState

UPCOMING_EVENTS_WINDOW = timedelta(weeks=6)


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
    """Tasks for a document: their records, with owners labelled with their organisation."""
    records: list[dict[str, Any]] = [
        dict(r) for r in task_service.task_records(session.connection(), tasks)
    ]
    owners = task_service.actor_labels(session, [t.owner_id for t in tasks])
    for record, t in zip(records, tasks, strict=True):
        record["owner"] = owners.get(t.owner_id or 0)
    return records


def agenda_document(session: Session, meeting: Meeting) -> dict[str, Any]:
    """Everything the invitation and Tagesordnung show, as plain data for the templates."""
    header = document_header(session, meeting)
    items = agenda_items(session, meeting)
    starts = start_times(header["start"], items)
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
    from stm.services.events import EventFilter, list_occurrences
    from stm.services.networks import districts_of

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
    for o in list_occurrences(session.connection(), criteria):
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


def minutes_document(session: Session, meeting: Meeting) -> dict[str, Any]:
    """The Protokoll as plain data: attendance, quorum, per TOP notes, decisions, tasks."""
    header = document_header(session, meeting)
    items = agenda_items(session, meeting)
    presenters = task_service.actor_labels(session, [i.presenter_id for i in items])
    decisions: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for d in session.exec(
        select(Decision).where(Decision.meeting_id == meeting.id).order_by(col(Decision.id))
    ).all():
        decisions[d.agenda_item_id].append(_decision_row(d))
    meeting_tasks = list(
        session.exec(select(Task).where(Task.meeting_id == meeting.id).order_by(col(Task.id))).all()
    )
    rows = task_rows(session, meeting_tasks)
    tasks_by_item: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for t, row in zip(meeting_tasks, rows, strict=True):
        tasks_by_item[t.agenda_item_id].append(row)
    return {
        "meeting": header,
        "attendance": attendance_lists(session, meeting),
        "quorum": quorum(session, meeting),
        "items": [
            {
                "number": i.position,
                "title": i.title,
                "presenter": presenters.get(i.presenter_id or 0),
                "kind": i.kind,
                "public": i.public,
                "notes": i.notes,
                "decisions": decisions.get(i.id, []),
                "tasks": tasks_by_item.get(i.id, []),
            }
            for i in items
        ],
        "tasks": rows,
        "approved": meeting.state == MeetingState.approved.value,
    }


def _decision_row(decision: Decision) -> dict[str, Any]:
    return {
        "text": decision.text,
        "yes": decision.votes_yes,
        "no": decision.votes_no,
        "abstain": decision.votes_abstain,
        "result": decision.result,
        "adopted": decision.result == "adopted",
        "unanimous": decision.votes_no == 0 and decision.votes_abstain == 0,
        "quorate": decision.quorate,
    }


def attendance_lists(session: Session, meeting: Meeting) -> dict[str, list[str]]:
    """Names by status, sorted; guests separately (fscs prototool's Anwesenheitsliste).

    Guests are those named with --guest, the network's guest members, and, in a network with
    members, actors present who are neither members nor people of a member organisation.
    """
    rows = list(session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id)).all())
    labels = task_service.actor_labels(session, [r.actor_id for r in rows])
    guests = _guest_actors(session, meeting, {r.actor_id for r in rows if r.actor_id})
    lists: dict[str, list[str]] = {"present": [], "excused": [], "absent": [], "guests": []}
    for row in rows:
        if row.actor_id:
            present = row.status == AttendanceStatus.present.value
            where = "guests" if present and row.actor_id in guests else row.status
            lists[where].append(labels.get(row.actor_id, f"#{row.actor_id}"))
        elif row.status == AttendanceStatus.present.value:
            lists["guests"].append(row.guest_name or "")
        else:
            lists[row.status].append(f"{row.guest_name} (Gast)")
    return {status: sorted(names, key=fold) for status, names in lists.items()}


def _guest_actors(session: Session, meeting: Meeting, attending: set[int]) -> set[int]:
    """Attending actors who are there as guests, not as (people of) members."""
    event = event_of(session, meeting)
    memberships = session.exec(
        select(Membership.actor_id, Membership.role).where(
            Membership.network_id == meeting.network_id,
            or_(col(Membership.until).is_(None), col(Membership.until) >= event.start.date()),
        )
    ).all()
    if not memberships:
        return set()
    members = {actor_id for actor_id, role in memberships if role != "guest"}
    guest_members = {actor_id for actor_id, role in memberships if role == "guest"}
    organisation_of = {
        actor_id: org
        for chunk in in_chunks(sorted(attending))
        for actor_id, org in session.exec(
            select(Actor.id, Actor.organisation_id).where(col(Actor.id).in_(chunk))
        ).all()
    }
    return {
        actor_id
        for actor_id in attending
        if actor_id in guest_members
        or (actor_id not in members and organisation_of.get(actor_id) not in members)
    }
