"""The JSON records of the scripting contract (SPEC §7), as TypedDicts: a reference.

These describe what `--json` prints for the records SPEC §7 names, key for key, in the
order stm prints them. The services build their own records (their packages define their
TypedDicts); this module is the cross-check: tests/test_porcelain.py compares the golden
shapes of the demo's JSON (tests/golden/porcelain/) with these, so a key added, dropped or
retyped anywhere shows as a failing test, here and in the golden file both.

Conventions (SPEC §7): dates are `YYYY-MM-DD` strings, datetimes `YYYY-MM-DDTHH:MM`
(local), money a string such as `"1234.50"`; a missing value is `null` (None).

Nothing at run time imports this module; it holds types only.
"""

from __future__ import annotations

from typing import Any, TypedDict

Date = str  # YYYY-MM-DD
DateTime = str  # YYYY-MM-DDTHH:MM, local time
Month = str  # YYYY-MM
Amount = str  # "1234.50", exact


class Actor(TypedDict):
    """An actor as `stm actors list --json` prints it."""

    id: int
    kind: str
    name: str
    districts: list[str]  # slugs
    sectors: list[str]
    email: str | None
    phone: str | None
    organisation: str | None
    function: str | None
    website: str | None
    address: str | None
    archived: bool


class Consent(TypedDict):
    given_on: Date | None
    purpose: str | None
    share: bool


class ActorNetwork(TypedDict):
    slug: str
    name: str
    role: str
    since: Date | None
    until: Date | None


class ActorDetail(Actor):
    """`stm actors show --json`: the list record and the rest."""

    aliases: list[str]
    given_name: str | None
    family_name: str | None
    street: str | None
    postcode: str | None
    city: str | None
    notes: str | None
    consent: Consent | None
    created: DateTime
    updated: DateTime
    archived_on: Date | None
    networks: list[ActorNetwork]
    people: list[dict[str, Any]]


class Network(TypedDict):
    """A network as `stm networks list --json` prints it; `members` counts the current
    members."""

    id: int
    slug: str
    name: str
    kind: str
    level: str
    districts: list[str]
    members: int


class Membership(TypedDict):
    actor_id: int
    name: str
    kind: str
    role: str
    voting: bool
    since: Date | None
    until: Date | None


class NetworkDetail(Network):
    description: str | None
    memberships: list[Membership]


class Partner(TypedDict):
    id: int
    name: str
    role: str | None


class Project(TypedDict):
    id: int
    slug: str
    title: str
    status: str
    programme: str | None
    lead: str | None
    partners: list[Partner]
    start: Date | None
    end: Date | None
    budget: Amount | None
    districts: list[str]
    goals: list[str]


class Event(TypedDict):
    """An event, or one date of a repeating one (`occurrence` set), as listed."""

    id: int
    title: str
    kind: str
    start: DateTime
    end: DateTime | None
    all_day: bool
    districts: list[str]
    location: str | None
    status: str
    organisers: list[str]
    attendance: int | None
    expected: int | None
    project: str | None
    recurring: bool
    occurrence: Date | None
    rrule: str | None
    uid: str


class ProjectEvent(Event):
    repeats: str | None


class ProjectDetail(Project):
    description: str | None
    events: list[ProjectEvent]
    created: DateTime
    updated: DateTime


class Occurrence(TypedDict):
    occurrence: Date
    start: DateTime
    end: DateTime | None
    title: str
    location: str | None
    status: str
    attendance: int | None


class EventDetail(Event):
    repeats: str | None
    description: str | None
    until: DateTime | None
    created: DateTime
    updated: DateTime
    next: list[Occurrence]
    changes: list[Occurrence]


class Task(TypedDict):
    id: int
    title: str
    owner: str | None
    owner_id: int | None
    due: Date | None
    status: str
    meeting: int | None
    meeting_title: str | None
    network: str | None
    top: int | None  # the agenda item's position
    done_on: Date | None
    overdue: bool


class AgendaItem(TypedDict):
    position: int
    title: str
    presenter: str | None
    minutes: int | None
    kind: str
    start: DateTime | None


class Meeting(TypedDict):
    """A meeting, as `stm meetings list --json` and `show --json` print it."""

    id: int
    network: str  # slug
    number: int
    title: str
    start: DateTime
    end: DateTime | None
    location: str | None
    state: str
    chair: str | None
    minutes_by: str | None
    approved_at: DateTime | None
    event: int
    agenda: list[AgendaItem]
    tasks: list[Task]
    open_tasks: int


class Concern(TypedDict):
    id: int
    title: str
    district: str | None
    status: str
    forwarded_to: str | None
    reported_on: Date
    due: Date | None
    category: str | None
    forwarded_on: Date | None
    closed_on: Date | None
    overdue: bool


class ConcernStep(TypedDict):
    at: DateTime
    status: str
    note: str | None


class ConcernDetail(Concern):
    description: str | None
    reported_by: str | None
    anonymous: bool
    answer: str | None
    history: list[ConcernStep]


class ReportConcerns(TypedDict):
    opened: int
    forwarded: int
    forwarded_to_kinds: list[dict[str, Any]]
    resolved: int
    rejected: int
    open: int
    overdue: int
    median_days_to_answer: int | None
    by_category: list[dict[str, Any]]
    by_district: dict[str, dict[str, int]]
    records: list[dict[str, Any]]


class ReportActors(TypedDict):
    total: int
    new: int
    new_organisations: list[dict[str, Any]]
    new_persons: int
    memberships: list[dict[str, Any]]
    not_reached: int


class MonthlyReport(TypedDict):
    """`stm report monthly --format json`: the month's figures (nested lists of records
    are pinned by the golden file report-monthly.json)."""

    month: Month
    period: dict[str, Date]
    districts: list[dict[str, Any]]
    events: list[dict[str, Any]]
    attendance: int
    meetings: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    tasks_open: int
    tasks_done: int
    projects: dict[str, list[dict[str, Any]]]
    concerns: ReportConcerns
    actors: ReportActors
    newspaper: list[dict[str, Any]]
    finance: dict[str, Any]
    outlook: dict[str, Any]


#: The golden file of each record (tests/golden/porcelain/NAME.json) and its TypedDict.
GOLDEN_RECORDS: dict[str, type] = {
    "actors-list": Actor,
    "actors-list-all": Actor,
    "actors-show-person": ActorDetail,
    "actors-show-organisation": ActorDetail,
    "networks-list": Network,
    "networks-show": NetworkDetail,
    "projects-list": Project,
    "projects-show": ProjectDetail,
    "event-list": Event,
    "event-show": EventDetail,
    "event-show-repeating": EventDetail,
    "meetings-list": Meeting,
    "meetings-show-held": Meeting,
    "meetings-show-invited": Meeting,
    "tasks-list": Task,
    "concerns-list": Concern,
    "concerns-show": ConcernDetail,
    "report-monthly": MonthlyReport,
}
