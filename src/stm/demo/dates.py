"""Dates in the demo data: relative to the day the demo is built, replayed on their day.

`-5` is five days ago; `{ month = -1, day = 4 }` is the 4th of last month. `on_day`
pins the clock, so that services record a step (created, forwarded, joined) as done
on that day, and the register reads as if the office had worked over the past months.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta


def demo_day(spec: int | dict[str, int], today: date) -> date:
    """`-5` → five days ago; `{month = -1, day = 4}` → the 4th of last month."""
    if isinstance(spec, int):
        return today + timedelta(days=spec)
    index = today.year * 12 + today.month - 1 + spec["month"]
    first = date(index // 12, index % 12 + 1, 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return first.replace(day=min(spec["day"], last.day))


def working_day(day: date) -> date:
    """A Saturday or Sunday moves back to the Friday: deadlines and publication dates
    fall on working days."""
    return day - timedelta(days=max(0, day.weekday() - 4))


@contextmanager
def on_day(day: date) -> Iterator[None]:
    """Pin the clock to `day`, 10:00, so a service records the step as done on that day."""
    saved = os.environ.get("STM_NOW")
    os.environ["STM_NOW"] = f"{day.isoformat()}T10:00"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("STM_NOW", None)
        else:
            os.environ["STM_NOW"] = saved
