"""Meetings of a network: the agenda before, the minutes during and after, the tasks.

A meeting is an event of a network (kind `meeting`, in the network's district), with a
number per network ("12. Stadtteiltisch Schmarl"). Its life: scheduled → invited →
held (the first minutes are kept) → approved (the minutes are locked).

This is the noun's face; behind it:

- `lookup`: a meeting by id, `next` or `last`; its event and network;
- `lifecycle`: new, edit, list;
- `agenda`: the TOPs (standard ones of the network's kind, add/edit/move/remove);
- `minutes`: attendance, notes, decisions with votes, the quorum, approval;
- `tasks`, `task_list`: tasks from the minutes or free; listing them over light tables;
- `records`: the JSON shape (SPEC §7); `documents`: the plain data of invitation and
  Protokoll for `stm.render` (the iCalendar invitation is `stm.formats.ics`).

Names are loaded on first use, so that `stm tasks list` (via `task_list`) builds no ORM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stm.services.faces import lazy_names

if TYPE_CHECKING:
    from stm.services.meetings.agenda import (
        AgendaFields,
        add_item,
        agenda_item,
        agenda_items,
        edit_item,
        move_item,
        refuse_if_approved,
        remove_item,
        standard_agenda,
    )
    from stm.services.meetings.documents import (
        agenda_document,
        attendance_lists,
        document_header,
        minutes_document,
        task_rows,
    )
    from stm.services.meetings.lifecycle import (
        MeetingFields,
        MeetingFilter,
        edit_meeting,
        list_meetings,
        new_meeting,
    )
    from stm.services.meetings.lookup import event_of, network_of, resolve, title_of
    from stm.services.meetings.records import MeetingRecord, meeting_detail, meeting_records

_LAZY = {
    "AgendaFields": "agenda",
    "add_item": "agenda",
    "agenda_item": "agenda",
    "agenda_items": "agenda",
    "edit_item": "agenda",
    "move_item": "agenda",
    "refuse_if_approved": "agenda",
    "remove_item": "agenda",
    "standard_agenda": "agenda",
    "agenda_document": "documents",
    "attendance_lists": "documents",
    "document_header": "documents",
    "minutes_document": "documents",
    "task_rows": "documents",
    "MeetingFields": "lifecycle",
    "MeetingFilter": "lifecycle",
    "edit_meeting": "lifecycle",
    "list_meetings": "lifecycle",
    "new_meeting": "lifecycle",
    "event_of": "lookup",
    "network_of": "lookup",
    "resolve": "lookup",
    "title_of": "lookup",
    "MeetingRecord": "records",
    "meeting_detail": "records",
    "meeting_records": "records",
}


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "AgendaFields",
    "MeetingFields",
    "MeetingFilter",
    "MeetingRecord",
    "add_item",
    "agenda_document",
    "agenda_item",
    "agenda_items",
    "attendance_lists",
    "document_header",
    "edit_item",
    "edit_meeting",
    "event_of",
    "list_meetings",
    "meeting_detail",
    "meeting_records",
    "minutes_document",
    "move_item",
    "network_of",
    "new_meeting",
    "refuse_if_approved",
    "remove_item",
    "resolve",
    "standard_agenda",
    "task_rows",
    "title_of",
]
