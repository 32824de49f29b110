"""The office as the export's one *System* and one *Body* (name and contact from the letterhead)."""

from __future__ import annotations

from stm.services.oparl.records import BODY, SCHEMA, Collector


def add_system_and_body(out: Collector, letterhead: dict[str, str]) -> None:
    url = out.url
    name = letterhead.get("name") or "Stadtteilmanagement"
    contact = {"contactEmail": letterhead.get("email") or None}
    website = letterhead.get("website") or None
    if website and not website.startswith(("http://", "https://")):
        website = None
    out.add("system.json", {
        "type": f"{SCHEMA}System",
        "oparlVersion": SCHEMA,
        "body": url("bodies.json"),
        "name": name,
        "website": website,
        **contact,
    })  # fmt: skip
    out.add(BODY, {
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
