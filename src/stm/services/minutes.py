"""Minutes (Protokoll) of a meeting: attendance, notes per TOP, decisions, tasks, approval.

Minutes are kept from the meeting's start (during it or afterwards) until they are
approved; approval locks the meeting. The shape follows proto3 and fscs prototool's
protokoll.md (STYLE.md "Minutes as structure"): an attendance list with the excused and
absent, Regularien with the quorum, per TOP the notes, the decisions with their votes
("n Zustimmen, m Gegenstimmen, k Enthaltungen") and the tasks with owner and due date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from stm import clock
from stm.errors import Conflict, Invalid
from stm.models import Actor, AgendaItem, Attendance, Decision, Event, Meeting, Membership, Task
from stm.names import fold
from stm.parsing import choose, parse_count, parse_name, parse_text
from stm.services import refs, tasks
from stm.services.activity import log
from stm.services.meetings import (
    agenda_item,
    agenda_items,
    count_rows,
    document_header,
    event_of,
    refuse_if_approved,
    task_rows,
)
from stm.vocab import AttendanceStatus, MeetingState

MAX_VOTES = 100_000


def _chunks(values: Sequence[int], size: int = 900) -> list[Sequence[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _for_minutes(session: Session, meeting: Meeting) -> Event:
    """Minutes are kept from the meeting's start until they are approved."""
    refuse_if_approved(meeting)
    event = event_of(session, meeting)
    if event.status == "cancelled":
        raise Conflict(f"meeting #{meeting.id} was cancelled; it has no minutes")
    if event.start > clock.now():
        raise Conflict(
            f"meeting #{meeting.id} has not taken place yet (it is on "
            f"{event.start:%d.%m.%Y %H:%M}); minutes can be kept from its start"
        )
    if meeting.state in (MeetingState.scheduled.value, MeetingState.invited.value):
        meeting.state = MeetingState.held.value
        session.add(meeting)
    if event.status == "planned":
        event.status = "held"
        event.updated_at = clock.now()
        session.add(event)
    return event


def attend(
    session: Session,
    meeting: Meeting,
    actor_refs: Sequence[str],
    *,
    guests: Sequence[str] = (),
    status: str = AttendanceStatus.present.value,
    members: bool = False,
) -> list[Attendance]:
    """Record who was present, excused or absent; again for the same actor changes it.

    `members` records every current member of the network not yet in the list, except an
    organisation one of whose people is present: it is there through them. Guests are
    always recorded as present (a guest who did not come is not listed).
    """
    event = _for_minutes(session, meeting)
    value = choose(AttendanceStatus, status, "status").value
    names = [parse_name(g, "--guest") for g in guests]
    actor_ids = [a.id or 0 for a in refs.actors(session, actor_refs)] if actor_refs else []
    if not actor_ids and not names and not members:
        raise Invalid("ACTORS", "name at least one actor, a --guest or --members")
    existing = list(
        session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
    )
    by_actor = {a.actor_id: a for a in existing if a.actor_id}
    by_guest = {fold(a.guest_name or ""): a for a in existing if a.guest_name}
    recorded = []
    for actor_id in actor_ids:
        row = by_actor.get(actor_id) or Attendance(meeting_id=meeting.id or 0, actor_id=actor_id)
        row.status = value
        by_actor[actor_id] = row
        recorded.append(row)
    if members:
        present = {i for i, row in by_actor.items() if row.status == AttendanceStatus.present.value}
        listed = set(by_actor) | _organisations_of(session, present)
        for actor_id in _current_members(session, meeting, event):
            if actor_id not in listed:
                row = Attendance(meeting_id=meeting.id or 0, actor_id=actor_id, status=value)
                by_actor[actor_id] = row
                recorded.append(row)
    for name in names:
        row = by_guest.get(fold(name)) or Attendance(meeting_id=meeting.id or 0, guest_name=name)
        row.status = AttendanceStatus.present.value
        by_guest[fold(name)] = row
        recorded.append(row)
    session.add_all(recorded)
    session.flush()
    event.attendance = count_rows(
        session,
        Attendance,
        (Attendance.meeting_id == meeting.id)
        & (Attendance.status == AttendanceStatus.present.value),
    )
    session.add(event)
    log(session, "minutes.attend", "meeting", meeting.id, f"{len(recorded)} recorded as {value}")
    return recorded


def _members_at(meeting: Meeting, day: date, *, voting_only: bool = False) -> Any:
    """Members whose membership had not ended by the meeting's day.

    `since` is not checked: it defaults to the day a member was entered in the register,
    and minutes of earlier meetings are often typed up after that.
    """
    statement = select(Membership.actor_id).where(
        Membership.network_id == meeting.network_id,
        or_(col(Membership.until).is_(None), col(Membership.until) >= day),
    )
    if voting_only:
        statement = statement.where(col(Membership.voting).is_(True))
    return statement.order_by(col(Membership.actor_id))


def _current_members(session: Session, meeting: Meeting, event: Event) -> list[int]:
    return list(session.exec(_members_at(meeting, event.start.date())).all())


def note(
    session: Session, meeting: Meeting, top: int, text: str, *, replace: bool = False
) -> AgendaItem:
    """Add a paragraph to a TOP's notes (or replace them)."""
    _for_minutes(session, meeting)
    item = agenda_item(session, meeting, top)
    paragraph = parse_text(text, "text")
    if paragraph is None and not replace:
        raise Invalid("text", "must not be empty")
    if replace or not item.notes:
        item.notes = paragraph
    else:
        item.notes = f"{item.notes}\n\n{paragraph}"
    session.add(item)
    log(session, "minutes.note", "meeting", meeting.id, f"note on TOP {top}")
    return item


@dataclass
class Votes:
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    quorate: bool | None = None  # None: computed from attendance and voting rights


def _refuse_more_votes_than_voters(
    session: Session, meeting: Meeting, event: Event, counted: int
) -> None:
    """Votes cannot outnumber the voting members present (or, in a network without voting
    rights, the people present); unchecked while no attendance is recorded."""
    rows = list(session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id)).all())
    if not rows:
        return
    seats = quorum(session, meeting, event)
    if seats["voting"]:
        limit, who = seats["present"], "voting members present"
    else:
        limit = sum(1 for r in rows if r.status == AttendanceStatus.present.value)
        who = "people present"
    if counted > limit:
        raise Invalid(
            "--yes",
            f"{counted} votes given, but only {limit} {who} at meeting #{meeting.id}; "
            "record the attendance first (stm minutes attend) or correct the votes",
        )


def _checked_votes(votes: Votes) -> tuple[int, int, int]:
    counts = []
    for field, value in (("--yes", votes.yes), ("--no", votes.no), ("--abstain", votes.abstain)):
        parse_count(value, field)
        if value is not None and value > MAX_VOTES:
            raise Invalid(field, f"{value} votes is more than anyone counts; at most {MAX_VOTES}")
        counts.append(value or 0)
    if sum(counts) == 0:
        raise Invalid("--yes", "give the votes: --yes N --no N --abstain N")
    yes, no, abstain = counts
    return yes, no, abstain


def decide(session: Session, meeting: Meeting, top: int, text: str, votes: Votes) -> Decision:
    """Record a decision: adopted with more yes than no votes; quorum noted."""
    event = _for_minutes(session, meeting)
    item = agenda_item(session, meeting, top)
    wording = parse_text(text, "text")
    if not wording:
        raise Invalid("text", "must not be empty")
    yes, no, abstain = _checked_votes(votes)
    _refuse_more_votes_than_voters(session, meeting, event, yes + no + abstain)
    quorate = (
        votes.quorate if votes.quorate is not None else quorum(session, meeting, event)["quorate"]
    )
    decision = Decision(
        meeting_id=meeting.id or 0,
        agenda_item_id=item.id,
        text=wording,
        votes_yes=yes,
        votes_no=no,
        votes_abstain=abstain,
        result="adopted" if yes > no else "rejected",
        quorate=quorate,
    )
    session.add(decision)
    session.flush()
    log(session, "minutes.decide", "decision", decision.id, f"TOP {top}: {decision.result}")
    return decision


def quorum(session: Session, meeting: Meeting, event: Event | None = None) -> dict[str, Any]:
    """Voting members present (a person counts for their member organisation) of all.

    Quorate when more than half are present; unknown when the network has no voting members.
    """
    event = event or event_of(session, meeting)
    voting = set(session.exec(_members_at(meeting, event.start.date(), voting_only=True)).all())
    present = _present_actor_ids(session, meeting)
    not_there = {
        actor_id
        for actor_id in session.exec(
            select(Attendance.actor_id).where(
                Attendance.meeting_id == meeting.id,
                Attendance.status != AttendanceStatus.present.value,
            )
        ).all()
        if actor_id
    }
    # each voting member once: present itself, or an organisation through one of its people
    # (unless it was itself recorded as excused or absent)
    represented = voting & (present | (_organisations_of(session, present) - not_there))
    return {
        "voting": len(voting),
        "present": len(represented),
        "quorate": (2 * len(represented) > len(voting)) if voting else None,
    }


def _organisations_of(session: Session, people: set[int]) -> set[int]:
    """The organisations the given actors belong to."""
    return {
        org
        for chunk in _chunks(sorted(people))
        for org in session.exec(select(Actor.organisation_id).where(col(Actor.id).in_(chunk))).all()
        if org
    }


def _present_actor_ids(session: Session, meeting: Meeting) -> set[int]:
    return {
        actor_id
        for actor_id in session.exec(
            select(Attendance.actor_id).where(
                Attendance.meeting_id == meeting.id,
                Attendance.status == AttendanceStatus.present.value,
            )
        ).all()
        if actor_id
    }


def add_minutes_task(session: Session, meeting: Meeting, top: int, data: tasks.TaskFields) -> Task:
    """A task agreed under a TOP: it comes back on the network's next agenda while open."""
    _for_minutes(session, meeting)
    item = agenda_item(session, meeting, top)
    return tasks.add_task(session, data, meeting=meeting, item=item)


def approve(session: Session, meeting: Meeting) -> Meeting:
    """Approve (lock) the minutes; approving twice is a conflict."""
    if meeting.state == MeetingState.approved.value:
        when = f"{meeting.approved_at:%d.%m.%Y %H:%M}" if meeting.approved_at else "before"
        raise Conflict(f"the minutes of meeting #{meeting.id} are already approved ({when})")
    _for_minutes(session, meeting)
    meeting.state = MeetingState.approved.value
    meeting.approved_at = clock.now()
    session.add(meeting)
    log(
        session,
        "minutes.approve",
        "meeting",
        meeting.id,
        f"minutes of meeting #{meeting.id} approved",
    )
    return meeting


def minutes_document(session: Session, meeting: Meeting) -> dict[str, Any]:
    """The Protokoll as plain data: attendance, quorum, per TOP notes, decisions, tasks."""
    header = document_header(session, meeting)
    items = agenda_items(session, meeting)
    presenters = tasks.actor_labels(session, [i.presenter_id for i in items])
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
    labels = tasks.actor_labels(session, [r.actor_id for r in rows])
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
        for chunk in _chunks(sorted(attending))
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
