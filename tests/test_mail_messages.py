"""The mail messages and iTIP calendars on their own, without the CLI or a server."""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.parser import BytesParser
from zoneinfo import ZoneInfo

import pytest

from stm.formats.itip import MeetingEntry, Party, meeting_calendar
from stm.services.mail.messages import Attachment, Letter, as_bytes, build_message
from stm.services.mail.settings import MailSettings

SETTINGS = MailSettings(
    host="smtp.example.org",
    port=587,
    security="starttls",
    sender="buero@stadtteil.example",
    sender_name="Stadtteilbüro Groß Klein",
    reply_to="anna@stadtteil.example",
)
ENTRY = MeetingEntry(
    uid="meeting-1234@stm",
    title="12. Stadtteiltisch Groß Klein",
    start=datetime(2026, 12, 8, 18, 0),
    end=datetime(2026, 12, 8, 20, 0),
    location="Börse, Gerüstbauerring 28",
    description="Tagesordnung:\nTOP 1 18:00 Begrüßung",
    timezone="Europe/Berlin",
    stamp=datetime(2026, 11, 20, 10, 0),
)
OFFICE = Party("Stadtteilbüro Groß Klein", "buero@stadtteil.example")
GUEST = Party("Jörg Weiß", "joerg@example.org")


@pytest.mark.parametrize(("method", "status"), [("REQUEST", "CONFIRMED"), ("CANCEL", "CANCELLED")])
def test_itip_calendar_reads_in_icalendar_and_vobject(method, status):
    import vobject
    from icalendar import Calendar

    data = meeting_calendar(ENTRY, OFFICE, GUEST, sequence=3, method=method)
    calendar = Calendar.from_ical(data)
    assert str(calendar["METHOD"]) == method
    event = next(iter(calendar.walk("VEVENT")))
    assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (
        "meeting-1234@stm", 3, status)  # fmt: skip
    assert event.decoded("DTSTART") == datetime(2026, 12, 8, 18, tzinfo=ZoneInfo("Europe/Berlin"))
    assert event.decoded("DTSTAMP").isoformat() == "2026-11-20T09:00:00+00:00"
    assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
    assert event["ATTENDEE"].params["ROLE"] == "REQ-PARTICIPANT"
    parsed = vobject.readOne(data.decode("utf-8"))
    assert parsed.vevent.summary.value == "12. Stadtteiltisch Groß Klein"
    assert parsed.vevent.attendee.params["CN"] == ["Jörg Weiß"]
    assert parsed.vevent.organizer.value == "mailto:buero@stadtteil.example"
    assert b"BEGIN:VTIMEZONE" in data and b"TZID:Europe/Berlin" in data


def test_itip_refuses_an_unknown_method():
    with pytest.raises(ValueError):
        meeting_calendar(ENTRY, OFFICE, GUEST, sequence=0, method="PUBLISH")


def test_message_headers_are_encoded_and_name_one_recipient():
    letter = Letter(
        to_name="Jörg Weiß",
        to_address="joerg@example.org",
        subject="Geänderte Einladung: 12. Stadtteiltisch Groß Klein am 08.12.2026",
        text="Grüße\n",
        html="<p>Grüße</p>",
        calendar=meeting_calendar(ENTRY, OFFICE, GUEST, sequence=1),
        attachments=[Attachment("Tagesordnung.pdf", b"%PDF-1.7 test")],
    )
    moment = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    raw = as_bytes(build_message(letter, SETTINGS, message_id="<x@stadtteil.example>",
                                 moment=moment))  # fmt: skip
    head = raw.split(b"\r\n\r\n")[0].decode("ascii")  # headers are 7-bit: RFC 2047 words
    assert "Subject: =?utf-8?" in head
    assert "Date: Fri, 20 Nov 2026 10:00:00 +0100" in head
    assert "Reply-To: anna@stadtteil.example" in head
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert message["Subject"] == letter.subject
    assert [a.addr_spec for a in message["To"].addresses] == ["joerg@example.org"]
    assert message["To"].addresses[0].display_name == "Jörg Weiß"
    assert message["From"].addresses[0].display_name == "Stadtteilbüro Groß Klein"
    assert message["Message-ID"] == "<x@stadtteil.example>"
    assert [p.get_content_type() for p in message.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html",
        "text/calendar", "application/pdf"]  # fmt: skip
    assert message.get_body(("plain",)).get_content().splitlines() == ["Grüße"]
    calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    assert "SEQUENCE:1" in calendar.get_content()
