"""Projects: what the office initiates and accompanies, often funded.

A project has a lead actor (the *Träger*), partner actors with their roles, a funding
programme (Soziale Stadt / Sozialer Zusammenhalt, ESF, BIWAQ, …), a budget in exact
euros, a running time, districts and the IEK fields of action (goals) it serves. Events
name their project, so `show` lists a project's events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from stm import clock
from stm.contract import Project as ProjectRecord
from stm.errors import Conflict, Invalid
from stm.models.core import Actor, District
from stm.models.events import Event
from stm.models.projects import Project, ProjectDistrict, ProjectPartner
from stm.names import fold, slugify
from stm.parsing import choose, parse_date, parse_money, parse_name, parse_text
from stm.services import refs
from stm.services.activity import log
from stm.services.project_records import project_records
from stm.vocab import IekGoal, Programme, ProjectStatus

MAX_ROLE = 100


@dataclass
class ProjectFields:
    """What a user may set on a project; `None` means "not given" (unchanged on edit).

    `partners` are `ACTOR` or `ACTOR=ROLE` (`"Haus 12=Kooperationspartner"`); on edit
    they are added (or get the new role), `remove_partners` take actors out.
    """

    title: str | None = None
    status: str | None = None
    lead: str | None = None
    partners: list[str] | None = None
    remove_partners: list[str] | None = None
    programme: str | None = None
    budget: str | None = None
    start: str | None = None
    end: str | None = None
    districts: list[str] | None = None
    goals: list[str] | None = None
    description: str | None = None
    slug: str | None = None


@dataclass
class ProjectFilter:
    statuses: Sequence[str] = ()
    districts: Sequence[str] = ()
    programmes: Sequence[str] = ()
    search: str | None = None


@dataclass
class _Values:
    fields: dict[str, Any] = field(default_factory=dict)
    partners: list[tuple[Actor, str | None]] = field(default_factory=list)
    remove: list[Actor] = field(default_factory=list)
    districts: list[District] | None = None


def split_partner(text: str) -> tuple[str, str | None]:
    """`Haus 12=Kooperationspartner` → ('Haus 12', 'Kooperationspartner')."""
    name, _, role = text.partition("=")
    role_text = " ".join(role.split()) or None
    if role_text and len(role_text) > MAX_ROLE:
        raise Invalid(
            "partner", f"the role is {len(role_text)} characters long; at most {MAX_ROLE}"
        )
    return name.strip(), role_text


def _optional_date(value: str | None, option: str) -> date | None:
    if value is None or not value.strip():
        return None
    return parse_date(value, option)


def _validated(session: Session, data: ProjectFields) -> _Values:
    values = _Values()
    given = values.fields
    if data.title is not None:
        given["title"] = parse_name(data.title, "title")
    if data.status is not None:
        given["status"] = choose(ProjectStatus, data.status, "status").value
    if data.programme is not None:
        given["programme"] = (
            choose(Programme, data.programme, "programme").value if data.programme.strip() else None
        )
    if data.budget is not None:
        given["budget"] = parse_money(data.budget, "budget") if data.budget.strip() else None
    if data.start is not None:
        given["start"] = _optional_date(data.start, "start")
    if data.end is not None:
        given["end"] = _optional_date(data.end, "end")
    if data.goals is not None:
        given["goals"] = sorted({choose(IekGoal, g, "goal").value for g in data.goals})
    if data.description is not None:
        given["description"] = parse_text(data.description, "description")
    if data.lead is not None:
        given["lead"] = refs.actor(session, data.lead, "lead actor") if data.lead.strip() else None
    for text in data.partners or []:
        name, role = split_partner(text)
        values.partners.append((refs.actor(session, name, "partner"), role))
    for text in data.remove_partners or []:
        values.remove.append(refs.actor(session, text, "partner"))
    if data.districts is not None:
        values.districts = refs.districts(session, data.districts)
    return values


def _check_dates(project: Project) -> None:
    if project.start and project.end and project.end < project.start:
        raise Invalid(
            "end", f"{project.end.isoformat()} is before the start {project.start.isoformat()}"
        )


def _apply(session: Session, project: Project, values: _Values) -> None:
    for name in ("title", "status", "programme", "budget", "start", "end", "goals", "description"):
        if name in values.fields:
            setattr(project, name, values.fields[name])
    if "lead" in values.fields:
        lead = values.fields["lead"]
        project.lead_id = lead.id if lead else None
    project.key = fold(project.title)
    _check_dates(project)


def _unique_slug(session: Session, wanted: str, project_id: int | None = None) -> str:
    slug = slugify(wanted)
    if not slug:
        raise Invalid("slug", "must contain at least one letter or digit")
    clash = session.exec(select(Project).where(Project.slug == slug)).first()
    if clash and clash.id != project_id:
        raise Conflict(f"a project with slug {slug!r} exists already (#{clash.id} {clash.title})")
    return slug


def _set_links(session: Session, project: Project, values: _Values) -> None:
    assert project.id is not None
    if values.districts is not None:
        session.exec(delete(ProjectDistrict).where(col(ProjectDistrict.project_id) == project.id))
        for district in values.districts:
            session.add(ProjectDistrict(project_id=project.id, district_id=district.id or 0))
    for actor in values.remove:
        link = session.get(ProjectPartner, (project.id, actor.id))
        if link is None:
            raise Invalid(
                "remove_partner", f"{actor.name} (#{actor.id}) is not a partner of this project"
            )
        session.delete(link)
    for actor, role in values.partners:
        link = session.get(ProjectPartner, (project.id, actor.id))
        if link is None:
            link = ProjectPartner(project_id=project.id, actor_id=actor.id or 0)
        if role is not None or link.role is None:
            link.role = role
        session.add(link)


def add_project(session: Session, data: ProjectFields) -> Project:
    """Add a project; `title` is required, status defaults to idea."""
    if data.title is None:
        raise Invalid("title", "is required")
    values = _validated(session, data)
    now = clock.now()
    project = Project(
        slug=_unique_slug(session, data.slug or values.fields["title"]),
        key="",
        title=values.fields["title"],
        status=values.fields.get("status", ProjectStatus.idea.value),
        created_at=now,
        updated_at=now,
    )
    _apply(session, project, values)
    session.add(project)
    session.flush()
    _set_links(session, project, values)
    session.flush()
    log(session, "project.add", "project", project.id, project.title)
    return project


def edit_project(session: Session, ref: str, data: ProjectFields) -> Project:
    project = refs.project(session, ref)
    values = _validated(session, data)
    if data.slug is not None:
        project.slug = _unique_slug(session, data.slug, project.id)
    _apply(session, project, values)
    project.updated_at = clock.now()
    session.add(project)
    session.flush()
    _set_links(session, project, values)
    session.flush()
    changed = sorted(f.name for f in fields(data) if getattr(data, f.name) is not None)
    log(session, "project.edit", "project", project.id, f"{project.title}: {', '.join(changed)}")
    return project


def list_projects(session: Session, criteria: ProjectFilter | None = None) -> list[Project]:
    criteria = criteria or ProjectFilter()
    statement = select(Project)
    if criteria.statuses:
        statuses = [choose(ProjectStatus, s, "status").value for s in criteria.statuses]
        statement = statement.where(col(Project.status).in_(statuses))
    if criteria.programmes:
        programmes = [choose(Programme, p, "programme").value for p in criteria.programmes]
        statement = statement.where(col(Project.programme).in_(programmes))
    if criteria.districts:
        ids = [d.id for d in refs.districts(session, criteria.districts)]
        statement = statement.where(
            col(Project.id).in_(
                select(ProjectDistrict.project_id).where(col(ProjectDistrict.district_id).in_(ids))
            )
        )
    if criteria.search:
        statement = statement.where(col(Project.key).contains(fold(criteria.search)))
    return list(session.exec(statement.order_by(col(Project.key), col(Project.id))).all())


class ProjectDetail(ProjectRecord):
    """`stm projects show --json`: the record, its description and its events."""

    description: str | None
    events: list[dict[str, Any]]  # the event records of `stm event list`
    created: str
    updated: str


def project_detail(session: Session, project: Project) -> ProjectDetail:
    """Everything `show` displays: the record, description and the project's events."""
    from stm.recurrence import describe_rule
    from stm.services.events import EventRow, occurrence_record
    from stm.services.events import links as event_links
    from stm.services.events.occurrences import single_occurrence

    [record] = project_records(session.connection(), [project])
    events = list(
        session.exec(
            select(Event)
            .where(Event.project_id == project.id)
            .order_by(col(Event.start), col(Event.id))
        ).all()
    )
    rows = [EventRow.of(e) for e in events]
    linked = event_links(session.connection(), rows)
    records: list[dict[str, Any]] = []
    for row in rows:
        event_record: dict[str, Any] = dict(occurrence_record(single_occurrence(row), linked))
        event_record["repeats"] = describe_rule(row.rrule, row.start) if row.rrule else None
        records.append(event_record)
    return {
        **record,
        "description": project.description,
        "events": records,
        "created": project.created_at.isoformat(timespec="minutes"),
        "updated": project.updated_at.isoformat(timespec="minutes"),
    }
