"""Money: a project's financing plan and bookings, the Verfügungsfonds and its applications.

Amounts are exact NUMERIC(12, 2), like a project's budget. A booking is never edited in
place: a correction is a reversal (a booking of the opposite amount that names the one it
reverses) and a new booking, so the history is what an auditor expects.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, DateTime, Numeric, Text, UniqueConstraint
from sqlmodel import Field

import stm.models.meetings
import stm.models.projects  # noqa: F401  (tables referenced by foreign keys)
from stm.models.base import Table

# ---------------------------------------------------------------------------- project finances


class FinancePosition(Table, table=True):
    """A line of a project's financing plan: a cost position or a source of income."""

    __tablename__ = "finance_position"
    __table_args__ = (UniqueConstraint("project_id", "key", name="uq_finance_position"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    kind: str = Field(description="cost or income")
    name: str
    key: str
    planned: Decimal = Field(sa_column=Column(Numeric(12, 2), nullable=False))
    position: int = 0


class Booking(Table, table=True):
    """Money spent on a cost position (or received from a source of income)."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    position_id: int = Field(foreign_key="finance_position.id", index=True)
    day: date = Field(index=True)
    amount: Decimal = Field(sa_column=Column(Numeric(12, 2), nullable=False))
    payee: str | None = None
    receipt: str | None = None
    note: str | None = Field(default=None, sa_column=Column(Text))
    reverses_id: int | None = Field(default=None, foreign_key="booking.id", unique=True)
    late: bool = False
    created_at: datetime = Field(sa_type=DateTime)


# ---------------------------------------------------------------------------- the Verfügungsfonds


class Fund(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    key: str = Field(index=True)
    name: str
    budget: Decimal = Field(sa_column=Column(Numeric(12, 2), nullable=False))
    cap: Decimal | None = Field(default=None, sa_column=Column(Numeric(12, 2)))
    district_id: int | None = Field(default=None, foreign_key="district.id", index=True)
    jury_id: int | None = Field(default=None, foreign_key="network.id")
    closed_on: date | None = None
    created_at: datetime = Field(sa_type=DateTime)


class FundApplication(Table, table=True):
    __tablename__ = "fund_application"

    id: int | None = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="fund.id", index=True, ondelete="CASCADE")
    title: str
    applicant_id: int = Field(foreign_key="actor.id", index=True)
    amount: Decimal = Field(sa_column=Column(Numeric(12, 2), nullable=False))
    approved: Decimal | None = Field(default=None, sa_column=Column(Numeric(12, 2)))
    state: str = Field(default="applied", description="applied, approved, rejected or paid")
    description: str | None = Field(default=None, sa_column=Column(Text))
    applied_on: date
    decided_on: date | None = Field(default=None, index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    decision_id: int | None = Field(default=None, foreign_key="decision.id")
    created_at: datetime = Field(sa_type=DateTime)


class FundPayment(Table, table=True):
    __tablename__ = "fund_payment"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="fund_application.id", index=True, ondelete="CASCADE")
    day: date = Field(index=True)
    amount: Decimal = Field(sa_column=Column(Numeric(12, 2), nullable=False))
    receipt: str | None = None
    created_at: datetime = Field(sa_type=DateTime)
