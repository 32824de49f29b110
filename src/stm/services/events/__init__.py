"""Events: Stadtteilfest, Flohmarkt, Frühjahrsputz, Sprechstunde, meetings' dates, ….

An event has a wall-clock start, an end (exclusive; all-day events end at midnight after
their last day) or none, and may repeat by an RFC 5545 rule (`stm.recurrence`). One date
of a series can be changed or cancelled on its own (`EventOccurrence`, keyed by the date
the rule gives it, as iCalendar's RECURRENCE-ID). Cancelling keeps the event with status
`cancelled`; only `delete` removes a wrongly entered one.

This is the noun's face; behind it:

- `when`: the typed date, time and end of an event (`EventFields`);
- `editing`, `status`, `lookup`: add and edit; cancel, delete, attendance; finding one;
- `warnings`: public holidays and clashes at the same place (strings the CLI prints);
- `filters`, `occurrences`: the fast listing of a window over the light tables;
- `records`: the JSON shapes (SPEC §7) as TypedDicts;
- `ics_import`, `ics_export`: matching iCalendar files to the register.

Other services create events through `create_event` (meetings do, with kind `meeting`).
The listing's names load light (no ORM, for `stm event list` and `stm calendar`); the
others are loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stm.services.events.filters import EventFilter
from stm.services.events.occurrences import (
    LONGEST_OCCURRENCE,
    Cut,
    EventRow,
    Occurrence,
    days_of,
    links,
    list_occurrences,
    occurrences_of,
    window_rows,
)
from stm.services.events.records import (
    DateRecord,
    EventDetail,
    EventRecord,
    ShownEvent,
    occurrence_record,
    occurrence_records,
    when_text,
)
from stm.services.faces import lazy_names
from stm.services.refs.district_match import district_ids_in as district_ids
from stm.services.refs.district_match import district_rows

if TYPE_CHECKING:
    from stm.services.events.editing import add_event, create_event, edit_event
    from stm.services.events.ics_export import export_calendar
    from stm.services.events.ics_import import ImportOptions, ImportResult, import_calendar
    from stm.services.events.lookup import find_event
    from stm.services.events.records import event_detail, event_record
    from stm.services.events.status import cancel_event, delete_event, record_attendance
    from stm.services.events.when import EventFields

#: Names whose modules need the ORM (or icalendar): loaded when first asked for.
_LAZY = {
    "EventFields": "when",
    "add_event": "editing",
    "create_event": "editing",
    "edit_event": "editing",
    "find_event": "lookup",
    "cancel_event": "status",
    "delete_event": "status",
    "record_attendance": "status",
    "event_record": "records",
    "event_detail": "records",
    "export_calendar": "ics_export",
    "ImportOptions": "ics_import",
    "ImportResult": "ics_import",
    "import_calendar": "ics_import",
}


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "LONGEST_OCCURRENCE",
    "Cut",
    "DateRecord",
    "EventDetail",
    "EventFields",
    "EventFilter",
    "EventRecord",
    "EventRow",
    "ImportOptions",
    "ImportResult",
    "Occurrence",
    "ShownEvent",
    "add_event",
    "cancel_event",
    "create_event",
    "days_of",
    "delete_event",
    "district_ids",
    "district_rows",
    "edit_event",
    "event_detail",
    "event_record",
    "export_calendar",
    "find_event",
    "import_calendar",
    "links",
    "list_occurrences",
    "occurrence_record",
    "occurrence_records",
    "occurrences_of",
    "record_attendance",
    "when_text",
    "window_rows",
]
