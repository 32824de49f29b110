"""The demo register (SPEC §10), built from the files in `data/demo/`.

Each capability adds one step to `STEPS`: a function that fills its part of the register
and may write sample documents into the demo folder. Steps run in order, in one
transaction, so a step may use what earlier steps added.

The steps, in order: `actors` (districts, actors, networks), `events` (projects, then
events), `meetings` (meetings, minutes, tasks), `finance` (a
project's plan and bookings, the Verfügungsfonds), `concerns` (concerns, the newspaper),
`contacts` (the contact sheet). They share `dates` (days relative to today, the pinned
clock) and `documents` (the context and the files written); none imports another step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stm.demo.actors import demo_actors, demo_networks
from stm.demo.concerns import demo_concerns
from stm.demo.contacts import demo_contacts
from stm.demo.documents import DEMO_LETTERHEAD, DemoContext, DemoStep
from stm.demo.events import demo_events, demo_projects
from stm.demo.finance import demo_finance
from stm.demo.meetings import demo_meetings
from stm.services.activity import log

if TYPE_CHECKING:
    from sqlmodel import Session

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


__all__ = ["DEMO_LETTERHEAD", "STEPS", "DemoContext", "DemoStep", "build_demo"]
