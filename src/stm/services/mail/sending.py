"""Sending a run of messages through the office's SMTP server, one recipient at a time.

Every message the server accepts is entered in the send log at once, in a transaction
of its own, so an interrupted run (connection lost, an address refused, Ctrl-C) loses
nothing: what was accepted is logged, what was not is named, and a rerun sends only
what is missing. A failure with one recipient does not stop the others; a lost
connection is opened again once for the next one.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from stm import clock
from stm.errors import StmError
from stm.services.mail.messages import Letter, as_bytes, build_message, new_message_id
from stm.services.mail.recipients import Recipient
from stm.services.mail.settings import MailSettings

if TYPE_CHECKING:
    from sqlmodel import Session

TIMEOUT_SECONDS = 30


class MailError(StmError):
    """The mail server cannot be used (unreachable, refused the login): nothing was sent."""

    exit_code = 1


class Refused(Exception):
    """The server refused one message (an address, the content); the run goes on."""


@dataclass
class Outgoing:
    """One message still to send, and what the send log will say about it."""

    recipient: Recipient
    kind: str
    letter: Letter
    meeting_id: int | None = None
    sequence: int | None = None
    batch: str = ""
    fingerprint: str = ""


@dataclass
class Plan:
    """What a command will send: to whom, and who is left out and why."""

    what: str  # "the invitation to 12. Stadtteiltisch Schmarl"
    outgoing: list[Outgoing] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # names that have it already
    without_address: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    sent: list[Outgoing] = field(default_factory=list)
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)
    interrupted: bool = False


def _aware(moment: datetime) -> datetime:
    from zoneinfo import ZoneInfo

    return moment.replace(tzinfo=ZoneInfo(clock.timezone()))


class Transport:
    """One SMTP connection, opened on demand, with starttls, ssl or none."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> None:
        settings = self.settings
        where = f"{settings.host}:{settings.port}"
        try:
            if settings.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.host,
                    settings.port,
                    timeout=TIMEOUT_SECONDS,
                    context=ssl.create_default_context(),
                )
            else:
                smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
            smtp.ehlo()
            if settings.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.user:
                _login(smtp, settings.user, settings.password)
        except smtplib.SMTPAuthenticationError as error:
            raise MailError(
                f"the mail server {where} refused the login of {settings.user!r}: "
                f"{_reply(error.smtp_code, error.smtp_error)}; check mail.user and the password"
            ) from None
        except smtplib.SMTPNotSupportedError as error:
            raise MailError(
                f"the mail server {where} does not support this: {error}; check mail.security"
            ) from None
        except smtplib.SMTPException as error:
            raise MailError(f"the mail server {where} refused the connection: {error}") from None
        except ssl.SSLError as error:
            raise MailError(
                f"no secure connection to {where} ({error.reason or error}); check mail.security "
                "and mail.port"
            ) from None
        except OSError as error:
            raise MailError(
                f"cannot reach the mail server {where}: {error.strerror or error}; "
                "check mail.host and mail.port"
            ) from None
        self.smtp = smtp

    def send(self, message: EmailMessage) -> str:
        """Send one message; the server's reply, e.g. '250 OK'. Raises Refused."""
        if self.smtp is None:
            self.open()
        smtp = self.smtp
        assert smtp is not None
        to = message["To"].addresses[0].addr_spec
        try:
            steps: tuple[Callable[[], tuple[int, bytes]], ...] = (
                lambda: smtp.mail(self.settings.sender),
                lambda: smtp.rcpt(to),
                lambda: smtp.data(as_bytes(message)),
            )
            for step in steps:
                code, text = step()
                if code not in (250, 251):
                    self._reset()
                    raise Refused(f"the server refused it: {_reply(code, text)}")
            return _reply(code, text)
        except smtplib.SMTPResponseException as error:  # before OSError: it is one
            self._reset()
            reply = _reply(error.smtp_code, error.smtp_error)
            raise Refused(f"the server refused it: {reply}") from None
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            self.smtp = None
            raise Refused(f"the connection was lost ({error or 'closed by the server'})") from None

    def _reset(self) -> None:
        try:
            if self.smtp is not None:
                self.smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.smtp = None

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """Log in; smtplib encodes credentials as ASCII, so others go as UTF-8 AUTH PLAIN."""
    if (user + password).isascii():
        smtp.login(user, password)
        return
    import base64

    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()
    code, text = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, text)


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}"


SessionFactory = Callable[[], AbstractContextManager["Session"]]


def send_plan(
    plan: Plan,
    settings: MailSettings,
    sessions: SessionFactory,
    *,
    progress: Callable[[Outgoing, str | None], None] | None = None,
) -> Outcome:
    """Send each message of the plan; log each one the server accepted, at once."""
    from stm.services.mail import log

    outcome = Outcome()
    transport = Transport(settings)
    transport.open()  # unreachable, refused login: one error, nothing sent
    pending: Iterator[Outgoing] = iter(plan.outgoing)
    try:
        for item in pending:
            moment = clock.now()
            message_id = new_message_id(settings)
            message = build_message(
                item.letter, settings, message_id=message_id, moment=_aware(moment)
            )
            try:
                transport.send(message)
            except Refused as error:
                outcome.failed.append((item, str(error)))
                if progress:
                    progress(item, str(error))
                continue
            except MailError as error:  # the connection could not be opened again
                outcome.failed.append((item, error.message))
                if progress:
                    progress(item, error.message)
                continue
            with sessions() as session:
                log.record(
                    session,
                    kind=item.kind,
                    address=item.recipient.address,
                    message_id=message_id,
                    actor_id=item.recipient.actor_id or None,
                    meeting_id=item.meeting_id,
                    sequence=item.sequence,
                    batch=item.batch,
                    fingerprint=item.fingerprint,
                    at=moment,
                )
            outcome.sent.append(item)
            if progress:
                progress(item, None)
    except KeyboardInterrupt:
        outcome.interrupted = True
        done = {id(i) for i in outcome.sent} | {id(i) for i, _ in outcome.failed}
        for item in plan.outgoing:
            if id(item) not in done:
                outcome.failed.append((item, "not sent: the run was interrupted"))
    finally:
        transport.close()
    return outcome


def write_drafts(plan: Plan, settings: MailSettings, folder: Path) -> list[Path]:
    """The messages as `.eml` files (0600) instead of sending them; nothing is logged."""
    from stm.names import slugify
    from stm.private_files import private_folder, write_private

    private_folder(folder)
    written = []
    for number, item in enumerate(plan.outgoing, start=1):
        message = build_message(
            item.letter,
            settings,
            message_id=new_message_id(settings),
            moment=_aware(clock.now()),
        )
        path = folder / f"{number:03d}-{slugify(item.recipient.name) or 'empfaenger'}.eml"
        write_private(path, as_bytes(message))
        written.append(path)
    return written


def send_one(settings: MailSettings, letter: Letter) -> tuple[str, str]:
    """Send a single message (the test message); returns (Message-ID, the server's reply)."""
    transport = Transport(settings)
    transport.open()
    try:
        message_id = new_message_id(settings)
        message = build_message(letter, settings, message_id=message_id, moment=_aware(clock.now()))
        try:
            reply = transport.send(message)
        except Refused as error:
            raise MailError(f"{letter.to_address}: {error}") from None
    finally:
        transport.close()
    return message_id, reply
