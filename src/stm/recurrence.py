"""Recurring events: RFC 5545 rules (RRULE) via python-dateutil.

- `parse_rule` turns what users type into a checked RRULE: the RFC form
  (`FREQ=MONTHLY;BYDAY=2TU;COUNT=12`) or a readable one (`weekly`, `monthly`,
  `every 2nd tuesday`, `jeden 2. Dienstag`, `alle 2 Wochen bis 31.12.2027`).
- `describe_rule` says a rule back in words (English for the terminal, German for
  documents).
- `starts_between` expands a rule inside a window only. dateutil walks a rule from its
  first date, which would make a weekly series begun years ago slow to list; the window
  is therefore approached in whole periods of the rule (weeks, months, …) first.

Stored rules have no `RRULE:` prefix; UNTIL is a naive wall-clock time like every
datetime in the register. Light on purpose: no SQLAlchemy here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal

from stm.errors import Invalid

#: More occurrences than this is not an event series but a mistake (COUNT=1000000000).
MAX_COUNT = 5000
#: An UNTIL this many years after the start is refused for the same reason.
MAX_YEARS = 200
MAX_INTERVAL = 1000
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
REPEAT_FORMS = (
    "an RRULE such as FREQ=MONTHLY;BYDAY=2TU;COUNT=12, or daily, weekly, monthly, yearly, "
    "'every 2nd tuesday', 'jeden 2. Dienstag', 'alle 2 Wochen', with 'until 31.12.2027' "
    "or '10 times'"
)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_PART_ORDER = (
    "FREQ", "INTERVAL", "BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY",
    "BYHOUR", "BYMINUTE", "BYSECOND", "BYSETPOS", "WKST", "COUNT", "UNTIL",
)  # fmt: skip
_KNOWN_PARTS = frozenset(_PART_ORDER)
_BYDAY_ITEM = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$")


# ------------------------------------------------------------------------------ the parts


def split_rule(rule: str) -> dict[str, str]:
    """`FREQ=WEEKLY;BYDAY=TU` → {'FREQ': 'WEEKLY', 'BYDAY': 'TU'} (no validation)."""
    parts: dict[str, str] = {}
    for item in rule.split(";"):
        if not item:
            continue
        name, _, value = item.partition("=")
        parts[name.strip().upper()] = value.strip()
    return parts


def join_rule(parts: dict[str, str]) -> str:
    """The parts in the conventional order, FREQ first."""
    ordered = [name for name in _PART_ORDER if name in parts]
    ordered += [name for name in parts if name not in _KNOWN_PARTS]
    return ";".join(f"{name}={parts[name]}" for name in ordered)


def format_until(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def parse_until(value: str, field: str = "repeat", *, timezone: str | None = None) -> datetime:
    """An RRULE UNTIL as naive wall-clock time; `…Z` (UTC) is converted to `timezone`."""
    match = _UNTIL.match(value.strip().upper())
    if not match:
        raise Invalid(field, f"UNTIL={value} is not a date; use UNTIL=20271231 or 20271231T180000")
    year, month, day, hour, minute, second, utc = match.groups()
    try:
        if hour is None:
            # A date alone: the whole day counts, whatever time the event starts.
            return datetime(int(year), int(month), int(day), 23, 59, 59)
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        raise Invalid(field, f"UNTIL={value} is not a calendar date") from None
    if utc:
        from datetime import UTC
        from zoneinfo import ZoneInfo

        from stm import clock

        zone = ZoneInfo(timezone or clock.timezone())
        moment = moment.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
    return moment


# ------------------------------------------------------------------------------ parsing


def parse_rule(text: str, start: datetime, field: str = "repeat") -> str:
    """What a user typed (RRULE or readable) → a checked, normalised RRULE."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise Invalid(field, f"is empty; use {REPEAT_FORMS}")
    if len(cleaned) > 500:
        raise Invalid(field, f"is {len(cleaned)} characters long; at most 500 are allowed")
    if "=" in cleaned:
        rule = cleaned.upper()
        if rule.startswith("RRULE:"):
            rule = rule[len("RRULE:") :]
    else:
        rule = readable_rule(cleaned, field)
    return check_rule(rule, start, field)


def check_rule(rule: str, start: datetime, field: str = "repeat") -> str:
    """Validate an RRULE against its start; returns it normalised (UNTIL as wall clock)."""
    parts = _checked_parts(rule.replace(" ", ""), field)
    _one_time_of_day(parts, start, field)
    if "UNTIL" in parts:
        until = parse_until(parts["UNTIL"], field)
        if until < start:
            raise Invalid(
                field, f"UNTIL {until:%Y-%m-%d %H:%M} is before the start {start:%Y-%m-%d %H:%M}"
            )
        if until.year - start.year > MAX_YEARS:
            raise Invalid(field, f"UNTIL {until:%Y-%m-%d} is more than {MAX_YEARS} years ahead")
        parts["UNTIL"] = format_until(until)
    normalised = join_rule(parts)
    try:
        first = _dateutil_rule(normalised, start).after(start, inc=True)
    except (ValueError, TypeError, OverflowError) as error:
        raise Invalid(
            field, f"{rule!r} is not a valid rule ({error}); use {REPEAT_FORMS}"
        ) from None
    if first is None:
        raise Invalid(field, f"{rule!r} gives no date on or after the start {start:%Y-%m-%d}")
    return normalised


#: The parts that would give a series more than one time on a day.
_TIME_PARTS = {"BYHOUR": "hour", "BYMINUTE": "minute", "BYSECOND": "second"}


def _one_time_of_day(parts: dict[str, str], start: datetime, field: str) -> None:
    """No rule gives more than one date a day: its time of day is the event's start.

    BYHOUR, BYMINUTE and BYSECOND are refused (a list of them would multiply the dates
    of each day), except a single value that is the start's own, which is dropped.
    """
    for name, unit in _TIME_PARTS.items():
        if name not in parts:
            continue
        value = parts[name]
        if re.fullmatch(r"\d{1,2}", value) and int(value) == getattr(start, unit):
            del parts[name]
            continue
        raise Invalid(
            field,
            f"{name}={value}: a rule gives at most one date a day, at the event's start "
            f"time ({start:%H:%M}); leave {name} out and set the time with --time",
        )


def _checked_parts(rule: str, field: str) -> dict[str, str]:
    items = [item for item in rule.split(";") if item]
    parts: dict[str, str] = {}
    for item in items:
        name, equals, value = item.partition("=")
        if not equals or not value:
            raise Invalid(field, f"{item!r} is not a NAME=VALUE part; use {REPEAT_FORMS}")
        if name not in _KNOWN_PARTS:
            raise Invalid(field, f"unknown rule part {name!r}; use {REPEAT_FORMS}")
        if name in parts:
            raise Invalid(field, f"{name} is given twice")
        parts[name] = value
    freq = parts.get("FREQ")
    if freq is None:
        raise Invalid(field, f"FREQ is missing; use {REPEAT_FORMS}")
    if freq in ("HOURLY", "MINUTELY", "SECONDLY"):
        raise Invalid(field, f"FREQ={freq}: events repeat at most daily")
    if freq not in FREQUENCIES:
        raise Invalid(field, f"FREQ={freq} is not DAILY, WEEKLY, MONTHLY or YEARLY")
    if "COUNT" in parts and "UNTIL" in parts:
        raise Invalid(field, "give COUNT or UNTIL, not both")
    if "COUNT" in parts:
        count = _whole(parts["COUNT"], "COUNT", field)
        if not 1 <= count <= MAX_COUNT:
            raise Invalid(
                field,
                f"COUNT={parts['COUNT']} is out of range; 1 to {MAX_COUNT} occurrences "
                "(leave COUNT out for an open-ended series)",
            )
        parts["COUNT"] = str(count)
    if "INTERVAL" in parts:
        interval = _whole(parts["INTERVAL"], "INTERVAL", field)
        if not 1 <= interval <= MAX_INTERVAL:
            raise Invalid(
                field, f"INTERVAL={parts['INTERVAL']} is out of range (1 to {MAX_INTERVAL})"
            )
        if interval == 1:
            del parts["INTERVAL"]
        else:
            parts["INTERVAL"] = str(interval)
    if "BYDAY" in parts:
        for item in parts["BYDAY"].split(","):
            if not _BYDAY_ITEM.match(item):
                raise Invalid(
                    field, f"BYDAY={parts['BYDAY']}: {item!r} is not a weekday like TU or 2TU"
                )
    return parts


def _whole(value: str, name: str, field: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,40}", value):
        raise Invalid(field, f"{name}={value} is not a whole number")
    return int(value)


# ------------------------------------------------------------------------------ readable


_WEEKDAY_WORDS: dict[str, str] = {}
for _code, _words in {
    "MO": "monday mon mo montag",
    "TU": "tuesday tue tues di dienstag",
    "WE": "wednesday wed mi mittwoch",
    "TH": "thursday thu thur thurs do donnerstag",
    "FR": "friday fri fr freitag",
    "SA": "saturday sat sa samstag sonnabend",
    "SU": "sunday sun so sonntag",
}.items():
    for _word in _words.split():
        _WEEKDAY_WORDS[_word] = _code
        if len(_word) > 3:
            _WEEKDAY_WORDS[_word + "s"] = _code  # tuesdays, dienstags
_WEEKDAY_WORDS["sonnabends"] = "SA"

_ORDINALS = {
    "1": 1, "1st": 1, "first": 1, "erste": 1, "ersten": 1, "erster": 1,
    "2": 2, "2nd": 2, "second": 2, "zweite": 2, "zweiten": 2, "zweiter": 2,
    "3": 3, "3rd": 3, "third": 3, "dritte": 3, "dritten": 3, "dritter": 3,
    "4": 4, "4th": 4, "fourth": 4, "vierte": 4, "vierten": 4, "vierter": 4,
    "5": 5, "5th": 5, "fifth": 5, "fuenfte": 5, "fuenften": 5, "fuenfter": 5,
    "last": -1, "letzte": -1, "letzten": -1, "letzter": -1,
    "vorletzte": -2, "vorletzten": -2, "vorletzter": -2,
}  # fmt: skip
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "ein": 1, "eine": 1,
            "zwei": 2, "drei": 3, "vier": 4, "sechs": 6}  # fmt: skip
_UNITS = {
    "day": "DAILY", "days": "DAILY", "tag": "DAILY", "tage": "DAILY", "tagen": "DAILY",
    "week": "WEEKLY", "weeks": "WEEKLY", "woche": "WEEKLY", "wochen": "WEEKLY",
    "month": "MONTHLY", "months": "MONTHLY", "monat": "MONTHLY", "monate": "MONTHLY",
    "monaten": "MONTHLY",
    "year": "YEARLY", "years": "YEARLY", "jahr": "YEARLY", "jahre": "YEARLY", "jahren": "YEARLY",
}  # fmt: skip
_SIMPLE = {
    "daily": "FREQ=DAILY", "every day": "FREQ=DAILY", "taeglich": "FREQ=DAILY",
    "jeden tag": "FREQ=DAILY",
    "weekly": "FREQ=WEEKLY", "every week": "FREQ=WEEKLY", "woechentlich": "FREQ=WEEKLY",
    "jede woche": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2", "fortnightly": "FREQ=WEEKLY;INTERVAL=2",
    "every other week": "FREQ=WEEKLY;INTERVAL=2", "14 taegig": "FREQ=WEEKLY;INTERVAL=2",
    "14taegig": "FREQ=WEEKLY;INTERVAL=2", "vierzehntaegig": "FREQ=WEEKLY;INTERVAL=2",
    "zweiwoechentlich": "FREQ=WEEKLY;INTERVAL=2", "jede zweite woche": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY", "every month": "FREQ=MONTHLY", "monatlich": "FREQ=MONTHLY",
    "jeden monat": "FREQ=MONTHLY",
    "yearly": "FREQ=YEARLY", "annually": "FREQ=YEARLY", "every year": "FREQ=YEARLY",
    "jaehrlich": "FREQ=YEARLY", "jedes jahr": "FREQ=YEARLY",
    "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "every weekday": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "werktags": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "montags bis freitags": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "last day of the month": "FREQ=MONTHLY;BYMONTHDAY=-1",
    "every last day of the month": "FREQ=MONTHLY;BYMONTHDAY=-1",
    "letzter tag im monat": "FREQ=MONTHLY;BYMONTHDAY=-1",
    "jeden letzten tag im monat": "FREQ=MONTHLY;BYMONTHDAY=-1",
}  # fmt: skip
_LEAD = {"every", "each", "on", "jeden", "jede", "jeder", "jedes", "am", "immer"}
_MONTH_TAIL = re.compile(r"\s+(?:of|in|im|des|eines)\s+(?:the\s+|a\s+)?(?:month|monat|monats)$")
_UNTIL_TAIL = re.compile(r"[\s,]+(?:until|till|through|bis(?:\s+zum|\s+einschliesslich)?)\s+(\S+)$",
                         re.IGNORECASE)  # fmt: skip
_COUNT_TAIL = re.compile(
    r"[\s,]+(?:for\s+)?(\d{1,12})\s*(?:-?\s*mal|x|times|occurrences|termine|wiederholungen)$",
    re.IGNORECASE,
)


def readable_rule(text: str, field: str = "repeat") -> str:
    """`every 2nd tuesday until 31.12.2027` → `FREQ=MONTHLY;BYDAY=2TU;UNTIL=20271231`."""
    from stm.names import fold_words
    from stm.parsing import parse_date

    rest, suffix = " " + text.strip(), {}
    for _ in range(2):
        until = _UNTIL_TAIL.search(rest)
        if until:
            day = parse_date(until.group(1).rstrip("."), field)
            suffix["UNTIL"] = day.strftime("%Y%m%d")
            rest = rest[: until.start()]
            continue
        count = _COUNT_TAIL.search(rest)
        if count:
            suffix["COUNT"] = count.group(1)
            rest = rest[: count.start()]
    words = fold_words(rest)
    rule = _readable_core(words)
    if rule is None:
        raise Invalid(field, f"{text.strip()!r} is not a rule I know; use {REPEAT_FORMS}")
    parts = split_rule(rule)
    parts.update(suffix)
    return join_rule(parts)


def _readable_core(words: str) -> str | None:
    if words in _SIMPLE:
        return _SIMPLE[words]
    words = _MONTH_TAIL.sub("", words)
    tokens = [t for t in words.split() if t not in ("and", "und", "the", "der", "den")]
    if tokens and tokens[0] in ("every", "alle", "all") and len(tokens) == 3:
        amount = _NUMBERS.get(tokens[1]) or (int(tokens[1]) if tokens[1].isdigit() else 0)
        freq = _UNITS.get(tokens[2])
        if freq and 1 <= amount <= MAX_INTERVAL:
            return f"FREQ={freq}" + (f";INTERVAL={amount}" if amount > 1 else "")
    while tokens and tokens[0] in _LEAD:
        tokens = tokens[1:]
    if not tokens:
        return None
    interval = 1
    if tokens[0] in ("other", "anderen", "zweiwoechentlich"):
        interval, tokens = 2, tokens[1:]
    weekdays = [_WEEKDAY_WORDS.get(t) for t in tokens]
    if tokens and all(weekdays):
        days = ",".join(dict.fromkeys(d for d in weekdays if d))
        return "FREQ=WEEKLY" + (f";INTERVAL={interval}" if interval > 1 else "") + f";BYDAY={days}"
    if interval > 1:
        return None
    return _ordinal_weekdays(tokens) or _month_day(tokens)


def _ordinal_weekdays(tokens: list[str]) -> str | None:
    """`2nd tuesday`, `1 3 montag` (from `1. und 3. Montag`), `last friday`."""
    if len(tokens) < 2 or tokens[-1] not in _WEEKDAY_WORDS:
        return None
    ordinals = [_ORDINALS.get(t) for t in tokens[:-1]]
    if not all(ordinals):
        return None
    day = _WEEKDAY_WORDS[tokens[-1]]
    items = ",".join(dict.fromkeys(f"{n}{day}" for n in ordinals))
    return f"FREQ=MONTHLY;BYDAY={items}"


def _month_day(tokens: list[str]) -> str | None:
    """`15th` / `15` (from `jeden 15.`): that day of every month."""
    if len(tokens) != 1:
        return None
    match = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", tokens[0])
    if not match or not 1 <= int(match.group(1)) <= 31:
        return None
    return f"FREQ=MONTHLY;BYMONTHDAY={int(match.group(1))}"


# ------------------------------------------------------------------------------ in words

_DAY_NAMES = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
}
_MONTH_NAMES = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"),
}  # fmt: skip
_EVERY = {
    "en": {"DAILY": ("every day", "every {n} days"), "WEEKLY": ("every week", "every {n} weeks"),
           "MONTHLY": ("every month", "every {n} months"),
           "YEARLY": ("every year", "every {n} years")},
    "de": {"DAILY": ("täglich", "alle {n} Tage"), "WEEKLY": ("wöchentlich", "alle {n} Wochen"),
           "MONTHLY": ("monatlich", "alle {n} Monate"), "YEARLY": ("jährlich", "alle {n} Jahre")},
}  # fmt: skip


def _ordinal(n: int, lang: str) -> str:
    if lang == "de":
        return {-1: "letzten", -2: "vorletzten"}.get(n, f"{n}.")
    if n == -1:
        return "last"
    if n == -2:
        return "second to last"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n if n < 20 else n % 10, "th")
    return f"{n}{suffix}"


def _and(items: list[str], lang: str) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + (" und " if lang == "de" else " and ") + items[-1]


def describe_rule(rule: str, start: datetime | None = None, lang: str = "en") -> str:
    """The rule in words: `every month on the 2nd Tuesday, 12 times`."""
    lang = "de" if lang == "de" else "en"
    parts = split_rule(rule)
    freq = parts.get("FREQ", "")
    interval = int(parts.get("INTERVAL", "1") or 1)
    once, many = _EVERY[lang].get(freq, (freq.lower(), freq.lower()))
    words = once if interval == 1 else many.format(n=interval)
    details = []
    if "BYMONTH" in parts:
        months = [
            _MONTH_NAMES[lang][int(m) - 1] for m in parts["BYMONTH"].split(",") if m.isdigit()
        ]
        details.append(("im " if lang == "de" else "in ") + _and(months, lang))
    days = _describe_days(parts, lang)
    if days:
        details.append(days)
    words = " ".join([words, *details])
    other = [k for k in parts if k not in ("FREQ", "INTERVAL", "BYMONTH", "BYDAY", "BYMONTHDAY",
                                           "COUNT", "UNTIL", "WKST")]  # fmt: skip
    if other:
        words += " (" + ";".join(f"{k}={parts[k]}" for k in other) + ")"
    if "COUNT" in parts:
        words += f", {parts['COUNT']}-mal" if lang == "de" else f", {parts['COUNT']} times"
    elif "UNTIL" in parts:
        try:
            until = parse_until(parts["UNTIL"])
            shown = until.strftime("%d.%m.%Y" if lang == "de" else "%Y-%m-%d")
        except Invalid:
            shown = parts["UNTIL"]
        words += f", bis {shown}" if lang == "de" else f", until {shown}"
    return words


def _describe_days(parts: dict[str, str], lang: str) -> str:
    names = _DAY_NAMES[lang]
    if "BYDAY" in parts:
        items = []
        for item in parts["BYDAY"].split(","):
            match = _BYDAY_ITEM.match(item)
            if not match:
                continue
            day = names[WEEKDAYS.index(match.group(2))]
            items.append(f"{_ordinal(int(match.group(1)), lang)} {day}" if match.group(1) else day)
        if lang == "de":
            return "am " + _and(items, lang)
        ordinal = any(item[0] in "+-0123456789" for item in parts["BYDAY"].split(",") if item)
        return ("on the " if ordinal else "on ") + _and(items, lang)
    if "BYMONTHDAY" in parts:
        numbers = [int(d) for d in parts["BYMONTHDAY"].split(",") if d.lstrip("-").isdigit()]
        if lang == "de":
            shown = ["letzten Tag" if n == -1 else f"{n}." for n in numbers]
            return "am " + _and(shown, lang)
        shown = ["last day" if n == -1 else _ordinal(n, lang) for n in numbers]
        return "on the " + _and(shown, lang)
    return ""


# ------------------------------------------------------------------------------ expansion


@lru_cache(maxsize=512)
def _cached_rule(rule: str, start: datetime) -> Any:
    from dateutil.rrule import rrulestr

    try:
        return _built_rule(rule, start)
    except (KeyError, ValueError):
        return rrulestr(rule, dtstart=start)  # let dateutil say what is wrong


_FREQ_CODES: dict[str, Literal[0, 1, 2, 3]] = {"YEARLY": 0, "MONTHLY": 1, "WEEKLY": 2, "DAILY": 3}
_NUMBER_LISTS = {
    "BYMONTH": "bymonth", "BYMONTHDAY": "bymonthday", "BYYEARDAY": "byyearday",
    "BYWEEKNO": "byweekno", "BYHOUR": "byhour", "BYMINUTE": "byminute", "BYSECOND": "bysecond",
    "BYSETPOS": "bysetpos",
}  # fmt: skip


def _built_rule(rule: str, start: datetime) -> Any:
    """The dateutil rule, built from the parts directly.

    `rrulestr` hands UNTIL to dateutil's general date parser, which is slow enough to
    show when a month of 500 series is listed; rules stored here are already normal.
    """
    from dateutil.rrule import rrule, weekday

    parts = split_rule(rule)
    options: dict[str, Any] = {"interval": int(parts.pop("INTERVAL", "1"))}
    freq = _FREQ_CODES[parts.pop("FREQ")]
    if "COUNT" in parts:
        options["count"] = int(parts.pop("COUNT"))
    if "UNTIL" in parts:
        options["until"] = parse_until(parts.pop("UNTIL"))
    if "WKST" in parts:
        options["wkst"] = WEEKDAYS.index(parts.pop("WKST"))
    if "BYDAY" in parts:
        days = []
        for item in parts.pop("BYDAY").split(","):
            match = _BYDAY_ITEM.match(item)
            if not match:
                raise ValueError(item)
            n = int(match.group(1)) if match.group(1) else None
            days.append(weekday(WEEKDAYS.index(match.group(2)), n))
        options["byweekday"] = days
    for name in list(parts):
        options[_NUMBER_LISTS[name]] = [int(v) for v in parts.pop(name).split(",")]
    return rrule(freq, dtstart=start, **options)


def _dateutil_rule(rule: str, start: datetime) -> Any:
    return _cached_rule(rule, start)


def last_start(rule: str, start: datetime, tzid: str | None = None) -> datetime | None:
    """The start of the rule's last occurrence; None for an open-ended rule."""
    zones = _zoned(tzid)
    if zones is not None:
        last = last_start(zones.rule_there(rule), zones.there(start))
        return zones.here(last) if last is not None else None
    parts = split_rule(rule)
    if "COUNT" in parts:
        occurrences = list(_dateutil_rule(rule, start))
        return occurrences[-1] if occurrences else None
    if "UNTIL" in parts:
        until = parse_until(parts["UNTIL"])
        unbounded = join_rule({k: v for k, v in parts.items() if k != "UNTIL"})
        # Look near UNTIL first instead of walking there from the start (daily for years).
        lower = until - timedelta(days=800)
        if lower > start:
            found = starts_between(unbounded, start, None, lower, until + timedelta(seconds=1))
            if found:
                return found[-1]
        before: datetime | None = _dateutil_rule(rule, start).before(until, inc=True)
        return before
    return None


def _explicit(parts: dict[str, str], start: datetime, until: datetime | None) -> dict[str, str]:
    """What dateutil would take from the start, written out, so the start can move."""
    explicit = dict(parts)
    implicit = not any(k in parts for k in ("BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY"))
    freq = parts.get("FREQ")
    if implicit and freq == "YEARLY":
        explicit.setdefault("BYMONTH", str(start.month))
        explicit["BYMONTHDAY"] = str(start.day)
    elif implicit and freq == "MONTHLY":
        explicit["BYMONTHDAY"] = str(start.day)
    elif implicit and freq == "WEEKLY":
        explicit["BYDAY"] = WEEKDAYS[start.weekday()]
    explicit.pop("COUNT", None)
    explicit.pop("UNTIL", None)
    if until is not None:
        explicit["UNTIL"] = format_until(until)
    return explicit


def _anchor(parts: dict[str, str], start: datetime, lower: datetime) -> datetime:
    """A later start of the same rule: the beginning of a period at or before `lower`.

    Every occurrence of that period has the start's time of day, so none of them lies
    before it; a rule with its own BYHOUR/BYMINUTE/BYSECOND keeps one period to spare.
    """
    if lower <= start:
        return start
    interval = int(parts.get("INTERVAL", "1"))
    freq = parts["FREQ"]
    spare = 1 if any(k in parts for k in ("BYHOUR", "BYMINUTE", "BYSECOND")) else 0
    if freq == "DAILY":
        periods = (lower - start).days // interval - spare
        return start + timedelta(days=periods * interval) if periods > 0 else start
    if freq == "WEEKLY":
        periods = (lower - start).days // 7 // interval - spare
        if periods <= 0:
            return start
        moved = start + timedelta(weeks=periods * interval)
        week_start = WEEKDAYS.index(parts.get("WKST", "MO"))
        moved -= timedelta(days=(moved.weekday() - week_start) % 7)
        return datetime.combine(moved.date(), start.time())
    if freq == "MONTHLY":
        months = (lower.year - start.year) * 12 + lower.month - start.month
        periods = months // interval - spare
        if periods <= 0:
            return start
        index = start.year * 12 + start.month - 1 + periods * interval
        return datetime.combine(date(index // 12, index % 12 + 1, 1), start.time())
    years = lower.year - start.year
    periods = years // interval - spare
    if periods <= 0:
        return start
    return datetime.combine(date(start.year + periods * interval, 1, 1), start.time())


class _Zones:
    """Between the office's wall clock and a series' own zone (`Event.tzid`)."""

    def __init__(self, tzid: str) -> None:
        from zoneinfo import ZoneInfo

        from stm import clock

        self.own = ZoneInfo(tzid)
        self.office = ZoneInfo(clock.timezone())

    def there(self, moment: datetime) -> datetime:
        return moment.replace(tzinfo=self.office).astimezone(self.own).replace(tzinfo=None)

    def here(self, moment: datetime) -> datetime:
        return moment.replace(tzinfo=self.own).astimezone(self.office).replace(tzinfo=None)

    def rule_there(self, rule: str) -> str:
        parts = split_rule(rule)
        if "UNTIL" in parts:
            parts["UNTIL"] = format_until(self.there(parse_until(parts["UNTIL"])))
        return join_rule(parts)


def _zoned(tzid: str | None) -> _Zones | None:
    from stm import clock

    return _Zones(tzid) if tzid and tzid != clock.timezone() else None


def starts_between(
    rule: str,
    start: datetime,
    until: datetime | None,
    lower: datetime,
    upper: datetime,
    tzid: str | None = None,
) -> list[datetime]:
    """Starts `s` of the rule with `lower <= s < upper`, never expanding outside that window.

    `until` is the last occurrence's start (the register keeps it), so that a COUNT rule
    can be expanded from anywhere, not only from its first date. Times are the office's
    wall clock; a series with a zone of its own (`tzid`) repeats in that zone's.
    """
    zones = _zoned(tzid)
    if zones is not None:
        if start >= upper + _MARGIN or (until is not None and until < lower - _MARGIN):
            return []
        found = _starts_between(
            zones.rule_there(rule),
            zones.there(start),
            zones.there(until) if until is not None else None,
            zones.there(lower) - _MARGIN,
            zones.there(upper) + _MARGIN,
        )
        return [moment for moment in map(zones.here, found) if lower <= moment < upper]
    return _starts_between(rule, start, until, lower, upper)


_MARGIN = timedelta(days=1)  # more than any two zones differ by


def _starts_between(
    rule: str, start: datetime, until: datetime | None, lower: datetime, upper: datetime
) -> list[datetime]:
    if start >= upper or (until is not None and until < lower):
        return []
    parts = split_rule(rule)
    if "COUNT" in parts and until is None:
        until = last_start(rule, start)
        if until is None:
            return []
    anchor = _anchor(parts, start, lower)
    if anchor == start:
        expanded = _dateutil_rule(rule, start)
    else:
        expanded = _dateutil_rule(join_rule(_explicit(parts, start, until)), anchor)
    found = expanded.between(lower, upper, inc=True)
    return [s for s in found if s < upper and s >= start]


def occurs_on(
    rule: str, start: datetime, until: datetime | None, day: date, tzid: str | None = None
) -> datetime | None:
    """The start of the rule's occurrence on `day`, if it has one."""
    begin = datetime.combine(day, time(0, 0))
    found = starts_between(rule, start, until, begin, begin + timedelta(days=1), tzid)
    return found[0] if found else None


def next_starts(
    rule: str,
    start: datetime,
    until: datetime | None,
    after: datetime,
    limit: int,
    tzid: str | None = None,
) -> list[datetime]:
    """Up to `limit` starts at or after `after` (for `show`)."""
    found: list[datetime] = []
    lower = after
    for span in (62, 400, 4000, 40000):
        found = starts_between(rule, start, until, lower, lower + timedelta(days=span), tzid)
        if len(found) >= limit:
            break
    return found[:limit]


def first_start(rule: str, start: datetime) -> datetime | None:
    """The first date the rule gives (dateutil omits a start that does not fit the rule)."""
    first: datetime | None = _dateutil_rule(rule, start).after(start, inc=True)
    return first


def weekday_codes(days: Iterable[date]) -> list[str]:
    return [WEEKDAYS[d.weekday()] for d in days]
