"""The activity log: what changed and when."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field

from stm.models.base import Table


class Activity(Table, table=True):
    """What changed, when: the basis of "what happened this month" (SPEC §5).

    `summary` never holds personal data of persons: an erased person stays erased.
    """

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=DateTime, index=True)
    action: str = Field(description="e.g. actor.add, meeting.approve, privacy.erase")
    entity: str
    entity_id: int | None = Field(default=None, index=True)
    actor_id: int | None = Field(default=None, index=True, description="person concerned")
    summary: str = ""
