"""The register's tables (SPEC §5), as SQLModel classes.

Datetimes are naive wall-clock times in the office's configured time zone (SPEC §5:
"Times are wall-clock"); dates are dates. Money is an exact NUMERIC(12, 2). Every schema
change here needs a migration in `stm/migrations/versions/` (tests compare the two).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from sqlalchemy import JSON, Column, DateTime, Index, Numeric, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# ---------------------------------------------------------------------------- districts


class District(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    key: str = Field(index=True, description="folded name, see stm.names.fold")
    name: str
    city: str = ""
    state: str = Field(default="", description="federal state code, e.g. BB or MV")
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


# ---------------------------------------------------------------------------- actors


class ActorDistrict(SQLModel, table=True):
    __tablename__ = "actor_district"
    actor_id: int = Field(foreign_key="actor.id", primary_key=True, ondelete="CASCADE")
    district_id: int = Field(foreign_key="district.id", primary_key=True, index=True)


class ActorSector(SQLModel, table=True):
    __tablename__ = "actor_sector"
    actor_id: int = Field(foreign_key="actor.id", primary_key=True, ondelete="CASCADE")
    sector: str = Field(primary_key=True, index=True)


class Actor(SQLModel, table=True):
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
    uid: str | None = Field(default=None, index=True, description="vCard UID of an import")
    created_at: datetime = Field(sa_type=DateTime)
    updated_at: datetime = Field(sa_type=DateTime)
    archived_at: datetime | None = Field(default=None, sa_type=DateTime)
    erased_at: datetime | None = Field(default=None, sa_type=DateTime)


# ---------------------------------------------------------------------------- networks


class Network(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    key: str = Field(index=True)
    name: str
    kind: str
    level: str = "district"
    district_id: int | None = Field(default=None, foreign_key="district.id")
    description: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(sa_type=DateTime)


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("network_id", "actor_id", name="uq_membership"),)

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", index=True, ondelete="CASCADE")
    actor_id: int = Field(foreign_key="actor.id", index=True)
    role: str = "member"
    voting: bool = True
    since: date | None = None
    until: date | None = None
    created_at: datetime = Field(sa_type=DateTime)


# ---------------------------------------------------------------------------- projects


class Project(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    key: str = Field(index=True)
    title: str
    status: str = "idea"
    lead_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    programme: str | None = None
    budget: Decimal | None = Field(default=None, sa_column=Column(Numeric(12, 2)))
    start: date | None = None
    end: date | None = None
    goals: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    description: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(sa_type=DateTime)
    updated_at: datetime = Field(sa_type=DateTime)


class ProjectPartner(SQLModel, table=True):
    __tablename__ = "project_partner"
    project_id: int = Field(foreign_key="project.id", primary_key=True, ondelete="CASCADE")
    actor_id: int = Field(foreign_key="actor.id", primary_key=True, index=True)
    role: str | None = None


class ProjectDistrict(SQLModel, table=True):
    __tablename__ = "project_district"
    project_id: int = Field(foreign_key="project.id", primary_key=True, ondelete="CASCADE")
    district_id: int = Field(foreign_key="district.id", primary_key=True)


# ---------------------------------------------------------------------------- events


class Event(SQLModel, table=True):
    __table_args__ = (Index("ix_event_start_end", "start", "end"),)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True, index=True, description="iCalendar UID, stable")
    title: str
    kind: str = "sonstiges"
    start: datetime = Field(
        sa_type=DateTime, description="wall-clock start; all-day events at 00:00"
    )
    end: datetime | None = Field(
        sa_type=DateTime, default=None, description="wall-clock end (exclusive)"
    )
    all_day: bool = False
    rrule: str | None = Field(default=None, description="RFC 5545 RRULE, without 'RRULE:'")
    until: datetime | None = Field(
        sa_type=DateTime,
        default=None,
        index=True,
        description="last occurrence's start; None if unbounded",
    )
    location: str | None = None
    description: str | None = Field(default=None, sa_column=Column(Text))
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    status: str = "planned"
    expected: int | None = None
    attendance: int | None = None
    created_at: datetime = Field(sa_type=DateTime)
    updated_at: datetime = Field(sa_type=DateTime)


class EventDistrict(SQLModel, table=True):
    __tablename__ = "event_district"
    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    district_id: int = Field(foreign_key="district.id", primary_key=True, index=True)


class EventOrganiser(SQLModel, table=True):
    __tablename__ = "event_organiser"
    event_id: int = Field(foreign_key="event.id", primary_key=True, ondelete="CASCADE")
    actor_id: int = Field(foreign_key="actor.id", primary_key=True, index=True)


class EventOccurrence(SQLModel, table=True):
    """One changed or cancelled occurrence of a recurring event (iCalendar RECURRENCE-ID)."""

    __tablename__ = "event_occurrence"
    __table_args__ = (UniqueConstraint("event_id", "recurrence_id", name="uq_occurrence"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True, ondelete="CASCADE")
    recurrence_id: datetime = Field(
        sa_type=DateTime, description="the start the rule gives this occurrence"
    )
    status: str = "planned"
    start: datetime | None = Field(default=None, sa_type=DateTime)
    end: datetime | None = Field(default=None, sa_type=DateTime)
    title: str | None = None
    location: str | None = None
    attendance: int | None = None


# ---------------------------------------------------------------------------- meetings


class Meeting(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("network_id", "number", name="uq_meeting_number"),)

    id: int | None = Field(default=None, primary_key=True)
    network_id: int = Field(foreign_key="network.id", index=True)
    event_id: int = Field(foreign_key="event.id", unique=True)
    number: int
    chair_id: int | None = Field(default=None, foreign_key="actor.id")
    minutes_by_id: int | None = Field(default=None, foreign_key="actor.id")
    state: str = "scheduled"
    approved_at: datetime | None = Field(default=None, sa_type=DateTime)
    created_at: datetime = Field(sa_type=DateTime)


class AgendaItem(SQLModel, table=True):
    __tablename__ = "agenda_item"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    position: int
    title: str
    presenter_id: int | None = Field(default=None, foreign_key="actor.id")
    minutes: int | None = None
    kind: str = "info"
    notes: str | None = Field(default=None, sa_column=Column(Text))


class Attendance(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("meeting_id", "actor_id", name="uq_attendance"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    actor_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    guest_name: str | None = None
    status: str = "present"


class Decision(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    agenda_item_id: int | None = Field(default=None, foreign_key="agenda_item.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    votes_yes: int = 0
    votes_no: int = 0
    votes_abstain: int = 0
    result: str = Field(description="adopted or rejected")
    quorate: bool | None = None


class Task(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    owner_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    due: date | None = Field(default=None, index=True)
    status: str = Field(default="open", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    agenda_item_id: int | None = Field(default=None, foreign_key="agenda_item.id")
    done_on: date | None = None
    created_at: datetime = Field(sa_type=DateTime)


# ---------------------------------------------------------------------------- concerns


class Concern(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    description: str | None = Field(default=None, sa_column=Column(Text))
    district_id: int | None = Field(default=None, foreign_key="district.id", index=True)
    category: str | None = None
    reporter_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    anonymous: bool = False
    forwarded_to_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    forwarded_on: date | None = None
    due: date | None = None
    status: str = Field(default="new", index=True)
    answer: str | None = Field(default=None, sa_column=Column(Text))
    reported_on: date = Field(index=True)
    closed_on: date | None = None
    created_at: datetime = Field(sa_type=DateTime)
    updated_at: datetime = Field(sa_type=DateTime)


class ConcernHistory(SQLModel, table=True):
    __tablename__ = "concern_history"

    id: int | None = Field(default=None, primary_key=True)
    concern_id: int = Field(foreign_key="concern.id", index=True, ondelete="CASCADE")
    at: datetime = Field(sa_type=DateTime)
    status: str
    note: str | None = Field(default=None, sa_column=Column(Text))


# ---------------------------------------------------------------------------- newspaper


class Publication(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True)
    key: str = Field(index=True)
    name: str
    publisher_id: int | None = Field(default=None, foreign_key="actor.id")


class PaperIssue(SQLModel, table=True):
    __tablename__ = "paper_issue"
    __table_args__ = (UniqueConstraint("publication_id", "label", name="uq_paper_issue"),)

    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publication.id", index=True)
    label: str
    deadline: date
    publish_on: date
    print_run: int | None = None
    pages: int | None = None


class Article(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = Field(foreign_key="paper_issue.id", index=True, ondelete="CASCADE")
    title: str
    author_id: int | None = Field(default=None, foreign_key="actor.id", index=True)
    status: str = "submitted"
    pages: float | None = None
    created_at: datetime = Field(sa_type=DateTime)
    updated_at: datetime = Field(sa_type=DateTime)


# ---------------------------------------------------------------------------- log, search


class Activity(SQLModel, table=True):
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


class SearchDocument(SQLModel, table=True):
    """One searchable record: its folded text, kept in sync on every write."""

    __tablename__ = "search_document"
    __table_args__ = (UniqueConstraint("entity", "entity_id", name="uq_search_document"),)

    id: int | None = Field(default=None, primary_key=True)
    entity: str
    entity_id: int
    title: str
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    folded: str = Field(default="", sa_column=Column(Text, nullable=False))


def table_names() -> list[str]:
    return sorted(SQLModel.metadata.tables)
