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

from stm.recurrence.expansion import (
    first_start,
    last_start,
    next_starts,
    occurs_on,
    starts_between,
    weekday_codes,
)
from stm.recurrence.rules import (
    FREQUENCIES,
    MAX_COUNT,
    MAX_INTERVAL,
    MAX_YEARS,
    REPEAT_FORMS,
    WEEKDAYS,
    check_rule,
    format_until,
    join_rule,
    parse_until,
    split_rule,
)
from stm.recurrence.words import describe_rule, parse_rule, readable_rule

__all__ = [
    "FREQUENCIES",
    "MAX_COUNT",
    "MAX_INTERVAL",
    "MAX_YEARS",
    "REPEAT_FORMS",
    "WEEKDAYS",
    "check_rule",
    "describe_rule",
    "first_start",
    "format_until",
    "join_rule",
    "last_start",
    "next_starts",
    "occurs_on",
    "parse_rule",
    "parse_until",
    "readable_rule",
    "split_rule",
    "starts_between",
    "weekday_codes",
]
