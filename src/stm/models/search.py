"""The search index: one row per searchable record."""

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field

from stm.models.base import Table


class SearchDocument(Table, table=True):
    """One searchable record: its folded text, kept in sync on every write."""

    __tablename__ = "search_document"
    __table_args__ = (UniqueConstraint("entity", "entity_id", name="uq_search_document"),)

    id: int | None = Field(default=None, primary_key=True)
    entity: str
    entity_id: int
    title: str
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    folded: str = Field(default="", sa_column=Column(Text, nullable=False))
