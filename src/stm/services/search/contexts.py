"""Where each search hit belongs (the meeting of a TOP, the issue of an article, …), and
which hits still name a record: reads over `stm.store.tables`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from stm.services.titles import sitting_title

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def alive(connection: Connection, entity: str, ids: Sequence[int]) -> list[int]:
    """Those of `ids` whose record is there (and, for actors, not erased)."""
    from sqlalchemy import select

    from stm.store import tables

    table = getattr(tables, entity.upper())
    statement = select(table.c.id).where(table.c.id.in_(list(ids)))
    if entity == "actor":
        statement = statement.where(table.c.erased_at.is_(None))
    return [int(i) for i in connection.execute(statement).scalars()]


def _day(value: Any) -> str:
    """A date or datetime as YYYY-MM-DD."""
    if value is None:
        return ""
    return str(value)[:10]


def _context_actor(connection: Connection, ids: list[int]) -> dict[int, str]:
    from sqlalchemy import select

    from stm.store.tables import ACTOR

    organisation = ACTOR.alias("o")
    rows = connection.execute(
        select(ACTOR.c.id, ACTOR.c.kind, organisation.c.name)
        .select_from(ACTOR)
        .outerjoin(organisation, organisation.c.id == ACTOR.c.organisation_id)
        .where(ACTOR.c.id.in_(ids))
    ).all()
    return {r[0]: ", ".join(p for p in (r[1], r[2]) if p) for r in rows}


def _context_project(connection: Connection, ids: list[int]) -> dict[int, str]:
    from sqlalchemy import select

    from stm.store.tables import PROJECT

    p = PROJECT.c
    rows = connection.execute(select(p.id, p.status, p.start).where(p.id.in_(ids))).all()
    return {r[0]: " ".join(part for part in (r[1], _day(r[2])) if part) for r in rows}


def _context_event(connection: Connection, ids: list[int]) -> dict[int, str]:
    from sqlalchemy import select

    from stm.store.tables import EVENT

    e = EVENT.c
    rows = connection.execute(
        select(e.id, e.start, e.location, e.status).where(e.id.in_(ids))
    ).all()
    return {r[0]: ", ".join(p for p in (_day(r[1]), r[2], r[3]) if p) for r in rows}


def _meeting_titles(connection: Connection, meeting_ids: Iterable[int]) -> dict[int, str]:
    from sqlalchemy import select

    from stm.store.tables import EVENT, MEETING, NETWORK

    ids = sorted(set(meeting_ids))
    if not ids:
        return {}
    m, n, e = MEETING.c, NETWORK.c, EVENT.c
    rows = connection.execute(
        select(m.id, m.number, n.name, e.start, n.kind)
        .join_from(MEETING, NETWORK, n.id == m.network_id)
        .join(EVENT, e.id == m.event_id)
        .where(m.id.in_(ids))
    ).all()
    return {
        r[0]: f"{sitting_title(r[1], r[2], r[4])} (meeting #{r[0]}, {_day(r[3])})" for r in rows
    }


def _context_meeting(connection: Connection, ids: list[int]) -> dict[int, str]:
    from sqlalchemy import select

    from stm.store.tables import EVENT, MEETING

    m, e = MEETING.c, EVENT.c
    rows = connection.execute(
        select(m.id, e.start, m.state).join_from(MEETING, EVENT, e.id == m.event_id)
        .where(m.id.in_(ids))
    ).all()  # fmt: skip
    return {r[0]: f"{_day(r[1])}, {r[2]}" for r in rows}


def _context_agenda_item(connection: Connection, ids: list[int]) -> dict[int, str]:
    from sqlalchemy import select

    from stm.store.tables import AGENDA_ITEM

    item = AGENDA_ITEM.c
    rows = connection.execute(
        select(item.id, item.meeting_id, item.position).where(item.id.in_(ids))
    ).all()
    titles = _meeting_titles(connection, (r[1] for r in rows))
    return {r[0]: f"TOP {r[2]} of {titles.get(r[1], '')}" for r in rows}


def _context_decision(connection: Connection, ids: list[int]) -> dict[int, str]:
    from sqlalchemy import select

    from stm.store.tables import DECISION

    d = DECISION.c
    rows = connection.execute(select(d.id, d.meeting_id, d.result).where(d.id.in_(ids))).all()
    titles = _meeting_titles(connection, (r[1] for r in rows))
    return {r[0]: f"{r[2]}, {titles.get(r[1], '')}" for r in rows}


def _context_task(connection: Connection, ids: list[int]) -> dict[int, str]:
    from sqlalchemy import select

    from stm.store.tables import TASK

    t = TASK.c
    rows = connection.execute(
        select(t.id, t.status, t.due, t.meeting_id).where(t.id.in_(ids))
    ).all()
    titles = _meeting_titles(connection, (r[3] for r in rows if r[3]))
    return {
        r[0]: ", ".join(
            p for p in (r[1], f"due {_day(r[2])}" if r[2] else "", titles.get(r[3], "")) if p
        )
        for r in rows
    }


def _context_concern(connection: Connection, ids: list[int]) -> dict[int, str]:
    from sqlalchemy import select

    from stm.store.tables import CONCERN, DISTRICT

    c, d = CONCERN.c, DISTRICT.c
    rows = connection.execute(
        select(c.id, c.status, d.slug, c.reported_on)
        .select_from(CONCERN)
        .outerjoin(DISTRICT, d.id == c.district_id)
        .where(c.id.in_(ids))
    ).all()
    return {r[0]: ", ".join(p for p in (r[1], r[2], f"reported {_day(r[3])}") if p) for r in rows}


def _context_article(connection: Connection, ids: list[int]) -> dict[int, str]:
    from sqlalchemy import select

    from stm.store.tables import ARTICLE, PAPER_ISSUE, PUBLICATION

    a, i, p = ARTICLE.c, PAPER_ISSUE.c, PUBLICATION.c
    rows = connection.execute(
        select(a.id, p.name, i.label, a.status)
        .join_from(ARTICLE, PAPER_ISSUE, i.id == a.issue_id)
        .join(PUBLICATION, p.id == i.publication_id)
        .where(a.id.in_(ids))
    ).all()
    return {r[0]: f"{r[1]} {r[2]}, {r[3]}" for r in rows}


CONTEXTS: dict[str, Callable[[Connection, list[int]], dict[int, str]]] = {
    "actor": _context_actor,
    "project": _context_project,
    "event": _context_event,
    "meeting": _context_meeting,
    "agenda_item": _context_agenda_item,
    "decision": _context_decision,
    "task": _context_task,
    "concern": _context_concern,
    "article": _context_article,
}
