"""finance: project financing plans and bookings, the Verfügungsfonds

Revision ID: finance
Revises: mail
Create Date: 2026-12-02

- `finance_position`: a project's cost positions and sources of income, planned amounts.
- `booking`: what was spent (or received) on a position; corrections are reversals.
- `fund`, `fund_application`, `fund_payment`: the Verfügungsfonds, its applications with
  the decision in a meeting's minutes, and its payments.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "finance"
down_revision = "mail"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(12, 2)


def upgrade() -> None:
    op.create_table(
        "finance_position",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("planned", MONEY, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "key", name="uq_finance_position"),
    )
    op.create_index(
        "ix_finance_position_project_id", "finance_position", ["project_id"], unique=False
    )
    op.create_table(
        "booking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("payee", sa.String(), nullable=True),
        sa.Column("receipt", sa.String(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["position_id"], ["finance_position.id"]),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reverses_id"], ["booking.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reverses_id"),
    )
    op.create_index("ix_booking_day", "booking", ["day"], unique=False)
    op.create_index("ix_booking_position_id", "booking", ["position_id"], unique=False)
    op.create_index("ix_booking_project_id", "booking", ["project_id"], unique=False)
    op.create_table(
        "fund",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("budget", MONEY, nullable=False),
        sa.Column("cap", MONEY, nullable=True),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("jury_id", sa.Integer(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["district_id"], ["district.id"]),
        sa.ForeignKeyConstraint(["jury_id"], ["network.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_fund_district_id", "fund", ["district_id"], unique=False)
    op.create_index("ix_fund_key", "fund", ["key"], unique=False)
    op.create_index("ix_fund_slug", "fund", ["slug"], unique=True)
    op.create_table(
        "fund_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("approved", MONEY, nullable=True),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["applicant_id"], ["actor.id"]),
        sa.ForeignKeyConstraint(["decision_id"], ["decision.id"]),
        sa.ForeignKeyConstraint(["fund_id"], ["fund.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_fund_application_applicant_id", "fund_application", ["applicant_id"], unique=False
    )
    op.create_index(
        "ix_fund_application_decided_on", "fund_application", ["decided_on"], unique=False
    )
    op.create_index("ix_fund_application_fund_id", "fund_application", ["fund_id"], unique=False)
    op.create_table(
        "fund_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("receipt", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["fund_application.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_fund_payment_application_id", "fund_payment", ["application_id"], unique=False
    )
    op.create_index("ix_fund_payment_day", "fund_payment", ["day"], unique=False)


def downgrade() -> None:
    for table in ("fund_payment", "fund_application", "fund", "booking", "finance_position"):
        op.drop_table(table)
