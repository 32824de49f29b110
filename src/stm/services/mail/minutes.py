"""The minutes by mail: after approval to members and attendees; a draft before it.

A draft says "Entwurf" in the subject, the letter and the document (the minutes of a
meeting not yet approved are marked as a draft). Each person gets the approved minutes
once, and a draft once: a rerun sends only to those who have not got it.
"""

from __future__ import annotations

from sqlmodel import Session

from stm.errors import Conflict
from stm.models import Meeting
from stm.render import RenderOptions, render_document
from stm.services.mail import compose, log, recipients
from stm.services.mail.messages import Attachment
from stm.services.mail.sending import Outgoing, Plan
from stm.vocab import MeetingState


def plan_minutes(
    session: Session, meeting: Meeting, options: RenderOptions, *, draft: bool = False
) -> Plan:
    from stm.services.meetings import event_of, minutes_document

    approved = meeting.state == MeetingState.approved.value
    if draft and approved:
        raise Conflict(
            f"the minutes of meeting #{meeting.id} are approved; send them without --draft"
        )
    if not draft and not approved:
        raise Conflict(
            f"the minutes of meeting #{meeting.id} are not approved yet; approve them with "
            "'stm minutes approve' or send a draft with --draft"
        )
    kind = "draft" if draft else "minutes"
    document = minutes_document(session, meeting)
    header = document["meeting"]
    day = event_of(session, meeting).start.date()
    audience = [
        *recipients.members_of(session, meeting, day),
        *recipients.attendees_of(session, meeting),
    ]
    found = recipients.addresses(session, audience)
    plan = Plan(what=f"the {'draft ' if draft else ''}minutes of {header['title']}",
                without_address=found.without_address, withdrawn=found.withdrawn)  # fmt: skip
    done = log.already_sent(session, [kind], meeting.id, "")
    pending = [p for p in found.chosen if p.actor_id not in done]
    plan.already = [p.name for p in found.chosen if p.actor_id in done]
    if not pending:
        return plan
    stem = "Protokoll-Entwurf" if draft else "Protokoll"
    content = render_document("minutes", document, "pdf", options)
    pdf = Attachment(
        compose.pdf_name(stem, header["title"]),
        content if isinstance(content, bytes) else content.encode("utf-8"),
    )
    texts = compose.bodies(kind, {"meeting": header}, options)
    line = compose.subject(kind, options, title=header["title"], start=header["start"])
    for person in pending:
        plan.outgoing.append(
            Outgoing(
                recipient=person,
                kind=kind,
                letter=compose.letter(person, line, texts, attachments=[pdf]),
                meeting_id=meeting.id,
            )
        )
    return plan
