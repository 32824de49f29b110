"""Persons with no activity and no renewed consent for years: candidates for erasure."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict

from sqlalchemy import func, select
from sqlmodel import Session, col
from sqlmodel import select as model_select

from stm import clock
from stm.errors import Invalid
from stm.models import Actor
from stm.services.privacy.persons import (
    iso,
    model_tables,
)
from stm.vocab import PERSON_KINDS


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class StalePerson(TypedDict):
    """`stm privacy stale --json`: a candidate for erasure, and why."""

    id: int
    name: str
    kind: str
    last_activity: str
    consent_given_on: str | None
    consent_expires_on: str | None
    reason: str  # "no activity" or "consent expired"
    archived: bool


def stale_persons(session: Session, years: int, consent_years: int = 3) -> list[StalePerson]:
    """Persons with no activity and no consent in the last `years` years, and persons
    whose consent to share has expired (after `consent_years`), oldest activity first."""
    from stm.services.privacy.consent import consent_start, expires_on

    if years < 1:
        raise Invalid("years", f"{years} is too small; give a whole number of years, e.g. 3")
    cutoff = _years_before(clock.today(), years)
    persons = session.exec(
        model_select(Actor).where(col(Actor.erased_at).is_(None), col(Actor.kind).in_(PERSON_KINDS))
    ).all()
    latest = _last_activity(session)
    stale: list[StalePerson] = []
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
                    "id": person.id or 0,  # stored rows have ids
                    "name": person.name,
                    "kind": person.kind,
                    "last_activity": last.isoformat(),
                    "consent_given_on": iso(consent),
                    "consent_expires_on": iso(ends),
                    "reason": "no activity" if inactive else "consent expired",
                    "archived": person.archived_at is not None,
                }
            )
    return sorted(stale, key=lambda r: (r["last_activity"], r["id"]))


def _last_activity(session: Session) -> dict[int, date]:
    """Per actor, the latest day of anything they took part in."""
    t = model_tables()
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
