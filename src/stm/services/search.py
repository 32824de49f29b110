"""Full-text search over the register, umlaut-insensitive, kept in sync on every write.

One place keeps the index current: a session `after_flush` listener (installed by
`stm.store.Register.session`) re-reads every searchable record that a flush added, changed
or deleted and writes its `search_document` row. The row's `folded` column holds the
text folded by `stm.names.fold_words` (`Straßenbeleuchtung` → `strassenbeleuchtung`),
and each backend indexes that column (migration 0002):

- SQLite: an FTS5 table `search_fts` over `search_document`, fed by triggers; bm25 rank.
- PostgreSQL: a GIN index on `to_tsvector('simple', folded)`; ts_rank.

Queries are folded the same way, and every word matches from its beginning
(`fruehjahr` finds Frühjahrsputz); when that finds too few, words are looked for inside
words too (`flohmarkt` finds Stadtteilflohmarkt, `putz` Frühjahrsputz: German compounds),
through a trigram index (migration dailyuse_search), ranked after the word starts.
Erased persons are never indexed nor returned; hits whose record is gone (e.g. deleted
by a bulk statement) are dropped at query time, and `stm db check --fix` rebuilds the
whole index.

The listener works by table name and plain SQL, so that sessions which touch nothing
searchable import nothing from here but this module.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any

from stm.errors import Invalid
from stm.names import fold_words
from stm.services.titles import sitting_title

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

#: What `--in` accepts, and the indexed entities behind each scope.
SCOPES: dict[str, tuple[str, ...]] = {
    "actors": ("actor",),
    "projects": ("project",),
    "events": ("event",),
    "meetings": ("meeting", "agenda_item", "decision"),
    "tasks": ("task",),
    "concerns": ("concern",),
    "articles": ("article",),
}
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
DEFAULT_LIMIT = 20
MAX_QUERY_TERMS = 12
BATCH = 500

Key = tuple[str, int]
Doc = tuple[str, int, str, str]  # entity, id, title, body (folded text is derived)


# ----------------------------------------------------------------------- what is indexed


def _ids_clause(ids: Sequence[int] | None, column: str = "id") -> str:
    return f" AND {column} IN ({', '.join(str(int(i)) for i in ids)})" if ids is not None else ""


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
    rows = _rows(connection, "SELECT id, name, kind, function, notes, email, city FROM actor "
                 "WHERE erased_at IS NULL" + _ids_clause(ids))  # fmt: skip
    aliases: dict[int, list[str]] = defaultdict(list)
    for actor_id, alias in _rows(
        connection,
        "SELECT actor_id, name FROM actor_alias WHERE 1 = 1" + _ids_clause(ids, "actor_id"),
    ):
        aliases[actor_id].append(alias)
    return [
        ("actor", r[0], r[1], _lines(", ".join(sorted(aliases[r[0]])), actor_body(*r[2:])))
        if r[0] in aliases
        else ("actor", r[0], r[1], actor_body(*r[2:]))
        for r in rows
    ]


def _project_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    rows = _rows(connection, "SELECT id, title, description, programme, goals FROM project "
                 "WHERE 1 = 1" + _ids_clause(ids))  # fmt: skip
    docs = []
    for r in rows:
        goals = r[4] if isinstance(r[4], list) else json.loads(r[4] or "[]")
        labels = ", ".join(_label("IekGoal", g) for g in goals)
        docs.append(("project", r[0], r[1], _lines(r[2], _label("Programme", r[3]), labels)))
    return docs


def _event_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    # A meeting's own event is found as the meeting, not twice.
    rows = _rows(connection, "SELECT id, title, kind, location, description FROM event "
                 "WHERE id NOT IN (SELECT event_id FROM meeting)" + _ids_clause(ids))  # fmt: skip
    return [("event", r[0], r[1], _lines(_label("EventKind", r[2]), r[3], r[4])) for r in rows]


def _meeting_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    rows = _rows(
        connection,
        "SELECT m.id, m.number, n.name, e.title, e.location, n.kind FROM meeting m "
        "JOIN network n ON n.id = m.network_id JOIN event e ON e.id = m.event_id "
        "WHERE 1 = 1" + _ids_clause(ids, "m.id"),
    )
    return [("meeting", r[0], sitting_title(r[1], r[2], r[5]), _lines(r[3], r[4])) for r in rows]


def _agenda_item_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    rows = _rows(connection, "SELECT id, title, notes FROM agenda_item WHERE 1 = 1"
                 + _ids_clause(ids))  # fmt: skip
    return [("agenda_item", r[0], r[1], _lines(r[2])) for r in rows]


def _decision_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    rows = _rows(connection, "SELECT id, text FROM decision WHERE 1 = 1" + _ids_clause(ids))
    return [("decision", r[0], _shorten(r[1], 120), _lines(r[1])) for r in rows]


def _task_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    rows = _rows(connection, "SELECT id, title FROM task WHERE 1 = 1" + _ids_clause(ids))
    return [("task", r[0], r[1], "") for r in rows]


def _concern_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    rows = _rows(connection, "SELECT id, title, category, description, answer FROM concern "
                 "WHERE 1 = 1" + _ids_clause(ids))  # fmt: skip
    notes: dict[int, list[str]] = defaultdict(list)
    for concern_id, note in _rows(
        connection,
        "SELECT concern_id, note FROM concern_history WHERE note IS NOT NULL"
        + _ids_clause(ids, "concern_id")
        + " ORDER BY concern_id, at, id",
    ):
        notes[concern_id].append(note)
    return [("concern", r[0], r[1], _lines(r[2], r[3], r[4], *notes.get(r[0], []))) for r in rows]


def _article_docs(connection: Connection, ids: Sequence[int] | None) -> list[Doc]:
    rows = _rows(
        connection,
        "SELECT a.id, a.title, p.name, i.label FROM article a "
        "JOIN paper_issue i ON i.id = a.issue_id JOIN publication p ON p.id = i.publication_id "
        "WHERE 1 = 1" + _ids_clause(ids, "a.id"),
    )
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

#: How many records of each entity should be indexed (for `stm db check`).
SOURCE_COUNTS = {
    "actor": "SELECT COUNT(*) FROM actor WHERE erased_at IS NULL",
    "project": "SELECT COUNT(*) FROM project",
    "event": "SELECT COUNT(*) FROM event WHERE id NOT IN (SELECT event_id FROM meeting)",
    "meeting": "SELECT COUNT(*) FROM meeting",
    "agenda_item": "SELECT COUNT(*) FROM agenda_item",
    "decision": "SELECT COUNT(*) FROM decision",
    "task": "SELECT COUNT(*) FROM task",
    "concern": "SELECT COUNT(*) FROM concern",
    "article": "SELECT COUNT(*) FROM article",
}


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
    """The `after_flush` listener (installed by `stm.store.Register.session`)."""
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
    connection = session.connection()
    problems = []
    indexed = dict(
        _rows(connection, "SELECT entity, COUNT(*) FROM search_document GROUP BY entity")
    )
    for entity, sql in SOURCE_COUNTS.items():
        expected = int(_rows(connection, sql)[0][0])
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


# ----------------------------------------------------------------------- querying


@dataclass
class Hit:
    entity: str
    entity_id: int
    title: str
    body: str
    score: float
    context: str = ""
    snippet: str = ""


def parse_scopes(values: Sequence[str] | None) -> list[str]:
    """`--in actors,events --in tasks` → the indexed entities; unknown names are exit 2."""
    from stm.parsing import unknown

    entities: list[str] = []
    for value in values or []:
        for name in (part.strip().lower() for part in value.split(",")):
            if not name:
                continue
            scope = name if name in SCOPES else f"{name}s"
            if scope not in SCOPES:
                raise unknown("--in", name, SCOPES, what="record kind")
            entities += [e for e in SCOPES[scope] if e not in entities]
    return entities


def query_terms(text: str) -> list[str]:
    terms = list(dict.fromkeys(fold_words(text).split()))
    if not terms:
        raise Invalid("TEXT", f"{text!r} has no letters or digits to search for")
    return terms[:MAX_QUERY_TERMS]


def search(
    session: Session, text: str, *, entities: Sequence[str] = (), limit: int = DEFAULT_LIMIT
) -> list[Hit]:
    """Records matching every word of `text`, best first: those where each word starts a
    word, then those where a word is found inside one (`flohmarkt` in Stadtteilflohmarkt)."""
    if limit < 1:
        raise Invalid("--limit", f"{limit} is too small; give 1 or more")
    terms = query_terms(text)
    connection = session.connection()
    candidates = max(limit * 4, 50)
    if connection.dialect.name == "postgresql":
        rows = _query_postgresql(connection, terms, entities, candidates)
    else:
        rows = _query_sqlite(connection, terms, entities, candidates)
    hits = _existing(connection, [Hit(r[0], r[1], r[2], r[3], float(r[4])) for r in rows])
    for hit in hits:
        title_words = fold_words(hit.title).split()
        in_title = sum(any(w.startswith(t) for w in title_words) for t in terms)
        hit.score += in_title * 10.0
    hits.sort(key=lambda h: (-h.score, list(ENTITY_LABELS).index(h.entity), h.entity_id))
    if len(hits) < limit:  # only then are the slower matches inside words looked for
        found = {(h.entity, h.entity_id) for h in hits}
        inner = [
            Hit(r[0], r[1], r[2], r[3], float(r[4]))
            for r in _query_inside_words(connection, terms, entities, candidates + len(found))
            if (r[0], r[1]) not in found
        ]
        inner = _existing(connection, inner)
        for hit in inner:
            in_title = sum(t in fold_words(hit.title) for t in terms)
            hit.score += in_title * 10.0
        inner.sort(key=lambda h: (-h.score, list(ENTITY_LABELS).index(h.entity), h.entity_id))
        hits += inner
    hits = hits[:limit]
    _describe(connection, hits)
    for hit in hits:
        hit.snippet = snippet(hit.body, terms)
    return hits


def _entity_filter(entities: Sequence[str]) -> tuple[str, dict[str, Any]]:
    if not entities:
        return "", {}
    names = {f"e{i}": e for i, e in enumerate(entities)}
    return f" AND d.entity IN ({', '.join(':' + n for n in names)})", names


def _query_sqlite(
    connection: Connection, terms: list[str], entities: Sequence[str], limit: int
) -> list[Any]:
    match = " ".join(f'"{t}"*' for t in terms)
    where, params = _entity_filter(entities)
    sql = (
        "SELECT d.entity, d.entity_id, d.title, d.body, -bm25(search_fts) AS score "
        "FROM search_fts JOIN search_document d ON d.id = search_fts.rowid "
        f"WHERE search_fts MATCH :match{where} ORDER BY bm25(search_fts), d.id LIMIT :limit"
    )
    return list(connection.execute(_text(sql), {"match": match, "limit": limit, **params}).all())


def _query_postgresql(
    connection: Connection, terms: list[str], entities: Sequence[str], limit: int
) -> list[Any]:
    query = " & ".join(f"{t}:*" for t in terms)
    where, params = _entity_filter(entities)
    sql = (
        "SELECT d.entity, d.entity_id, d.title, d.body, "
        "ts_rank(to_tsvector('simple', d.folded), q) * 10 AS score "
        "FROM search_document d, to_tsquery('simple', :query) q "
        f"WHERE to_tsvector('simple', d.folded) @@ q{where} ORDER BY score DESC, d.id LIMIT :limit"
    )
    return list(connection.execute(_text(sql), {"query": query, "limit": limit, **params}).all())


def _query_inside_words(
    connection: Connection, terms: list[str], entities: Sequence[str], limit: int
) -> list[Any]:
    """Records holding every term anywhere in their folded text (migration dailyuse_search).

    SQLite matches terms of three letters or more in the FTS5 trigram index; PostgreSQL's
    LIKE uses the pg_trgm index where the extension could be enabled, and scans without.
    """
    where, params = _entity_filter(entities)
    likes = {f"t{i}": f"%{t}%" for i, t in enumerate(terms)}  # terms hold only [a-z0-9 ]
    like_sql = "".join(f" AND d.folded LIKE :{name}" for name in likes)
    if connection.dialect.name == "sqlite" and any(len(t) >= 3 for t in terms):
        match = " AND ".join(f'"{t}"' for t in terms if len(t) >= 3)
        sql = (
            "SELECT d.entity, d.entity_id, d.title, d.body, -bm25(search_trigram) AS score "
            "FROM search_trigram JOIN search_document d ON d.id = search_trigram.rowid "
            f"WHERE search_trigram MATCH :match{like_sql}{where} "
            "ORDER BY bm25(search_trigram), d.id LIMIT :limit"
        )
        params["match"] = match
    else:
        sql = (
            "SELECT d.entity, d.entity_id, d.title, d.body, 0.0 AS score "
            f"FROM search_document d WHERE 1 = 1{like_sql}{where} ORDER BY d.id LIMIT :limit"
        )
    return list(connection.execute(_text(sql), {"limit": limit, **likes, **params}).all())


_EXISTING = {
    "actor": "SELECT id FROM actor WHERE erased_at IS NULL",
    "project": "SELECT id FROM project WHERE 1 = 1",
    "event": "SELECT id FROM event WHERE 1 = 1",
    "meeting": "SELECT id FROM meeting WHERE 1 = 1",
    "agenda_item": "SELECT id FROM agenda_item WHERE 1 = 1",
    "decision": "SELECT id FROM decision WHERE 1 = 1",
    "task": "SELECT id FROM task WHERE 1 = 1",
    "concern": "SELECT id FROM concern WHERE 1 = 1",
    "article": "SELECT id FROM article WHERE 1 = 1",
}


def _existing(connection: Connection, hits: list[Hit]) -> list[Hit]:
    """Drop hits whose record is gone or whose person was erased since it was indexed."""
    by_entity: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        by_entity[hit.entity].append(hit.entity_id)
    alive: set[Key] = set()
    for entity, ids in by_entity.items():
        for (found,) in _rows(connection, _EXISTING[entity] + _ids_clause(ids)):
            alive.add((entity, found))
    return [h for h in hits if (h.entity, h.entity_id) in alive]


def _describe(connection: Connection, hits: list[Hit]) -> None:
    """Where each hit belongs: the meeting of a TOP, the issue of an article, …"""
    by_entity: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        by_entity[hit.entity].append(hit.entity_id)
    contexts: dict[Key, str] = {}
    for entity, ids in by_entity.items():
        for key, context in CONTEXTS[entity](connection, ids).items():
            contexts[(entity, key)] = context
    for hit in hits:
        hit.context = contexts.get((hit.entity, hit.entity_id), "")


def _day(value: Any) -> str:
    """A date or datetime from either backend (SQLite gives strings) as YYYY-MM-DD."""
    if value is None:
        return ""
    return str(value)[:10]


def _context_actor(connection: Connection, ids: list[int]) -> dict[int, str]:
    rows = _rows(connection, "SELECT a.id, a.kind, o.name FROM actor a "
                 "LEFT JOIN actor o ON o.id = a.organisation_id WHERE 1 = 1"
                 + _ids_clause(ids, "a.id"))  # fmt: skip
    return {r[0]: ", ".join(p for p in (r[1], r[2]) if p) for r in rows}


def _context_project(connection: Connection, ids: list[int]) -> dict[int, str]:
    rows = _rows(connection, "SELECT id, status, start FROM project WHERE 1 = 1" + _ids_clause(ids))
    return {r[0]: " ".join(p for p in (r[1], _day(r[2])) if p) for r in rows}


def _context_event(connection: Connection, ids: list[int]) -> dict[int, str]:
    rows = _rows(connection, "SELECT id, start, location, status FROM event WHERE 1 = 1"
                 + _ids_clause(ids))  # fmt: skip
    return {r[0]: ", ".join(p for p in (_day(r[1]), r[2], r[3]) if p) for r in rows}


def _meeting_titles(connection: Connection, meeting_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(meeting_ids))
    if not ids:
        return {}
    rows = _rows(connection, "SELECT m.id, m.number, n.name, e.start, n.kind FROM meeting m "
                 "JOIN network n ON n.id = m.network_id JOIN event e ON e.id = m.event_id "
                 "WHERE 1 = 1" + _ids_clause(ids, "m.id"))  # fmt: skip
    return {
        r[0]: f"{sitting_title(r[1], r[2], r[4])} (meeting #{r[0]}, {_day(r[3])})" for r in rows
    }


def _context_meeting(connection: Connection, ids: list[int]) -> dict[int, str]:
    rows = _rows(
        connection,
        "SELECT m.id, e.start, m.state FROM meeting m JOIN event e ON e.id = m.event_id "
        "WHERE 1 = 1" + _ids_clause(ids, "m.id"),
    )
    return {r[0]: f"{_day(r[1])}, {r[2]}" for r in rows}


def _context_agenda_item(connection: Connection, ids: list[int]) -> dict[int, str]:
    rows = _rows(connection, "SELECT id, meeting_id, position FROM agenda_item WHERE 1 = 1"
                 + _ids_clause(ids))  # fmt: skip
    titles = _meeting_titles(connection, (r[1] for r in rows))
    return {r[0]: f"TOP {r[2]} of {titles.get(r[1], '')}" for r in rows}


def _context_decision(connection: Connection, ids: list[int]) -> dict[int, str]:
    rows = _rows(connection, "SELECT id, meeting_id, result FROM decision WHERE 1 = 1"
                 + _ids_clause(ids))  # fmt: skip
    titles = _meeting_titles(connection, (r[1] for r in rows))
    return {r[0]: f"{r[2]}, {titles.get(r[1], '')}" for r in rows}


def _context_task(connection: Connection, ids: list[int]) -> dict[int, str]:
    rows = _rows(connection, "SELECT id, status, due, meeting_id FROM task WHERE 1 = 1"
                 + _ids_clause(ids))  # fmt: skip
    titles = _meeting_titles(connection, (r[3] for r in rows if r[3]))
    return {
        r[0]: ", ".join(
            p for p in (r[1], f"due {_day(r[2])}" if r[2] else "", titles.get(r[3], "")) if p
        )
        for r in rows
    }


def _context_concern(connection: Connection, ids: list[int]) -> dict[int, str]:
    rows = _rows(connection, "SELECT c.id, c.status, d.slug, c.reported_on FROM concern c "
                 "LEFT JOIN district d ON d.id = c.district_id WHERE 1 = 1"
                 + _ids_clause(ids, "c.id"))  # fmt: skip
    return {r[0]: ", ".join(p for p in (r[1], r[2], f"reported {_day(r[3])}") if p) for r in rows}


def _context_article(connection: Connection, ids: list[int]) -> dict[int, str]:
    rows = _rows(connection, "SELECT a.id, p.name, i.label, a.status FROM article a "
                 "JOIN paper_issue i ON i.id = a.issue_id "
                 "JOIN publication p ON p.id = i.publication_id WHERE 1 = 1"
                 + _ids_clause(ids, "a.id"))  # fmt: skip
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


def snippet(body: str, terms: Sequence[str], width: int = 8) -> str:
    """A few words of `body` around the first word that matches a term, or ''."""
    words = body.split()
    position = next(
        (i for i, word in enumerate(words) if any(w.startswith(t) for t in terms
                                                   for w in fold_words(word).split())),
        None,
    )  # fmt: skip
    if position is None:
        return ""  # the title matched; it is shown anyway
    start = max(0, position - width // 2)
    piece = " ".join(words[start : start + width * 2])
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width * 2 < len(words) else ""
    return prefix + piece + suffix


def hit_records(hits: Sequence[Hit]) -> list[dict[str, Any]]:
    """The stable JSON shape of search results: best first, `rank` from 1."""
    return [
        {
            "rank": rank,
            "kind": ENTITY_LABELS[h.entity],
            "entity": h.entity,
            "id": h.entity_id,
            "title": h.title,
            "context": h.context,
            "snippet": h.snippet,
            "score": round(h.score, 4),
        }
        for rank, h in enumerate(hits, start=1)
    ]
