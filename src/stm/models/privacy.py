"""The erasure ledger: which records were erased when, without personal data."""

from datetime import datetime

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Field

from stm.models.base import Table


class Erasure(Table, table=True):
    """One erasure (Art. 17 DSGVO), kept so that a restored backup is erased again.

    The record is named by its id and the moment it was created (ids alone could be
    reused after a merge); nothing else about the person is kept.
    """

    __tablename__ = "erasure"
    __table_args__ = (UniqueConstraint("entity", "entity_id", name="uq_erasure_record"),)

    id: int | None = Field(default=None, primary_key=True)
    entity: str = "actor"
    entity_id: int
    record_created_at: datetime = Field(sa_type=DateTime)
    erased_at: datetime = Field(sa_type=DateTime)
    redacted: bool = False
