"""Full-text search over the register, umlaut-insensitive, kept in sync on every write.

One place keeps the index current: a session `after_flush` listener (`index_after_flush`,
which whoever opens the register installs: `stm.store.add_flush_listener`) re-reads
every searchable record that a flush added, changed or deleted and writes its
`search_document` row. The row's `folded` column holds the text folded by
`stm.names.fold_words` (`Straßenbeleuchtung` → `strassenbeleuchtung`), and each backend
indexes that column (migration 0002):

- SQLite: an FTS5 table `search_fts` over `search_document`, fed by triggers; bm25 rank.
- PostgreSQL: a GIN index on `to_tsvector('simple', folded)`; ts_rank.

Queries are folded the same way, and every word matches from its beginning
(`fruehjahr` finds Frühjahrsputz); when that finds too few, words are looked for inside
words too (`flohmarkt` finds Stadtteilflohmarkt, `putz` Frühjahrsputz: German compounds),
through a trigram index (migration dailyuse_search), ranked after the word starts.
Erased persons are never indexed nor returned; hits whose record is gone (e.g. deleted
by a bulk statement) are dropped at query time, and `stm db check --fix` rebuilds the
whole index.

The listener works by table name and SQLAlchemy Core over `stm.store.tables`, so that
sessions which touch nothing searchable import nothing for it. Querying is
`stm.services.search.query`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any

from stm.names import fold_words
from stm.services.titles import sitting_title

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session
    from sqlalchemy.sql import ColumnElement, Select

ENTITY_LABELS = {
    "actor": "actor",
    "project": "project",
    "event": "event",
    "meeting": "meeting",
    "agenda_item": "agenda item",
    "decision": "decision",
    "task": "task",
    "concern": "concern",
    "article": "article",
}
BATCH = 500

Key = tuple[str, int]
Doc = tuple[str, int, str, str]  # entity, id, title, body (folded text is derived)


# ----------------------------------------------------------------------- what is indexed


def _among(column: ColumnElement[int], ids: Sequence[int] | None) -> ColumnElement[bool]:
    """`column IN (ids)`, or true when every record is meant (`ids` is None)."""
    from sqlalchemy import true

    return column.in_(list(ids)) if ids is not None else true()


def _lines(*parts: Any) -> str:
    return "\n".join(str(p).strip() for p in parts if p is not None and str(p).strip())


def _label(vocabulary: str, value: str | None) -> str:
    from stm import vocab

    if not value:
        return ""
    try:
        return str(getattr(vocab, vocabulary)(value).label)
    except ValueError:
        return value


def actor_body(
    kind: str, function: str | None, notes: str | None, email: str | None, city: str | None
) -> str:
    """What is indexed of an actor besides its name (imports build it from a file's row)."""
    return _lines(_label("ActorKind", kind), function, notes, email, city)


def _actor_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    from sqlalchemy import select

    from stm.store.tables import ACTOR, ACTOR_ALIAS

    a, alias = ACTOR.c, ACTOR_ALIAS.c
    rows = connection.execute(
        select(a.id, a.name, a.kind, a.function, a.notes, a.email, a.city).where(
            a.erased_at.is_(None), _among(a.id, ids)
        )
    ).all()
    aliases: dict[int, list[str]] = defaultdict(list)
    for actor_id, name in connection.execute(
        select(alias.actor_id, alias.name).where(_among(alias.actor_id, ids))
    ):
        aliases[actor_id].append(name)
    return [
        ("actor", r[0], r[1], _lines(", ".join(sorted(aliases[r[0]])), actor_body(*r[2:])))
        if r[0] in aliases
        else ("actor", r[0], r[1], actor_body(*r[2:]))
        for r in rows
    ]


def _project_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    from sqlalchemy import select

    from stm.store.tables import PROJECT

    p = PROJECT.c
    rows = connection.execute(
        select(p.id, p.title, p.description, p.programme, p.goals).where(_among(p.id, ids))
    ).all()
    docs = []
    for r in rows:
        goals = r[4] if isinstance(r[4], list) else json.loads(r[4] or "[]")
        labels = ", ".join(_label("IekGoal", g) for g in goals)
        docs.append(("project", r[0], r[1], _lines(r[2], _label("Programme", r[3]), labels)))
    return docs


def _event_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    from sqlalchemy import select

    from stm.store.tables import EVENT, MEETING

    e = EVENT.c
    # A meeting's own event is found as the meeting, not twice.
    rows = connection.execute(
        select(e.id, e.title, e.kind, e.location, e.description).where(
            e.id.not_in(select(MEETING.c.event_id)), _among(e.id, ids)
        )
    ).all()
    return [("event", r[0], r[1], _lines(_label("EventKind", r[2]), r[3], r[4])) for r in rows]


def _meeting_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    from sqlalchemy import select

    from stm.store.tables import EVENT, MEETING, NETWORK

    m, n, e = MEETING.c, NETWORK.c, EVENT.c
    rows = connection.execute(
        select(m.id, m.number, n.name, e.title, e.location, n.kind)
        .join_from(MEETING, NETWORK, n.id == m.network_id)
        .join(EVENT, e.id == m.event_id)
        .where(_among(m.id, ids))
    ).all()
    return [("meeting", r[0], sitting_title(r[1], r[2], r[5]), _lines(r[3], r[4])) for r in rows]


def _agenda_item_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    from sqlalchemy import select

    from stm.store.tables import AGENDA_ITEM

    item = AGENDA_ITEM.c
    rows = connection.execute(
        select(item.id, item.title, item.notes).where(_among(item.id, ids))
    ).all()
    return [("agenda_item", r[0], r[1], _lines(r[2])) for r in rows]


def _decision_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    from sqlalchemy import select

    from stm.store.tables import DECISION

    d = DECISION.c
    rows = connection.execute(select(d.id, d.text).where(_among(d.id, ids))).all()
    return [("decision", r[0], _shorten(r[1], 120), _lines(r[1])) for r in rows]


def _task_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    from sqlalchemy import select

    from stm.store.tables import TASK

    t = TASK.c
    rows = connection.execute(select(t.id, t.title).where(_among(t.id, ids))).all()
    return [("task", r[0], r[1], "") for r in rows]


def _concern_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    from sqlalchemy import select

    from stm.store.tables import CONCERN, CONCERN_HISTORY

    c, h = CONCERN.c, CONCERN_HISTORY.c
    rows = connection.execute(
        select(c.id, c.title, c.category, c.description, c.answer).where(_among(c.id, ids))
    ).all()
    notes: dict[int, list[str]] = defaultdict(list)
    for concern_id, note in connection.execute(
        select(h.concern_id, h.note)
        .where(h.note.is_not(None), _among(h.concern_id, ids))
        .order_by(h.concern_id, h.at, h.id)
    ):
        notes[concern_id].append(note)
    return [("concern", r[0], r[1], _lines(r[2], r[3], r[4], *notes.get(r[0], []))) for r in rows]


def _article_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    from sqlalchemy import select

    from stm.store.tables import ARTICLE, PAPER_ISSUE, PUBLICATION

    a, i, p = ARTICLE.c, PAPER_ISSUE.c, PUBLICATION.c
    rows = connection.execute(
        select(a.id, a.title, p.name, i.label)
        .join_from(ARTICLE, PAPER_ISSUE, i.id == a.issue_id)
        .join(PUBLICATION, p.id == i.publication_id)
        .where(_among(a.id, ids))
    ).all()
    return [("article", r[0], r[1], _lines(f"{r[2]} {r[3]}")) for r in rows]


BUILDERS: dict[str, Callable[[Connection, Sequence[int] | None], list[Doc]]] = {
    "actor": _actor_docs,
    "project": _project_docs,
    "event": _event_docs,
    "meeting": _meeting_docs,
    "agenda_item": _agenda_item_docs,
    "decision": _decision_docs,
    "task": _task_docs,
    "concern": _concern_docs,
    "article": _article_docs,
}


def indexed_records(entity: str) -> Select[Any]:
    """The ids of the records of `entity` the index should hold: every one, but erased
    persons and the events that are meetings (they are found as the meeting)."""
    from sqlalchemy import select

    from stm.store import tables

    if entity == "actor":
        return select(tables.ACTOR.c.id).where(tables.ACTOR.c.erased_at.is_(None))
    if entity == "event":
        event = tables.EVENT.c
        return select(event.id).where(event.id.not_in(select(tables.MEETING.c.event_id)))
    table = getattr(tables, entity.upper())
    return select(table.c.id)


def _keys_of(obj: Any) -> Iterable[Key]:
    """The index entries a changed ORM object affects, found by its table's name."""
    table = getattr(type(obj), "__tablename__", None)
    if table in BUILDERS:
        return [(table, obj.id)] if obj.id is not None else []
    if table == "concern_history":
        return [("concern", obj.concern_id)]
    if table == "actor_alias":  # short names are found as the actor's names
        return [("actor", obj.actor_id)]
    return []


def _extra_keys(obj: Any) -> Iterable[Key]:
    # A new meeting takes its event out of the event results (see _event_docs).
    if getattr(type(obj), "__tablename__", None) == "meeting" and obj.event_id:
        return [("event", obj.event_id)]
    return []


# ----------------------------------------------------------------------- keeping it in sync


def index_after_flush(session: Session, _flush_context: Any) -> None:
    """The `after_flush` listener (see `stm.store.add_flush_listener`)."""
    keys: set[Key] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        keys.update(_keys_of(obj))
        keys.update(_extra_keys(obj))
    if keys:
        reindex(session.connection(), keys)


def _rows(connection: Connection, sql: str) -> list[Any]:
    from sqlalchemy import text

    return list(connection.execute(text(sql)).all())


def _document_table() -> Any:
    from stm.models.search import SearchDocument

    return SearchDocument.__table__  # type: ignore[attr-defined]


def _shorten(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def entry(title: str | None, body: str) -> tuple[str, str, str]:
    """An index row's title (shortened), body and folded text."""
    return _shorten(title or "", 300), body, fold_words(f"{title} {body}")


def _row(doc: Doc) -> dict[str, Any]:
    entity, entity_id, title, body = doc
    shown, body, folded = entry(title, body)
    return {"entity": entity, "entity_id": entity_id, "title": shown, "body": body,
            "folded": folded}  # fmt: skip


def reindex(connection: Connection, keys: Iterable[Key]) -> None:
    """Rewrite the index rows of these records: gone or erased ones are removed."""
    from sqlalchemy import and_, delete, insert

    table = _document_table()
    by_entity: dict[str, set[int]] = defaultdict(set)
    for entity, entity_id in keys:
        by_entity[entity].add(entity_id)
    for entity, id_set in sorted(by_entity.items()):
        ids = sorted(id_set)
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            connection.execute(
                delete(table).where(and_(table.c.entity == entity, table.c.entity_id.in_(chunk)))
            )
            docs = BUILDERS[entity](connection, chunk)
            if docs:
                connection.execute(insert(table), [_row(d) for d in docs])


def rebuild_index(session: Session) -> int:
    """Empty the index and index every searchable record again; returns the count."""
    from sqlalchemy import delete, insert

    connection = session.connection()
    table = _document_table()
    connection.execute(delete(table))
    if connection.dialect.name == "sqlite":
        connection.execute(_text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
        connection.execute(_text("INSERT INTO search_trigram(search_trigram) VALUES ('rebuild')"))
    count = 0
    for entity in BUILDERS:
        docs = BUILDERS[entity](connection, None)
        for start in range(0, len(docs), 5000):
            connection.execute(insert(table), [_row(d) for d in docs[start : start + 5000]])
        count += len(docs)
    return count


def _text(sql: str) -> Any:
    from sqlalchemy import text

    return text(sql)


def index_problems(session: Session) -> list[str]:
    """What `stm db check` reports about the search index; empty when it is current."""
    from sqlalchemy import func, select

    from stm.store.tables import SEARCH_DOCUMENT

    connection = session.connection()
    problems = []
    document = SEARCH_DOCUMENT.c
    counted = select(document.entity, func.count()).group_by(document.entity)
    indexed: dict[str, int] = {entity: count for entity, count in connection.execute(counted)}
    for entity in BUILDERS:
        records = indexed_records(entity).subquery()
        expected = int(connection.execute(select(func.count()).select_from(records)).scalar_one())
        found = int(indexed.get(entity, 0))
        if found != expected:
            problems.append(
                f"search index: {found} of {expected} {ENTITY_LABELS[entity]} records indexed "
                "(run 'stm db check --fix')"
            )
    if connection.dialect.name == "sqlite":
        from sqlalchemy.exc import DatabaseError

        try:
            for table in ("search_fts", "search_trigram"):
                connection.execute(
                    _text(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
                )
        except DatabaseError:
            problems.append(
                "search index: the full-text table is damaged (run 'stm db check --fix')"
            )
    return problems
