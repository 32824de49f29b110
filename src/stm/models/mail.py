"""The send log: what was mailed to whom, when, with which Message-ID and SEQUENCE."""

from datetime import datetime

from sqlalchemy import DateTime, Index
from sqlmodel import Field

from stm.models.base import Table


class MailSent(Table, table=True):
    """One message that the mail server accepted (SPEC §5 "Send log").

    A row is written only after the server said yes, so the log never claims a message
    that was not sent; a rerun sends what has no row yet. `batch` names the run a message
    belongs to (an invitation's SEQUENCE, a reminder's day), `fingerprint` what the
    calendar entry said (start, end, place), so that a change is noticed. After an
    erasure `address` is emptied: the log keeps no address of an erased person.
    """

    __tablename__ = "mail_sent"
    __table_args__ = (Index("ix_mail_sent_lookup", "kind", "meeting_id", "actor_id", "batch"),)

    id: int | None = Field(default=None, primary_key=True)
    sent_at: datetime = Field(sa_type=DateTime, index=True)
    kind: str = Field(description="invitation, update, cancel, minutes, draft, reminder, test")
    meeting_id: int | None = Field(
        default=None, foreign_key="meeting.id", index=True, ondelete="SET NULL"
    )
    actor_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    address: str | None = None
    message_id: str
    sequence: int | None = None
    batch: str = ""
    fingerprint: str = ""


class MailWithdrawal(Table, table=True):
    """A person who withdrew consent to be mailed (Art. 7 (3) DSGVO): never mailed again.

    Kept by actor id only; `stm mail withdraw --undo` removes it when they consent again.
    """

    __tablename__ = "mail_withdrawal"

    actor_id: int = Field(foreign_key="actor.id", primary_key=True, ondelete="CASCADE")
    since: datetime = Field(sa_type=DateTime)
