"""Section: the events held in the month (recurring series expanded), and their districts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from stm.services.report.lookups import rows_for_ids
from stm.services.report.period import Period, Scope
from stm.services.report.records import Dated, EventRecord
from stm.store import tables

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def occurrences(connection: Connection, lower: datetime, upper: datetime) -> list[Dated]:
    """Every event start in [lower, upper), as plain data: single events, and the dates of
    recurring series with their changes (a date moved into the window counts, one moved
    out of it does not), expanded by `stm.services.events` as `stm event list` does.
    A meeting's event carries `meeting: True`."""
    from stm.services import events as timeline

    rows = timeline.window_rows(connection, lower, upper)
    found = [
        o for o in timeline.occurrences_of(connection, rows, lower, upper)
        if lower <= o.start < upper
    ]  # fmt: skip
    m = tables.MEETING.c
    meetings = {
        row.event_id
        for row in rows_for_ids(
            connection,
            lambda c: select(m.event_id).where(m.event_id.in_(c)),
            {o.event.id for o in found},
        )
    }
    records = [_dated(o, meetings) for o in found]
    records.sort(key=lambda item: (item["start"], item["id"]))
    return records


def _dated(occurrence: Any, meetings: set[int]) -> Dated:
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


def placed(
    items: Iterable[Dated], links: dict[int, list[int]], scope: Scope,
    slugs: dict[int, str], *, keep_meetings: bool = False,
) -> list[EventRecord]:  # fmt: skip
    """Occurrences in the scope, each with its districts' slugs; with `keep_meetings`,
    meetings of bodies without a district (city-wide ones) are kept in every scope."""
    kept: list[EventRecord] = []
    for item in items:
        district_ids = links.get(item["id"], [])
        city_wide = keep_meetings and item["meeting"] and not district_ids
        if not scope.covers(district_ids) and not city_wide:
            continue
        kept.append(_event(item, sorted(slugs[d] for d in district_ids)))
    return kept


def _event(item: Dated, districts: list[str]) -> EventRecord:
    return {
        "id": item["id"],
        "title": item["title"],
        "kind": item["kind"],
        "start": item["start"],
        "end": item["end"],
        "all_day": item["all_day"],
        "location": item["location"],
        "status": item["status"],
        "expected": item["expected"],
        "attendance": item["attendance"],
        "recurring": item["recurring"],
        "districts": districts,
    }


def held_events(
    dated: list[Dated], links: dict[int, list[int]], period: Period, scope: Scope,
    slugs: dict[int, str],
) -> list[EventRecord]:  # fmt: skip
    """Events that took place in the month (not cancelled, not meetings), with attendance."""
    found = [
        o for o in dated
        if period.holds(o["start"]) and o["status"] != "cancelled" and not o["meeting"]
    ]  # fmt: skip
    return placed(found, links, scope, slugs)
