"""Demo steps: the districts, the network's actors, and its bodies with their members."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stm import clock
from stm.demo.dates import demo_day, on_day
from stm.resources import load_data_toml
from stm.services import actors, networks
from stm.services.districts import seed_districts

if TYPE_CHECKING:
    from sqlmodel import Session

    from stm.demo.documents import DemoContext

#: When the demo office recorded its network: actors and bodies over a year ago, a few
#: newcomers last month (data/demo/actors.toml `added`), so reports show both.
NETWORK_SINCE = {"month": -14, "day": 1}


def demo_actors(session: Session, context: DemoContext) -> None:
    today = clock.today()
    seed_districts(session)
    entries = load_data_toml("demo", "actors.toml")["actor"]
    # Organisations first, so that persons can name theirs.
    for entry in sorted(entries, key=lambda e: "organisation" in e):
        values = {k: v for k, v in entry.items() if k not in ("consent", "added")}
        fields = actors.ActorFields(**values, consent=entry.get("consent"))
        with on_day(demo_day(entry.get("added", NETWORK_SINCE), today)):
            actors.add_actor(session, fields)
    context.counts["actors"] = len(entries)


def demo_networks(session: Session, context: DemoContext) -> None:
    today = clock.today()
    entries = load_data_toml("demo", "networks.toml")["network"]
    for entry in entries:
        members: list[dict[str, Any]] = entry.pop("members", [])
        with on_day(demo_day(NETWORK_SINCE, today)):
            networks.add_network(session, networks.NetworkFields(**entry))
        for member in members:
            since = demo_day(member.get("since", NETWORK_SINCE), today)
            with on_day(since):
                networks.join(
                    session,
                    entry["slug"],
                    [member["actor"]],
                    role=member.get("role", "member"),
                    voting=member.get("voting"),
                    since=since,
                )
    context.counts["networks"] = len(entries)
