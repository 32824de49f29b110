"""Networks (Gremien) and their memberships."""

from datetime import date, datetime

from sqlalchemy import Column, DateTime, Text, UniqueConstraint
from sqlmodel import Field

import stm.models.core  # noqa: F401  (tables referenced by foreign keys)
from stm.models.base import Table

# ---------------------------------------------------------------------------- networks


class Network(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    key: str = Field(index=True)
    name: str
    kind: str
    level: str = "district"
    district_id: int | None = Field(default=None, foreign_key="district.id")
    description: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(sa_type=DateTime)


class NetworkDistrict(Table, table=True):
    """The districts a network serves (a Lenkungsgruppe may serve two); `Network.district_id`
    is the first of them."""

    __tablename__ = "network_district"
    network_id: int = Field(foreign_key="network.id", primary_key=True, ondelete="CASCADE")
    district_id: int = Field(foreign_key="district.id", primary_key=True, index=True)


class Membership(Table, table=True):
    __table_args__ = (UniqueConstraint("network_id", "actor_id", name="uq_membership"),)

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", index=True, ondelete="CASCADE")
    actor_id: int = Field(foreign_key="actor.id", index=True)
    role: str = "member"
    voting: bool = True
    since: date | None = None
    until: date | None = None
    created_at: datetime = Field(sa_type=DateTime)
