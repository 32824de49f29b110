"""The monthly report for the Träger, the city and funders (`stm report monthly`).

Everything is read as of the end of the month, from what the register records: events
held (recurring series expanded within the month), meetings with their decisions and
tasks, projects active/started/finished, residents' concerns with the median days to an
answer, new actors and memberships, newspaper issues, per district, and an outlook on
the next month. The result is plain data (SPEC §7 keys), rendered as JSON, Markdown,
HTML or PDF by the caller.

Built for cron: the same register gives the same bytes. Nothing here depends on the
time the report is made (no "generated at"), every list has a total order, and a
record's state is taken at the month's end (a task done later still counts as open).
"""

from __future__ import annotations

import calendar
import os
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select

from stm.models import (
    Actor,
    ActorDistrict,
    AgendaItem,
    Article,
    Attendance,
    Concern,
    ConcernHistory,
    Decision,
    District,
    Event,
    EventDistrict,
    EventOccurrence,
    Meeting,
    Membership,
    Network,
    PaperIssue,
    Project,
    ProjectDistrict,
    Publication,
    Task,
)
from stm.services import refs
from stm.vocab import PERSON_KINDS

CHUNK = 900
CLOSED = ("resolved", "rejected")


@dataclass(frozen=True)
class Period:
    """A calendar month: `start` is its first day, `end` the first day of the next."""

    start: date
    end: date

    @classmethod
    def of(cls, first: date) -> Period:
        first = first.replace(day=1)
        return cls(first, _next_month(first))

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(0, 0))

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end, time(0, 0))

    @property
    def label(self) -> str:
        return f"{self.start.year:04d}-{self.start.month:02d}"

    def next(self) -> Period:
        return Period.of(self.end)

    def holds(self, day: date | None) -> bool:
        return day is not None and self.start <= day < self.end


def _next_month(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


@dataclass
class Scope:
    """The districts a report covers; `ids` is None for the whole register."""

    districts: list[District]
    ids: set[int] | None

    def covers(self, district_ids: Iterable[int]) -> bool:
        return self.ids is None or bool(self.ids & set(district_ids))


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _in(session: Session, statement_for: Any, ids: Iterable[int]) -> list[Any]:
    """Rows of `statement_for(chunk)` for ids in chunks (SQLite's parameter limit)."""
    rows: list[Any] = []
    for chunk in _chunks(sorted(set(ids))):
        rows += session.exec(statement_for(chunk)).all()
    return rows


def _names(session: Session, ids: Iterable[int | None]) -> dict[int, Actor]:
    wanted = {i for i in ids if i}
    return {
        a.id: a for a in _in(session, lambda c: select(Actor).where(col(Actor.id).in_(c)), wanted)
    }


def _display(actor: Actor | None) -> str | None:
    if actor is None or actor.erased_at is not None:
        return None
    return actor.name


# ----------------------------------------------------------------------------- the report


def monthly_report(session: Session, month: date, districts: Sequence[str] = ()) -> dict[str, Any]:
    """The report of `month` (any day in it), limited to `districts` when given."""
    period = Period.of(month)
    every = list(
        session.exec(select(District).order_by(col(District.city), col(District.name))).all()
    )
    chosen = refs.districts(session, districts) if districts else every
    chosen_ids = {d.id for d in chosen if d.id is not None}
    scope = Scope([d for d in every if d.id in chosen_ids], chosen_ids if districts else None)
    slugs = {d.id: d.slug for d in every}

    events = held_events(session, period, scope, slugs)
    meetings = month_meetings(session, period, scope, slugs)
    decisions = [d for m in meetings for d in m["decisions"]]
    tasks = task_counts(session, period, scope)
    projects = project_lists(session, period, scope, slugs)
    concerns = concern_summary(session, period, scope, slugs)
    actors = actor_summary(session, period, scope)
    newspaper = newspaper_issues(session, period, scope)
    outlook = outlook_for(session, period, scope, slugs)
    return {
        "month": period.label,
        "period": {"start": period.start, "end": period.end - timedelta(days=1)},
        "districts": district_rows(scope, events, meetings, concerns, projects),
        "events": events,
        "attendance": sum(e["attendance"] or 0 for e in events),
        "meetings": meetings,
        "decisions": decisions,
        "tasks_open": tasks["open"],
        "tasks_done": tasks["done"],
        "projects": projects,
        "concerns": concerns,
        "actors": actors,
        "newspaper": newspaper,
        "outlook": outlook,
    }


# ----------------------------------------------------------------------------- events


def _not_a_meeting() -> Any:
    return col(Event.id).not_in(select(Meeting.event_id))


def occurrences(
    session: Session, period: Period, *, include_meetings: bool = False
) -> list[dict[str, Any]]:
    """Every event start within the period: single events and recurring series expanded,
    with changed or cancelled occurrences (EventOccurrence) applied."""
    from stm.services.recurrence import starts_between

    lower, upper = period.start_at, period.end_at
    single = select(Event).where(
        col(Event.rrule).is_(None), col(Event.start) >= lower, col(Event.start) < upper
    )
    series = select(Event).where(
        col(Event.rrule).is_not(None),
        col(Event.start) < upper,
        or_(col(Event.until).is_(None), col(Event.until) >= lower),
    )
    if not include_meetings:
        single, series = single.where(_not_a_meeting()), series.where(_not_a_meeting())
    found: list[dict[str, Any]] = [
        _occurrence(e, e.start, None) for e in session.exec(single).all()
    ]
    recurring = list(session.exec(series).all())
    changes: dict[tuple[int, datetime], EventOccurrence] = {}
    for change in _in(
        session,
        lambda c: select(EventOccurrence).where(col(EventOccurrence.event_id).in_(c)),
        [e.id for e in recurring if e.id is not None],
    ):
        changes[(change.event_id, change.recurrence_id)] = change
    for event in recurring:
        assert event.rrule is not None and event.id is not None
        for start in starts_between(event.rrule, event.start, event.until, lower, upper):
            found.append(_occurrence(event, start, changes.get((event.id, start))))
    found.sort(key=lambda o: (o["start"], o["id"]))
    return found


def _occurrence(event: Event, start: datetime, change: EventOccurrence | None) -> dict[str, Any]:
    length = (event.end - event.start) if event.end else None
    record = {
        "id": event.id,
        "title": event.title,
        "kind": event.kind,
        "start": start,
        "end": start + length if length is not None else None,
        "all_day": event.all_day,
        "location": event.location,
        "status": event.status,
        "expected": event.expected,
        "attendance": event.attendance if event.rrule is None else None,
        "recurring": event.rrule is not None,
    }
    if change is not None:
        record["status"] = change.status or record["status"]
        record["start"] = change.start or start
        if change.end is not None:
            record["end"] = change.end
        record["title"] = change.title or record["title"]
        record["location"] = change.location or record["location"]
        record["attendance"] = change.attendance
    if event.status == "cancelled":
        record["status"] = "cancelled"
    return record


def _event_districts(session: Session, event_ids: Iterable[int]) -> dict[int, list[int]]:
    links: dict[int, list[int]] = defaultdict(list)
    for event_id, district_id in _in(
        session,
        lambda c: select(EventDistrict.event_id, EventDistrict.district_id).where(
            col(EventDistrict.event_id).in_(c)
        ),
        event_ids,
    ):
        links[event_id].append(district_id)
    return links


def held_events(
    session: Session, period: Period, scope: Scope, slugs: dict[int | None, str]
) -> list[dict[str, Any]]:
    """Events that took place in the month (not cancelled), with their attendance."""
    found = [o for o in occurrences(session, period) if o["status"] != "cancelled"]
    links = _event_districts(session, {o["id"] for o in found})
    held = []
    for item in found:
        district_ids = links.get(item["id"], [])
        if not scope.covers(district_ids):
            continue
        item["districts"] = sorted(slugs[d] for d in district_ids)
        held.append(item)
    return held


# ----------------------------------------------------------------------------- meetings


def month_meetings(
    session: Session, period: Period, scope: Scope, slugs: dict[int | None, str]
) -> list[dict[str, Any]]:
    """Meetings held in the month, each with its decisions and the tasks it gave."""
    rows = session.exec(
        select(Meeting, Event, Network)
        .join(Event, col(Event.id) == Meeting.event_id)
        .join(Network, col(Network.id) == Meeting.network_id)
        .where(
            col(Event.start) >= period.start_at,
            col(Event.start) < period.end_at,
            col(Event.status) != "cancelled",
        )
        .order_by(col(Event.start), col(Meeting.id))
    ).all()
    rows = [r for r in rows if scope.ids is None or r[2].district_id in scope.ids]
    ids = [m.id for m, _e, _n in rows if m.id is not None]
    decisions: dict[int, list[Decision]] = defaultdict(list)
    for decision in _in(
        session, lambda c: select(Decision).where(col(Decision.meeting_id).in_(c)), ids
    ):
        decisions[decision.meeting_id].append(decision)
    tasks: dict[int, list[Task]] = defaultdict(list)
    for task in _in(session, lambda c: select(Task).where(col(Task.meeting_id).in_(c)), ids):
        assert task.meeting_id is not None
        tasks[task.meeting_id].append(task)
    present = Counter(
        meeting_id
        for meeting_id in _in(
            session,
            lambda c: select(Attendance.meeting_id).where(
                col(Attendance.meeting_id).in_(c), Attendance.status == "present"
            ),
            ids,
        )
    )
    tops = Counter(
        meeting_id
        for meeting_id in _in(
            session,
            lambda c: select(AgendaItem.meeting_id).where(col(AgendaItem.meeting_id).in_(c)),
            ids,
        )
    )
    owners = _names(session, (t.owner_id for items in tasks.values() for t in items))
    meetings = []
    for meeting, event, network in rows:
        assert meeting.id is not None
        title = f"{meeting.number}. {network.name}"
        meetings.append(
            {
                "id": meeting.id,
                "network": network.slug,
                "district": slugs.get(network.district_id) if network.district_id else None,
                "title": title,
                "number": meeting.number,
                "start": event.start,
                "location": event.location,
                "state": meeting.state,
                "present": present.get(meeting.id, 0),
                "agenda_items": tops.get(meeting.id, 0),
                "decisions": [
                    {
                        "id": d.id,
                        "meeting": title,
                        "text": d.text,
                        "result": d.result,
                        "votes": {"yes": d.votes_yes, "no": d.votes_no, "abstain": d.votes_abstain},
                    }
                    for d in sorted(decisions.get(meeting.id, []), key=lambda d: d.id or 0)
                ],
                "tasks": [
                    {
                        "id": t.id,
                        "title": t.title,
                        "owner": _display(owners.get(t.owner_id or 0)),
                        "due": t.due,
                        "status": _task_status_at(t, period.end),
                    }
                    for t in sorted(tasks.get(meeting.id, []), key=lambda t: t.id or 0)
                ],
            }
        )
    return meetings


def _task_status_at(task: Task, day: date) -> str:
    """A task's status at the start of `day`: done later means open then."""
    if task.status == "done" and (task.done_on is None or task.done_on < day):
        return "done"
    return "open"


def _task_since() -> Any:
    """When a task came to be: its meeting's day, or when it was recorded if earlier
    (minutes are often typed in days after the meeting)."""
    return case(
        (col(Event.start) < col(Task.created_at), col(Event.start)), else_=col(Task.created_at)
    )


def _scoped_tasks(session: Session, scope: Scope, *columns: Any) -> Any:
    """Tasks (or `columns` of them) with their meeting's event joined, within the scope;
    tasks outside any meeting belong to no district and only count without a scope."""
    statement = (
        (select(*columns) if columns else select(Task))
        .outerjoin(Meeting, col(Meeting.id) == Task.meeting_id)
        .outerjoin(Event, col(Event.id) == Meeting.event_id)
    )
    if scope.ids is not None:
        statement = statement.join(Network, col(Network.id) == Meeting.network_id).where(
            col(Network.district_id).in_(scope.ids)
        )
    return statement


def task_counts(session: Session, period: Period, scope: Scope) -> dict[str, int]:
    """Tasks done in the month, and tasks open at its end."""
    base = _scoped_tasks(
        session, scope, col(Task.status), col(Task.done_on), _task_since().label("since")
    ).subquery()
    done = session.exec(
        select(func.count())
        .select_from(base)
        .where(base.c.done_on >= period.start, base.c.done_on < period.end)
    ).one()
    still_open = session.exec(
        select(func.count())
        .select_from(base)
        .where(
            base.c.since < period.end_at,
            or_(base.c.status == "open", base.c.done_on >= period.end),
        )
    ).one()
    return {"open": int(still_open), "done": int(done)}


def overdue_tasks(session: Session, period: Period, scope: Scope) -> list[dict[str, Any]]:
    """Tasks open at the month's end whose due date had passed by then."""
    statement = _scoped_tasks(session, scope).where(
        col(Task.due) < period.end,
        _task_since() < period.end_at,
        or_(col(Task.status) == "open", col(Task.done_on) >= period.end),
    )
    tasks = sorted(session.exec(statement).all(), key=lambda t: (t.due or period.end, t.id or 0))
    owners = _names(session, (t.owner_id for t in tasks))
    return [
        {"id": t.id, "title": t.title, "owner": _display(owners.get(t.owner_id or 0)), "due": t.due}
        for t in tasks
    ]


# ----------------------------------------------------------------------------- projects


def project_lists(
    session: Session, period: Period, scope: Scope, slugs: dict[int | None, str]
) -> dict[str, list[dict[str, Any]]]:
    """Projects active in the month, those that started and those that finished in it."""
    candidates = session.exec(
        select(Project)
        .where(
            col(Project.status).not_in(("idea", "cancelled")),
            or_(col(Project.start).is_(None), col(Project.start) < period.end),
            or_(col(Project.end).is_(None), col(Project.end) >= period.start),
        )
        .order_by(col(Project.title), col(Project.id))
    ).all()
    links: dict[int, list[int]] = defaultdict(list)
    for project_id, district_id in _in(
        session,
        lambda c: select(ProjectDistrict.project_id, ProjectDistrict.district_id).where(
            col(ProjectDistrict.project_id).in_(c)
        ),
        [p.id for p in candidates if p.id is not None],
    ):
        links[project_id].append(district_id)
    leads = _names(session, (p.lead_id for p in candidates))
    lists: dict[str, list[dict[str, Any]]] = {"active": [], "started": [], "finished": []}
    for project in candidates:
        assert project.id is not None
        if not scope.covers(links.get(project.id, [])):
            continue
        if project.status == "planned" and (project.start is None or project.start >= period.end):
            continue
        record = {
            "id": project.id,
            "title": project.title,
            "status": project.status,
            "programme": project.programme,
            "lead": _display(leads.get(project.lead_id or 0)),
            "start": project.start,
            "end": project.end,
            "districts": sorted(slugs[d] for d in links.get(project.id, [])),
        }
        lists["active"].append(record)
        if period.holds(project.start):
            lists["started"].append(record)
        if period.holds(project.end) and project.status == "finished":
            lists["finished"].append(record)
    return lists


# ----------------------------------------------------------------------------- concerns


def _concern_scope(scope: Scope) -> Any:
    if scope.ids is None:
        return True
    return col(Concern.district_id).in_(scope.ids)


def _count(session: Session, *where: Any) -> int:
    return int(session.exec(select(func.count()).select_from(Concern).where(*where)).one())


def concern_summary(
    session: Session, period: Period, scope: Scope, slugs: dict[int | None, str]
) -> dict[str, Any]:
    """Opened, forwarded, resolved, rejected and still open, with the median days from
    report to answer of the concerns closed in the month."""
    in_scope = _concern_scope(scope)
    month = (col(Concern.reported_on) >= period.start, col(Concern.reported_on) < period.end)
    touched = session.exec(
        select(Concern).where(
            in_scope,
            or_(
                and_(*month),
                and_(
                    col(Concern.forwarded_on) >= period.start,
                    col(Concern.forwarded_on) < period.end,
                ),
                and_(col(Concern.closed_on) >= period.start, col(Concern.closed_on) < period.end),
            ),
        )
    ).all()
    still_open = (
        col(Concern.reported_on) < period.end,
        or_(col(Concern.closed_on).is_(None), col(Concern.closed_on) >= period.end),
    )
    open_count = _count(session, in_scope, *still_open)
    overdue = _count(
        session, in_scope, *still_open,
        col(Concern.status).in_(("forwarded", "in-progress")), col(Concern.due) < period.end,
    )  # fmt: skip
    closed = [c for c in touched if period.holds(c.closed_on) and c.status in CLOSED]
    days = sorted((c.closed_on - c.reported_on).days for c in closed if c.closed_on)
    statuses = _statuses_at(session, [c.id for c in touched if c.id is not None], period.end_at)
    targets = _names(session, (c.forwarded_to_id for c in touched))
    records = [
        {
            "id": c.id,
            "title": c.title,
            "district": slugs.get(c.district_id) if c.district_id else None,
            "category": c.category,
            "status": statuses.get(c.id or 0, c.status),
            "forwarded_to": _display(targets.get(c.forwarded_to_id or 0)),
            "reported_on": c.reported_on,
            "closed_on": c.closed_on if period.holds(c.closed_on) else None,
            "answer": c.answer if period.holds(c.closed_on) else None,
        }
        for c in sorted(touched, key=lambda c: (c.reported_on, c.id or 0))
    ]
    by_category = Counter((c.category or "") for c in touched if period.holds(c.reported_on))
    return {
        "opened": sum(1 for c in touched if period.holds(c.reported_on)),
        "forwarded": sum(1 for c in touched if period.holds(c.forwarded_on)),
        "resolved": sum(1 for c in closed if c.status == "resolved"),
        "rejected": sum(1 for c in closed if c.status == "rejected"),
        "open": open_count,
        "overdue": overdue,
        "median_days_to_answer": _median(days),
        "by_category": [
            {"category": name or None, "count": n}
            for name, n in sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "by_district": _concerns_by_district(session, period, scope, slugs),
        "records": records,
    }


def _median(values: list[int]) -> float | int | None:
    if not values:
        return None
    middle = statistics.median(values)
    return int(middle) if float(middle).is_integer() else round(float(middle), 1)


def _statuses_at(session: Session, ids: list[int], moment: datetime) -> dict[int, str]:
    """Each concern's status at `moment`, from its history."""
    latest: dict[int, tuple[datetime, int, str]] = {}
    for entry in _in(
        session,
        lambda c: select(ConcernHistory).where(
            col(ConcernHistory.concern_id).in_(c), col(ConcernHistory.at) < moment
        ),
        ids,
    ):
        key = (entry.at, entry.id or 0, entry.status)
        if entry.concern_id not in latest or key > latest[entry.concern_id]:
            latest[entry.concern_id] = key
    return {concern_id: status for concern_id, (_at, _id, status) in latest.items()}


def _concerns_by_district(
    session: Session, period: Period, scope: Scope, slugs: dict[int | None, str]
) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"opened": 0, "closed": 0, "open": 0})
    in_scope = _concern_scope(scope)
    queries = {
        "opened": (col(Concern.reported_on) >= period.start, col(Concern.reported_on) < period.end),
        "closed": (col(Concern.closed_on) >= period.start, col(Concern.closed_on) < period.end),
        "open": (
            col(Concern.reported_on) < period.end,
            or_(col(Concern.closed_on).is_(None), col(Concern.closed_on) >= period.end),
        ),
    }
    for name, where in queries.items():
        for district_id, number in session.exec(
            select(Concern.district_id, func.count())
            .where(in_scope, *where)
            .group_by(col(Concern.district_id))
        ).all():
            counts[slugs.get(district_id, "") if district_id else ""][name] = int(number)
    return dict(sorted(counts.items()))


# ----------------------------------------------------------------------------- actors


def actor_summary(session: Session, period: Period, scope: Scope) -> dict[str, Any]:
    """How many actors the network has at the month's end; who joined it and its bodies."""
    current = (
        col(Actor.erased_at).is_(None),
        col(Actor.created_at) < period.end_at,
        or_(col(Actor.archived_at).is_(None), col(Actor.archived_at) >= period.end_at),
    )
    statement = select(func.count()).select_from(Actor).where(*current)
    new_statement = select(Actor).where(
        col(Actor.erased_at).is_(None),
        col(Actor.created_at) >= period.start_at,
        col(Actor.created_at) < period.end_at,
    )
    if scope.ids is not None:
        in_districts = col(Actor.id).in_(
            select(ActorDistrict.actor_id).where(col(ActorDistrict.district_id).in_(scope.ids))
        )
        statement, new_statement = statement.where(in_districts), new_statement.where(in_districts)
    total = int(session.exec(statement).one())
    new = sorted(session.exec(new_statement).all(), key=lambda a: (a.key, a.id or 0))
    organisations = [
        {"id": a.id, "name": a.name, "kind": a.kind} for a in new if a.kind not in PERSON_KINDS
    ]
    return {
        "total": total,
        "new": len(new),
        "new_organisations": organisations,
        "new_persons": len(new) - len(organisations),
        "memberships": new_memberships(session, period, scope),
    }


def new_memberships(session: Session, period: Period, scope: Scope) -> list[dict[str, Any]]:
    """Who joined a network in the month; persons are counted, never named."""
    statement = (
        select(Membership, Network, Actor)
        .join(Network, col(Network.id) == Membership.network_id)
        .join(Actor, col(Actor.id) == Membership.actor_id)
        .where(col(Actor.erased_at).is_(None))
    )
    if scope.ids is not None:
        statement = statement.where(col(Network.district_id).in_(scope.ids))
    rows = []
    for membership, network, actor in session.exec(statement).all():
        since = membership.since or membership.created_at.date()
        if period.holds(since):
            rows.append(
                {
                    "network": network.name,
                    "actor": None if actor.kind in PERSON_KINDS else actor.name,
                    "person": actor.kind in PERSON_KINDS,
                    "role": membership.role,
                    "since": since,
                }
            )
    return sorted(rows, key=lambda r: (r["network"], r["since"], r["actor"] or ""))


# ----------------------------------------------------------------------------- newspaper


def newspaper_issues(session: Session, period: Period, scope: Scope) -> list[dict[str, Any]]:
    """Issues published, or with their deadline, in the month."""
    return _issues(session, scope, [
        and_(col(PaperIssue.publish_on) >= period.start, col(PaperIssue.publish_on) < period.end),
        and_(col(PaperIssue.deadline) >= period.start, col(PaperIssue.deadline) < period.end),
    ])  # fmt: skip


def _issues(session: Session, scope: Scope, conditions: list[Any]) -> list[dict[str, Any]]:
    rows = session.exec(
        select(PaperIssue, Publication)
        .join(Publication, col(Publication.id) == PaperIssue.publication_id)
        .where(or_(*conditions))
        .order_by(col(PaperIssue.publish_on), col(PaperIssue.id))
    ).all()
    if scope.ids is not None:
        publishers = {p.publisher_id for _i, p in rows if p.publisher_id}
        areas: dict[int, set[int]] = defaultdict(set)
        for actor_id, district_id in _in(
            session,
            lambda c: select(ActorDistrict.actor_id, ActorDistrict.district_id).where(
                col(ActorDistrict.actor_id).in_(c)
            ),
            [p for p in publishers if p is not None],
        ):
            areas[actor_id].add(district_id)
        rows = [
            (i, p) for i, p in rows if not p.publisher_id or scope.covers(areas[p.publisher_id])
        ]
    ids = [i.id for i, _p in rows if i.id is not None]
    articles: dict[int, list[Article]] = defaultdict(list)
    for article in _in(session, lambda c: select(Article).where(col(Article.issue_id).in_(c)), ids):
        articles[article.issue_id].append(article)
    return [
        {
            "id": issue.id,
            "publication": paper.name,
            "label": issue.label,
            "deadline": issue.deadline,
            "publish_on": issue.publish_on,
            "print_run": issue.print_run,
            "pages": issue.pages,
            "articles": len(articles.get(issue.id or 0, [])),
            "accepted": sum(1 for a in articles.get(issue.id or 0, []) if a.status == "accepted"),
        }
        for issue, paper in rows
    ]


# ----------------------------------------------------------------------------- outlook


def outlook_for(
    session: Session, period: Period, scope: Scope, slugs: dict[int | None, str]
) -> dict[str, Any]:
    """Next month's dates (events, meetings) and deadlines, and the tasks overdue now."""
    upcoming = period.next()
    dates = [o for o in occurrences(session, upcoming, include_meetings=True)
             if o["status"] != "cancelled"]  # fmt: skip
    links = _event_districts(session, {o["id"] for o in dates})
    events = []
    for item in dates:
        district_ids = links.get(item["id"], [])
        if scope.ids is not None and item["kind"] != "meeting" and not scope.covers(district_ids):
            continue
        item["districts"] = sorted(slugs[d] for d in district_ids)
        events.append(item)
    return {
        "month": upcoming.label,
        "events": events,
        "deadlines": _deadlines(session, upcoming, scope, slugs),
        "overdue_tasks": overdue_tasks(session, period, scope),
    }


def _deadlines(
    session: Session, upcoming: Period, scope: Scope, slugs: dict[int | None, str]
) -> list[dict[str, Any]]:
    deadlines: list[dict[str, Any]] = []
    deadline, publish_on = col(PaperIssue.deadline), col(PaperIssue.publish_on)
    in_month = [
        and_(deadline >= upcoming.start, deadline < upcoming.end),
        and_(publish_on >= upcoming.start, publish_on < upcoming.end),
    ]
    for issue in _issues(session, scope, in_month):
        name = f"{issue['publication']} {issue['label']}"
        if upcoming.holds(issue["deadline"]):
            deadlines.append({"date": issue["deadline"], "kind": "paper_deadline", "title": name})
        if upcoming.holds(issue["publish_on"]):
            deadlines.append({"date": issue["publish_on"], "kind": "paper_publish", "title": name})
    statement = _scoped_tasks(session, scope).where(
        col(Task.status) == "open", col(Task.due) >= upcoming.start, col(Task.due) < upcoming.end
    )
    for task in session.exec(statement).all():
        deadlines.append({"date": task.due, "kind": "task", "title": task.title})
    for concern in session.exec(
        select(Concern).where(
            _concern_scope(scope),
            col(Concern.status).in_(("forwarded", "in-progress")),
            col(Concern.due) >= upcoming.start,
            col(Concern.due) < upcoming.end,
        )
    ).all():
        deadlines.append({"date": concern.due, "kind": "concern_follow_up", "title": concern.title})
    return sorted(deadlines, key=lambda d: (d["date"], d["kind"], d["title"]))


# ----------------------------------------------------------------------------- per district


def district_rows(
    scope: Scope,
    events: list[dict[str, Any]],
    meetings: list[dict[str, Any]],
    concerns: dict[str, Any],
    projects: dict[str, list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    """One row per district: the month in numbers (an event in two districts counts in both)."""
    rows = []
    for district in scope.districts:
        slug = district.slug
        own_events = [e for e in events if slug in e["districts"]]
        by_district = concerns["by_district"].get(slug, {})
        rows.append(
            {
                "slug": slug,
                "name": district.name,
                "events": len(own_events),
                "attendance": sum(e["attendance"] or 0 for e in own_events),
                "meetings": sum(1 for m in meetings if m.get("district") == slug),
                "concerns_opened": by_district.get("opened", 0),
                "concerns_closed": by_district.get("closed", 0),
                "concerns_open": by_district.get("open", 0),
                "projects_active": sum(1 for p in projects["active"] if slug in p["districts"]),
            }
        )
    return rows


# ----------------------------------------------------------------------------- rendering


@contextmanager
def _fixed_font_timestamps(day: date) -> Iterator[None]:
    """WeasyPrint's font subsetter (fontTools) stamps each embedded font with the current
    time unless SOURCE_DATE_EPOCH is set; pin it, so the same report gives the same PDF."""
    key = "SOURCE_DATE_EPOCH"
    saved = os.environ.get(key)
    if saved is None:
        os.environ[key] = str(calendar.timegm(day.timetuple()))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(key, None)


DEADLINE_LABELS = {
    "paper_deadline": ("Redaktionsschluss", "Newspaper deadline"),
    "paper_publish": ("Erscheinungstermin", "Newspaper out"),
    "task": ("Aufgabe fällig", "Task due"),
    "concern_follow_up": ("Rückmeldung zum Anliegen", "Concern follow-up"),
}


def _month_title(first: date, lang: str) -> str:
    from babel.dates import format_date

    return str(format_date(first, "LLLL y", locale="en_GB" if lang == "en" else "de_DE"))


def render_report(data: dict[str, Any], format: str, options: Any) -> str | bytes:
    """The report as Markdown, HTML (with inline SVG charts) or a reproducible PDF."""
    from stm.render import render_document

    lang = options.lang
    start = data["period"]["start"]
    document = {
        **data,
        "month_title": _month_title(start, lang),
        "next_month_title": _month_title(_next_month(start), lang),
        "district_names": {row["slug"]: row["name"] for row in data["districts"]},
        "deadline_labels": {
            k: en if lang == "en" else de for k, (de, en) in DEADLINE_LABELS.items()
        },
    }
    with _fixed_font_timestamps(data["period"]["end"]):
        return render_document("report", document, format, options)
