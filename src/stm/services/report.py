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

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    String,
    and_,
    case,
    column,
    func,
    or_,
    select,
    table,
    true,
)

from stm.services.titles import sitting_title
from stm.vocab import PERSON_KINDS

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

CHUNK = 900
CLOSED = ("resolved", "rejected")
WAITING = ("forwarded", "in-progress")


# ----------------------------------------------------------------------------- the tables read
# Light descriptions of the columns the report reads (SQLAlchemy Core, not the ORM
# classes): building the ORM classes costs more than the report's queries, and a month
# can hold thousands of rows. tests/test_report.py checks them against the models.


def _table(table_name: str, /, **columns: Any) -> Any:
    return table(table_name, *(column(key, kind) for key, kind in columns.items()))


DISTRICT = _table("district", id=Integer, slug=String, name=String, city=String)
ACTOR = _table("actor", id=Integer, name=String, key=String, kind=String, created_at=DateTime,
               archived_at=DateTime, erased_at=DateTime, consent_share=Boolean,
               consent_given_on=Date)  # fmt: skip
ACTOR_DISTRICT = _table("actor_district", actor_id=Integer, district_id=Integer)
NETWORK = _table("network", id=Integer, slug=String, name=String, kind=String,
                 district_id=Integer)  # fmt: skip
NETWORK_DISTRICT = _table("network_district", network_id=Integer, district_id=Integer)
MEMBERSHIP = _table("membership", network_id=Integer, actor_id=Integer, role=String, since=Date,
                    created_at=DateTime)  # fmt: skip
EVENT = _table("event", id=Integer, title=String, kind=String, start=DateTime, end=DateTime,
               all_day=Boolean, location=String, status=String, expected=Integer,
               attendance=Integer, rrule=String, until=DateTime)  # fmt: skip
EVENT_DISTRICT = _table("event_district", event_id=Integer, district_id=Integer)
EVENT_OCCURRENCE = _table("event_occurrence", event_id=Integer, recurrence_id=DateTime,
                          status=String, start=DateTime, end=DateTime, title=String,
                          location=String, attendance=Integer)  # fmt: skip
MEETING = _table("meeting", id=Integer, network_id=Integer, event_id=Integer, number=Integer,
                 state=String)  # fmt: skip
ATTENDANCE = _table("attendance", meeting_id=Integer, status=String)
AGENDA_ITEM = _table("agenda_item", meeting_id=Integer)
DECISION = _table("decision", id=Integer, meeting_id=Integer, text=String, votes_yes=Integer,
                  votes_no=Integer, votes_abstain=Integer, result=String)  # fmt: skip
TASK = _table("task", id=Integer, title=String, owner_id=Integer, due=Date, status=String,
              meeting_id=Integer, done_on=Date, created_at=DateTime)  # fmt: skip
PROJECT = _table("project", id=Integer, title=String, status=String, programme=String,
                 lead_id=Integer, start=Date, end=Date, budget=Numeric)  # fmt: skip
PROJECT_DISTRICT = _table("project_district", project_id=Integer, district_id=Integer)
CONCERN = _table("concern", id=Integer, title=String, district_id=Integer, category=String,
                 status=String, forwarded_to_id=Integer, forwarded_on=Date, due=Date,
                 reported_on=Date, closed_on=Date, answer=String)  # fmt: skip
CONCERN_HISTORY = _table("concern_history", id=Integer, concern_id=Integer, at=DateTime,
                         status=String)  # fmt: skip
PUBLICATION = _table("publication", id=Integer, name=String, publisher_id=Integer)
PAPER_ISSUE = _table("paper_issue", id=Integer, publication_id=Integer, label=String,
                     deadline=Date, publish_on=Date, print_run=Integer, pages=Integer)  # fmt: skip
ARTICLE = _table("article", issue_id=Integer, status=String, pages=Float)
TABLES = (
    DISTRICT, ACTOR, ACTOR_DISTRICT, NETWORK, NETWORK_DISTRICT, MEMBERSHIP, EVENT, EVENT_DISTRICT,
    EVENT_OCCURRENCE, MEETING, ATTENDANCE, AGENDA_ITEM, DECISION, TASK, PROJECT,
    PROJECT_DISTRICT, CONCERN, CONCERN_HISTORY, PUBLICATION, PAPER_ISSUE, ARTICLE,
)  # fmt: skip


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

    def holds(self, day: date | datetime | None) -> bool:
        if isinstance(day, datetime):
            day = day.date()
        return day is not None and self.start <= day < self.end

    def dates(self, column: Any) -> Any:
        """SQL: a date column within the month."""
        return and_(column >= self.start, column < self.end)


def _next_month(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


@dataclass
class Scope:
    """The districts a report covers (rows with slug and name); `ids` None: all of them."""

    districts: list[Any]
    ids: set[int] | None

    def covers(self, district_ids: Iterable[int]) -> bool:
        return self.ids is None or bool(self.ids & set(district_ids))

    def where(self, district_column: Any) -> Any:
        return true() if self.ids is None else district_column.in_(sorted(self.ids))

    def where_network(self, network: Any) -> Any:
        """SQL: the network (its columns) serves one of the districts; a network may serve
        several (network_district), the first of them also in `network.district_id`."""
        if self.ids is None:
            return true()
        nd, ids = NETWORK_DISTRICT.c, sorted(self.ids)
        return or_(
            network.district_id.in_(ids),
            network.id.in_(select(nd.network_id).where(nd.district_id.in_(ids))),
        )


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _in(connection: Connection, statement_for: Any, ids: Iterable[int | None]) -> list[Any]:
    """Rows of `statement_for(chunk)` for ids in chunks (SQLite's parameter limit)."""
    rows: list[Any] = []
    for chunk in _chunks(sorted({i for i in ids if i is not None})):
        rows += connection.execute(statement_for(chunk)).all()
    return rows


def _names(connection: Connection, ids: Iterable[int | None]) -> dict[int, str | None]:
    """Actors' names by id; an erased person has none."""
    a = ACTOR.c
    rows = _in(connection, lambda c: select(a.id, a.name, a.erased_at).where(a.id.in_(c)), ids)
    return {r.id: (None if r.erased_at else r.name) for r in rows}


def _links(connection: Connection, link: Any, key: str, ids: Iterable[int]) -> dict[int, list[int]]:
    """District ids of records through a link table (`event_district`, …)."""
    owner, district = link.c[key], link.c.district_id
    found: dict[int, list[int]] = defaultdict(list)
    for record_id, district_id in _in(
        connection, lambda c: select(owner, district).where(owner.in_(c)), ids
    ):
        found[record_id].append(district_id)
    return found


# ----------------------------------------------------------------------------- the report


def monthly_report(
    session: Session, month: date, districts: Sequence[str] = (), consent_years: int = 3
) -> dict[str, Any]:
    """The report of `month` (any day in it), limited to `districts` when given.

    The outlook counts the consents that expire next month (after `consent_years`)."""
    period = Period.of(month)
    connection = session.connection()
    d = DISTRICT.c
    every = connection.execute(select(d.id, d.slug, d.name).order_by(d.city, d.name)).all()
    if districts:
        from stm.services import refs

        chosen = {found.id for found in refs.districts(session, districts) if found.id}
        scope = Scope([row for row in every if row.id in chosen], chosen)
    else:
        scope = Scope(list(every), None)
    slugs = {row.id: row.slug for row in every}

    # One expansion of every event for the month and the next (the outlook).
    dated = occurrences(connection, period.start_at, period.next().end_at)
    links = _links(connection, EVENT_DISTRICT, "event_id", {o["id"] for o in dated})
    events = held_events(dated, links, period, scope, slugs)
    meetings = month_meetings(connection, period, scope, slugs)
    tasks = task_counts(connection, period, scope)
    projects = project_lists(connection, period, scope, slugs)
    concerns = concern_summary(connection, period, scope, slugs)
    from stm.services.finance.report_section import finance_section

    return {
        "month": period.label,
        "period": {"start": period.start, "end": period.end - timedelta(days=1)},
        "districts": district_rows(scope, events, meetings, concerns, projects),
        "events": events,
        "attendance": sum(e["attendance"] or 0 for e in events),
        "meetings": meetings,
        "decisions": [decision for m in meetings for decision in m["decisions"]],
        "tasks_open": tasks["open"],
        "tasks_done": tasks["done"],
        "projects": projects,
        "concerns": concerns,
        "actors": actor_summary(connection, period, scope),
        "newspaper": newspaper_issues(connection, period, scope),
        "finance": finance_section(connection, period, scope),
        "outlook": {
            **outlook_for(connection, dated, links, period, scope, slugs),
            "consents_expiring": consents_expiring(connection, period.next(), scope, consent_years),
        },
    }


def consents_expiring(connection: Connection, month: Period, scope: Scope, years: int) -> int:
    """Persons whose consent to be shared on contact sheets expires within `month`."""
    from stm.services.consent import consent_start, expires_on

    a, ad = ACTOR.c, ACTOR_DISTRICT.c
    in_scope = (
        true() if scope.ids is None
        else a.id.in_(select(ad.actor_id).where(scope.where(ad.district_id)))
    )  # fmt: skip
    rows = connection.execute(
        select(a.consent_given_on, a.created_at).where(
            a.erased_at.is_(None), a.archived_at.is_(None), a.consent_share.is_(True),
            a.kind.in_(sorted(PERSON_KINDS)), in_scope,
        )
    ).all()  # fmt: skip
    count = 0
    for given_on, created_at in rows:
        created = _day(created_at)
        start = consent_start(_day(given_on), created)
        if start is not None and month.holds(expires_on(start, years)):
            count += 1
    return count


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return value if isinstance(value, date) else None


# ----------------------------------------------------------------------------- events


def occurrences(connection: Connection, lower: datetime, upper: datetime) -> list[dict[str, Any]]:
    """Every event start in [lower, upper), as plain data: single events, and the dates of
    recurring series with their changes (a date moved into the window counts, one moved
    out of it does not), expanded by `stm.services.occurrences` as `stm event list` does.
    A meeting's event carries `meeting: True`."""
    from stm.services import occurrences as timeline

    rows = timeline.window_rows(connection, lower, upper)
    found = [
        o for o in timeline.occurrences_of(connection, rows, lower, upper)
        if lower <= o.start < upper
    ]  # fmt: skip
    m = MEETING.c
    meetings = {
        row.event_id
        for row in _in(
            connection,
            lambda c: select(m.event_id).where(m.event_id.in_(c)),
            {o.event.id for o in found},
        )
    }
    records = [_occurrence(o, meetings) for o in found]
    records.sort(key=lambda item: (item["start"], item["id"]))
    return records


def _occurrence(occurrence: Any, meetings: set[int]) -> dict[str, Any]:
    """One occurrence (`services.occurrences.Occurrence`) as the report's plain data."""
    event = occurrence.event
    return {
        "id": event.id,
        "title": occurrence.title,
        "kind": event.kind,
        "start": occurrence.start,
        "end": occurrence.end,
        "all_day": event.all_day,
        "location": occurrence.location,
        "status": occurrence.status,
        "expected": event.expected,
        "attendance": occurrence.attendance,
        "recurring": event.rrule is not None,
        "meeting": event.id in meetings,
    }


def _placed(
    items: Iterable[dict[str, Any]], links: dict[int, list[int]], scope: Scope,
    slugs: dict[int, str], *, keep_meetings: bool = False,
) -> list[dict[str, Any]]:  # fmt: skip
    """Occurrences in the scope, each with its districts' slugs; with `keep_meetings`,
    meetings of bodies without a district (city-wide ones) are kept in every scope."""
    kept = []
    for item in items:
        district_ids = links.get(item["id"], [])
        city_wide = keep_meetings and item["meeting"] and not district_ids
        if not scope.covers(district_ids) and not city_wide:
            continue
        kept.append({**item, "districts": sorted(slugs[d] for d in district_ids)})
    return kept


def held_events(
    dated: list[dict[str, Any]], links: dict[int, list[int]], period: Period, scope: Scope,
    slugs: dict[int, str],
) -> list[dict[str, Any]]:  # fmt: skip
    """Events that took place in the month (not cancelled, not meetings), with attendance."""
    found = [
        o for o in dated
        if period.holds(o["start"]) and o["status"] != "cancelled" and not o["meeting"]
    ]  # fmt: skip
    return [_without_flag(o) for o in _placed(found, links, scope, slugs)]


def _without_flag(item: dict[str, Any]) -> dict[str, Any]:
    item.pop("meeting", None)
    return item


# ----------------------------------------------------------------------------- meetings


def month_meetings(
    connection: Connection, period: Period, scope: Scope, slugs: dict[int, str]
) -> list[dict[str, Any]]:
    """Meetings held in the month, each with its decisions and the tasks it gave."""
    m, e, n = MEETING.c, EVENT.c, NETWORK.c
    rows = connection.execute(
        select(m.id, m.number, m.state, e.start, e.location, n.slug, n.name, n.kind, n.district_id)
        .select_from(MEETING.join(EVENT, e.id == m.event_id).join(NETWORK, n.id == m.network_id))
        .where(e.start >= period.start_at, e.start < period.end_at, e.status != "cancelled")
        .where(scope.where_network(n))
        .order_by(e.start, m.id)
    ).all()
    ids = [row.id for row in rows]
    d, t, a, i = DECISION.c, TASK.c, ATTENDANCE.c, AGENDA_ITEM.c
    decisions: dict[int, list[Any]] = defaultdict(list)
    for row in _in(connection, lambda c: select(*DECISION.c).where(d.meeting_id.in_(c)), ids):
        decisions[row.meeting_id].append(row)
    tasks: dict[int, list[Any]] = defaultdict(list)
    for row in _in(connection, lambda c: select(*TASK.c).where(t.meeting_id.in_(c)), ids):
        tasks[row.meeting_id].append(row)
    present = dict(_in(connection, lambda c: select(a.meeting_id, func.count()).where(
        a.meeting_id.in_(c), a.status == "present").group_by(a.meeting_id), ids))  # fmt: skip
    tops = dict(_in(connection, lambda c: select(i.meeting_id, func.count()).where(
        i.meeting_id.in_(c)).group_by(i.meeting_id), ids))  # fmt: skip
    owners = _names(connection, (task.owner_id for items in tasks.values() for task in items))
    meetings = []
    for row in rows:
        title = sitting_title(row.number, row.name, row.kind)
        meetings.append(
            {
                "id": row.id,
                "network": row.slug,
                "district": slugs.get(row.district_id) if row.district_id else None,
                "title": title,
                "number": row.number,
                "start": row.start,
                "location": row.location,
                "state": row.state,
                "present": present.get(row.id, 0),
                "agenda_items": tops.get(row.id, 0),
                "decisions": [
                    {
                        "id": dec.id,
                        "meeting": title,
                        "text": dec.text,
                        "result": dec.result,
                        "votes": {
                            "yes": dec.votes_yes,
                            "no": dec.votes_no,
                            "abstain": dec.votes_abstain,
                        },
                    }
                    for dec in sorted(decisions.get(row.id, []), key=lambda dec: dec.id)
                ],
                "tasks": [
                    {
                        "id": task.id,
                        "title": task.title,
                        "owner": owners.get(task.owner_id) if task.owner_id else None,
                        "due": task.due,
                        "status": _task_status_at(task, period.end),
                    }
                    for task in sorted(tasks.get(row.id, []), key=lambda task: task.id)
                ],
            }
        )
    return meetings


def _task_status_at(task: Any, day: date) -> str:
    """A task's status at the start of `day`: done later means open then."""
    if task.status == "done" and (task.done_on is None or task.done_on < day):
        return "done"
    return "open"


def _task_since() -> Any:
    """When a task came to be: its meeting's day, or when it was recorded if earlier
    (minutes are often typed in days after the meeting)."""
    e, t = EVENT.c, TASK.c
    return case((e.start < t.created_at, e.start), else_=t.created_at)


def _scoped_tasks(scope: Scope, *columns: Any) -> Any:
    """Tasks (these columns) with their meeting's event joined, within the scope; tasks
    outside any meeting belong to no district and only count without a scope."""
    m, e, t = MEETING.c, EVENT.c, TASK.c
    joined = TASK.outerjoin(MEETING, m.id == t.meeting_id).outerjoin(EVENT, e.id == m.event_id)
    if scope.ids is not None:
        joined = joined.join(NETWORK, NETWORK.c.id == m.network_id)
        return select(*columns).select_from(joined).where(scope.where_network(NETWORK.c))
    return select(*columns).select_from(joined)


def _open_at_end(period: Period) -> Any:
    t = TASK.c
    return and_(_task_since() < period.end_at, or_(t.status == "open", t.done_on >= period.end))


def task_counts(connection: Connection, period: Period, scope: Scope) -> dict[str, int]:
    """Tasks done in the month, and tasks open at its end."""
    t = TASK.c
    done = func.sum(case((period.dates(t.done_on), 1), else_=0))
    still_open = func.sum(case((_open_at_end(period), 1), else_=0))
    row = connection.execute(_scoped_tasks(scope, done, still_open)).one()
    return {"open": int(row[1] or 0), "done": int(row[0] or 0)}


def overdue_tasks(connection: Connection, period: Period, scope: Scope) -> list[dict[str, Any]]:
    """Tasks open at the month's end whose due date had passed by then."""
    t = TASK.c
    statement = _scoped_tasks(scope, t.id, t.title, t.owner_id, t.due).where(
        t.due < period.end, _open_at_end(period)
    )
    tasks = sorted(connection.execute(statement).all(), key=lambda task: (task.due, task.id))
    owners = _names(connection, (task.owner_id for task in tasks))
    return [
        {"id": task.id, "title": task.title,
         "owner": owners.get(task.owner_id) if task.owner_id else None, "due": task.due}
        for task in tasks
    ]  # fmt: skip


# ----------------------------------------------------------------------------- projects


def project_lists(
    connection: Connection, period: Period, scope: Scope, slugs: dict[int, str]
) -> dict[str, list[dict[str, Any]]]:
    """Projects active in the month, those that started and those that finished in it."""
    p = PROJECT.c
    candidates = connection.execute(
        select(*PROJECT.c)
        .where(
            p.status.not_in(("idea", "cancelled")),
            or_(p.start.is_(None), p.start < period.end),
            or_(p.end.is_(None), p.end >= period.start),
        )
        .order_by(p.title, p.id)
    ).all()
    links = _links(connection, PROJECT_DISTRICT, "project_id", (row.id for row in candidates))
    leads = _names(connection, (row.lead_id for row in candidates))
    lists: dict[str, list[dict[str, Any]]] = {"active": [], "started": [], "finished": []}
    for row in candidates:
        if not scope.covers(links.get(row.id, [])):
            continue
        if row.status == "planned" and (row.start is None or row.start >= period.end):
            continue
        record = {
            "id": row.id,
            "title": row.title,
            "status": row.status,
            "programme": row.programme,
            "lead": leads.get(row.lead_id) if row.lead_id else None,
            "budget": row.budget,
            "start": row.start,
            "end": row.end,
            "districts": sorted(slugs[d] for d in links.get(row.id, [])),
        }
        lists["active"].append(record)
        if period.holds(row.start):
            lists["started"].append(record)
        if period.holds(row.end) and row.status == "finished":
            lists["finished"].append(record)
    return lists


# ----------------------------------------------------------------------------- concerns


def concern_summary(
    connection: Connection, period: Period, scope: Scope, slugs: dict[int, str]
) -> dict[str, Any]:
    """Opened, forwarded, resolved, rejected and still open, with the median days from
    report to answer of the concerns closed in the month."""
    c = CONCERN.c
    open_at_end = and_(
        c.reported_on < period.end, or_(c.closed_on.is_(None), c.closed_on >= period.end)
    )
    overdue = and_(open_at_end, c.status.in_(WAITING), c.due < period.end)

    def number(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    # One pass over the concerns for every count, per district.
    counts = connection.execute(
        select(c.district_id, number(period.dates(c.reported_on)),
               number(period.dates(c.closed_on)), number(open_at_end), number(overdue))
        .where(scope.where(c.district_id))
        .group_by(c.district_id)
    ).all()  # fmt: skip
    touched = connection.execute(
        select(*CONCERN.c).where(
            scope.where(c.district_id),
            or_(period.dates(c.reported_on), period.dates(c.forwarded_on),
                period.dates(c.closed_on)),
        ).order_by(c.reported_on, c.id)
    ).all()  # fmt: skip
    closed = [row for row in touched if period.holds(row.closed_on) and row.status in CLOSED]
    days = sorted((row.closed_on - row.reported_on).days for row in closed)
    statuses = _statuses_at(connection, [row.id for row in touched], period.end_at)
    targets = _names(connection, (row.forwarded_to_id for row in touched))
    forwarded = [row for row in touched if period.holds(row.forwarded_on)]
    kinds = _kinds(connection, (row.forwarded_to_id for row in forwarded))
    addressees = Counter(addressee_of(kinds.get(row.forwarded_to_id)) for row in forwarded)
    by_category = Counter(row.category or "" for row in touched if period.holds(row.reported_on))
    return {
        "opened": sum(int(row[1] or 0) for row in counts),
        "forwarded": len(forwarded),
        "forwarded_to_kinds": [
            {"addressee": name, "count": addressees[name]}
            for name in ADDRESSEES
            if addressees[name]
        ],
        "resolved": sum(1 for row in closed if row.status == "resolved"),
        "rejected": sum(1 for row in closed if row.status == "rejected"),
        "open": sum(int(row[3] or 0) for row in counts),
        "overdue": sum(int(row[4] or 0) for row in counts),
        "median_days_to_answer": _median(days),
        "by_category": [
            {"category": name or None, "count": n}
            for name, n in sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "by_district": {
            (slugs.get(row[0], "") if row[0] else ""): {
                "opened": int(row[1] or 0), "closed": int(row[2] or 0), "open": int(row[3] or 0)
            }
            for row in sorted(counts, key=lambda row: slugs.get(row[0], "") if row[0] else "")
        },
        "records": [
            {
                "id": row.id,
                "title": row.title,
                "district": slugs.get(row.district_id) if row.district_id else None,
                "category": row.category,
                "status": statuses.get(row.id, row.status),
                "forwarded_to": targets.get(row.forwarded_to_id) if row.forwarded_to_id else None,
                "reported_on": row.reported_on,
                "closed_on": row.closed_on if period.holds(row.closed_on) else None,
                "answer": row.answer if period.holds(row.closed_on) else None,
            }
            for row in touched
        ],
    }  # fmt: skip


#: Whom concerns are forwarded to, by the kind of the receiving actor ("an die Verwaltung").
ADDRESSEES: dict[str, tuple[str, ...]] = {
    "administration": ("administration",),
    "housing": ("housing",),
    "politics": ("politics",),
    "social": ("social", "church"),
    "education": ("school", "kita"),
    "associations": ("association", "initiative", "organisation"),
    "business": ("business", "media"),
    "other": (),
}
ADDRESSEE_LABELS = {
    "administration": ("an die Verwaltung", "to the administration"),
    "housing": ("an Wohnungsunternehmen", "to housing companies"),
    "politics": ("an die Politik", "to local politics"),
    "social": ("an soziale Träger", "to social organisations"),
    "education": ("an Schulen und Kitas", "to schools and day-care centres"),
    "associations": ("an Vereine und Initiativen", "to associations and initiatives"),
    "business": ("an Gewerbe und Medien", "to businesses and media"),
    "other": ("an andere Stellen", "to others"),
}


def addressee_of(kind: str | None) -> str:
    return next((name for name, kinds in ADDRESSEES.items() if kind in kinds), "other")


def _kinds(connection: Connection, ids: Iterable[int | None]) -> dict[int, str]:
    a = ACTOR.c
    rows = _in(connection, lambda c: select(a.id, a.kind).where(a.id.in_(c)), ids)
    return {r.id: r.kind for r in rows}


def _median(values: list[int]) -> float | int | None:
    if not values:
        return None
    middle = statistics.median(values)
    return int(middle) if float(middle).is_integer() else round(float(middle), 1)


def _statuses_at(connection: Connection, ids: list[int], moment: datetime) -> dict[int, str]:
    """Each concern's status at `moment`, from its history."""
    h = CONCERN_HISTORY.c
    latest: dict[int, tuple[datetime, int, str]] = {}
    for row in _in(
        connection,
        lambda c: select(h.concern_id, h.at, h.id, h.status).where(
            h.concern_id.in_(c), h.at < moment
        ),
        ids,
    ):
        key = (row.at, row.id, row.status)
        if row.concern_id not in latest or key > latest[row.concern_id]:
            latest[row.concern_id] = key
    return {concern_id: status for concern_id, (_at, _id, status) in latest.items()}


# ----------------------------------------------------------------------------- actors


def actor_summary(connection: Connection, period: Period, scope: Scope) -> dict[str, Any]:
    """How many actors the network has at the month's end; who joined it and its bodies."""
    a, ad = ACTOR.c, ACTOR_DISTRICT.c
    current = and_(
        a.erased_at.is_(None),
        a.created_at < period.end_at,
        or_(a.archived_at.is_(None), a.archived_at >= period.end_at),
    )
    new = and_(a.erased_at.is_(None), a.created_at >= period.start_at, a.created_at < period.end_at)
    in_scope = (
        true() if scope.ids is None
        else a.id.in_(select(ad.actor_id).where(scope.where(ad.district_id)))
    )  # fmt: skip
    total = connection.execute(select(func.count()).where(current, in_scope)).scalar_one()
    joined = connection.execute(
        select(a.id, a.name, a.kind).where(new, in_scope).order_by(a.key, a.id)
    ).all()
    organisations = [
        {"id": row.id, "name": row.name, "kind": row.kind}
        for row in joined
        if row.kind not in PERSON_KINDS
    ]
    return {
        "total": int(total),
        "new": len(joined),
        "new_organisations": organisations,
        "new_persons": len(joined) - len(organisations),
        "memberships": new_memberships(connection, period, scope),
    }


def new_memberships(connection: Connection, period: Period, scope: Scope) -> list[dict[str, Any]]:
    """Who joined a network in the month; persons are counted, never named."""
    ms, n, a = MEMBERSHIP.c, NETWORK.c, ACTOR.c
    joined_in_month = or_(
        period.dates(ms.since),
        and_(ms.since.is_(None), ms.created_at >= period.start_at, ms.created_at < period.end_at),
    )
    rows = connection.execute(
        select(ms.since, ms.created_at, ms.role, n.name.label("network"), a.name, a.kind)
        .select_from(
            MEMBERSHIP.join(NETWORK, n.id == ms.network_id).join(ACTOR, a.id == ms.actor_id)
        )
        .where(a.erased_at.is_(None), joined_in_month, scope.where_network(n))
    ).all()  # fmt: skip
    found = [
        {
            "network": row.network,
            "actor": None if row.kind in PERSON_KINDS else row.name,
            "person": row.kind in PERSON_KINDS,
            "role": row.role,
            "since": row.since or row.created_at.date(),
        }
        for row in rows
    ]
    return sorted(found, key=lambda r: (r["network"], r["since"], r["person"], r["actor"] or ""))


# ----------------------------------------------------------------------------- newspaper


def newspaper_issues(connection: Connection, period: Period, scope: Scope) -> list[dict[str, Any]]:
    """Issues published, or with their deadline, in the month."""
    i = PAPER_ISSUE.c
    return _issues(connection, scope, or_(period.dates(i.publish_on), period.dates(i.deadline)))


def _issues(connection: Connection, scope: Scope, condition: Any) -> list[dict[str, Any]]:
    i, p, ar = PAPER_ISSUE.c, PUBLICATION.c, ARTICLE.c
    rows = connection.execute(
        select(*PAPER_ISSUE.c, p.name.label("publication"), p.publisher_id)
        .select_from(PAPER_ISSUE.join(PUBLICATION, p.id == i.publication_id))
        .where(condition)
        .order_by(i.publish_on, i.id)
    ).all()
    if scope.ids is not None:
        areas = _links(connection, ACTOR_DISTRICT, "actor_id", (r.publisher_id for r in rows))
        rows = [
            r for r in rows if not r.publisher_id or scope.covers(areas.get(r.publisher_id, []))
        ]
    counts = {
        row.issue_id: (row[1], row[2])
        for row in _in(
            connection,
            lambda c: select(ar.issue_id, func.count(), func.sum(case((ar.status == "accepted", 1),
                                                                     else_=0)))
            .where(ar.issue_id.in_(c)).group_by(ar.issue_id),
            (r.id for r in rows),
        )
    }  # fmt: skip
    return [
        {
            "id": row.id,
            "publication": row.publication,
            "label": row.label,
            "deadline": row.deadline,
            "publish_on": row.publish_on,
            "print_run": row.print_run,
            "pages": row.pages,
            "articles": int(counts.get(row.id, (0, 0))[0]),
            "accepted": int(counts.get(row.id, (0, 0))[1] or 0),
        }
        for row in rows
    ]


# ----------------------------------------------------------------------------- outlook


def outlook_for(
    connection: Connection, dated: list[dict[str, Any]], links: dict[int, list[int]],
    period: Period, scope: Scope, slugs: dict[int, str],
) -> dict[str, Any]:  # fmt: skip
    """Next month's dates (events, meetings) and deadlines, and the tasks overdue now."""
    upcoming = period.next()
    found = [o for o in dated if upcoming.holds(o["start"]) and o["status"] != "cancelled"]
    events = _placed(found, links, scope, slugs, keep_meetings=True)
    return {
        "month": upcoming.label,
        "events": [_without_flag(o) for o in events],
        "deadlines": _deadlines(connection, upcoming, scope),
        "overdue_tasks": overdue_tasks(connection, period, scope),
    }


def _deadlines(connection: Connection, upcoming: Period, scope: Scope) -> list[dict[str, Any]]:
    i, t, c = PAPER_ISSUE.c, TASK.c, CONCERN.c
    deadlines: list[dict[str, Any]] = []
    in_month = or_(upcoming.dates(i.deadline), upcoming.dates(i.publish_on))
    for issue in _issues(connection, scope, in_month):
        name = f"{issue['publication']} {issue['label']}"
        if upcoming.holds(issue["deadline"]):
            deadlines.append({"date": issue["deadline"], "kind": "paper_deadline", "title": name})
        if upcoming.holds(issue["publish_on"]):
            deadlines.append({"date": issue["publish_on"], "kind": "paper_publish", "title": name})
    due_tasks = _scoped_tasks(scope, t.title, t.due).where(
        t.status == "open", upcoming.dates(t.due)
    )
    for row in connection.execute(due_tasks):
        deadlines.append({"date": row.due, "kind": "task", "title": row.title})
    follow_ups = select(c.title, c.due).where(
        scope.where(c.district_id), c.status.in_(WAITING), upcoming.dates(c.due)
    )
    for row in connection.execute(follow_ups):
        deadlines.append({"date": row.due, "kind": "concern_follow_up", "title": row.title})
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
        "addressee_labels": {
            k: en if lang == "en" else de for k, (de, en) in ADDRESSEE_LABELS.items()
        },
    }
    pinned = replace(options, document_date=data["period"]["end"])
    return render_document("report", document, format, pinned)
