"""Residents' concerns (Anliegen/Bedarfe) and their history."""

from datetime import date, datetime

from sqlalchemy import Column, DateTime, Text
from sqlmodel import Field

import stm.models.core  # noqa: F401  (tables referenced by foreign keys)
from stm.models.base import Table

# ---------------------------------------------------------------------------- concerns


class Concern(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    description: str | None = Field(default=None, sa_column=Column(Text))
    district_id: int | None = Field(default=None, foreign_key="district.id", index=True)
    category: str | None = None
    reporter_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    anonymous: bool = False
    forwarded_to_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    forwarded_on: date | None = None
    due: date | None = None
    status: str = Field(default="new", index=True)
    answer: str | None = Field(default=None, sa_column=Column(Text))
    reported_on: date = Field(index=True)
    closed_on: date | None = None
    created_at: datetime = Field(sa_type=DateTime)
    updated_at: datetime = Field(sa_type=DateTime)


class ConcernHistory(Table, table=True):
    __tablename__ = "concern_history"

    id: int | None = Field(default=None, primary_key=True)
    concern_id: int = Field(foreign_key="concern.id", index=True, ondelete="CASCADE")
    at: datetime = Field(sa_type=DateTime)
    status: str
    note: str | None = Field(default=None, sa_column=Column(Text))
