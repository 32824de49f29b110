"""The monthly report's records (SPEC §7 keys), as plain typed dicts.

Key order is the JSON's: `stm report monthly --format json` writes them as built.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypedDict


class PeriodRecord(TypedDict):
    start: date
    end: date  # the month's last day


class _EventDate(TypedDict):
    """What the report knows of one date of an event."""

    id: int
    title: str
    kind: str | None
    start: datetime
    end: datetime | None
    all_day: bool
    location: str | None
    status: str
    expected: int | None
    attendance: int | None
    recurring: bool


class Dated(_EventDate):
    """One date of an event, as read before it is placed in districts."""

    meeting: bool


class EventRecord(_EventDate):
    districts: list[str]


class Votes(TypedDict):
    yes: int | None
    no: int | None
    abstain: int | None


class DecisionRecord(TypedDict):
    id: int
    meeting: str
    text: str
    result: str | None
    votes: Votes


class MeetingTask(TypedDict):
    id: int
    title: str
    owner: str | None
    due: date | None
    status: str


class MeetingRecord(TypedDict):
    id: int
    network: str
    district: str | None
    title: str
    number: int | None
    start: datetime
    location: str | None
    state: str
    present: int
    agenda_items: int
    decisions: list[DecisionRecord]
    tasks: list[MeetingTask]


class TaskCounts(TypedDict):
    open: int
    done: int


class OverdueTask(TypedDict):
    id: int
    title: str
    owner: str | None
    due: date | None


class ProjectRecord(TypedDict):
    id: int
    title: str
    status: str
    programme: str | None
    lead: str | None
    budget: Decimal | None
    start: date | None
    end: date | None
    districts: list[str]


class ProjectLists(TypedDict):
    active: list[ProjectRecord]
    started: list[ProjectRecord]
    finished: list[ProjectRecord]


class AddresseeCount(TypedDict):
    addressee: str
    count: int


class CategoryCount(TypedDict):
    category: str | None
    count: int


class DistrictConcerns(TypedDict):
    opened: int
    closed: int
    open: int


class ConcernRecord(TypedDict):
    id: int
    title: str
    district: str | None
    category: str | None
    status: str
    forwarded_to: str | None
    reported_on: date
    closed_on: date | None
    answer: str | None


class ConcernSummary(TypedDict):
    opened: int
    forwarded: int
    forwarded_to_kinds: list[AddresseeCount]
    resolved: int
    rejected: int
    open: int
    overdue: int
    median_days_to_answer: float | int | None
    by_category: list[CategoryCount]
    by_district: dict[str, DistrictConcerns]
    records: list[ConcernRecord]


class NewOrganisation(TypedDict):
    id: int
    name: str
    kind: str


class MembershipRecord(TypedDict):
    network: str
    actor: str | None  # None for a person: persons are counted, never named
    person: bool
    role: str | None
    since: date


class ActorSummary(TypedDict):
    total: int
    new: int
    new_organisations: list[NewOrganisation]
    new_persons: int
    memberships: list[MembershipRecord]
    not_reached: int


class IssueRecord(TypedDict):
    id: int
    publication: str
    label: str
    deadline: date | None
    publish_on: date | None
    print_run: int | None
    pages: int | None
    articles: int
    accepted: int


class Deadline(TypedDict):
    date: date
    kind: str  # paper_deadline, paper_publish, task, concern_follow_up
    title: str


class Outlook(TypedDict):
    month: str
    events: list[EventRecord]
    deadlines: list[Deadline]
    overdue_tasks: list[OverdueTask]
    consents_expiring: int


class DistrictRow(TypedDict):
    slug: str
    name: str
    events: int
    attendance: int
    meetings: int
    concerns_opened: int
    concerns_closed: int
    concerns_open: int
    projects_active: int


class MonthlyReport(TypedDict):
    month: str
    period: PeriodRecord
    districts: list[DistrictRow]
    events: list[EventRecord]
    attendance: int
    meetings: list[MeetingRecord]
    decisions: list[DecisionRecord]
    tasks_open: int
    tasks_done: int
    projects: ProjectLists
    concerns: ConcernSummary
    actors: ActorSummary
    newspaper: list[IssueRecord]
    finance: dict[str, Any]  # stm.services.finance.report_section
    outlook: Outlook
