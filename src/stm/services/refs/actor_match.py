"""The one rule for naming an actor, over a Core connection (no models): a read command
resolves `--organiser`, `--owner` or `--to` with it, and `records.actor` loads the model
object of the id it finds.

An actor is named by its id, its name or a short name (alias) folded, or else the one
actor whose name or alias holds the reference's words at word starts ("Haus 12", "WIRO",
"yilmaz"). Erased persons are not found by name; several matches are `Ambiguous`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from stm.names import fold, fold_words
from stm.services.refs.district_match import number_in
from stm.services.refs.slug_match import holds_words, not_found, pick
from stm.store.tables import ACTOR, ACTOR_ALIAS

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

_SHOWN = (ACTOR.c.id, ACTOR.c.name, ACTOR.c.kind, ACTOR.c.function)


def describe(actor: Any) -> str:
    """`#12 Anna Müller (person, Quartiersmanagerin)`, as a candidate in an `Ambiguous`."""
    extra = f", {actor.function}" if actor.function else ""
    return f"#{actor.id} {actor.name} ({actor.kind}{extra})"


def actor_id(
    connection: Connection, ref: str, what: str = "actor", kinds: Collection[str] | None = None
) -> int:
    """The id of the actor `ref` names (see above); `NotFound` with a suggestion if none."""
    a, alias = ACTOR.c, ACTOR_ALIAS.c
    text = ref.strip()
    number = number_in(text)
    if number is not None:
        found = connection.execute(select(a.id).where(a.id == number)).scalar()
        if found is not None:
            return int(found)
    key = fold(text)
    aliased = select(alias.actor_id).where(alias.key == key)
    statement = select(*_SHOWN).where((a.key == key) | a.id.in_(aliased), a.erased_at.is_(None))
    if kinds:
        statement = statement.where(a.kind.in_(kinds))
    matches = connection.execute(statement.order_by(a.id)).all()
    picked = pick(what, text, matches, describe) or _by_words(connection, text, what, kinds)
    if picked is not None:
        return int(picked.id)
    names = list(connection.execute(select(a.name).where(a.erased_at.is_(None))).scalars())
    raise not_found(what, text, names, "see 'stm actors list --search …'")


def _by_words(
    connection: Connection, text: str, what: str, kinds: Collection[str] | None
) -> Any | None:
    a, alias = ACTOR.c, ACTOR_ALIAS.c
    words = fold_words(text).split()
    if not words:
        return None
    by_name = select(*_SHOWN).where(a.erased_at.is_(None))
    by_alias = select(*_SHOWN, alias.name.label("alias")).select_from(
        ACTOR.join(ACTOR_ALIAS, alias.actor_id == a.id)
    )
    by_alias = by_alias.where(a.erased_at.is_(None))
    for word in words:  # narrow in SQL: the folded key holds every word
        by_name = by_name.where(a.key.contains(fold(word)))
        by_alias = by_alias.where(alias.key.contains(fold(word)))
    if kinds:
        by_name = by_name.where(a.kind.in_(kinds))
        by_alias = by_alias.where(a.kind.in_(kinds))
    found: dict[int, Any] = {
        row.id: row for row in connection.execute(by_name) if holds_words(words, row.name)
    }
    for row in connection.execute(by_alias):
        if holds_words(words, row.alias):
            found.setdefault(row.id, row)
    return pick(what, text, [found[i] for i in sorted(found)], describe)
