"""Art. 15 DSGVO, the right of access: everything the register holds about a person."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import Session

from stm import clock
from stm.services import refs
from stm.services.privacy.persons import (
    iso,
    model_tables,
)


def person_export(session: Session, ref: str) -> dict[str, Any]:
    """Everything the register holds about an actor (Art. 15 DSGVO), as plain data."""
    from stm.services.actors import actor_detail

    actor = refs.actor(session, ref)
    assert actor.id is not None
    t = model_tables()
    connection = session.connection()

    def rows(statement: Any) -> list[dict[str, Any]]:
        return [
            {k: iso(v) if isinstance(v, date) else v for k, v in row.items()}
            for row in connection.execute(statement).mappings().all()
        ]

    detail: dict[str, Any] = dict(actor_detail(session, actor))
    detail.pop("people", None)
    detail.pop("networks", None)
    detail["erased"] = iso(actor.erased_at)
    detail["uid"] = actor.uid
    i = actor.id
    export: dict[str, Any] = {
        "generated": iso(clock.now()),
        "basis": "Art. 15 DSGVO",
        "actor": detail,
    }
    for name, statement in _meeting_statements(t, i).items():
        export[name] = rows(statement)
    for name, statement in _record_statements(t, i).items():
        export[name] = rows(statement)
    export["projects"] = _project_roles(connection, t, i)
    export["mail"] = rows(_mail_statement(t, i))
    export["log"] = rows(_log_statement(t, i))
    return export


def _mail_statement(t: dict[str, Any], i: int) -> Any:
    """What stm mailed to the person (the send log)."""
    sent = t["mail_sent"].c
    return (
        select(sent.sent_at, sent.kind, sent.address, sent.meeting_id.label("meeting"),
               sent.sequence, sent.message_id)
        .where(sent.actor_id == i)
        .order_by(sent.sent_at, sent.id)
    )  # fmt: skip


def _meeting_statements(t: dict[str, Any], i: int) -> dict[str, Any]:
    """The person's memberships, attendance, roles in meetings and TOPs they presented."""
    meeting, event, network = t["meeting"], t["event"], t["network"]
    return {
        "memberships": (
            select(network.c.slug.label("network"), network.c.name.label("network_name"),
                   t["membership"].c.role, t["membership"].c.voting, t["membership"].c.since,
                   t["membership"].c.until)
            .join(network, network.c.id == t["membership"].c.network_id)
            .where(t["membership"].c.actor_id == i).order_by(network.c.name)
        ),
        "attendance": (
            select(meeting.c.id.label("meeting"), network.c.slug.label("network"),
                   meeting.c.number, event.c.start.label("date"), t["attendance"].c.status)
            .join(meeting, meeting.c.id == t["attendance"].c.meeting_id)
            .join(network, network.c.id == meeting.c.network_id)
            .join(event, event.c.id == meeting.c.event_id)
            .where(t["attendance"].c.actor_id == i).order_by(event.c.start)
        ),
        "meeting_roles": (
            select(meeting.c.id.label("meeting"), network.c.slug.label("network"),
                   meeting.c.number, (meeting.c.chair_id == i).label("chair"),
                   (meeting.c.minutes_by_id == i).label("minutes"))
            .join(network, network.c.id == meeting.c.network_id)
            .where(or_(meeting.c.chair_id == i, meeting.c.minutes_by_id == i))
            .order_by(meeting.c.id)
        ),
        "agenda_items": (
            select(t["agenda_item"].c.id, t["agenda_item"].c.meeting_id.label("meeting"),
                   t["agenda_item"].c.title)
            .where(t["agenda_item"].c.presenter_id == i).order_by(t["agenda_item"].c.id)
        ),
    }  # fmt: skip


def _record_statements(t: dict[str, Any], i: int) -> dict[str, Any]:
    """Tasks they own, concerns they reported or received, their articles and events."""
    event = t["event"]
    return {
        "tasks": (
            select(t["task"].c.id, t["task"].c.title, t["task"].c.due, t["task"].c.status,
                   t["task"].c.meeting_id.label("meeting"), t["task"].c.done_on)
            .where(t["task"].c.owner_id == i).order_by(t["task"].c.id)
        ),
        "concerns": (
            select(t["concern"].c.id, t["concern"].c.title, t["concern"].c.status,
                   t["concern"].c.reported_on,
                   (t["concern"].c.reporter_id == i).label("reported_by_them"),
                   (t["concern"].c.forwarded_to_id == i).label("forwarded_to_them"))
            .where(or_(t["concern"].c.reporter_id == i, t["concern"].c.forwarded_to_id == i))
            .order_by(t["concern"].c.id)
        ),
        "articles": (
            select(t["article"].c.id, t["article"].c.title, t["article"].c.status,
                   t["publication"].c.name.label("publication"),
                   t["paper_issue"].c.label.label("issue"))
            .join(t["paper_issue"], t["paper_issue"].c.id == t["article"].c.issue_id)
            .join(t["publication"], t["publication"].c.id == t["paper_issue"].c.publication_id)
            .where(t["article"].c.author_id == i).order_by(t["article"].c.id)
        ),
        "events_organised": (
            select(event.c.id, event.c.title, event.c.start)
            .join(t["event_organiser"], t["event_organiser"].c.event_id == event.c.id)
            .where(t["event_organiser"].c.actor_id == i).order_by(event.c.start)
        ),
    }  # fmt: skip


def _log_statement(t: dict[str, Any], i: int) -> Any:
    """The log entries the person made, or that concern their record."""
    return (
        select(t["activity"].c.at, t["activity"].c.action, t["activity"].c.entity,
               t["activity"].c.entity_id, t["activity"].c.summary)
        .where(or_(t["activity"].c.actor_id == i,
                   (t["activity"].c.entity == "actor") & (t["activity"].c.entity_id == i)))
        .order_by(t["activity"].c.at, t["activity"].c.id)
    )  # fmt: skip


def _project_roles(connection: Any, t: dict[str, Any], actor_id: int) -> list[dict[str, Any]]:
    project, partner = t["project"], t["project_partner"]
    led = connection.execute(
        select(project.c.id, project.c.title).where(project.c.lead_id == actor_id)
    ).all()
    partnered = connection.execute(
        select(project.c.id, project.c.title, partner.c.role)
        .join(partner, partner.c.project_id == project.c.id)
        .where(partner.c.actor_id == actor_id)
    ).all()
    found = [{"id": r[0], "title": r[1], "role": "lead"} for r in led]
    found += [
        {"id": r[0], "title": r[1], "role": "partner", "partner_role": r[2]} for r in partnered
    ]
    return sorted(found, key=lambda r: (r["id"], r["role"]))
