"""The office's bodies and sittings as OParl 1.1 objects (plain dicts, JSON-ready).

What goes where:

- the office is one *System* with one *Body* (name and contact from the letterhead);
- each network (Gremium) is an *Organization* (`organizationType` "Gremium"); each
  organisation that is a member is one too ("Institution"), named in the membership's
  `onBehalfOf`;
- a person is a *Person* only while their consent to be shared holds; their
  memberships then name them, otherwise a membership names only the organisation they
  come from (and is left out when they have none): no person without consent appears;
- meetings are *Meeting*s with their public agenda items (*AgendaItem*: number, name,
  result and resolution text from the decisions), the event's place as a *Location*, the
  invitation (Tagesordnung) and, once held, the minutes as *File*s (HTML documents
  written next to the JSON, without the non-public TOPs).

Ids are URLs under the base URL that end in `.json` and match the file written, so the
folder can be served as it is; lists (`body/1/meetings.json`, …) are OParl external lists
on one page. Nothing here depends on the time of the export: the same register gives the
same files.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from stm import clock
from stm.models import Actor, Decision, Event, Meeting, Membership, Network
from stm.names import slugify
from stm.vocab import PERSON_KINDS, ActorKind, MeetingState, MemberRole, NetworkKind

SCHEMA = "https://schema.oparl.org/1.1/"
DEFAULT_BASE_URL = "http://localhost:8000/oparl"
HTML = "text/html"


@dataclass
class OparlOptions:
    base_url: str = DEFAULT_BASE_URL
    networks: Sequence[str] = ()
    consent_years: int = 3
    letterhead: dict[str, str] = field(default_factory=dict)


@dataclass
class Export:
    """What to write: JSON objects by their path under the base URL, and documents."""

    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)  # path -> HTML text


def check_base_url(value: str) -> str:
    from urllib.parse import urlsplit

    from stm.errors import Invalid

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise Invalid(
            "base_url", f"{value!r} is not an http(s) URL; e.g. https://stm.example.org/oparl"
        )
    return value.rstrip("/")


class _Urls:
    def __init__(self, base: str) -> None:
        self.base = base

    def __call__(self, path: str) -> str:
        return f"{self.base}/{path}"


def _stamp(value: datetime | None) -> str | None:
    """A local wall-clock time as an OParl date-time with the office's UTC offset."""
    if value is None:
        return None
    from zoneinfo import ZoneInfo

    return value.replace(tzinfo=ZoneInfo(clock.timezone())).isoformat(timespec="seconds")


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    """Leave out fields without a value (OParl: a missing field, not null)."""
    return {k: v for k, v in record.items() if v is not None and v != ""}


def _shown_person(actor: Actor, today: date, years: int) -> bool:
    from stm.services.privacy import consent_holds

    created = actor.created_at.date() if actor.created_at else None
    return consent_holds(actor.consent_share, actor.consent_given_on, created, today, years)


def build_export(session: Session, options: OparlOptions, render: Any) -> Export:
    """Every object of the export. `render(stem, data)` makes a document's HTML."""
    from stm.services import refs

    url = _Urls(check_base_url(options.base_url))
    chosen = [refs.network(session, ref) for ref in options.networks]
    networks = chosen or list(session.exec(select(Network).order_by(col(Network.id))).all())
    today = clock.today()
    export = Export()
    body = "body/1.json"
    actors = _actors(session)
    persons = {
        actor_id for actor_id, a in actors.items()
        if a.kind in PERSON_KINDS and _shown_person(a, today, options.consent_years)
    }  # fmt: skip
    lists: dict[str, list[dict[str, Any]]] = defaultdict(list)
    redact = _redactor(session, persons)

    def add(path: str, record: dict[str, Any], *lists_of: str) -> dict[str, Any]:
        record = _compact({"id": url(path), **record})
        export.objects[path] = record
        for name in lists_of:
            lists[name].append(record)
        return record

    members = _memberships(session, [n.id for n in networks if n.id])
    memberships_of: dict[int, list[str]] = defaultdict(list)
    person_memberships: dict[int, list[dict[str, Any]]] = defaultdict(list)
    institutions: set[int] = set()
    for m in members:
        actor = actors.get(m.actor_id)
        if actor is None:
            continue
        person = actor.id if actor.id in persons else None
        if actor.kind in PERSON_KINDS:
            behalf = actor.organisation_id if actor.organisation_id in actors else None
            if behalf is not None and actors[behalf].kind in PERSON_KINDS:
                behalf = None
        else:
            behalf = actor.id
        if person is None and behalf is None:
            continue  # a person without consent and without an organisation
        if behalf is not None:
            institutions.add(behalf)
        path = f"membership/{m.id}.json"
        record = add(path, {
            "type": f"{SCHEMA}Membership",
            "person": url(f"person/{person}.json") if person else None,
            "organization": url(f"organization/network-{m.network_id}.json"),
            "role": MemberRole(m.role).label if m.role in MemberRole.values() else m.role,
            "votingRight": bool(m.voting),
            "startDate": _day(m.since),
            "endDate": _day(m.until),
            "onBehalfOf": url(f"organization/actor-{behalf}.json") if behalf else None,
        }, "memberships")  # fmt: skip
        memberships_of[m.network_id].append(record["id"])
        if person:
            person_memberships[person].append(record)

    meetings = _meetings(session, [n.id for n in networks if n.id])
    for network in networks:
        path = f"organization/network-{network.id}.json"
        add(path, {
            "type": f"{SCHEMA}Organization",
            "body": url(body),
            "name": network.name,
            "shortName": network.slug,
            "membership": memberships_of.get(network.id or 0, []),
            "meeting": url(f"organization/network-{network.id}/meetings.json"),
            "organizationType": "Gremium",
            "classification": NetworkKind(network.kind).label
            if network.kind in NetworkKind.values() else network.kind,
            "startDate": _day(network.created_at.date()) if network.created_at else None,
        }, "organizations")  # fmt: skip
        lists[f"organization/network-{network.id}/meetings.json"] = []
    for actor_id in sorted(institutions):
        actor = actors[actor_id]
        add(f"organization/actor-{actor_id}.json", {
            "type": f"{SCHEMA}Organization",
            "body": url(body),
            "name": actor.name,
            "organizationType": "Institution",
            "classification": ActorKind(actor.kind).label
            if actor.kind in ActorKind.values() else actor.kind,
            "website": actor.website if actor.website and actor.website.startswith("http")
            else None,
        }, "organizations")  # fmt: skip

    participants = _participants(session, [m.id for m, _e in meetings if m.id])
    shown = {p for p in persons if p in person_memberships} | {
        p for ids in participants.values() for p in ids if p in persons
    }
    for person_id in sorted(shown):
        actor = actors[person_id]
        add(f"person/{person_id}.json", {
            "type": f"{SCHEMA}Person",
            "body": url(body),
            "name": actor.name,
            "familyName": actor.family_name,
            "givenName": actor.given_name,
            "membership": person_memberships.get(person_id, []),
        }, "people")  # fmt: skip

    by_network = {n.id: n for n in networks}
    for meeting, event in meetings:
        _meeting(export, add, url, lists, meeting, event, by_network[meeting.network_id],
                 session, lambda stem, data: redact(render(stem, data)),
                 [p for p in participants.get(meeting.id or 0, []) if p in shown],
                 redact)  # fmt: skip

    _system_and_body(add, url, body, options.letterhead)
    for name in ("organizations", "people", "meetings", "papers", "agenda-items", "files",
                 "locations", "memberships"):  # fmt: skip
        lists.setdefault(name, [])
    for name, items in lists.items():
        path = name if name.endswith(".json") else f"body/1/{name}.json"
        export.objects[path] = {"data": items, "pagination": {"totalElements": len(items)},
                                "links": {}}  # fmt: skip
    export.objects["bodies.json"] = {
        "data": [export.objects[body]], "pagination": {"totalElements": 1}, "links": {},
    }  # fmt: skip
    return export


def _system_and_body(add: Any, url: _Urls, body: str, letterhead: dict[str, str]) -> None:
    name = letterhead.get("name") or "Stadtteilmanagement"
    contact = {"contactEmail": letterhead.get("email") or None}
    website = letterhead.get("website") or None
    if website and not website.startswith(("http://", "https://")):
        website = None
    add("system.json", {
        "type": f"{SCHEMA}System",
        "oparlVersion": SCHEMA,
        "body": url("bodies.json"),
        "name": name,
        "website": website,
        **contact,
    })  # fmt: skip
    add(body, {
        "type": f"{SCHEMA}Body",
        "system": url("system.json"),
        "name": name,
        "website": website,
        "organization": url("body/1/organizations.json"),
        "person": url("body/1/people.json"),
        "meeting": url("body/1/meetings.json"),
        "paper": url("body/1/papers.json"),
        "legislativeTerm": [],
        "agendaItem": url("body/1/agenda-items.json"),
        "file": url("body/1/files.json"),
        "locationList": url("body/1/locations.json"),
        "membership": url("body/1/memberships.json"),
        "classification": "Stadtteilmanagement",
        "contactName": letterhead.get("traeger") or None,
        **contact,
    })  # fmt: skip


def _redactor(session: Session, shown: set[int]) -> Any:
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


def _actors(session: Session) -> dict[int, Actor]:
    rows = session.exec(
        select(Actor).where(col(Actor.erased_at).is_(None), col(Actor.archived_at).is_(None))
    ).all()
    return {a.id: a for a in rows if a.id is not None}


def _memberships(session: Session, network_ids: list[int]) -> list[Membership]:
    return list(
        session.exec(
            select(Membership)
            .where(col(Membership.network_id).in_(network_ids))
            .order_by(col(Membership.id))
        ).all()
    )


def _meetings(session: Session, network_ids: list[int]) -> list[tuple[Meeting, Event]]:
    rows = session.exec(
        select(Meeting, Event)
        .where(col(Meeting.network_id).in_(network_ids), Meeting.event_id == Event.id)
        .order_by(col(Event.start), col(Meeting.id))
    ).all()
    return [(m, e) for m, e in rows]


def _participants(session: Session, meeting_ids: list[int]) -> dict[int, list[int]]:
    from stm.models import Attendance

    found: dict[int, list[int]] = defaultdict(list)
    for a in session.exec(
        select(Attendance)
        .where(col(Attendance.meeting_id).in_(meeting_ids), Attendance.status == "present")
        .order_by(col(Attendance.id))
    ).all():
        if a.actor_id is not None:
            found[a.meeting_id].append(a.actor_id)
    return found


def _location(
    add: Any, lists: dict[str, list[dict[str, Any]]], text: str | None, meeting_url: str
) -> dict[str, Any] | None:
    if not text:
        return None
    path = f"location/{slugify(text) or 'ort'}.json"
    known = next((loc for loc in lists["locations"] if loc["id"].endswith("/" + path)), None)
    if known is None:
        known = add(path, {"type": f"{SCHEMA}Location", "description": text,
                           "meetings": []}, "locations")  # fmt: skip
    known["meetings"].append(meeting_url)
    return known


def _meeting(
    export: Export, add: Any, url: _Urls, lists: dict[str, list[dict[str, Any]]],
    meeting: Meeting, event: Event, network: Network, session: Session, render: Any,
    participants: list[int], redact: Any,
) -> None:  # fmt: skip
    from stm.services import meetings as meeting_service

    path = f"meeting/{meeting.id}.json"
    meeting_url = url(path)
    title = meeting_service.title_of(network, meeting.number)
    agenda = meeting_service.agenda_document(session, meeting)
    items = meeting_service.agenda_items(session, meeting)
    public = [i for i in items if i.public]
    decisions = _decisions(session, meeting)
    starts = {entry["number"]: entry["start"] for entry in agenda["items"]}
    agenda_records = []
    for item in public:
        begins = starts.get(item.position)
        ends = begins + timedelta(minutes=item.minutes) if begins and item.minutes else None
        texts = decisions.get(item.id or 0, [])
        record = add(f"agenda-item/{item.id}.json", {
            "type": f"{SCHEMA}AgendaItem",
            "meeting": meeting_url,
            "number": str(item.position),
            "order": item.position,
            "name": redact(item.title),
            "public": True,
            "result": "; ".join(_result(d) for d in texts) or None,
            "resolutionText": redact("\n\n".join(_resolution(d) for d in texts)) or None,
            "start": _stamp(begins),
            "end": _stamp(ends),
        }, "agenda-items")  # fmt: skip
        agenda_records.append(record)
    stem = f"{meeting.number}-{network.slug}"
    invitation = _file(add, url, f"tagesordnung-{stem}.html", f"Einladung: {title}",
                       render("agenda", _public_agenda(agenda)), meeting_url,
                       event.start.date(), export)  # fmt: skip
    protocol = None
    if meeting.state in (MeetingState.held.value, MeetingState.approved.value):
        minutes = _public_minutes(meeting_service.minutes_document(session, meeting))
        protocol = _file(add, url, f"protokoll-{stem}.html", f"Protokoll: {title}",
                         render("minutes", minutes), meeting_url,
                         (meeting.approved_at or event.start).date(), export)  # fmt: skip
    location = _location(add, lists, event.location, meeting_url)
    record = add(path, {
        "type": f"{SCHEMA}Meeting",
        "name": title,
        "meetingState": MeetingState(meeting.state).label
        if meeting.state in MeetingState.values() else meeting.state,
        "cancelled": event.status == "cancelled",
        "start": _stamp(event.start),
        "end": _stamp(event.end),
        "location": location,
        "organization": [url(f"organization/network-{network.id}.json")],
        "participant": [url(f"person/{p}.json") for p in participants],
        "invitation": invitation,
        "resultsProtocol": protocol,
        "agendaItem": agenda_records,
        "created": _stamp(meeting.created_at),
    }, "meetings")  # fmt: skip
    lists[f"organization/network-{network.id}/meetings.json"].append(record)


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


def _public_agenda(document: dict[str, Any]) -> dict[str, Any]:
    return {**document, "items": [i for i in document["items"] if i.get("public", True)]}


def _public_minutes(document: dict[str, Any]) -> dict[str, Any]:
    """The minutes without their non-public TOPs (nor those TOPs' tasks)."""
    hidden = [i for i in document["items"] if not i.get("public", True)]
    hidden_tasks = [t for i in hidden for t in i["tasks"]]
    return {
        **document,
        "items": [i for i in document["items"] if i.get("public", True)],
        "tasks": [t for t in document["tasks"] if t not in hidden_tasks],
    }


def _file(
    add: Any, url: _Urls, name: str, title: str, html: str, meeting_url: str, day: date,
    export: Export,
) -> dict[str, Any]:  # fmt: skip
    data = html.encode("utf-8")
    document = f"files/{name}"
    export.documents[document] = html
    return add(f"file/{name.removesuffix('.html')}.json", {
        "type": f"{SCHEMA}File",
        "name": title,
        "fileName": name,
        "mimeType": HTML,
        "date": day.isoformat(),
        "size": len(data),
        "sha1Checksum": hashlib.sha1(data).hexdigest(),
        "accessUrl": url(document),
        "meeting": [meeting_url],
    }, "files")  # fmt: skip
