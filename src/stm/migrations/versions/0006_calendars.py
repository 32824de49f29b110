"""calendars and address books: every actor a vCard UID, every event its time zone

Revision ID: calendars
Revises: dailyuse_paper
Create Date: 2026-12-01

- `actor.uid`: actors created before this revision got none (only imported cards had
  one), so address book programs skipped their cards (khard: "has no UID"). Each actor
  without one gets a random UUID now, the same on every later export.
- `event.tzid`: the IANA zone a series repeats in (imported from another zone, or UTC);
  NULL for the office's zone and for floating times.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "calendars"
down_revision = "dailyuse_paper"
branch_labels = None
depends_on = None

_CHUNK = 1000


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tzid", sa.String(), nullable=True))
    connection = op.get_bind()
    actor = sa.table("actor", sa.column("id", sa.Integer), sa.column("uid", sa.String))
    ids = [row[0] for row in connection.execute(sa.select(actor.c.id).where(actor.c.uid.is_(None)))]
    statement = actor.update().where(actor.c.id == sa.bindparam("actor_id"))
    for start in range(0, len(ids), _CHUNK):
        connection.execute(
            statement.values(uid=sa.bindparam("new_uid")),
            [{"actor_id": i, "new_uid": str(uuid.uuid4())} for i in ids[start : start + _CHUNK]],
        )


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("tzid")
