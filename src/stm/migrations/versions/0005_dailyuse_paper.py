"""newspaper: an article's author may be free text (a resident's letter to the editor)

Revision ID: dailyuse_paper
Revises: dailyuse_search
Create Date: 2026-12-01

`article.author_name` holds the author as typed when no actor matches; an author who is
an actor stays linked by `author_id`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "dailyuse_paper"
down_revision = "dailyuse_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author_name", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_column("author_name")
