"""non-public agenda items (OParl)

Revision ID: oparl
Revises: erasure
Create Date: 2026-12-02

An agenda item (TOP) may be non-public (`stm agenda add --non-public`): it is marked in
the minutes and left out of the OParl export. Every existing item is public.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "oparl"
down_revision = "erasure"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite allows NOT NULL with a default): a batch copy of the table
    # would drop it, which the foreign keys of decisions and tasks refuse.
    op.add_column(
        "agenda_item", sa.Column("public", sa.Boolean(), nullable=False, server_default=sa.true())
    )


def downgrade() -> None:
    op.drop_column("agenda_item", "public")
