"""A project's running time and the due dates of its proofs of use (no session, light).

Due dates, as the usual funding conditions set them: the Verwendungsnachweis six months
after the project's end, the Zwischennachweis of a year by 30 April of the next.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

FINAL_DUE_MONTHS = 6
INTERIM_DUE = (4, 30)  # 30 April of the following year


def outside_period(project: Any, day: date) -> str | None:
    """Why `day` lies outside the project's running time, or None."""
    if project.start and day < project.start:
        return f"before the project's start ({project.start:%d.%m.%Y})"
    if project.end and day > project.end:
        return f"after the project's end ({project.end:%d.%m.%Y})"
    return None


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    following = date(year + (month == 11), (month + 1) % 12 + 1, 1)
    last = (following - timedelta(days=1)).day
    return date(year, month + 1, min(day.day, last))


def final_due(project: Any) -> date | None:
    return add_months(project.end, FINAL_DUE_MONTHS) if project.end else None


def interim_due(year: int) -> date:
    return date(year + 1, *INTERIM_DUE)
