"""Networks (Gremien) and member organisations (Institutionen) as OParl *Organization*s."""

from __future__ import annotations

from collections.abc import Sequence

from stm.models import Actor, Network
from stm.services.oparl.records import BODY, SCHEMA, Collector, day
from stm.vocab import ActorKind, NetworkKind


def add_networks(
    out: Collector, networks: Sequence[Network], memberships_of: dict[int, list[str]]
) -> None:
    url = out.url
    for network in networks:
        path = f"organization/network-{network.id}.json"
        out.add(path, {
            "type": f"{SCHEMA}Organization",
            "body": url(BODY),
            "name": network.name,
            "shortName": network.slug,
            "membership": memberships_of.get(network.id or 0, []),
            "meeting": url(f"organization/network-{network.id}/meetings.json"),
            "organizationType": "Gremium",
            "classification": NetworkKind(network.kind).label
            if network.kind in NetworkKind.values() else network.kind,
            "startDate": day(network.created_at.date()) if network.created_at else None,
        }, "organizations")  # fmt: skip
        out.lists[f"organization/network-{network.id}/meetings.json"] = []


def add_institutions(out: Collector, actors: dict[int, Actor], institutions: set[int]) -> None:
    url = out.url
    for actor_id in sorted(institutions):
        actor = actors[actor_id]
        out.add(f"organization/actor-{actor_id}.json", {
            "type": f"{SCHEMA}Organization",
            "body": url(BODY),
            "name": actor.name,
            "organizationType": "Institution",
            "classification": ActorKind(actor.kind).label
            if actor.kind in ActorKind.values() else actor.kind,
            "website": actor.website if actor.website and actor.website.startswith("http")
            else None,
        }, "organizations")  # fmt: skip
