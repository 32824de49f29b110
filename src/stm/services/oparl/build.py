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
same files. One module per object kind: `system`, `bodies`, `people`, `meetings`, `files`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from stm import clock
from stm.models import Network
from stm.services.oparl import bodies, meetings, people
from stm.services.oparl.records import BODY, SCHEMA, Collector, Export, Urls
from stm.services.oparl.system import add_system_and_body

DEFAULT_BASE_URL = "http://localhost:8000/oparl"
BODY_LISTS = ("organizations", "people", "meetings", "papers", "agenda-items", "files",
              "locations", "memberships")  # fmt: skip


@dataclass
class OparlOptions:
    base_url: str = DEFAULT_BASE_URL
    networks: Sequence[str] = ()
    consent_years: int = 3
    letterhead: dict[str, str] = field(default_factory=dict)


def check_base_url(value: str) -> str:
    from urllib.parse import urlsplit

    from stm.errors import Invalid

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise Invalid(
            "base_url", f"{value!r} is not an http(s) URL; e.g. https://stm.example.org/oparl"
        )
    return value.rstrip("/")


def build_export(session: Session, options: OparlOptions, render: Any) -> Export:
    """Every object of the export. `render(stem, data)` makes a document's HTML."""
    out = Collector(Urls(check_base_url(options.base_url)))
    networks = _networks(session, options.networks)
    network_ids = [n.id for n in networks if n.id]
    actors = people.actors(session)
    persons = people.consenting_persons(actors, clock.today(), options.consent_years)
    redact = people.redactor(session, persons)
    added = people.add_memberships(out, people.memberships(session, network_ids), actors, persons)
    found = meetings.meetings(session, network_ids)
    bodies.add_networks(out, networks, added.of_network)
    bodies.add_institutions(out, actors, added.institutions)
    present = people.participants(session, [m.id for m, _e in found if m.id])
    shown = people.add_people(out, actors, persons, added, present)
    context = meetings.MeetingContext(
        out, session, lambda stem, data: redact(render(stem, data)), redact, present, shown
    )
    meetings.add_meetings(context, found, networks)
    add_system_and_body(out, options.letterhead)
    _add_lists(out)
    return out.export


def _networks(session: Session, refs_given: Sequence[str]) -> list[Network]:
    """The networks named, or all of them."""
    from stm.services import refs

    chosen = [refs.network(session, ref) for ref in refs_given]
    return chosen or list(session.exec(select(Network).order_by(col(Network.id))).all())


def _add_lists(out: Collector) -> None:
    """The OParl external lists (one page each) and the list of bodies."""
    export = out.export
    for name in BODY_LISTS:
        out.lists.setdefault(name, [])
    for name, items in out.lists.items():
        path = name if name.endswith(".json") else f"body/1/{name}.json"
        export.objects[path] = {"data": items, "pagination": {"totalElements": len(items)},
                                "links": {}}  # fmt: skip
    export.objects["bodies.json"] = {
        "data": [export.objects[BODY]], "pagination": {"totalElements": 1}, "links": {},
    }  # fmt: skip


__all__ = [
    "DEFAULT_BASE_URL",
    "SCHEMA",
    "Export",
    "OparlOptions",
    "build_export",
    "check_base_url",
]
