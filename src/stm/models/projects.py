"""Projects, their partners and districts."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Column, DateTime, Numeric, Text
from sqlmodel import Field

import stm.models.core  # noqa: F401  (tables referenced by foreign keys)
from stm.models.base import Table

# ---------------------------------------------------------------------------- projects


class Project(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    key: str = Field(index=True)
    title: str
    status: str = "idea"
    lead_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    programme: str | None = None
    budget: Decimal | None = Field(default=None, sa_column=Column(Numeric(12, 2)))
    start: date | None = None
    end: date | None = None
    goals: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    description: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(sa_type=DateTime)
    updated_at: datetime = Field(sa_type=DateTime)


class ProjectPartner(Table, table=True):
    __tablename__ = "project_partner"
    project_id: int = Field(foreign_key="project.id", primary_key=True, ondelete="CASCADE")
    actor_id: int = Field(foreign_key="actor.id", primary_key=True, index=True)
    role: str | None = None


class ProjectDistrict(Table, table=True):
    __tablename__ = "project_district"
    project_id: int = Field(foreign_key="project.id", primary_key=True, ondelete="CASCADE")
    district_id: int = Field(foreign_key="district.id", primary_key=True)
