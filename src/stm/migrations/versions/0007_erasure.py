"""erasure ledger

Revision ID: erasure
Revises: calendars
Create Date: 2026-12-01

The ledger of erasures (record id, when the record was created, when it was erased,
whether mentions were redacted): no personal data. Persons erased before this
migration are entered from their `erased_at`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "erasure"
down_revision = "calendars"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erasure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("record_created_at", sa.DateTime(), nullable=False),
        sa.Column("erased_at", sa.DateTime(), nullable=False),
        sa.Column("redacted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entity", "entity_id", name="uq_erasure_record"),
    )
    op.execute(
        "INSERT INTO erasure (entity, entity_id, record_created_at, erased_at, redacted) "
        "SELECT 'actor', id, created_at, erased_at, false FROM actor "
        "WHERE erased_at IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_table("erasure")
