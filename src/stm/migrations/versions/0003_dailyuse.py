"""daily use: networks serve several districts, actors carry short names, names fold ı/ø/ł…

Revision ID: dailyuse
Revises: 0002
Create Date: 2026-12-01

- `network_district`: the districts of a network, filled from `network.district_id`.
- `actor_alias`: short names an actor is also known by ("WIRO").
- Matching keys and the search index's folded text are computed again, because
  `stm.names.fold` now spells out ı, ø, ł, æ, œ, đ, þ and other letters that used to be
  dropped ("Yılmaz" was keyed "ylmaz", and "yilmaz" did not find it).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from stm.names import fold, fold_words

revision = "dailyuse"
down_revision = "0002"
branch_labels = None
depends_on = None

KEYED = (("district", "name"), ("actor", "name"), ("network", "name"),
         ("publication", "name"), ("project", "title"))  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "network_district",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["district_id"], ["district.id"]),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("network_id", "district_id"),
    )
    with op.batch_alter_table("network_district", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_network_district_district_id"), ["district_id"], unique=False
        )
    op.execute(
        "INSERT INTO network_district (network_id, district_id) "
        "SELECT id, district_id FROM network WHERE district_id IS NOT NULL"
    )
    op.create_table(
        "actor_alias",
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("actor_id", "key"),
    )
    with op.batch_alter_table("actor_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actor_alias_key"), ["key"], unique=False)
    _refold()


def _refold() -> None:
    """Matching keys and folded search text in today's folding, where it changed."""
    connection = op.get_bind()
    for table, column in KEYED:
        rows = connection.execute(sa.text(f"SELECT id, {column}, key FROM {table}")).all()
        for row_id, name, key in rows:
            if name is not None and fold(name) != key:
                connection.execute(
                    sa.text(f"UPDATE {table} SET key = :key WHERE id = :id"),
                    {"key": fold(name), "id": row_id},
                )
    documents = connection.execute(sa.text("SELECT id, title, body, folded FROM search_document"))
    for row_id, title, body, folded in documents.all():
        again = fold_words(f"{title} {body}")
        if not (f"{title}{body}").isascii() and again != folded:
            connection.execute(
                sa.text("UPDATE search_document SET folded = :folded WHERE id = :id"),
                {"folded": again, "id": row_id},
            )


def downgrade() -> None:
    op.drop_table("actor_alias")
    op.drop_table("network_district")
