"""The demo register (SPEC §10), built from the files in `data/demo/`.

Each capability adds one step to `STEPS`: a function that fills its part of the register
and may write sample documents into the demo folder. Steps run in order, in one
transaction, so a step may use what earlier steps added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from stm import clock
from stm.private_files import write_private
from stm.render import RenderOptions
from stm.resources import load_data_toml
from stm.services import actors, networks
from stm.services.activity import log
from stm.services.demo_concerns import demo_concerns
from stm.services.demo_contacts import demo_contacts
from stm.services.demo_dates import demo_day, on_day
from stm.services.demo_events import demo_events, demo_projects
from stm.services.demo_finance import demo_finance
from stm.services.demo_meetings import demo_meetings
from stm.services.districts import seed_districts


@dataclass
class DemoContext:
    folder: Path
    letterhead: dict[str, str]
    documents: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    config: Any = None  # stm.config.Config of the demo folder

    def render_options(self) -> RenderOptions:
        if self.config is not None:
            return RenderOptions.from_config(self.config)
        return RenderOptions(lang="de", letterhead=dict(self.letterhead))

    def write_documents(
        self,
        stem: str,
        render: Callable[[str], str | bytes],
        formats: tuple[str, ...] = ("md", "html", "pdf"),
    ) -> None:
        """Write `stem.md`, `stem.html`, `stem.pdf` (as rendered by `render(format)`)."""
        for format in formats:
            content = render(format)
            path = self.folder / f"{stem}.{format}"
            write_private(path, content)
            self.documents.append(path)


DemoStep = Callable[[Session, DemoContext], None]

DEMO_LETTERHEAD = {
    "name": "Stadtteilmanagement Groß Klein und Schmarl",
    "traeger": "Hanse- und Universitätsstadt Rostock, Amt für Stadtentwicklung",
    "address": "Musterweg 1, 18109 Rostock",
    "phone": "0381 0000 110",
    "email": "stadtteilmanagement@rostock.example",
    "website": "",
}


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


STEPS: list[DemoStep] = [
    demo_actors,
    demo_networks,
    demo_projects,
    demo_events,
    demo_meetings,
    demo_finance,
    demo_concerns,
    demo_contacts,
]


def build_demo(session: Session, context: DemoContext) -> DemoContext:
    for step in STEPS:
        step(session, context)
    log(session, "demo.build", "register", None, "demo register built from data/demo")
    return context
