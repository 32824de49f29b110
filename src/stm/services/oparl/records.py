"""What every OParl object kind shares: the ids (URLs), the field formats, the collector."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from stm import clock

SCHEMA = "https://schema.oparl.org/1.1/"
HTML = "text/html"
BODY = "body/1.json"


@dataclass
class Export:
    """What to write: JSON objects by their path under the base URL, and documents."""

    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)  # path -> HTML text


class Urls:
    def __init__(self, base: str) -> None:
        self.base = base

    def __call__(self, path: str) -> str:
        return f"{self.base}/{path}"


class Collector:
    """The export being built, and the OParl lists each object goes into."""

    def __init__(self, url: Urls) -> None:
        self.url = url
        self.export = Export()
        self.lists: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def add(self, path: str, record: dict[str, Any], *lists_of: str) -> dict[str, Any]:
        record = compact({"id": self.url(path), **record})
        self.export.objects[path] = record
        for name in lists_of:
            self.lists[name].append(record)
        return record


def stamp(value: datetime | None) -> str | None:
    """A local wall-clock time as an OParl date-time with the office's UTC offset."""
    if value is None:
        return None
    from zoneinfo import ZoneInfo

    return value.replace(tzinfo=ZoneInfo(clock.timezone())).isoformat(timespec="seconds")


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def compact(record: dict[str, Any]) -> dict[str, Any]:
    """Leave out fields without a value (OParl: a missing field, not null)."""
    return {k: v for k, v in record.items() if v is not None and v != ""}
