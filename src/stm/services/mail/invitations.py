"""Invitations to a meeting by mail: the letter, the agenda PDF, an iTIP REQUEST; updates
after a change of time or place; the CANCEL when the meeting is called off.

SEQUENCE (RFC 5546) counts what the attendees were told: the first invitation is 0;
when the meeting's start, end or place differ from what the last invitation said, the
next run sends SEQUENCE+1 as an update to everyone invited before (and the invitation to
anyone new). A cancel carries the next SEQUENCE and the same UID.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from stm import clock
from stm.errors import Conflict, Invalid
from stm.formats.itip import MeetingEntry, Party, meeting_calendar
from stm.models import Meeting
from stm.render import RenderOptions, render_document
from stm.services.mail import compose, log, recipients
from stm.services.mail.messages import Attachment
from stm.services.mail.sending import Outgoing, Plan
from stm.services.mail.settings import MailSettings


@dataclass
class Audience:
    """Who an invitation goes to: the members (with `guests`, guest members too), or the
    actors named in `to`; always everyone invited before, once there is an update."""

    to: Sequence[str] = ()
    guests: bool = False


def fingerprint(document: dict[str, Any]) -> str:
    """What a calendar entry says that, when it changes, makes an update."""
    meeting = document["meeting"]
    end = meeting["end"] or document["planned_end"]
    return f"{meeting['start']:%Y-%m-%dT%H:%M}/{end:%Y-%m-%dT%H:%M}/{meeting['location'] or ''}"


def calendar_entry(document: dict[str, Any], description: str) -> MeetingEntry:
    meeting = document["meeting"]
    return MeetingEntry(
        uid=meeting["uid"],
        title=meeting["title"],
        start=meeting["start"],
        end=meeting["end"] or document["planned_end"],
        location=meeting["location"],
        description=description,
        timezone=clock.timezone(),
        stamp=clock.now(),
    )


def _agenda_lines(document: dict[str, Any]) -> str:
    lines = ["Tagesordnung:"]
    for item in document["items"]:
        presenter = f" ({item['presenter']})" if item["presenter"] else ""
        lines.append(f"TOP {item['number']} {item['start']:%H:%M} {item['title']}{presenter}")
    return "\n".join(lines)


def _refuse_cancelled(session: Session, meeting: Meeting) -> None:
    from stm.services.meetings import event_of

    if event_of(session, meeting).status == "cancelled":
        raise Conflict(f"meeting #{meeting.id} is cancelled; there is nothing to invite to")


@dataclass
class _Letters:
    """What every recipient's letter shares, by kind (invitation or update)."""

    subjects: dict[str, str]
    texts: dict[str, tuple[str, str]]
    attachments: list[Attachment]
    entry: MeetingEntry
    organiser: Party


def plan_invitation(
    session: Session,
    meeting: Meeting,
    audience: Audience,
    settings: MailSettings,
    options: RenderOptions,
    *,
    with_pdf: bool = True,
) -> Plan:
    """The invitation (or update) for each recipient who does not have it yet."""
    from stm.services.meetings import agenda_document, refuse_if_approved

    _refuse_cancelled(session, meeting)
    refuse_if_approved(meeting)
    document = agenda_document(session, meeting)
    print_ = fingerprint(document)
    before = log.invited(session, meeting.id or 0)
    sequence = _next_sequence(before, print_)
    chosen = _chosen_recipients(session, meeting, audience)
    found = recipients.addresses(session, [*chosen, *before.latest])
    title = document["meeting"]["title"]
    plan = Plan(what=f"the invitation to {title}", without_address=found.without_address,
                withdrawn=found.withdrawn)  # fmt: skip
    if not found.chosen and not found.without_address:
        raise Conflict(f"{title} has no members to invite; add them with 'stm networks join'")
    letters = _invitation_letters(document, settings, options, with_pdf=with_pdf)
    for person in found.chosen:
        had = before.latest.get(person.actor_id)
        if had is not None and had >= sequence:
            plan.already.append(person.name)
            continue
        kind = "update" if had is not None else "invitation"
        plan.outgoing.append(_outgoing(person, kind, letters, meeting, sequence, print_))
    return plan


def _next_sequence(before: log.Invited, print_: str) -> int:
    """0 for the first invitation; the same while nothing changed; else one more."""
    if before.sequence is None:
        return 0
    if before.fingerprint == print_:
        return before.sequence
    return before.sequence + 1


def _chosen_recipients(session: Session, meeting: Meeting, audience: Audience) -> list[int]:
    """The actors named (each must be reachable by mail), or the meeting's members."""
    from stm.services.meetings import event_of

    if not audience.to:
        day = event_of(session, meeting).start.date()
        return recipients.members_of(session, meeting, day, guests=audience.guests)
    chosen = recipients.named_actors(session, audience.to)
    unreachable = recipients.addresses(session, chosen).without_address
    if unreachable:
        raise Invalid(
            "to",
            f"{unreachable[0]} has no e-mail address (nor has their organisation); "
            "add one with 'stm actors edit … --email'",
        )
    return chosen


def _invitation_letters(
    document: dict[str, Any], settings: MailSettings, options: RenderOptions, *, with_pdf: bool
) -> _Letters:
    title = document["meeting"]["title"]
    pdf = (
        [Attachment(compose.pdf_name("Tagesordnung", title),
                    _bytes(render_document("agenda", document, "pdf", options)))]
        if with_pdf else []
    )  # fmt: skip
    data = {"meeting": document["meeting"], "items": document["items"]}
    texts = {kind: compose.bodies(kind, data, options) for kind in ("invitation", "update")}
    subjects = {
        kind: compose.subject(kind, options, title=title, start=document["meeting"]["start"])
        for kind in ("invitation", "update")
    }
    entry = calendar_entry(document, _agenda_lines(document))
    return _Letters(subjects, texts, pdf, entry, Party(settings.sender_name, settings.sender))


def _outgoing(
    person: recipients.Recipient, kind: str, letters: _Letters, meeting: Meeting,
    sequence: int, print_: str,
) -> Outgoing:  # fmt: skip
    calendar = meeting_calendar(
        letters.entry, letters.organiser, Party(person.name, person.address), sequence=sequence
    )
    return Outgoing(
        recipient=person,
        kind=kind,
        letter=compose.letter(
            person,
            letters.subjects[kind],
            letters.texts[kind],
            calendar=calendar,
            attachments=letters.attachments,
        ),
        meeting_id=meeting.id,
        sequence=sequence,
        batch=str(sequence),
        fingerprint=print_,
    )


def plan_cancel(
    session: Session, meeting: Meeting, settings: MailSettings, options: RenderOptions
) -> Plan:
    """METHOD:CANCEL, same UID, next SEQUENCE, to everyone who was invited."""
    from stm.services.meetings import agenda_document

    document = agenda_document(session, meeting)
    before = log.invited(session, meeting.id or 0)
    title = document["meeting"]["title"]
    plan = Plan(what=f"the cancellation of {title}")
    if before.sequence is None:
        return plan
    sequence = before.sequence + 1
    found = recipients.addresses(session, list(before.latest))
    plan.without_address, plan.withdrawn = found.without_address, found.withdrawn
    texts = compose.bodies("cancel", {"meeting": document["meeting"]}, options)
    line = compose.subject("cancel", options, title=title, start=document["meeting"]["start"])
    entry = calendar_entry(document, "")
    organiser = Party(settings.sender_name, settings.sender)
    for person in found.chosen:
        if person.actor_id in before.cancelled:
            plan.already.append(person.name)
            continue
        calendar = meeting_calendar(
            entry, organiser, Party(person.name, person.address), sequence=sequence,
            method="CANCEL",
        )  # fmt: skip
        plan.outgoing.append(
            Outgoing(
                recipient=person,
                kind="cancel",
                letter=compose.letter(person, line, texts, calendar=calendar, method="CANCEL"),
                meeting_id=meeting.id,
                sequence=sequence,
                batch=str(sequence),
                fingerprint=fingerprint(document),
            )
        )
    return plan


def mark_invited(session: Session, meeting: Meeting) -> None:
    """After invitations went out, a scheduled meeting is `invited`."""
    from stm.services.activity import log as activity
    from stm.vocab import MeetingState

    if meeting.state == MeetingState.scheduled.value:
        meeting.state = MeetingState.invited.value
        session.add(meeting)
    activity(session, "mail.invitation", "meeting", meeting.id, f"meeting #{meeting.id} invited")


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")
