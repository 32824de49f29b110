"""The month a report covers and the districts it is limited to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import and_, or_, select, true
from sqlalchemy.sql import ColumnElement

from stm.store import tables


@dataclass(frozen=True)
class Period:
    """A calendar month: `start` is its first day, `end` the first day of the next."""

    start: date
    end: date

    @classmethod
    def of(cls, first: date) -> Period:
        first = first.replace(day=1)
        return cls(first, next_month(first))

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(0, 0))

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end, time(0, 0))

    @property
    def label(self) -> str:
        return f"{self.start.year:04d}-{self.start.month:02d}"

    def next(self) -> Period:
        return Period.of(self.end)

    def holds(self, day: date | datetime | None) -> bool:
        if isinstance(day, datetime):
            day = day.date()
        return day is not None and self.start <= day < self.end

    def dates(self, column: Any) -> ColumnElement[bool]:
        """SQL: a date column within the month."""
        return and_(column >= self.start, column < self.end)


def next_month(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


@dataclass
class Scope:
    """The districts a report covers (rows with slug and name); `ids` None: all of them."""

    districts: list[Any]
    ids: set[int] | None

    def covers(self, district_ids: Iterable[int]) -> bool:
        return self.ids is None or bool(self.ids & set(district_ids))

    def where(self, district_column: Any) -> ColumnElement[bool]:
        return true() if self.ids is None else district_column.in_(sorted(self.ids))

    def where_network(self, network: Any) -> ColumnElement[bool]:
        """SQL: the network (its columns) serves one of the districts; a network may serve
        several (network_district), the first of them also in `network.district_id`."""
        if self.ids is None:
            return true()
        nd, ids = tables.NETWORK_DISTRICT.c, sorted(self.ids)
        return or_(
            network.district_id.in_(ids),
            network.id.in_(select(nd.network_id).where(nd.district_id.in_(ids))),
        )

    def where_actor(self, actor_id: Any) -> ColumnElement[bool]:
        """SQL: the actor (its id column) works in one of the districts."""
        if self.ids is None:
            return true()
        ad = tables.ACTOR_DISTRICT.c
        return actor_id.in_(select(ad.actor_id).where(self.where(ad.district_id)))  # type: ignore[no-any-return]
