"""What stm reads from and writes to iCalendar files: events, their changed dates, and
the problems and notices of reading a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

PRODID = "-//stm//Stadtteilmanagement-Toolkit//DE"
FIELD = "FILE"
MAX_BYTES = 50 * 1024 * 1024


@dataclass
class IcsChange:
    """One changed or cancelled date of a series (RECURRENCE-ID, or an EXDATE)."""

    recurrence_id: datetime
    status: str = "planned"
    start: datetime | None = None
    end: datetime | None = None
    title: str | None = None
    location: str | None = None
    attendance: int | None = None


@dataclass
class IcsEvent:
    """An event as iCalendar sees it, in naive wall-clock times of the office's zone."""

    uid: str
    title: str
    start: datetime
    end: datetime | None
    all_day: bool = False
    rrule: str | None = None
    location: str | None = None
    description: str | None = None
    status: str = "planned"
    kind: str | None = None
    categories: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    changes: list[IcsChange] = field(default_factory=list)
    tzid: str | None = None  # the zone a series repeats in, if not the office's
    project: str | None = None
    expected: int | None = None
    attendance: int | None = None
    position: int = 0  # of its VEVENT in the file, 1-based


@dataclass
class Problem:
    """An event in a file that could not be read."""

    position: int  # 1-based, in file order
    uid: str | None
    title: str | None
    message: str

    def __str__(self) -> str:
        name = f" {self.title!r}" if self.title else ""
        uid = f" (UID {self.uid})" if self.uid else ""
        return f"event {self.position}{name}{uid}: {self.message}"


@dataclass
class Notice:
    """Something of the file that was not taken as it stood; the importer tells of it."""

    kind: str  # what, counted per kind: "properties not imported: ATTENDEE", …
    where: str  # which event

    def __str__(self) -> str:
        return f"{self.where}: {self.kind}"


@dataclass
class ReadCalendar:
    events: list[IcsEvent]
    problems: list[Problem]
    components: int  # VEVENTs in the file
    notices: list[Notice] = field(default_factory=list)


def where(position: int, title: str | None, uid: str | None) -> str:
    return str(Problem(position, uid, title, "")).rstrip(": ")


def single_date(event: IcsEvent, start: datetime, end: datetime | None) -> IcsEvent:
    """One date of `event` as an event of its own (an RDATE, or a DTSTART off its rule):
    the same title, place and links, no rule, no changed dates, no attendance."""
    from dataclasses import replace

    uid = f"{event.uid}/{start:%Y%m%dT%H%M%S}"
    return replace(
        event, uid=uid, start=start, end=end, rrule=None, changes=[], tzid=None, attendance=None
    )


def change_alone(event: IcsEvent, change: IcsChange) -> IcsEvent:
    """A changed date of a series that its rule does not give, as an event of its own."""
    start = change.start or change.recurrence_id
    duration = event.end - event.start if event.end else None
    return IcsEvent(
        uid=f"{event.uid}/{change.recurrence_id:%Y%m%dT%H%M%S}",
        title=change.title or event.title,
        start=start,
        end=change.end or (start + duration if duration else None),
        all_day=event.all_day,
        location=change.location or event.location,
        description=event.description,
        status=change.status,
        kind=event.kind,
        categories=event.categories,
        attendance=change.attendance,
    )
