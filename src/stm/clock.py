"""The current wall-clock time in the office's time zone.

`STM_NOW` (ISO, e.g. `2026-11-22T10:00`) pins the clock, so that tests, the demo and
scripted reports can be reproduced exactly.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Europe/Berlin"
_configured = {"timezone": DEFAULT_TIMEZONE}


def configure(timezone: str) -> None:
    """Set the office's time zone (from config) for every later `now()`."""
    _configured["timezone"] = timezone


def timezone() -> str:
    return _configured["timezone"]


def now() -> datetime:
    """Naive local wall-clock time in the office's time zone, minute precision."""
    pinned = os.environ.get("STM_NOW")
    if pinned:
        try:
            moment = datetime.fromisoformat(pinned)
        except ValueError:
            from stm.errors import Invalid

            raise Invalid(
                "STM_NOW", f"{pinned!r} is not a date and time; use ISO, e.g. 2026-11-20T10:00"
            ) from None
        return moment.replace(second=0, microsecond=0, tzinfo=None)
    local = datetime.now(ZoneInfo(_configured["timezone"]))
    return local.replace(second=0, microsecond=0, tzinfo=None)


def today() -> date:
    return now().date()
