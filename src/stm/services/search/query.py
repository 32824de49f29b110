"""Querying the search index: the words folded, matched at word starts, then inside words.

See `stm.services.search.index` for what is indexed and how each backend indexes it.
Reads only: the queries run on a Core connection.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from stm.errors import Invalid
from stm.names import fold_words
from stm.services.search.index import ENTITY_LABELS, Key

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session
    from sqlalchemy.sql.elements import TextClause

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
DEFAULT_LIMIT = 20
MAX_QUERY_TERMS = 12


class HitRecord(TypedDict):
    """One result of `stm search --json`."""

    rank: int
    kind: str
    entity: str
    id: int
    title: str
    context: str
    snippet: str
    score: float


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
                raise unknown("scope", name, SCOPES, what="record kind")
            entities += [e for e in SCOPES[scope] if e not in entities]
    return entities


def query_terms(text: str) -> list[str]:
    terms = list(dict.fromkeys(fold_words(text).split()))
    if not terms:
        raise Invalid("TEXT", f"{text!r} has no letters or digits to search for")
    return terms[:MAX_QUERY_TERMS]


def search(
    db: Connection | Session,
    text: str,
    *,
    entities: Sequence[str] = (),
    limit: int = DEFAULT_LIMIT,
) -> list[Hit]:
    """Records matching every word of `text`, best first: those where each word starts a
    word, then those where a word is found inside one (`flohmarkt` in Stadtteilflohmarkt)."""
    if limit < 1:
        raise Invalid("limit", f"{limit} is too small; give 1 or more")
    terms = query_terms(text)
    connection = _connection_of(db)
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


def _text(sql: str) -> TextClause:
    """The full-text queries are written for each backend's own engine (FTS5, tsvector)."""
    from sqlalchemy import text

    return text(sql)


def _connection_of(db: Connection | Session) -> Connection:
    from sqlalchemy.engine import Connection

    return db if isinstance(db, Connection) else db.connection()


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


def _existing(connection: Connection, hits: list[Hit]) -> list[Hit]:
    """Drop hits whose record is gone or whose person was erased since it was indexed."""
    from stm.services.search.contexts import alive

    by_entity: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        by_entity[hit.entity].append(hit.entity_id)
    found: set[Key] = set()
    for entity, ids in by_entity.items():
        found.update((entity, i) for i in alive(connection, entity, ids))
    return [h for h in hits if (h.entity, h.entity_id) in found]


def _describe(connection: Connection, hits: list[Hit]) -> None:
    """Where each hit belongs: the meeting of a TOP, the issue of an article, …"""
    by_entity: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        by_entity[hit.entity].append(hit.entity_id)
    from stm.services.search.contexts import CONTEXTS

    contexts: dict[Key, str] = {}
    for entity, ids in by_entity.items():
        for key, context in CONTEXTS[entity](connection, ids).items():
            contexts[(entity, key)] = context
    for hit in hits:
        hit.context = contexts.get((hit.entity, hit.entity_id), "")


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


def hit_records(hits: Sequence[Hit]) -> list[HitRecord]:
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
