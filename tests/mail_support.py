"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1 at a free port.

The handler keeps every message it accepted (parsed with Python's `email` package) and
can misbehave on purpose: refuse some recipients, drop the connection instead of
accepting the Nth message, require a login.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

USER = "buero@stadtteil.example"
PASSWORD = "geheim-ß"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Handler:
    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    #: Drop the connection instead of accepting message number N (1-based), once.
    drop_at: int | None = None
    attempts: int = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:  # fmt: skip
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.attempts += 1
        if self.drop_at is not None and self.attempts == self.drop_at:
            self.drop_at = None
            server.transport.close()
            return "421 closing"
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 2.0.0 Ok: queued"

    def to(self) -> list[str]:
        return [str(m["To"].addresses[0].addr_spec) for m in self.received]


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == USER
        and auth_data.password.decode() == PASSWORD
    )
    return AuthResult(success=ok, handled=False)


class SmtpServer:
    def __init__(self, *, auth: bool = False) -> None:
        from aiosmtpd.controller import Controller

        self.handler = Handler()
        self.port = free_port()
        kwargs: dict[str, Any] = {}
        if auth:
            kwargs = {"authenticator": authenticator, "auth_required": True,
                      "auth_require_tls": False}  # fmt: skip
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.controller.stop()


def write_mail_config(path: Path, port: int, *, user: str = "", host: str = "127.0.0.1") -> None:
    lines = [
        'state = "MV"',
        "[letterhead]",
        'name = "Stadtteilmanagement Schmarl"',
        'email = "buero@stadtteil.example"',
        'phone = "0381 123456"',
        'signature = "Heike Sommerfeld, Stadtteilmanagerin"',
        "[mail]",
        f'host = "{host}"',
        f"port = {port}",
        'security = "none"',
        'from = "buero@stadtteil.example"',
    ]
    if user:
        lines.append(f'user = "{user}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def parts(message: EmailMessage) -> list[str]:
    return [part.get_content_type() for part in message.walk()]


def calendar_of(message: EmailMessage) -> Any:
    from icalendar import Calendar

    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_content())
    raise AssertionError("no text/calendar part")


def vevent(message: EmailMessage) -> Any:
    return next(iter(calendar_of(message).walk("VEVENT")))
