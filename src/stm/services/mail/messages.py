"""One MIME message per recipient, as mail programs expect it.

    multipart/mixed
      multipart/alternative
        text/plain                      the letter
        text/html                       the same letter
        text/calendar; method=REQUEST   the iTIP invitation (or CANCEL), if any
      application/pdf                   the document (agenda, minutes), if any

Google Calendar and Outlook send invitations in this shape: the calendar part is an
alternative of the letter, so Thunderbird, Apple Mail and Outlook show Accept/Decline.
One address in To:, never a list (SPEC §2.7). Headers are encoded by the `email`
package (RFC 2047 for umlauts in the subject and in names).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage

from stm.services.mail.settings import MailSettings


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str = "application"
    subtype: str = "pdf"


@dataclass
class Letter:
    """What one recipient gets; the transport details are added by `build_message`."""

    to_name: str
    to_address: str
    subject: str
    text: str
    html: str
    calendar: bytes | None = None
    calendar_method: str = "REQUEST"
    attachments: list[Attachment] = field(default_factory=list)


def new_message_id(settings: MailSettings) -> str:
    from email.utils import make_msgid

    return make_msgid(idstring="stm", domain=settings.domain)


def build_message(
    letter: Letter, settings: MailSettings, *, message_id: str, moment: datetime
) -> EmailMessage:
    """The message for one recipient; `moment` is an aware datetime for the Date header."""
    from email.headerregistry import Address
    from email.utils import format_datetime

    message = EmailMessage()
    message["Subject"] = letter.subject
    message["From"] = Address(settings.sender_name, addr_spec=settings.sender)
    message["To"] = Address(letter.to_name, addr_spec=letter.to_address)
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Date"] = format_datetime(moment)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message["X-Mailer"] = "stm (Stadtteilmanagement)"
    message.set_content(letter.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(letter.html, subtype="html", charset="utf-8", cte="quoted-printable")
    if letter.calendar is not None:
        message.add_alternative(
            letter.calendar.decode("utf-8"),
            subtype="calendar",
            charset="utf-8",
            cte="quoted-printable",
            params={"method": letter.calendar_method},
        )
    for attachment in letter.attachments:
        message.add_attachment(
            attachment.content,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
        )
    return message


def as_bytes(message: EmailMessage) -> bytes:
    """The message as a mail program stores it (`.eml`), lines ending in CRLF."""
    from email import policy

    return message.as_bytes(policy=policy.SMTP)
