"""Events as iCalendar (RFC 5545), with the `icalendar` library.

Writing: one VCALENDAR with a VTIMEZONE for the office's zone (Europe/Berlin) by yearly
rules (`vtimezone`), times as
local times with TZID, all-day events as DATE values, stable UIDs, the RRULE (UNTIL in
UTC, as the RFC asks), cancelled dates as EXDATE and changed dates as their own VEVENT
with a RECURRENCE-ID. Whole cancelled events carry STATUS:CANCELLED. `X-STM-KIND` and
`X-STM-DISTRICTS` keep what iCalendar has no property for, so a re-import keeps them.

Reading: whatever other calendar programs write: a bare VEVENT without VCALENDAR, UTC
times (`…Z`), floating times, TZIDs defined by a VTIMEZONE of their own (even one made
of RDATEs), all-day events, RRULE with EXDATE, RECURRENCE-ID overrides, escaped commas.
Times become naive wall-clock times of the office's zone. A file that is not iCalendar
(HTML, empty, cut off) is an `Invalid` error; an event that cannot be read is reported
as a problem naming it, so the caller can refuse or skip it.
"""

from __future__ import annotations

from stm.formats.ics.model import (
    FIELD,
    MAX_BYTES,
    PRODID,
    IcsChange,
    IcsEvent,
    Notice,
    Problem,
    ReadCalendar,
    change_alone,
    where,
)
from stm.formats.ics.reading import check_text, read_calendar
from stm.formats.ics.writing import AGENDA_HEADINGS, vtimezone, write_calendar, write_invitation

__all__ = [
    "AGENDA_HEADINGS",
    "FIELD",
    "MAX_BYTES",
    "PRODID",
    "IcsChange",
    "IcsEvent",
    "Notice",
    "Problem",
    "ReadCalendar",
    "change_alone",
    "check_text",
    "read_calendar",
    "vtimezone",
    "where",
    "write_calendar",
    "write_invitation",
]
