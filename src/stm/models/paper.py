"""The district newspaper: publications, issues, articles."""

from datetime import date, datetime

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Field

import stm.models.core  # noqa: F401  (tables referenced by foreign keys)
from stm.models.base import Table

# ---------------------------------------------------------------------------- newspaper


class Publication(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    key: str = Field(index=True)
    name: str
    publisher_id: int | None = Field(default=None, foreign_key="actor.id")


class PaperIssue(Table, table=True):
    __tablename__ = "paper_issue"
    __table_args__ = (UniqueConstraint("publication_id", "label", name="uq_paper_issue"),)

    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publication.id", index=True)
    label: str
    deadline: date
    publish_on: date
    print_run: int | None = None
    pages: int | None = None


class Article(Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = Field(foreign_key="paper_issue.id", index=True, ondelete="CASCADE")
    title: str
    author_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    author_name: str | None = Field(default=None, description="the author as typed, no actor")
    status: str = "submitted"
    pages: float | None = None
    created_at: datetime = Field(sa_type=DateTime)
    updated_at: datetime = Field(sa_type=DateTime)
