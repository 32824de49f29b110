"""Events, their districts, organisers and changed occurrences."""

from datetime import datetime

from sqlalchemy import Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field

import stm.models.projects  # noqa: F401  (tables referenced by foreign keys)
from stm.models.base import Table

# ---------------------------------------------------------------------------- events


class Event(Table, table=True):
    __table_args__ = (Index("ix_event_start_end", "start", "end"),)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True, index=True, description="iCalendar UID, stable")
    title: str
    kind: str = "sonstiges"
    start: datetime = Field(
        sa_type=DateTime, description="wall-clock start; all-day events at 00:00"
    )
    end: datetime | None = Field(
        sa_type=DateTime, default=None, description="wall-clock end (exclusive)"
    )
    all_day: bool = False
    rrule: str | None = Field(default=None, description="RFC 5545 RRULE, without 'RRULE:'")
    tzid: str | None = Field(
        default=None,
        description="IANA zone a series repeats in (imported); None: the office's zone",
    )
    until: datetime | None = Field(
        sa_type=DateTime,
        default=None,
        index=True,
        description="last occurrence's start; None if unbounded",
    )
    location: str | None = None
    description: str | None = Field(default=None, sa_column=Column(Text))
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    status: str = "planned"
    expected: int | None = None
    attendance: int | None = None
    created_at: datetime = Field(sa_type=DateTime)
    updated_at: datetime = Field(sa_type=DateTime)


class EventDistrict(Table, table=True):
    __tablename__ = "event_district"
    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    district_id: int = Field(foreign_key="district.id", primary_key=True, index=True)


class EventOrganiser(Table, table=True):
    __tablename__ = "event_organiser"
    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    actor_id: int = Field(foreign_key="actor.id", primary_key=True, index=True)


class EventOccurrence(Table, table=True):
    """One changed or cancelled occurrence of a recurring event (iCalendar RECURRENCE-ID)."""

    __tablename__ = "event_occurrence"
    __table_args__ = (UniqueConstraint("event_id", "recurrence_id", name="uq_occurrence"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    recurrence_id: datetime = Field(
        sa_type=DateTime, description="the start the rule gives this occurrence"
    )
    status: str = "planned"
    start: datetime | None = Field(default=None, sa_type=DateTime)
    end: datetime | None = Field(default=None, sa_type=DateTime)
    title: str | None = None
    location: str | None = None
    attendance: int | None = None
