"""Meetings as OParl *Meeting*s with their public *AgendaItem*s, *Location* and *File*s."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from stm.models import Decision, Event, Meeting, Network
from stm.names import slugify
from stm.services.oparl.files import add_file, public_agenda, public_minutes
from stm.services.oparl.records import SCHEMA, Collector, stamp
from stm.vocab import MeetingState


@dataclass
class MeetingContext:
    """What every meeting of the export needs: the register, the renderer, who is shown."""

    out: Collector
    session: Session
    render: Any  # render(stem, data) -> HTML, names already redacted
    redact: Any
    participants: dict[int, list[int]]
    shown: set[int]


def meetings(session: Session, network_ids: list[int]) -> list[tuple[Meeting, Event]]:
    rows = session.exec(
        select(Meeting, Event)
        .where(col(Meeting.network_id).in_(network_ids), Meeting.event_id == Event.id)
        .order_by(col(Event.start), col(Meeting.id))
    ).all()
    return [(m, e) for m, e in rows]


def add_meetings(
    context: MeetingContext, found: list[tuple[Meeting, Event]], networks: Sequence[Network]
) -> None:
    by_network = {n.id: n for n in networks}
    for meeting, event in found:
        _add_meeting(context, meeting, event, by_network[meeting.network_id])


def _add_meeting(context: MeetingContext, meeting: Meeting, event: Event, network: Network) -> None:
    from stm.services import meetings as meeting_service

    out, url = context.out, context.out.url
    path = f"meeting/{meeting.id}.json"
    meeting_url = url(path)
    title = meeting_service.title_of(network, meeting.number)
    agenda = meeting_service.agenda_document(context.session, meeting)
    agenda_records = _add_agenda_items(context, meeting, agenda, meeting_url)
    invitation, protocol = _add_documents(context, meeting, event, title, network.slug,
                                          agenda, meeting_url)  # fmt: skip
    location = _location(out, event.location, meeting_url)
    present = context.participants.get(meeting.id or 0, [])
    record = out.add(path, {
        "type": f"{SCHEMA}Meeting",
        "name": title,
        "meetingState": MeetingState(meeting.state).label
        if meeting.state in MeetingState.values() else meeting.state,
        "cancelled": event.status == "cancelled",
        "start": stamp(event.start),
        "end": stamp(event.end),
        "location": location,
        "organization": [url(f"organization/network-{network.id}.json")],
        "participant": [url(f"person/{p}.json") for p in present if p in context.shown],
        "invitation": invitation,
        "resultsProtocol": protocol,
        "agendaItem": agenda_records,
        "created": stamp(meeting.created_at),
    }, "meetings")  # fmt: skip
    out.lists[f"organization/network-{network.id}/meetings.json"].append(record)


def _add_agenda_items(
    context: MeetingContext, meeting: Meeting, agenda: dict[str, Any], meeting_url: str
) -> list[dict[str, Any]]:
    """The meeting's public TOPs with their times and the decisions taken on them."""
    from stm.services import meetings as meeting_service

    redact = context.redact
    items = meeting_service.agenda_items(context.session, meeting)
    decisions = _decisions(context.session, meeting)
    starts = {entry["number"]: entry["start"] for entry in agenda["items"]}
    records = []
    for item in (i for i in items if i.public):
        begins = starts.get(item.position)
        ends = begins + timedelta(minutes=item.minutes) if begins and item.minutes else None
        texts = decisions.get(item.id or 0, [])
        records.append(context.out.add(f"agenda-item/{item.id}.json", {
            "type": f"{SCHEMA}AgendaItem",
            "meeting": meeting_url,
            "number": str(item.position),
            "order": item.position,
            "name": redact(item.title),
            "public": True,
            "result": "; ".join(_result(d) for d in texts) or None,
            "resolutionText": redact("\n\n".join(_resolution(d) for d in texts)) or None,
            "start": stamp(begins),
            "end": stamp(ends),
        }, "agenda-items"))  # fmt: skip
    return records


def _add_documents(
    context: MeetingContext, meeting: Meeting, event: Event, title: str, slug: str,
    agenda: dict[str, Any], meeting_url: str,
) -> tuple[dict[str, Any], dict[str, Any] | None]:  # fmt: skip
    """The invitation (Tagesordnung) and, once held, the minutes, without non-public TOPs."""
    from stm.services import meetings as meeting_service

    out, render = context.out, context.render
    stem = f"{meeting.number}-{slug}"
    invitation = add_file(out, f"tagesordnung-{stem}.html", f"Einladung: {title}",
                          render("agenda", public_agenda(agenda)), meeting_url,
                          event.start.date())  # fmt: skip
    protocol = None
    if meeting.state in (MeetingState.held.value, MeetingState.approved.value):
        minutes = public_minutes(meeting_service.minutes_document(context.session, meeting))
        protocol = add_file(out, f"protokoll-{stem}.html", f"Protokoll: {title}",
                            render("minutes", minutes), meeting_url,
                            (meeting.approved_at or event.start).date())  # fmt: skip
    return invitation, protocol


def _location(out: Collector, text: str | None, meeting_url: str) -> dict[str, Any] | None:
    if not text:
        return None
    path = f"location/{slugify(text) or 'ort'}.json"
    known = next((loc for loc in out.lists["locations"] if loc["id"].endswith("/" + path)), None)
    if known is None:
        known = out.add(path, {"type": f"{SCHEMA}Location", "description": text,
                               "meetings": []}, "locations")  # fmt: skip
    known["meetings"].append(meeting_url)
    return known


def _decisions(session: Session, meeting: Meeting) -> dict[int, list[Decision]]:
    found: dict[int, list[Decision]] = defaultdict(list)
    for d in session.exec(
        select(Decision).where(Decision.meeting_id == meeting.id).order_by(col(Decision.id))
    ).all():
        if d.agenda_item_id is not None:
            found[d.agenda_item_id].append(d)
    return found


def _result(decision: Decision) -> str:
    return "angenommen" if decision.result == "adopted" else "abgelehnt"


def _resolution(decision: Decision) -> str:
    votes = (f"{decision.votes_yes} Zustimmungen, {decision.votes_no} Gegenstimmen, "
             f"{decision.votes_abstain} Enthaltungen")  # fmt: skip
    return f"{decision.text} ({votes}; {_result(decision)})"
