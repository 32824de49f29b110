"""The core of the register: districts and actors."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, DateTime, Index, Text
from sqlmodel import Field

from stm.models.base import Table


def new_actor_uid() -> str:
    """A vCard UID for an actor created in stm (address books skip cards without one)."""
    import uuid

    return str(uuid.uuid4())


# ---------------------------------------------------------------------------- districts


class District(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    key: str = Field(index=True, description="folded name, see stm.names.fold")
    name: str
    city: str = ""
    state: str = Field(default="", description="federal state code, e.g. BB or MV")
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


# ---------------------------------------------------------------------------- actors


class ActorDistrict(Table, table=True):
    __tablename__ = "actor_district"
    actor_id: int = Field(foreign_key="actor.id", primary_key=True, ondelete="CASCADE")
    district_id: int = Field(foreign_key="district.id", primary_key=True, index=True)


class ActorSector(Table, table=True):
    __tablename__ = "actor_sector"
    actor_id: int = Field(foreign_key="actor.id", primary_key=True, ondelete="CASCADE")
    sector: str = Field(primary_key=True, index=True)


class ActorAlias(Table, table=True):
    """A short name an actor is also known by ("WIRO"); it names the actor everywhere."""

    __tablename__ = "actor_alias"
    actor_id: int = Field(foreign_key="actor.id", primary_key=True, ondelete="CASCADE")
    key: str = Field(primary_key=True, index=True, description="folded, see stm.names.fold")
    name: str


class Actor(Table, table=True):
    __table_args__ = (Index("ix_actor_kind_archived", "kind", "archived_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)
    name: str = Field(description="display name; for persons 'Given Family'")
    key: str = Field(index=True, description="folded name, see stm.names.fold")
    given_name: str | None = None
    family_name: str | None = None
    organisation_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    function: str | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    notes: str | None = Field(default=None, sa_column=Column(Text))
    consent_given_on: date | None = None
    consent_purpose: str | None = None
    consent_share: bool = False
    uid: str | None = Field(
        default_factory=new_actor_uid,
        index=True,
        description="vCard UID: the card's own when imported, else made on create",
    )
    created_at: datetime = Field(sa_type=DateTime)
    updated_at: datetime = Field(sa_type=DateTime)
    archived_at: datetime | None = Field(default=None, sa_type=DateTime)
    erased_at: datetime | None = Field(default=None, sa_type=DateTime)
