"""Meetings of networks: agenda items, attendance, decisions and tasks."""

from datetime import date, datetime

from sqlalchemy import Column, DateTime, Text, UniqueConstraint
from sqlmodel import Field

import stm.models.events
import stm.models.networks  # noqa: F401
from stm.models.base import Table

# ---------------------------------------------------------------------------- meetings


class Meeting(Table, table=True):
    __table_args__ = (UniqueConstraint("network_id", "number", name="uq_meeting_number"),)

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", index=True)
    event_id: int = Field(foreign_key="event.id", unique=True)
    number: int
    chair_id: int | None = Field(default=None, foreign_key="actor.id")
    minutes_by_id: int | None = Field(default=None, foreign_key="actor.id")
    state: str = "scheduled"
    approved_at: datetime | None = Field(default=None, sa_type=DateTime)
    created_at: datetime = Field(sa_type=DateTime)


class AgendaItem(Table, table=True):
    __tablename__ = "agenda_item"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    position: int
    title: str
    presenter_id: int | None = Field(default=None, foreign_key="actor.id")
    minutes: int | None = None
    kind: str = "info"
    notes: str | None = Field(default=None, sa_column=Column(Text))
    public: bool = Field(default=True, description="False: non-public (nicht öffentlich)")


class Attendance(Table, table=True):
    __table_args__ = (UniqueConstraint("meeting_id", "actor_id", name="uq_attendance"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    actor_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    guest_name: str | None = None
    status: str = "present"


class Decision(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    agenda_item_id: int | None = Field(default=None, foreign_key="agenda_item.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    votes_yes: int = 0
    votes_no: int = 0
    votes_abstain: int = 0
    result: str = Field(description="adopted or rejected")
    quorate: bool | None = None


class Task(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    owner_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    due: date | None = Field(default=None, index=True)
    status: str = Field(default="open", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    agenda_item_id: int | None = Field(default=None, foreign_key="agenda_item.id")
    done_on: date | None = None
    created_at: datetime = Field(sa_type=DateTime)
