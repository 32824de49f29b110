"""Matching the events of an iCalendar file to the register (`stm event import`).

Reading the file is `stm.formats.ics`; here its events are checked, matched to stored
events by UID (a second import updates instead of adding twice), and their organisers,
projects, districts and changed dates linked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from stm import clock, recurrence
from stm.errors import Ambiguous, Invalid, NotFound
from stm.models.core import Actor, District
from stm.models.events import Event, EventOccurrence
from stm.models.projects import Project
from stm.names import fold
from stm.parsing import choose
from stm.services import refs
from stm.services.activity import log
from stm.services.events.editing import MAX_LOCATION, set_links
from stm.services.events.occurrences import LONGEST_OCCURRENCE, EventRow, is_date_of
from stm.vocab import EventKind, EventStatus

if TYPE_CHECKING:
    from stm.formats.ics import IcsChange, IcsEvent, ReadCalendar


@dataclass
class ImportOptions:
    skip_invalid: bool = False
    districts: Sequence[str] = ()
    kind: str | None = None
    project: str | None = None
    source: str = "file"


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    #: What was not taken as it stood: (kind, which event); counted per kind for the user.
    notices: list[tuple[str, str]] = field(default_factory=list)

    def notice_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for kind, _where in self.notices:
            counts[kind] = counts.get(kind, 0) + 1
        return counts


def _checked(read: ReadCalendar, options: ImportOptions) -> tuple[list[IcsEvent], list[str]]:
    """The file's events that can be imported, and what is wrong with the others; any
    problem refuses the whole file unless `skip_invalid`."""
    problems = [str(p) for p in read.problems]
    valid = []
    for position, item in enumerate(read.events, start=1):
        message = _import_problem(item)
        if message:
            problems.append(f"event {position} {item.title!r} (UID {item.uid}): {message}")
        else:
            valid.append(item)
    if problems and not options.skip_invalid:
        total = read.components
        raise Invalid(
            options.source,
            f"{len(problems)} of {total} events cannot be read, nothing imported: "
            + "; ".join(problems[:5])
            + ("; …" if len(problems) > 5 else "")
            + ". Use --skip-invalid to import the others",
        )
    return valid, problems


def import_calendar(session: Session, data: bytes, options: ImportOptions) -> ImportResult:
    """Read an .ics file; events with a known UID are updated, not added twice.

    A file with an unreadable event imports nothing (naming the event) unless
    `skip_invalid`; a file that is not iCalendar at all is an error.
    """
    from stm.formats import ics
    from stm.store import lock_for_import

    lock_for_import(session)  # UIDs are matched against what the register holds
    districts = refs.districts(session, options.districts) if options.districts else []
    kind = choose(EventKind, options.kind, "kind").value if options.kind else None
    project = refs.project(session, options.project) if options.project else None
    read = ics.read_calendar(data, clock.timezone())
    valid, problems = _checked(read, options)
    result = ImportResult(skipped=problems, notices=[(n.kind, n.where) for n in read.notices])
    known = _district_slugs(session)
    lookup = _ImportLinks(session, result)
    for item in valid:
        here = ics.where(item.position, item.title, item.uid)
        item_project = project or lookup.project(item.project, here)
        event, added = _upsert(session, item, kind, item_project)
        item_districts = districts or [known[s] for s in item.districts if s in known]
        values: dict[str, Any] = {"organisers": lookup.organisers(item.contacts, here)}
        if item_districts or added:
            values["districts"] = item_districts
        if values["organisers"] or added:
            set_links(session, event, values)
        elsewhere = _import_changes(session, event, item)
        result.events.append(event)
        if added:
            result.added += 1
        else:
            result.updated += 1
        for change in elsewhere:  # a changed date its series does not give: kept on its own
            alone = ics.change_alone(item, change)
            single, single_added = _upsert(session, alone, kind, item_project)
            set_links(session, single, {"districts": item_districts})
            result.events.append(single)
            result.added += int(single_added)
            result.updated += int(not single_added)
            result.notices.append(
                ("changed date (RECURRENCE-ID) matching no date of its series, imported "
                 "alone", f"{here}, {change.recurrence_id:%Y-%m-%d %H:%M}")
            )  # fmt: skip
    session.flush()
    log(
        session, "event.import", "event", None,
        f"{result.added} added, {result.updated} updated from {options.source}",
    )  # fmt: skip
    return result


class _ImportLinks:
    """Organisers and projects an .ics names, looked up in the register once each."""

    def __init__(self, session: Session, result: ImportResult) -> None:
        self.session = session
        self.result = result
        self._actors: dict[str, Actor | None] = {}
        self._projects: dict[str, Project | None] = {}

    def organisers(self, names: Sequence[str], here: str) -> list[Actor]:
        found = []
        for name in names:
            if name not in self._actors:
                matches = self.session.exec(
                    select(Actor).where(Actor.key == fold(name), col(Actor.erased_at).is_(None))
                ).all()
                self._actors[name] = matches[0] if len(matches) == 1 else None
            actor = self._actors[name]
            if actor is None:
                self.result.notices.append(
                    ("organiser (ORGANIZER/CONTACT) not in the register", f"{here}: {name}")
                )
            elif actor not in found:
                found.append(actor)
        return found

    def project(self, title: str | None, here: str) -> Project | None:
        if not title:
            return None
        if title not in self._projects:
            try:
                self._projects[title] = refs.project(self.session, title)
            except (Invalid, NotFound, Ambiguous):
                self._projects[title] = None
        if self._projects[title] is None:
            self.result.notices.append(
                ("project (X-STM-PROJECT) not in the register", f"{here}: {title}")
            )
        return self._projects[title]


def _import_problem(item: IcsEvent) -> str | None:
    if len(item.title) > 200:
        item.title = item.title[:199] + "…"
    if item.rrule and item.end is not None and item.end - item.start > LONGEST_OCCURRENCE:
        return f"one date of a repeating event may last at most {LONGEST_OCCURRENCE.days} days"
    if item.location and len(item.location) > MAX_LOCATION:
        item.location = item.location[: MAX_LOCATION - 1] + "…"
    return None


def _district_slugs(session: Session) -> dict[str, District]:
    return {d.slug: d for d in session.exec(select(District)).all()}


def _kind_of(item: IcsEvent, default: str | None) -> str:
    candidates = [item.kind] if item.kind else []
    candidates += item.categories
    for candidate in candidates:
        try:
            return choose(EventKind, candidate, "kind").value
        except Invalid:
            continue
    return default or EventKind.sonstiges.value


def _upsert(
    session: Session, item: IcsEvent, kind: str | None, project: Project | None
) -> tuple[Event, bool]:
    event = session.exec(select(Event).where(Event.uid == item.uid)).first()
    added = event is None
    now = clock.now()
    if event is None:
        event = Event(
            uid=item.uid, title=item.title, start=item.start, created_at=now, updated_at=now
        )
    event.title = item.title
    event.kind = kind or _kind_of(item, event.kind if not added else None)
    event.start, event.end, event.all_day = item.start, item.end, item.all_day
    event.rrule = item.rrule
    event.tzid = item.tzid if item.rrule else None
    event.until = recurrence.last_start(item.rrule, item.start, event.tzid) if item.rrule else None
    event.location = item.location
    event.description = item.description
    cancelled, held = EventStatus.cancelled.value, EventStatus.held.value
    if cancelled in (item.status, event.status) or item.status == held:
        event.status = item.status
    if item.expected is not None:
        event.expected = item.expected
    if item.attendance is not None:
        event.attendance = item.attendance
    if project is not None:
        event.project_id = project.id
    event.updated_at = now
    session.add(event)
    session.flush()
    return event, added


def _import_changes(session: Session, event: Event, item: IcsEvent) -> list[IcsChange]:
    """The series' changed and cancelled dates; returns those its rule does not give.

    New dates go in with one multi-row INSERT: calendars with 100,000 EXDATEs exist."""
    if not event.rrule:
        return []
    row = EventRow.of(event)
    elsewhere = []
    held = {
        c.recurrence_id: c
        for c in session.exec(
            select(EventOccurrence).where(EventOccurrence.event_id == event.id)
        ).all()
    }
    new: dict[datetime, dict[str, Any]] = {}
    for ics_change in item.changes:
        plain_exdate = ics_change.status == EventStatus.cancelled.value and not ics_change.start
        if not plain_exdate and not is_date_of(row, ics_change.recurrence_id):
            elsewhere.append(ics_change)
            continue
        values: dict[str, Any] = {
            "status": ics_change.status,
            "start": ics_change.start if ics_change.start != ics_change.recurrence_id else None,
            "end": ics_change.end,
            "title": ics_change.title if ics_change.title != event.title else None,
            "location": ics_change.location if ics_change.location != event.location else None,
        }
        if ics_change.attendance is not None:
            values["attendance"] = ics_change.attendance
        change = held.get(ics_change.recurrence_id)
        if change is None:
            new[ics_change.recurrence_id] = {
                "event_id": event.id, "recurrence_id": ics_change.recurrence_id,
                "attendance": None, **values,
            }  # fmt: skip
            continue
        for name, value in values.items():
            setattr(change, name, value)
        session.add(change)
    if new:
        from sqlalchemy import insert

        table = EventOccurrence.__table__  # type: ignore[attr-defined]
        session.flush()
        session.connection().execute(insert(table), list(new.values()))
    return elsewhere
