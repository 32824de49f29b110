"""iTIP (RFC 5546) invitations: a meeting as `METHOD:REQUEST` or `METHOD:CANCEL`.

One calendar per recipient, with ORGANIZER (the office) and ATTENDEE (the recipient,
RSVP=TRUE), so that Outlook, Thunderbird and Apple Mail show Accept/Decline and file
the meeting in the calendar. The UID is the meeting's event's stable UID; SEQUENCE
counts the changes of time or place the attendees were told about (RFC 5546 §2.1.4): an
update carries a higher SEQUENCE and replaces the entry, a cancel carries the UID and
the next SEQUENCE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PRODID = "-//stm//Stadtteilmanagement//DE"


@dataclass(frozen=True)
class Party:
    name: str
    address: str


@dataclass(frozen=True)
class MeetingEntry:
    """What a calendar shows of a meeting (wall-clock times in `timezone`)."""

    uid: str
    title: str
    start: datetime
    end: datetime
    location: str | None
    description: str
    timezone: str
    stamp: datetime  # now, wall-clock


def meeting_calendar(
    entry: MeetingEntry,
    organiser: Party,
    attendee: Party,
    *,
    sequence: int,
    method: str = "REQUEST",
) -> bytes:
    """The iCalendar object for one recipient: METHOD REQUEST (invite, update) or CANCEL."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event, vCalAddress, vText

    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unsupported iTIP method {method!r}")
    zone = ZoneInfo(entry.timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", entry.uid)
    event.add("sequence", sequence)
    event.add("dtstamp", entry.stamp.replace(tzinfo=zone).astimezone(ZoneInfo("UTC")))
    event.add("dtstart", entry.start.replace(tzinfo=zone))
    event.add("dtend", entry.end.replace(tzinfo=zone))
    event.add("summary", entry.title)
    if entry.location:
        event.add("location", entry.location)
    if entry.description:
        event.add("description", entry.description)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{organiser.address}")
    organizer.params["cn"] = vText(organiser.name)
    event.add("organizer", organizer)
    guest = vCalAddress(f"mailto:{attendee.address}")
    guest.params["cn"] = vText(attendee.name)
    guest.params["role"] = vText("REQ-PARTICIPANT")
    guest.params["partstat"] = vText("NEEDS-ACTION")
    guest.params["rsvp"] = vText("TRUE")
    event.add("attendee", guest)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
