"""Full-text search over the register, umlaut-insensitive, kept in step at every flush.

The face of the package; behind it:
- `index`: what is indexed of each record, and the `after_flush` listener that keeps
  the index in step (installed by whoever opens the register, see
  `stm.store.add_flush_listener`); rebuilding and checking the index;
- `query`: `stm search`, on a Core connection.
"""

from __future__ import annotations

from stm.services.search.index import (
    ENTITY_LABELS,
    actor_body,
    entry,
    index_after_flush,
    index_problems,
    rebuild_index,
    reindex,
)
from stm.services.search.query import (
    DEFAULT_LIMIT,
    SCOPES,
    Hit,
    HitRecord,
    hit_records,
    parse_scopes,
    query_terms,
    search,
    snippet,
)

__all__ = [
    "DEFAULT_LIMIT",
    "ENTITY_LABELS",
    "SCOPES",
    "Hit",
    "HitRecord",
    "actor_body",
    "entry",
    "hit_records",
    "index_after_flush",
    "index_problems",
    "parse_scopes",
    "query_terms",
    "rebuild_index",
    "reindex",
    "search",
    "snippet",
]
