"""Events in a time window, fast: every occurrence that overlaps [from, to].

`stm event list` must answer on a register of 50,000 events in about the time Python
needs to import its libraries (benchmarks/events.py). Building the ORM classes of
`stm.models.events` alone costs more than the whole query, so this module reads through
the light SQLAlchemy Core tables of `stm.store.tables`, selecting the columns it needs.
Only events overlapping the window are read; a series is expanded inside the window only
(`recurrence.starts_between`), so an open-ended rule never produces a date outside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select

from stm import holidays, recurrence
from stm.services.events.filters import EventFilter, filter_clauses, wanted_statuses
from stm.store import in_chunks, tables

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

#: One occurrence of a series lasts at most this long (checked when a series is saved), so
#: that a window only needs series whose last start is this close before it.
LONGEST_OCCURRENCE = timedelta(days=31)

EVENT = tables.EVENT
EVENT_OCCURRENCE = tables.EVENT_OCCURRENCE
EVENT_DISTRICT = tables.EVENT_DISTRICT
EVENT_ORGANISER = tables.EVENT_ORGANISER
DISTRICT = tables.DISTRICT
ACTOR = tables.ACTOR
PROJECT = tables.PROJECT
#: The columns of `EventRow`, in its order.
ROW_COLUMNS = (
    EVENT.c.id, EVENT.c.uid, EVENT.c.title, EVENT.c.kind, EVENT.c.start, EVENT.c.end,
    EVENT.c.all_day, EVENT.c.rrule, EVENT.c.tzid, EVENT.c.until, EVENT.c.location,
    EVENT.c.project_id, EVENT.c.status, EVENT.c.expected, EVENT.c.attendance,
)  # fmt: skip
CHANGE_COLUMNS = (
    EVENT_OCCURRENCE.c.event_id, EVENT_OCCURRENCE.c.recurrence_id, EVENT_OCCURRENCE.c.status,
    EVENT_OCCURRENCE.c.start, EVENT_OCCURRENCE.c.end, EVENT_OCCURRENCE.c.title,
    EVENT_OCCURRENCE.c.location, EVENT_OCCURRENCE.c.attendance,
)  # fmt: skip


@dataclass(slots=True)
class EventRow:
    """The columns of an event that listing it needs (same names as `models.Event`)."""

    id: int
    uid: str
    title: str
    kind: str
    start: datetime
    end: datetime | None
    all_day: bool
    rrule: str | None
    tzid: str | None  # the zone a series repeats in; None: the office's
    until: datetime | None
    location: str | None
    project_id: int | None
    status: str
    expected: int | None
    attendance: int | None

    @classmethod
    def of(cls, event: Any) -> EventRow:
        """From a `models.Event` (or anything with the same attributes)."""
        return cls(**{name: getattr(event, name) for name in cls.__slots__})

    @property
    def duration(self) -> timedelta | None:
        return self.end - self.start if self.end is not None else None


@dataclass(slots=True)
class Change:
    """A changed or cancelled occurrence of a series (`models.EventOccurrence`)."""

    recurrence_id: datetime
    status: str
    start: datetime | None
    end: datetime | None
    title: str | None
    location: str | None
    attendance: int | None


@dataclass(slots=True)
class Occurrence:
    """One date of an event: a single event's only one, or one of a series."""

    event: EventRow
    start: datetime
    end: datetime | None
    recurrence_id: datetime | None  # None for a single event
    title: str
    location: str | None
    status: str
    attendance: int | None


# ------------------------------------------------------------------------------- reading


def event_rows(connection: Connection, clauses: Iterable[Any]) -> list[EventRow]:
    """Events matching `clauses` (conditions on `EVENT`), as light rows."""
    statement: Any = select(*ROW_COLUMNS).where(*clauses)
    return [EventRow(*row) for row in connection.execute(statement)]


def window_rows(
    connection: Connection, lower: datetime, upper: datetime, clauses: Sequence[Any] = ()
) -> list[EventRow]:
    """Events with an occurrence that may overlap [lower, upper).

    Two queries: single events through the (start, end) index, whose entries alone
    decide; series (few) by one pass over the table. One query with an OR of both made
    SQLite look up every row before the window to learn whether it repeats (5x slower).
    """
    e = EVENT.c
    singles = event_rows(
        connection,
        [
            e.start < upper,
            or_(e.end > lower, and_(e.end.is_(None), e.start >= lower)),
            e.rrule.is_(None),
            *clauses,
        ],
    )
    reach = lower - LONGEST_OCCURRENCE
    series = [
        row
        for row in event_rows(connection, [e.rrule.is_not(None), *clauses])
        if row.start < upper and (row.until is None or row.until >= reach)
    ]
    return singles + series


def _changes(
    connection: Connection, series: Sequence[EventRow], lower: datetime, upper: datetime
) -> dict[int, dict[datetime, Change]]:
    """The changed occurrences of these series near the window, by event and date."""
    found: dict[int, dict[datetime, Change]] = defaultdict(dict)
    o = EVENT_OCCURRENCE.c
    near = or_(
        and_(o.recurrence_id >= lower - LONGEST_OCCURRENCE, o.recurrence_id < upper),
        and_(o.start >= lower - LONGEST_OCCURRENCE, o.start < upper),
    )
    ids = [row.id for row in series]
    for chunk in in_chunks(ids):
        statement = select(*CHANGE_COLUMNS).where(o.event_id.in_(chunk), near)
        for event_id, *fields in connection.execute(statement):
            change = Change(*fields)
            found[event_id][change.recurrence_id] = change
    return found


def days_of(occurrence: Occurrence) -> list[date]:
    """The days an occurrence falls on (an all-day one may last several)."""
    if occurrence.event.all_day and occurrence.end is not None:
        return holidays.days_of(occurrence.start.date(), occurrence.end.date())
    return [occurrence.start.date()]


def _overlaps(start: datetime, end: datetime | None, lower: datetime, upper: datetime) -> bool:
    if end is None:
        return lower <= start < upper
    return start < upper and end > lower


def single_occurrence(row: EventRow) -> Occurrence:
    return Occurrence(
        row, row.start, row.end, None, row.title, row.location, row.status, row.attendance
    )


def series_occurrence(row: EventRow, recurrence_id: datetime, change: Change | None) -> Occurrence:
    """One date of a series, with its change applied (moved, renamed, cancelled, …)."""
    duration = row.duration
    start = change.start if change and change.start else recurrence_id
    if change and change.end:
        end: datetime | None = change.end
    else:
        end = start + duration if duration is not None else None
    status = change.status if change else row.status
    if row.status == "cancelled":
        status = "cancelled"
    return Occurrence(
        row,
        start,
        end,
        recurrence_id,
        (change.title if change and change.title else row.title),
        (change.location if change and change.location else row.location),
        status,
        change.attendance if change else None,
    )


def expand(
    row: EventRow, changes: dict[datetime, Change], lower: datetime, upper: datetime
) -> list[Occurrence]:
    """The occurrences of one series that overlap [lower, upper)."""
    assert row.rrule is not None
    reach = lower - (row.duration or timedelta(0))
    dates = set(recurrence.starts_between(row.rrule, row.start, row.until, reach, upper, row.tzid))
    for recurrence_id in changes.keys() - dates:  # a date moved into the window from outside
        if is_date_of(row, recurrence_id):  # and not one the rule no longer gives
            dates.add(recurrence_id)
    found = []
    for recurrence_id in sorted(dates):
        occurrence = series_occurrence(row, recurrence_id, changes.get(recurrence_id))
        if _overlaps(occurrence.start, occurrence.end, lower, upper):
            found.append(occurrence)
    return found


def is_date_of(row: EventRow, moment: datetime) -> bool:
    """Whether the series' rule has a date starting at `moment` (a changed date keeps its
    key when the series moves to other days, and applies again if the rule gives it)."""
    assert row.rrule is not None
    found = recurrence.starts_between(
        row.rrule, row.start, row.until, moment, moment + timedelta(seconds=1), row.tzid
    )
    return found == [moment]


#: A list shows at most this many dates of one series, and says so when it cuts.
MAX_DATES_PER_SERIES = 1000


@dataclass
class Cut:
    """A series with more dates in the window than a list shows."""

    event_id: int
    title: str
    dates: int
    last_shown: datetime

    def message(self) -> str:
        return (
            f"event #{self.event_id} {self.title!r} has {self.dates} dates in this window; "
            f"the first {MAX_DATES_PER_SERIES} are listed (to {self.last_shown:%Y-%m-%d}); "
            "narrow --from/--to to see the others"
        )


def occurrences_of(
    connection: Connection,
    rows: Sequence[EventRow],
    lower: datetime,
    upper: datetime,
    cuts: list[Cut] | None = None,
) -> list[Occurrence]:
    """Every occurrence of these events inside [lower, upper), in time order.

    Given `cuts`, a series keeps its first MAX_DATES_PER_SERIES dates, and each series
    cut short is added there (lists say so)."""
    series = [row for row in rows if row.rrule]
    changes = _changes(connection, series, lower, upper) if series else {}
    found: list[Occurrence] = []
    for row in rows:
        if row.rrule:
            dates = expand(row, changes.get(row.id, {}), lower, upper)
            if cuts is not None and len(dates) > MAX_DATES_PER_SERIES:
                shown = dates[:MAX_DATES_PER_SERIES]
                cuts.append(Cut(row.id, row.title, len(dates), shown[-1].start))
                dates = shown
            found.extend(dates)
        elif _overlaps(row.start, row.end, lower, upper):
            found.append(single_occurrence(row))
    found.sort(key=lambda o: (o.start, o.title, o.event.id))
    return found


def list_occurrences(
    connection: Connection, criteria: EventFilter, cuts: list[Cut] | None = None
) -> list[Occurrence]:
    """The occurrences in the filter's window, filtered, in time order (see `cuts` in
    `occurrences_of`)."""
    lower, upper = criteria.window()
    clauses = filter_clauses(connection, criteria)
    statuses = wanted_statuses(criteria)
    rows = window_rows(connection, lower, upper, clauses)
    found = occurrences_of(connection, rows, lower, upper, cuts)
    if statuses:
        found = [o for o in found if o.status in statuses]
    return found


@dataclass
class Links:
    """Districts, organisers and project titles of a set of events."""

    districts: dict[int, list[str]]
    organisers: dict[int, list[str]]
    projects: dict[int, str]


def links(connection: Connection, rows: Iterable[EventRow]) -> Links:
    ids = sorted({row.id for row in rows})
    districts: dict[int, list[str]] = defaultdict(list)
    organisers: dict[int, list[str]] = defaultdict(list)
    for chunk in in_chunks(ids):
        for event_id, slug in connection.execute(
            select(EVENT_DISTRICT.c.event_id, DISTRICT.c.slug)
            .join(DISTRICT, DISTRICT.c.id == EVENT_DISTRICT.c.district_id)
            .where(EVENT_DISTRICT.c.event_id.in_(chunk))
            .order_by(DISTRICT.c.slug)
        ):
            districts[event_id].append(slug)
        for event_id, name in connection.execute(
            select(EVENT_ORGANISER.c.event_id, ACTOR.c.name)
            .join(ACTOR, ACTOR.c.id == EVENT_ORGANISER.c.actor_id)
            .where(EVENT_ORGANISER.c.event_id.in_(chunk))
            .order_by(ACTOR.c.name)
        ):
            organisers[event_id].append(name)
    project_ids = sorted({row.project_id for row in rows if row.project_id is not None})
    projects: dict[int, str] = {}
    for chunk in in_chunks(project_ids):
        for project_id, title in connection.execute(
            select(PROJECT.c.id, PROJECT.c.title).where(PROJECT.c.id.in_(chunk))
        ):
            projects[project_id] = title
    return Links(districts, organisers, projects)
