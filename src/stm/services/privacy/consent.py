"""How long a consent holds (DSGVO Art. 7): pure rules, no session.

A consent carries the day it was given; it holds for `consent_years` (config, default 3)
years, up to the day before the same date that many years later (a consent of
29 February ends on 28 February). A consent recorded without a day (an old import)
counts from the day the record was made. An expired consent counts as none: the person
leaves the contact sheets until it is renewed ('stm privacy consent'), and
'stm privacy stale' lists them.
"""

from __future__ import annotations

from datetime import date

DEFAULT_YEARS = 3


def expires_on(given: date, years: int = DEFAULT_YEARS) -> date:
    """The first day on which a consent given on `given` no longer holds."""
    try:
        return given.replace(year=given.year + years)
    except ValueError:  # 29 February in a year without it
        return given.replace(year=given.year + years, month=3, day=1)


def consent_start(given_on: date | None, created_on: date | None) -> date | None:
    return given_on or created_on


def consent_holds(
    share: bool,
    given_on: date | None,
    created_on: date | None,
    today: date,
    years: int = DEFAULT_YEARS,
) -> bool:
    """Whether a person may appear with their own details on `today`."""
    start = consent_start(given_on, created_on)
    return bool(share) and start is not None and today < expires_on(start, years)
