"""Public holidays of a German federal state, from the `holidays` library.

States differ (Brandenburg keeps Ostersonntag and Pfingstsonntag, Mecklenburg-Vorpommern
the Frauentag on 8 March), so a district's state decides; without one, the config's
`state`; without that, the nationwide holidays. Names are German, as on a calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

#: The key used for nationwide holidays when no federal state is known.
NATIONWIDE = ""


@lru_cache(maxsize=64)
def _year(state: str, year: int) -> dict[date, str]:
    import holidays

    calendar = holidays.Germany(subdiv=state or None, years=year, language="de")
    return {day: str(name) for day, name in calendar.items()}


def holiday_name(day: date, state: str = NATIONWIDE) -> str | None:
    """The holiday on `day` in `state` (e.g. 'Reformationstag'), or None."""
    return _year(state.upper(), day.year).get(day)


def holidays_between(
    first: date, last: date, states: Iterable[str] = (NATIONWIDE,)
) -> dict[date, dict[str, str]]:
    """Every holiday from `first` to `last` (inclusive): day → {state: name}."""
    found: dict[date, dict[str, str]] = {}
    for state in sorted({s.upper() for s in states}):
        for year in range(first.year, last.year + 1):
            for day, name in _year(state, year).items():
                if first <= day <= last:
                    found.setdefault(day, {})[state] = name
    return dict(sorted(found.items()))


def holidays_on(days: Iterable[date], state: str = NATIONWIDE) -> list[tuple[date, str]]:
    """The holidays among `days` in one state, in order."""
    found = []
    for day in sorted(set(days)):
        name = holiday_name(day, state)
        if name:
            found.append((day, name))
    return found


def days_of(first: date, end_exclusive: date) -> list[date]:
    """The calendar days a span touches (at least its first)."""
    count = max(1, (end_exclusive - first).days)
    return [first + timedelta(days=n) for n in range(count)]
