"""The office's mail server, from the config's `mail.*` keys; the password from outside it.

The password is never written to the config (SPEC §9): it comes from the environment
variable `STM_SMTP_PASSWORD`, else from the system keyring (the `keyring` package), under
the service name `stm` and the login `mail.user`:

    keyring set stm anna@stadtteil.example
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from stm.errors import Invalid

SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
KEYRING_SERVICE = "stm"
PASSWORD_VARIABLE = "STM_SMTP_PASSWORD"
PASSWORD_REFUSED = (
    f"the password is never kept in the config; set {PASSWORD_VARIABLE} or store it "
    f"with 'keyring set {KEYRING_SERVICE} LOGIN'"
)


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str
    sender: str
    sender_name: str
    user: str = ""
    password: str = ""
    reply_to: str = ""

    @property
    def domain(self) -> str:
        return self.sender.rpartition("@")[2] or "stm.invalid"


def check_key(name: str, value: Any, where: str, error: type[Exception]) -> Any:
    """Validate one `mail.*` config value (called by `stm.config` for those keys)."""
    if name == "mail.security" and value not in SECURITY:
        raise error(f"{where}: key 'mail.security' must be one of {', '.join(SECURITY)}, "
                    f"not {value!r}")  # fmt: skip
    if name == "mail.port" and not 0 <= int(value) <= 65535:
        raise error(f"{where}: key 'mail.port' must be a port number 1 to 65535, not {value}")
    if name in ("mail.from", "mail.reply_to") and value:
        from stm.parsing import parse_email

        try:
            return parse_email(str(value), name)
        except Invalid:
            raise error(f"{where}: key {name!r}: {value!r} is not an e-mail address, "
                        "e.g. buero@stadtteil.example") from None  # fmt: skip
    if name == "mail.host" and value and any(c.isspace() for c in str(value)):
        raise error(f"{where}: key 'mail.host' must be a host name, e.g. smtp.example.org")
    return value


def mail_settings(config: Any, *, sending: bool = True) -> MailSettings:
    """The configured server; a missing setting is an input error naming the key.

    Without `sending` (a dry run writes .eml files) only the sender is needed.
    """
    host = str(config.get("mail.host") or "").strip()
    if not host and sending:
        raise Invalid(
            "mail.host",
            "no mail server is configured; set it with 'stm config set mail.host "
            "smtp.example.org' (and mail.user, mail.from)",
        )
    sender = str(config.get("mail.from") or config.letterhead.get("email") or "").strip()
    if not sender:
        raise Invalid(
            "mail.from",
            "no sender address; set it with 'stm config set mail.from buero@stadtteil.example'",
        )
    security = str(config.get("mail.security"))
    user = str(config.get("mail.user") or "")
    return MailSettings(
        host=host,
        port=int(config.get("mail.port") or DEFAULT_PORTS[security]),
        security=security,
        sender=sender,
        sender_name=config.letterhead.get("name") or "Stadtteilmanagement",
        user=user,
        password=smtp_password(user, host) if user and sending else "",
        reply_to=str(config.get("mail.reply_to") or ""),
    )


def mail_configured(config: Any) -> bool:
    return bool(str(config.get("mail.host") or "").strip())


def smtp_password(user: str, host: str) -> str:
    """`STM_SMTP_PASSWORD`, else the keyring's entry for `user`; none is an input error."""
    from_environment = os.environ.get(PASSWORD_VARIABLE)
    if from_environment:
        return from_environment
    try:
        import keyring

        stored = keyring.get_password(KEYRING_SERVICE, user)
    except Exception:  # no keyring backend on this system (a server, a container)
        stored = None
    if stored:
        return stored
    raise Invalid(
        "mail.user",
        f"no password for {user} on {host}; set {PASSWORD_VARIABLE} or store it with "
        f"'keyring set {KEYRING_SERVICE} {user}'",
    )
