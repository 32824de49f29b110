"""Rules in words: what users type (`jeden 2. Dienstag`, `every 2 weeks until …`) read as
RRULEs, and rules said back in English or German."""

from __future__ import annotations

import re
from datetime import datetime

from stm.errors import Invalid
from stm.recurrence.rules import (
    BYDAY_ITEM,
    MAX_INTERVAL,
    REPEAT_FORMS,
    WEEKDAYS,
    check_rule,
    join_rule,
    parse_until,
    split_rule,
)


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
            match = BYDAY_ITEM.match(item)
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
