"""Data protection (DSGVO) for persons in the register.

- Consent: the day it was given, its purpose, and whether the person may appear with
  their own phone and e-mail on contact sheets (`consent_share`).
- Art. 15, right of access: `person_export` gathers everything the register holds about a
  person: the record, memberships, attendance, tasks, concerns, articles, event and
  project roles, and the log entries concerning them.
- Art. 17, right to erasure: `erase_person` anonymises the record in place. The name
  becomes "Gelöschte Person #id"; contact data, address, notes, function, organisation,
  districts, sectors and consent go; current memberships end. What others decided or
  counted stays (attendance counts, tasks, votes), now linked to the anonymous record.
  Erased persons are left out of every list, export, document and search.
- `stale_persons`: persons with no activity and no renewed consent for N years, as
  candidates for erasure.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlmodel import Session, SQLModel, col
from sqlmodel import select as model_select

from stm import clock
from stm.errors import Conflict, Invalid
from stm.models import Actor, ActorAlias, ActorDistrict, ActorSector, Membership
from stm.names import fold
from stm.parsing import parse_name
from stm.services import refs
from stm.services.activity import log
from stm.services.erasure import clear_traces_on_commit
from stm.vocab import PERSON_KINDS

ERASED_NAME = "Gelöschte Person #{id}"
MAX_PURPOSE = 300


def _person(session: Session, ref: str, what: str) -> Actor:
    actor = refs.actor(session, ref)
    if actor.kind not in PERSON_KINDS:
        raise Conflict(
            f"#{actor.id} {actor.name} is a {actor.kind}, not a person: {what} concerns persons "
            "(archive an organisation with 'stm actors archive')"
        )
    return actor


def _not_erased(actor: Actor) -> None:
    if actor.erased_at is not None:
        stamp = actor.erased_at.date().isoformat()
        raise Conflict(f"#{actor.id} was erased on {stamp}; nothing is left to change")


# ----------------------------------------------------------------------------- consent


def record_consent(
    session: Session, ref: str, *, given: date, purpose: str, share: bool | None = None
) -> Actor:
    """Record a person's consent; `share=None` keeps whether they appear on contact sheets."""
    actor = _person(session, ref, "consent")
    _not_erased(actor)
    if given > clock.today():
        raise Invalid("--given", f"{given.isoformat()} is in the future; give the day of consent")
    actor.consent_given_on = given
    actor.consent_purpose = parse_name(purpose, "--purpose", max_length=MAX_PURPOSE)
    if share is not None:
        actor.consent_share = share
    actor.updated_at = clock.now()
    session.add(actor)
    session.flush()
    shared = "may be shared" if actor.consent_share else "not shared"
    log(session, "privacy.consent", "actor", actor.id,
        f"consent of person #{actor.id} recorded ({given.isoformat()}, {shared})",
        actor_id=actor.id)  # fmt: skip
    return actor


def consent_record(actor: Actor) -> dict[str, Any]:
    return {
        "id": actor.id,
        "name": actor.name,
        "consent": {
            "given_on": _iso(actor.consent_given_on),
            "purpose": actor.consent_purpose,
            "share": actor.consent_share,
        },
    }


# ----------------------------------------------------------------------------- Art. 15


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def _tables() -> dict[str, Any]:
    from stm.models import load_all

    load_all()
    return dict(SQLModel.metadata.tables)


def person_export(session: Session, ref: str) -> dict[str, Any]:
    """Everything the register holds about an actor (Art. 15 DSGVO), as plain data."""
    from stm.services.actors import actor_detail

    actor = refs.actor(session, ref)
    assert actor.id is not None
    t = _tables()
    connection = session.connection()

    def rows(statement: Any) -> list[dict[str, Any]]:
        return [
            {k: _iso(v) if isinstance(v, date) else v for k, v in row.items()}
            for row in connection.execute(statement).mappings().all()
        ]

    detail = actor_detail(session, actor)
    detail.pop("people", None)
    detail.pop("networks", None)
    detail["erased"] = _iso(actor.erased_at)
    detail["uid"] = actor.uid
    i = actor.id
    meeting, event, network = t["meeting"], t["event"], t["network"]
    export: dict[str, Any] = {
        "generated": _iso(clock.now()),
        "basis": "Art. 15 DSGVO",
        "actor": detail,
        "memberships": rows(
            select(network.c.slug.label("network"), network.c.name.label("network_name"),
                   t["membership"].c.role, t["membership"].c.voting, t["membership"].c.since,
                   t["membership"].c.until)
            .join(network, network.c.id == t["membership"].c.network_id)
            .where(t["membership"].c.actor_id == i).order_by(network.c.name)
        ),
        "attendance": rows(
            select(meeting.c.id.label("meeting"), network.c.slug.label("network"),
                   meeting.c.number, event.c.start.label("date"), t["attendance"].c.status)
            .join(meeting, meeting.c.id == t["attendance"].c.meeting_id)
            .join(network, network.c.id == meeting.c.network_id)
            .join(event, event.c.id == meeting.c.event_id)
            .where(t["attendance"].c.actor_id == i).order_by(event.c.start)
        ),
        "meeting_roles": rows(
            select(meeting.c.id.label("meeting"), network.c.slug.label("network"),
                   meeting.c.number, (meeting.c.chair_id == i).label("chair"),
                   (meeting.c.minutes_by_id == i).label("minutes"))
            .join(network, network.c.id == meeting.c.network_id)
            .where(or_(meeting.c.chair_id == i, meeting.c.minutes_by_id == i))
            .order_by(meeting.c.id)
        ),
        "agenda_items": rows(
            select(t["agenda_item"].c.id, t["agenda_item"].c.meeting_id.label("meeting"),
                   t["agenda_item"].c.title)
            .where(t["agenda_item"].c.presenter_id == i).order_by(t["agenda_item"].c.id)
        ),
        "tasks": rows(
            select(t["task"].c.id, t["task"].c.title, t["task"].c.due, t["task"].c.status,
                   t["task"].c.meeting_id.label("meeting"), t["task"].c.done_on)
            .where(t["task"].c.owner_id == i).order_by(t["task"].c.id)
        ),
        "concerns": rows(
            select(t["concern"].c.id, t["concern"].c.title, t["concern"].c.status,
                   t["concern"].c.reported_on,
                   (t["concern"].c.reporter_id == i).label("reported_by_them"),
                   (t["concern"].c.forwarded_to_id == i).label("forwarded_to_them"))
            .where(or_(t["concern"].c.reporter_id == i, t["concern"].c.forwarded_to_id == i))
            .order_by(t["concern"].c.id)
        ),
        "articles": rows(
            select(t["article"].c.id, t["article"].c.title, t["article"].c.status,
                   t["publication"].c.name.label("publication"),
                   t["paper_issue"].c.label.label("issue"))
            .join(t["paper_issue"], t["paper_issue"].c.id == t["article"].c.issue_id)
            .join(t["publication"], t["publication"].c.id == t["paper_issue"].c.publication_id)
            .where(t["article"].c.author_id == i).order_by(t["article"].c.id)
        ),
        "events_organised": rows(
            select(event.c.id, event.c.title, event.c.start)
            .join(t["event_organiser"], t["event_organiser"].c.event_id == event.c.id)
            .where(t["event_organiser"].c.actor_id == i).order_by(event.c.start)
        ),
        "projects": _project_roles(connection, t, i),
        "mail": rows(
            select(t["mail_sent"].c.sent_at, t["mail_sent"].c.kind, t["mail_sent"].c.address,
                   t["mail_sent"].c.meeting_id.label("meeting"), t["mail_sent"].c.sequence,
                   t["mail_sent"].c.message_id)
            .where(t["mail_sent"].c.actor_id == i)
            .order_by(t["mail_sent"].c.sent_at, t["mail_sent"].c.id)
        ),
        "log": rows(
            select(t["activity"].c.at, t["activity"].c.action, t["activity"].c.entity,
                   t["activity"].c.entity_id, t["activity"].c.summary)
            .where(or_(t["activity"].c.actor_id == i,
                       (t["activity"].c.entity == "actor") & (t["activity"].c.entity_id == i)))
            .order_by(t["activity"].c.at, t["activity"].c.id)
        ),
    }  # fmt: skip
    return export


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


# ----------------------------------------------------------------------------- Art. 17


def erase_preview(session: Session, ref: str) -> Actor:
    """The person an erasure would anonymise (checked, nothing changed)."""
    actor = _person(session, ref, "erasure")
    _not_erased(actor)
    return actor


def erase_mentions(session: Session, actor: Actor) -> list[str]:
    """The free texts of other records that name the person (nothing is changed)."""
    from stm.services import erasure

    found = erasure.find_mentions(
        session.connection(), erasure.identity_of(actor), skip_actor=actor.id
    )
    return [mention.describe() for mention, _old, _new in found]


def erase_person(session: Session, ref: str, *, redact: bool = False) -> tuple[Actor, list[str]]:
    """Anonymise a person (Art. 17 DSGVO); returns the record and the texts naming them.

    Free texts written by others (a concern and its history, TOP notes, decisions, tasks,
    events, networks, projects, articles, the log) may still mention the person by full
    name, family name, e-mail or phone. They are listed; with `redact` each mention is
    replaced by "[gelöscht]" in the same transaction, and the list says what changed.
    """
    from stm.services import erasure

    actor = erase_preview(session, ref)
    assert actor.id is not None
    identity = erasure.identity_of(actor)
    old = [v for v in (actor.name, actor.email, actor.phone) if v]
    now = clock.now()
    actor.name = ERASED_NAME.format(id=actor.id)
    actor.key = fold(actor.name)
    for name in ("given_name", "family_name", "organisation_id", "function", "email", "phone",
                 "website", "street", "postcode", "city", "notes", "consent_given_on",
                 "consent_purpose", "uid"):  # fmt: skip
        setattr(actor, name, None)
    actor.consent_share = False
    actor.erased_at = now
    actor.updated_at = now
    session.add(actor)
    connection = session.connection()
    for link in (ActorDistrict, ActorSector, ActorAlias):
        table: Any = link.__table__  # type: ignore[union-attr]
        connection.execute(table.delete().where(table.c.actor_id == actor.id))
    memberships = Membership.__table__  # type: ignore[attr-defined]
    connection.execute(
        update(memberships)
        .where(memberships.c.actor_id == actor.id, memberships.c.until.is_(None))
        .values(until=now.date())
    )
    _scrub_log(connection, actor.id, old)
    session.flush()
    mentions = erasure.find_mentions(connection, identity, skip_actor=actor.id)
    if redact:
        erasure.redact(connection, mentions)
    erasure.record_erasure(session, actor, redact)
    clear_traces_on_commit(session, {m.table for m, _old, _new in mentions} | {"erasure"})
    log(session, "privacy.erase", "actor", actor.id,
        f"person #{actor.id} erased (Art. 17 DSGVO)", actor_id=actor.id)  # fmt: skip
    return actor, [m.describe() for m, _old, _new in mentions]


def _scrub_log(connection: Any, actor_id: int, old: list[str]) -> None:
    """Log entries should hold no personal data; replace any that slipped in."""
    table = _tables()["activity"]
    entries = connection.execute(
        select(table.c.id, table.c.summary).where(
            or_(table.c.actor_id == actor_id,
                (table.c.entity == "actor") & (table.c.entity_id == actor_id))
        )
    ).all()  # fmt: skip
    for entry_id, summary in entries:
        cleaned = summary or ""
        for value in old:
            cleaned = _replace_folded(cleaned, value, f"person #{actor_id}")
        if cleaned != summary:
            connection.execute(update(table).where(table.c.id == entry_id).values(summary=cleaned))


def _replace_folded(text: str, value: str, replacement: str) -> str:
    position = text.lower().find(value.lower())
    while position >= 0:
        text = text[:position] + replacement + text[position + len(value) :]
        position = text.lower().find(value.lower(), position + len(replacement))
    return text


# ----------------------------------------------------------------------------- stale


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def stale_persons(session: Session, years: int, consent_years: int = 3) -> list[dict[str, Any]]:
    """Persons with no activity and no consent in the last `years` years, and persons
    whose consent to share has expired (after `consent_years`), oldest activity first."""
    from stm.services.consent import consent_start, expires_on

    if years < 1:
        raise Invalid("--years", f"{years} is too small; give a whole number of years, e.g. 3")
    cutoff = _years_before(clock.today(), years)
    persons = session.exec(
        model_select(Actor).where(col(Actor.erased_at).is_(None), col(Actor.kind).in_(PERSON_KINDS))
    ).all()
    latest = _last_activity(session)
    stale = []
    for person in persons:
        seen = [person.created_at.date(), latest.get(person.id or 0)]
        last = max(d for d in seen if d is not None)
        consent = person.consent_given_on
        start = consent_start(consent, person.created_at.date())
        ends = expires_on(start, consent_years) if person.consent_share and start else None
        inactive = last < cutoff and (consent is None or consent < cutoff)
        expired = ends is not None and ends <= clock.today()
        if inactive or expired:
            stale.append(
                {
                    "id": person.id,
                    "name": person.name,
                    "kind": person.kind,
                    "last_activity": last.isoformat(),
                    "consent_given_on": _iso(consent),
                    "consent_expires_on": _iso(ends),
                    "reason": "no activity" if inactive else "consent expired",
                    "archived": person.archived_at is not None,
                }
            )
    return sorted(stale, key=lambda r: (r["last_activity"], r["id"]))


def _last_activity(session: Session) -> dict[int, date]:
    """Per actor, the latest day of anything they took part in."""
    t = _tables()
    connection = session.connection()
    meeting, event = t["meeting"], t["event"]
    queries = [
        select(t["activity"].c.actor_id, func.max(t["activity"].c.at))
        .group_by(t["activity"].c.actor_id),
        select(t["attendance"].c.actor_id, func.max(event.c.start))
        .join(meeting, meeting.c.id == t["attendance"].c.meeting_id)
        .join(event, event.c.id == meeting.c.event_id)
        .group_by(t["attendance"].c.actor_id),
        select(t["task"].c.owner_id, func.max(t["task"].c.created_at))
        .group_by(t["task"].c.owner_id),
        select(t["task"].c.owner_id, func.max(t["task"].c.done_on)).group_by(t["task"].c.owner_id),
        select(t["membership"].c.actor_id, func.max(t["membership"].c.since))
        .group_by(t["membership"].c.actor_id),
        select(t["membership"].c.actor_id, func.max(t["membership"].c.until))
        .group_by(t["membership"].c.actor_id),
        select(t["concern"].c.reporter_id, func.max(t["concern"].c.reported_on))
        .group_by(t["concern"].c.reporter_id),
        select(t["article"].c.author_id, func.max(t["article"].c.created_at))
        .group_by(t["article"].c.author_id),
        select(t["event_organiser"].c.actor_id, func.max(event.c.start))
        .join(event, event.c.id == t["event_organiser"].c.event_id)
        .group_by(t["event_organiser"].c.actor_id),
    ]  # fmt: skip
    latest: dict[int, date] = {}
    for query in queries:
        for actor_id, moment in connection.execute(query).all():
            if actor_id is None or moment is None:
                continue
            day = _as_date(moment)
            if day and day > latest.get(actor_id, date.min):
                latest[actor_id] = day
    return latest


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:  # SQLite returns MAX() of dates as text
        return date.fromisoformat(value[:10])
    return None
