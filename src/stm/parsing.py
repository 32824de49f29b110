"""Parsers for what users type: dates, times, money, e-mail, names, vocabulary choices.

Each raises `Invalid` naming the field and the accepted form, so every command reports
bad input the same way (SPEC §3, §6). Light: no SQLAlchemy here.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeVar

from stm import clock
from stm.errors import Invalid
from stm.names import fold
from stm.vocab import Vocabulary

MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 20_000
#: The years stm keeps and lists: dates outside them are refused wherever they are read.
MIN_YEAR, MAX_YEAR = 1900, 2100
#: The largest count stm takes (participants, attendance).
MAX_COUNT = 10_000_000

DATE_FORMS = "YYYY-MM-DD, DD.MM.YYYY, DD.MM.YY, today/heute or tomorrow/morgen"
TIME_FORMS = "HH:MM or 'HH Uhr'"

_RELATIVE_DAYS = {
    "today": 0,
    "heute": 0,
    "tomorrow": 1,
    "morgen": 1,
    "yesterday": -1,
    "gestern": -1,
    "uebermorgen": 2,
    "übermorgen": 2,
}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?(?:\s*uhr)?$|^(\d{1,2})\.(\d{2})(?:\s*uhr)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_date(value: str, field: str = "date", *, today: date | None = None) -> date:
    """`2026-12-08`, `8.12.2026`, `08.12.26`, `heute`, `morgen` → a date."""
    text = value.strip().lower()
    if text in _RELATIVE_DAYS:
        return (today or clock.today()) + timedelta(days=_RELATIVE_DAYS[text])
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _GERMAN_DATE.match(text)
        if not match:
            raise Invalid(field, f"{value!r} is not a date; use {DATE_FORMS}")
        day, month = int(match.group(1)), int(match.group(2))
        year = int(match.group(3))
        if len(match.group(3)) == 2:
            year += 2000
    try:
        found = date(year, month, day)
    except ValueError:
        raise Invalid(field, f"{value!r} is not a calendar date; use {DATE_FORMS}") from None
    return check_year(found, field, value)


def check_year(day: date, field: str, value: object = None) -> date:
    """Refuse a date outside the years stm keeps (MIN_YEAR to MAX_YEAR)."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        shown = value if value is not None else day.isoformat()
        raise Invalid(
            field,
            f"{shown!r} is outside the years stm keeps; use a date from {MIN_YEAR} to {MAX_YEAR}",
        )
    return day


def check_wall_clock(moment: datetime, field: str) -> datetime:
    """Refuse a local time that does not exist: the hour the clocks skip in spring."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(clock.timezone())
    real = moment.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if real != moment:
        raise Invalid(
            field,
            f"{moment:%H:%M} on {moment:%d.%m.%Y} does not exist in {zone.key} (the clocks "
            f"go forward that night); use {real:%H:%M} or a time before the change",
        )
    return moment


def parse_time(value: str, field: str = "time") -> time:
    """`18:00`, `18 Uhr`, `9.30` → a time."""
    text = value.strip().lower()
    match = _TIME.match(text)
    if not match:
        raise Invalid(field, f"{value!r} is not a time; use {TIME_FORMS}")
    hour_text = match.group(1) or match.group(3)
    minute_text = match.group(2) or match.group(4) or "0"
    hour, minute = int(hour_text), int(minute_text)
    if hour > 23 or minute > 59:
        raise Invalid(field, f"{value!r} is not a time of day; use {TIME_FORMS} (00:00-23:59)")
    return time(hour, minute)


def parse_datetime(value: str, field: str = "date") -> datetime:
    """A date with an optional time: `2026-12-08 18:00`, `8.12.2026 18 Uhr`, ISO `T` form."""
    text = value.strip()
    for separator in ("T", " "):
        if separator in text:
            day_part, _, time_part = text.partition(separator)
            return datetime.combine(parse_date(day_part, field), parse_time(time_part, field))
    return datetime.combine(parse_date(text, field), time(0, 0))


def parse_month(value: str, field: str = "--month", *, today: date | None = None) -> date:
    """`2026-11`, `11.2026`, `last`, `this` → the first day of that month."""
    text = value.strip().lower()
    base = today or clock.today()
    if text in ("last", "letzter", "previous"):
        first = base.replace(day=1)
        return (first - timedelta(days=1)).replace(day=1)
    if text in ("this", "current", "dieser"):
        return base.replace(day=1)
    match = _MONTH.match(text) or re.match(r"^(\d{1,2})\.(\d{4})$", text)
    if match:
        a, b = (int(g) for g in match.groups())
        year, month = (a, b) if a > 31 else (b, a)
        if 1 <= month <= 12:
            return check_year(date(year, month, 1), field, value)
    raise Invalid(field, f"{value!r} is not a month; use YYYY-MM (e.g. 2026-11) or 'last'")


MONEY_RULE = (
    "a dot followed by exactly three digits separates thousands (52.000 is 52000); "
    "at most two decimals"
)
MONEY_FORMS = "52000, 52.000, 52.000,50, '12.500,50 €', 'EUR 1.234' or 52,000.50"
MAX_MONEY = Decimal("9999999999.99")
_CURRENCY = re.compile(r"^(?:€|eur|euro)\s*|\s*(?:€|eur|euro)$", re.IGNORECASE)
_GROUPS = re.compile(r"^\d{1,3}(?:X\d{3})+$")


def parse_money(value: str, field: str = "budget") -> Decimal:
    """Exact euros as people type them: `52.000`, `1.250.000`, `52.000,50`, `12.500,50 €`,
    `EUR 1.234`, `52,000.50`, `52000`, `0,50` → a Decimal with two places.

    The rule (MONEY_RULE): a dot followed by exactly three digits separates thousands; the
    decimal mark is the last separator when one or two digits follow it. What could be read
    two ways (`450,005`: a third decimal or English thousands) is refused, never guessed.
    """
    text = _CURRENCY.sub("", value.strip())
    text = re.sub(r"[\s\u00a0\u202f]", "", text)
    if text.startswith("-") and re.fullmatch(r"-[\d.,]+", text):
        raise Invalid(field, f"{value!r} is negative; amounts are zero or more")
    if not re.fullmatch(r"\d[\d.,]*", text) or text[-1] in ".,":
        raise Invalid(field, f"{value!r} is not an amount; use {MONEY_FORMS}")
    whole, cents = _split_cents(value, text, field)
    if not whole.isdigit():
        mark = "." if "." in whole else ","
        if (mark == "," and "." in whole) or not _GROUPS.match(whole.replace(mark, "X")):
            raise Invalid(field, f"{value!r} has misplaced separators; use {MONEY_FORMS}")
        if whole.startswith("0"):
            raise Invalid(field, f"{value!r} is ambiguous; write 0,{whole[2:4]} or {whole[2:]}")
        whole = whole.replace(mark, "")
    amount = Decimal(f"{whole}.{cents or '0'}").quantize(Decimal("0.01"))
    if amount > MAX_MONEY:
        raise Invalid(field, f"{value!r} is too large; at most 9.999.999.999,99")
    return amount


def _split_cents(value: str, text: str, field: str) -> tuple[str, str]:
    """The whole euros (still with their thousands separators) and the cents."""
    position = max(text.rfind("."), text.rfind(","))
    if position < 0:
        return text, ""
    mark, tail = text[position], text[position + 1 :]
    other = "," if mark == "." else "."
    more_of_same = mark in text[:position]
    if len(tail) in (1, 2) and not more_of_same:
        return text[:position], tail
    if len(tail) == 3 and (mark == "." or more_of_same) and other not in text:
        return text, ""
    if mark == "," and not more_of_same and "." in text[:position]:
        raise Invalid(field, f"{value!r} has {len(tail)} decimals; at most two (e.g. 12.500,50)")
    if len(tail) == 3 and mark == "," and not more_of_same:
        raise Invalid(
            field,
            f"{value!r} is ambiguous (a third decimal, or thousands?); write "
            f"{text.replace(',', '.')} for thousands, or at most two decimals",
        )
    if len(tail) > 3 or (len(tail) == 3 and other in text[:position]):
        raise Invalid(field, f"{value!r} has {len(tail)} decimals; at most two (e.g. 12500.50)")
    raise Invalid(field, f"{value!r} is not an amount; use {MONEY_FORMS} ({MONEY_RULE})")


PAGES_FORMS = "e.g. 2, 1,5 or 0.5"


def parse_pages(value: str | float | None, field: str = "--pages") -> float | None:
    """Pages an article fills, halves and quarters too: `2`, `1,5`, `0.5`, `1/2`, `½`."""
    if value is None or isinstance(value, float | int):
        return None if value is None else float(value)
    text = value.strip().replace("½", ".5").replace("¼", ".25").replace("¾", ".75")
    fraction = re.fullmatch(r"(\d+)\s*/\s*(\d+)", text)
    if fraction and int(fraction.group(2)) in (2, 4):
        return int(fraction.group(1)) / int(fraction.group(2))
    if re.fullmatch(r"\d*[.,]?\d{1,2}|\d+[.,]?", text or "x") and text not in (".", ","):
        number = float(text.replace(",", ".").rstrip(".") or "0")
        if text.startswith((".", ",")):
            number = float("0" + text.replace(",", "."))
        return number
    raise Invalid(field, f"{value!r} is not a number of pages; {PAGES_FORMS}")


def parse_email(value: str, field: str = "--email") -> str:
    """A syntactically valid e-mail address, normalised (no DNS look-up)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise Invalid(field, f"{value!r} is not a valid e-mail address ({error})") from None


#: Control characters (C0 and C1, DEL) other than tab and line breaks: a terminal would
#: act on them (ESC starts escape sequences), so no text field takes them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def refuse_controls(value: str, field: str) -> str:
    """`value` unchanged, or an error naming the first control character in it."""
    found = _CONTROL.search(value)
    if found:
        code = ord(found.group())
        raise Invalid(
            field,
            f"holds the control character U+{code:04X} at position {found.start() + 1}; "
            "text may hold letters, digits, punctuation, spaces (and line breaks and tabs "
            "where it has several lines)",
        )
    return value


def parse_name(value: str, field: str = "name", *, max_length: int = MAX_NAME_LENGTH) -> str:
    """A non-empty single-line name of reasonable length, whitespace collapsed."""
    text = " ".join(refuse_controls(value, field).split())
    if not text:
        raise Invalid(field, "must not be empty")
    if len(text) > max_length:
        raise Invalid(field, f"is {len(text)} characters long; at most {max_length} are allowed")
    return text


def parse_text(value: str | None, field: str, *, max_length: int = MAX_TEXT_LENGTH) -> str | None:
    """Optional free text (notes, descriptions), bounded in length."""
    if value is None:
        return None
    text = refuse_controls(value, field).strip()
    if len(text) > max_length:
        raise Invalid(field, f"is {len(text)} characters long; at most {max_length} are allowed")
    return text or None


_PHONE_NUMBER = re.compile(r"^\+?[0-9(][0-9 ()/.\-]{2,30}$")
_PHONE_EXTENSION = re.compile(
    r"^(?P<number>.*?)\s*(?:;ext=|\s(?:ext\.?|x|dw\.?|durchwahl)\s*)(?P<ext>[0-9]{1,8})$",
    re.IGNORECASE,
)
_TEL_PARAMETER = re.compile(r";(?:phone-context|isub)=[^;]*", re.IGNORECASE)
PHONE_FORMS = "e.g. 0381 123456, (0381) 123456, +49 381 123456-12, tel:+49-381-123456;ext=12"


def parse_phone(value: str, field: str = "--phone") -> str:
    """A phone number as people write it, stored as typed: digits, spaces, + ( ) / . -,
    an extension (`;ext=12`, `ext. 12`, `x12`); a `tel:` URI's scheme is dropped."""
    text = " ".join(value.split())
    if text.lower().startswith("tel:"):
        text = _TEL_PARAMETER.sub("", text[4:])
    match = _PHONE_EXTENSION.match(text)
    number = match.group("number") if match else text
    if not _PHONE_NUMBER.match(number) or not _balanced(number):
        raise Invalid(field, f"{value!r} is not a phone number; {PHONE_FORMS}")
    return text


def _balanced(number: str) -> bool:
    """Parentheses as around an area code: `(0381)`, never nested, never left open."""
    depth = 0
    for char in number:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth not in (0, 1):
            return False
    return depth == 0


def phone_key(value: str | None) -> str | None:
    """A phone number compared for duplicates: digits only, the country code spelled as
    the national 0 for Germany (+49, 0049, +49 (0)), the extension after an `x`:
    `(0381) 123456`, `+49 381 123456` and `tel:+49-381-123456` are one number."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if text.lower().startswith("tel:"):
        text = _TEL_PARAMETER.sub("", text[4:])
    match = _PHONE_EXTENSION.match(text)
    number, extension = (match.group("number"), match.group("ext")) if match else (text, "")
    number = re.sub(r"^\s*\+", "00", number)
    number = re.sub(r"^(00\d{1,3})\s*\(0\)", r"\1", number)  # +49 (0)381 …
    digits = re.sub(r"\D", "", number)
    if digits.startswith("0049"):
        digits = "0" + digits[4:]
    return digits + (f"x{extension}" if extension else "")


def parse_website(value: str, field: str = "--website") -> str:
    """A web address; `https://` is added when no scheme is given."""
    text = refuse_controls(value, field).strip()
    if " " in text or "." not in text:
        raise Invalid(field, f"{value!r} is not a web address; use e.g. https://example.org")
    if not re.match(r"^https?://", text, re.IGNORECASE):
        text = "https://" + text
    return text


def parse_short_text(value: str | None, field: str, max_length: int = 300) -> str | None:
    """A one-line text (function, street, city …), spaces normalised; empty is `None`."""
    if value is None:
        return None
    text = " ".join(refuse_controls(value, field).split())
    if len(text) > max_length:
        raise Invalid(field, f"is {len(text)} characters long; at most {max_length}")
    return text or None


def parse_count(value: int | None, field: str) -> int | None:
    if value is not None and value < 0:
        raise Invalid(field, f"{value} is negative; use a whole number of 0 or more")
    if value is not None and value > MAX_COUNT:
        raise Invalid(field, f"{value} is too large; use a whole number up to {MAX_COUNT:,}")
    return value


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """'did you mean X?' when a close choice exists, else ''."""
    pool = list(choices)
    folded = {fold(choice): choice for choice in pool}
    close = difflib.get_close_matches(fold(value), list(folded), n=1, cutoff=0.6)
    return f"did you mean {folded[close[0]]!r}?" if close else ""


def unknown(field: str, value: str, choices: Iterable[str], what: str = "value") -> Invalid:
    """The error for a value outside a known set: suggestion first, then what is accepted."""
    pool = sorted(set(choices))
    hint = did_you_mean(value, pool)
    listed = ", ".join(pool[:20]) + (", …" if len(pool) > 20 else "")
    message = f"unknown {what} {value!r}; " + (f"{hint} " if hint else "") + f"Accepted: {listed}"
    return Invalid(field, message)


V = TypeVar("V", bound=Vocabulary)


def choose(vocabulary: type[V], value: str, field: str) -> V:
    """A vocabulary member by value or label, folded; unknown → Invalid with a suggestion."""
    key = fold(value)
    for member in vocabulary:
        de, en = member.labels().get(member.value, (member.value, member.value))
        if key in (fold(member.value), fold(de), fold(en)):
            return member
    raise unknown(field, value, vocabulary.values())
