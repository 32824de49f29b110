"""The register's tables as light SQLAlchemy Core descriptions, for the fast read paths.

Generated from the models by `scripts/light_tables.py`; do not edit by hand (a test checks
that this file matches the models). A read imports this module instead of `stm.models`:
building the SQLModel classes costs more than most queries.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Numeric, String, column, table
from sqlalchemy.sql.expression import TableClause


def _table(name: str, /, **columns: Any) -> TableClause:
    return table(name, *(column(key, kind) for key, kind in columns.items()))


ACTIVITY = _table(
    "activity",
    id=Integer,
    at=DateTime,
    action=String,
    entity=String,
    entity_id=Integer,
    actor_id=Integer,
    summary=String,
)
ACTOR = _table(
    "actor",
    id=Integer,
    kind=String,
    name=String,
    key=String,
    given_name=String,
    family_name=String,
    organisation_id=Integer,
    function=String,
    email=String,
    phone=String,
    website=String,
    street=String,
    postcode=String,
    city=String,
    notes=String,
    consent_given_on=Date,
    consent_purpose=String,
    consent_share=Boolean,
    uid=String,
    created_at=DateTime,
    updated_at=DateTime,
    archived_at=DateTime,
    erased_at=DateTime,
)
ACTOR_ALIAS = _table(
    "actor_alias",
    actor_id=Integer,
    key=String,
    name=String,
)
ACTOR_DISTRICT = _table(
    "actor_district",
    actor_id=Integer,
    district_id=Integer,
)
ACTOR_SECTOR = _table(
    "actor_sector",
    actor_id=Integer,
    sector=String,
)
AGENDA_ITEM = _table(
    "agenda_item",
    id=Integer,
    meeting_id=Integer,
    position=Integer,
    title=String,
    presenter_id=Integer,
    minutes=Integer,
    kind=String,
    notes=String,
    public=Boolean,
)
ARTICLE = _table(
    "article",
    id=Integer,
    issue_id=Integer,
    title=String,
    author_id=Integer,
    author_name=String,
    status=String,
    pages=Float,
    created_at=DateTime,
    updated_at=DateTime,
)
ATTENDANCE = _table(
    "attendance",
    id=Integer,
    meeting_id=Integer,
    actor_id=Integer,
    guest_name=String,
    status=String,
)
BOOKING = _table(
    "booking",
    id=Integer,
    project_id=Integer,
    position_id=Integer,
    day=Date,
    amount=Numeric(12, 2),
    payee=String,
    receipt=String,
    note=String,
    reverses_id=Integer,
    late=Boolean,
    created_at=DateTime,
)
CONCERN = _table(
    "concern",
    id=Integer,
    title=String,
    description=String,
    district_id=Integer,
    category=String,
    reporter_id=Integer,
    anonymous=Boolean,
    forwarded_to_id=Integer,
    forwarded_on=Date,
    due=Date,
    status=String,
    answer=String,
    reported_on=Date,
    closed_on=Date,
    created_at=DateTime,
    updated_at=DateTime,
)
CONCERN_HISTORY = _table(
    "concern_history",
    id=Integer,
    concern_id=Integer,
    at=DateTime,
    status=String,
    note=String,
)
DECISION = _table(
    "decision",
    id=Integer,
    meeting_id=Integer,
    agenda_item_id=Integer,
    text=String,
    votes_yes=Integer,
    votes_no=Integer,
    votes_abstain=Integer,
    result=String,
    quorate=Boolean,
)
DISTRICT = _table(
    "district",
    id=Integer,
    slug=String,
    key=String,
    name=String,
    city=String,
    state=String,
    aliases=JSON,
)
ERASURE = _table(
    "erasure",
    id=Integer,
    entity=String,
    entity_id=Integer,
    record_created_at=DateTime,
    erased_at=DateTime,
    redacted=Boolean,
)
EVENT = _table(
    "event",
    id=Integer,
    uid=String,
    title=String,
    kind=String,
    start=DateTime,
    end=DateTime,
    all_day=Boolean,
    rrule=String,
    tzid=String,
    until=DateTime,
    location=String,
    description=String,
    project_id=Integer,
    status=String,
    expected=Integer,
    attendance=Integer,
    created_at=DateTime,
    updated_at=DateTime,
)
EVENT_DISTRICT = _table(
    "event_district",
    event_id=Integer,
    district_id=Integer,
)
EVENT_OCCURRENCE = _table(
    "event_occurrence",
    id=Integer,
    event_id=Integer,
    recurrence_id=DateTime,
    status=String,
    start=DateTime,
    end=DateTime,
    title=String,
    location=String,
    attendance=Integer,
)
EVENT_ORGANISER = _table(
    "event_organiser",
    event_id=Integer,
    actor_id=Integer,
)
FINANCE_POSITION = _table(
    "finance_position",
    id=Integer,
    project_id=Integer,
    kind=String,
    name=String,
    key=String,
    planned=Numeric(12, 2),
    position=Integer,
)
FUND = _table(
    "fund",
    id=Integer,
    slug=String,
    key=String,
    name=String,
    budget=Numeric(12, 2),
    cap=Numeric(12, 2),
    district_id=Integer,
    jury_id=Integer,
    closed_on=Date,
    created_at=DateTime,
)
FUND_APPLICATION = _table(
    "fund_application",
    id=Integer,
    fund_id=Integer,
    title=String,
    applicant_id=Integer,
    amount=Numeric(12, 2),
    approved=Numeric(12, 2),
    state=String,
    description=String,
    applied_on=Date,
    decided_on=Date,
    meeting_id=Integer,
    decision_id=Integer,
    created_at=DateTime,
)
FUND_PAYMENT = _table(
    "fund_payment",
    id=Integer,
    application_id=Integer,
    day=Date,
    amount=Numeric(12, 2),
    receipt=String,
    created_at=DateTime,
)
MAIL_SENT = _table(
    "mail_sent",
    id=Integer,
    sent_at=DateTime,
    kind=String,
    meeting_id=Integer,
    actor_id=Integer,
    address=String,
    message_id=String,
    sequence=Integer,
    batch=String,
    fingerprint=String,
)
MAIL_WITHDRAWAL = _table(
    "mail_withdrawal",
    actor_id=Integer,
    since=DateTime,
)
MEETING = _table(
    "meeting",
    id=Integer,
    network_id=Integer,
    event_id=Integer,
    number=Integer,
    chair_id=Integer,
    minutes_by_id=Integer,
    state=String,
    approved_at=DateTime,
    created_at=DateTime,
)
MEMBERSHIP = _table(
    "membership",
    id=Integer,
    network_id=Integer,
    actor_id=Integer,
    role=String,
    voting=Boolean,
    since=Date,
    until=Date,
    created_at=DateTime,
)
NETWORK = _table(
    "network",
    id=Integer,
    slug=String,
    key=String,
    name=String,
    kind=String,
    level=String,
    district_id=Integer,
    description=String,
    created_at=DateTime,
)
NETWORK_DISTRICT = _table(
    "network_district",
    network_id=Integer,
    district_id=Integer,
)
PAPER_ISSUE = _table(
    "paper_issue",
    id=Integer,
    publication_id=Integer,
    label=String,
    deadline=Date,
    publish_on=Date,
    print_run=Integer,
    pages=Integer,
)
PROJECT = _table(
    "project",
    id=Integer,
    slug=String,
    key=String,
    title=String,
    status=String,
    lead_id=Integer,
    programme=String,
    budget=Numeric(12, 2),
    start=Date,
    end=Date,
    goals=JSON,
    description=String,
    created_at=DateTime,
    updated_at=DateTime,
)
PROJECT_DISTRICT = _table(
    "project_district",
    project_id=Integer,
    district_id=Integer,
)
PROJECT_PARTNER = _table(
    "project_partner",
    project_id=Integer,
    actor_id=Integer,
    role=String,
)
PUBLICATION = _table(
    "publication",
    id=Integer,
    slug=String,
    key=String,
    name=String,
    publisher_id=Integer,
)
SEARCH_DOCUMENT = _table(
    "search_document",
    id=Integer,
    entity=String,
    entity_id=Integer,
    title=String,
    body=String,
    folded=String,
)
TASK = _table(
    "task",
    id=Integer,
    title=String,
    owner_id=Integer,
    due=Date,
    status=String,
    meeting_id=Integer,
    agenda_item_id=Integer,
    done_on=Date,
    created_at=DateTime,
)
