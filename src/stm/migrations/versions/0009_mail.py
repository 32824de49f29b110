"""send log

Revision ID: mail
Revises: oparl
Create Date: 2026-12-02

The send log of `stm agenda send`, `stm minutes send`, `stm tasks remind`, `stm meeting
cancel` and `stm mail test`: one row per message the mail server accepted;
and the persons who withdrew consent to be mailed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "mail"
down_revision = "oparl"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(), nullable=True),
        sa.Column("message_id", sa.String(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=True),
        sa.Column("batch", sa.String(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_mail_sent_sent_at", "mail_sent", ["sent_at"])
    op.create_index("ix_mail_sent_meeting_id", "mail_sent", ["meeting_id"])
    op.create_index("ix_mail_sent_actor_id", "mail_sent", ["actor_id"])
    op.create_index("ix_mail_sent_lookup", "mail_sent", ["kind", "meeting_id", "actor_id", "batch"])
    op.create_table(
        "mail_withdrawal",
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actor.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("actor_id"),
    )


def downgrade() -> None:
    op.drop_table("mail_withdrawal")
    op.drop_table("mail_sent")
