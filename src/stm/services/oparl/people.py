"""People, their consent, and their memberships as OParl *Person*s and *Membership*s.

A person is a *Person* only while their consent to be shared holds; their memberships
then name them, otherwise a membership names only the organisation they come from (and
is left out when they have none).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from stm.models import Actor, Membership
from stm.services.oparl.records import BODY, SCHEMA, Collector, day
from stm.vocab import PERSON_KINDS, MemberRole


@dataclass
class Memberships:
    """The memberships added: by network, by shown person, and the organisations named."""

    of_network: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    of_person: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    institutions: set[int] = field(default_factory=set)


def actors(session: Session) -> dict[int, Actor]:
    rows = session.exec(
        select(Actor).where(col(Actor.erased_at).is_(None), col(Actor.archived_at).is_(None))
    ).all()
    return {a.id: a for a in rows if a.id is not None}


def consenting_persons(found: dict[int, Actor], today: date, years: int) -> set[int]:
    """The persons whose consent to be shared holds today."""
    return {
        actor_id for actor_id, a in found.items()
        if a.kind in PERSON_KINDS and _shown_person(a, today, years)
    }  # fmt: skip


def _shown_person(actor: Actor, today: date, years: int) -> bool:
    from stm.services.privacy import consent_holds

    created = actor.created_at.date() if actor.created_at else None
    return consent_holds(actor.consent_share, actor.consent_given_on, created, today, years)


def redactor(session: Session, shown: set[int]) -> Any:
    """A function that replaces the name of every person without consent by "N. N."
    (in documents and free text: a presenter, a task's owner, a name in a decision)."""
    import re

    from markupsafe import escape

    names: set[str] = set()
    for person in session.exec(
        select(Actor).where(col(Actor.kind).in_(sorted(PERSON_KINDS)),
                            col(Actor.erased_at).is_(None))
    ).all():  # fmt: skip
        if person.id not in shown and person.name:
            names |= {person.name, str(escape(person.name))}
    if not names:
        return lambda text: text
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n))))

    def redact(text: str | None) -> Any:
        return pattern.sub("N. N.", text) if text else text

    return redact


def memberships(session: Session, network_ids: list[int]) -> list[Membership]:
    return list(
        session.exec(
            select(Membership)
            .where(col(Membership.network_id).in_(network_ids))
            .order_by(col(Membership.id))
        ).all()
    )


def add_memberships(
    out: Collector, members: list[Membership], found: dict[int, Actor], persons: set[int]
) -> Memberships:
    added = Memberships()
    for m in members:
        actor = found.get(m.actor_id)
        if actor is None:
            continue
        person = actor.id if actor.id in persons else None
        behalf = _on_behalf_of(actor, found)
        if person is None and behalf is None:
            continue  # a person without consent and without an organisation
        if behalf is not None:
            added.institutions.add(behalf)
        record = out.add(f"membership/{m.id}.json", {
            "type": f"{SCHEMA}Membership",
            "person": out.url(f"person/{person}.json") if person else None,
            "organization": out.url(f"organization/network-{m.network_id}.json"),
            "role": MemberRole(m.role).label if m.role in MemberRole.values() else m.role,
            "votingRight": bool(m.voting),
            "startDate": day(m.since),
            "endDate": day(m.until),
            "onBehalfOf": out.url(f"organization/actor-{behalf}.json") if behalf else None,
        }, "memberships")  # fmt: skip
        added.of_network[m.network_id].append(record["id"])
        if person:
            added.of_person[person].append(record)
    return added


def _on_behalf_of(actor: Actor, found: dict[int, Actor]) -> int | None:
    """The organisation a membership speaks for: a person's own, or the member itself."""
    if actor.kind not in PERSON_KINDS:
        return actor.id
    behalf = actor.organisation_id if actor.organisation_id in found else None
    if behalf is not None and found[behalf].kind in PERSON_KINDS:
        return None
    return behalf


def participants(session: Session, meeting_ids: list[int]) -> dict[int, list[int]]:
    from stm.models import Attendance

    present: dict[int, list[int]] = defaultdict(list)
    for a in session.exec(
        select(Attendance)
        .where(col(Attendance.meeting_id).in_(meeting_ids), Attendance.status == "present")
        .order_by(col(Attendance.id))
    ).all():
        if a.actor_id is not None:
            present[a.meeting_id].append(a.actor_id)
    return present


def add_people(
    out: Collector, found: dict[int, Actor], persons: set[int], added: Memberships,
    present: dict[int, list[int]],
) -> set[int]:  # fmt: skip
    """Add every consenting person who is a member or took part; returns their ids."""
    shown = {p for p in persons if p in added.of_person} | {
        p for ids in present.values() for p in ids if p in persons
    }
    for person_id in sorted(shown):
        actor = found[person_id]
        out.add(f"person/{person_id}.json", {
            "type": f"{SCHEMA}Person",
            "body": out.url(BODY),
            "name": actor.name,
            "familyName": actor.family_name,
            "givenName": actor.given_name,
            "membership": added.of_person.get(person_id, []),
        }, "people")  # fmt: skip
    return shown
