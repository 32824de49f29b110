"""Configuration: a TOML file of known keys, and where stm keeps its files.

Config is data (STYLE.md): every key is declared below with its type and default; an
unknown key or a wrong type is an error naming the file and the key.

Paths (platformdirs), each overridable:
- config file: `STM_CONFIG`, else `<user config dir>/stm/config.toml`
- register:    `--db PATH` / `STM_DB`, else `<user data dir>/stm/register.sqlite`
- PostgreSQL:  `STM_DATABASE_URL` (a team's shared register) wins over both.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from stm.errors import Invalid, StmError


@dataclass(frozen=True)
class Key:
    name: str
    type: type
    default: Any
    help: str


KEYS: dict[str, Key] = {
    key.name: key
    for key in (
        Key("timezone", str, "Europe/Berlin", "IANA time zone of the office's wall clock"),
        Key("language", str, "de", "document language: de or en"),
        Key("templates_dir", str, "", "folder whose templates override the shipped ones"),
        Key("state", str, "", "default federal state code for holidays (BB, MV, …)"),
        Key("consent_years", int, 3, "years a consent holds; an expired one counts as none"),
        Key(
            "finance.over_plan_percent",
            int,
            20,
            "a cost position spent more than this many percent over plan is flagged",
        ),
        Key("letterhead.name", str, "Stadtteilmanagement", "office name on documents"),
        Key("letterhead.traeger", str, "", "the Träger (carrier) of the office"),
        Key("letterhead.address", str, "", "postal address, one line"),
        Key("letterhead.phone", str, "", "phone number"),
        Key("letterhead.email", str, "", "e-mail address"),
        Key("letterhead.website", str, "", "website"),
        Key(
            "letterhead.signature",
            str,
            "",
            "who signs letters, e.g. 'Anna Müller, Stadtteilmanagerin' (default: the office)",
        ),
        # The office's mail server (stm.services.mail); the password is never kept here.
        Key("mail.host", str, "", "SMTP server of the office, e.g. smtp.example.org"),
        Key("mail.port", int, 0, "SMTP port (default: 587 starttls, 465 ssl, 25 none)"),
        Key("mail.security", str, "starttls", "starttls, ssl or none"),
        Key("mail.user", str, "", "SMTP login (password: $STM_SMTP_PASSWORD or the keyring)"),
        Key("mail.from", str, "", "sender address (default: letterhead.email)"),
        Key("mail.reply_to", str, "", "Reply-To address (optional)"),
    )
}


class ConfigError(StmError):
    exit_code = 2


def config_path() -> Path:
    override = os.environ.get("STM_CONFIG")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("stm") / "config.toml"


def default_register_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("stm") / "register.sqlite"


@dataclass
class Config:
    values: dict[str, Any]
    path: Path

    def get(self, name: str) -> Any:
        return self.values[name]

    @property
    def timezone(self) -> str:
        return str(self.values["timezone"])

    @property
    def language(self) -> str:
        return str(self.values["language"])

    @property
    def templates_dir(self) -> Path | None:
        folder = str(self.values["templates_dir"])
        return Path(folder).expanduser() if folder else None

    @property
    def consent_years(self) -> int:
        return int(self.values["consent_years"])

    @property
    def letterhead(self) -> dict[str, str]:
        prefix = "letterhead."
        return {k[len(prefix) :]: v for k, v in self.values.items() if k.startswith(prefix)}


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _refuse_password(name: str, where: str) -> None:
    if name == "mail.password":
        from stm.services.mail.settings import PASSWORD_REFUSED

        raise ConfigError(f"{where}: key 'mail.password': {PASSWORD_REFUSED}")


def _validate(name: str, value: Any, where: str) -> Any:
    _refuse_password(name, where)
    key = KEYS.get(name)
    if key is None:
        from stm.parsing import did_you_mean

        hint = did_you_mean(name, KEYS)
        raise ConfigError(f"{where}: unknown key {name!r}" + (f"; {hint}" if hint else ""))
    if not isinstance(value, key.type) or isinstance(value, bool) is not (key.type is bool):
        raise ConfigError(
            f"{where}: key {name!r} must be a {key.type.__name__}, not {type(value).__name__}"
        )
    if name == "consent_years" and not 1 <= int(str(value)) <= 50:
        raise ConfigError(f"{where}: key 'consent_years' must be 1 to 50 years, not {value}")
    if name == "finance.over_plan_percent" and not 0 <= int(str(value)) <= 1000:
        raise ConfigError(
            f"{where}: key 'finance.over_plan_percent' must be 0 to 1000, not {value}"
        )
    if name == "language" and value not in ("de", "en"):
        raise ConfigError(f"{where}: key 'language' must be 'de' or 'en', not {value!r}")
    if name == "timezone":
        try:
            ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"{where}: key 'timezone': unknown time zone {value!r}") from None
    if name.startswith("mail."):
        from stm.services.mail.settings import check_key

        return check_key(name, value, where, ConfigError)
    if name == "state" and value:
        from stm.vocab import FEDERAL_STATES

        code = str(value).upper()
        if code not in FEDERAL_STATES:
            raise ConfigError(f"{where}: key 'state': unknown federal state code {value!r}")
        return code
    return value


def load_config(path: Path | None = None) -> Config:
    """Read the config file (absent: defaults), validating every key."""
    path = path or config_path()
    values = {name: key.default for name, key in KEYS.items()}
    if path.exists():
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: not valid TOML ({error})") from None
        except UnicodeDecodeError as error:
            raise ConfigError(
                f"{path}: not a text file (byte 0x{error.object[error.start]:02x} at "
                f"{error.start}); the config is TOML in UTF-8"
            ) from None
        except OSError as error:
            raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
        for name, value in _flatten(data).items():
            values[name] = _validate(name, value, str(path))
    return Config(values, path)


def _coerce(name: str, text: str) -> Any:
    key = KEYS[name]
    if key.type is bool:
        if text.lower() in ("true", "yes", "ja", "1"):
            return True
        if text.lower() in ("false", "no", "nein", "0"):
            return False
        raise Invalid(name, f"{text!r} is not a yes/no value; use true or false")
    if key.type is int:
        try:
            return int(text)
        except ValueError:
            raise Invalid(name, f"{text!r} is not a whole number, e.g. 3") from None
    return text


def set_value(name: str, text: str, path: Path | None = None) -> Config:
    """Set one key in the config file, keeping the others; validated before writing."""

    path = path or config_path()
    _refuse_password(name, str(path))
    if name not in KEYS:
        from stm.parsing import unknown

        raise unknown("key", name, KEYS, what="config key")
    config = load_config(path)
    value = _validate(name, _coerce(name, text), str(path))
    config.values[name] = value
    write_config(config.values, path)
    return load_config(path)


def write_config(values: dict[str, Any], path: Path) -> None:
    """Write the non-default keys (and the letterhead) as nested TOML, atomically."""
    import tomli_w

    nested: dict[str, Any] = {}
    for name, value in values.items():
        if value == KEYS[name].default and not name.startswith("letterhead."):
            continue
        table = nested
        *parents, leaf = name.split(".")
        for parent in parents:
            table = table.setdefault(parent, {})
        table[leaf] = value
    from stm.private_files import write_private

    temporary = path.with_suffix(".toml.tmp")
    write_private(temporary, tomli_w.dumps(nested))
    if path.exists():  # `stm config set` keeps the mode the owner chose
        os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
    temporary.replace(path)


def default_values(**overrides: Any) -> dict[str, Any]:
    values = {name: key.default for name, key in KEYS.items()}
    values.update(overrides)
    return values
