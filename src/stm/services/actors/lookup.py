"""Naming actors, districts and networks on a Core connection, for the read commands.

The same rules and messages as `stm.services.refs` (SPEC §4), over `stm.store.tables`:
`stm actors list/show` resolve what the user typed without building the ORM classes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from stm.errors import Ambiguous, NotFound
from stm.names import fold, fold_words
from stm.services.refs.district_match import number_in

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    Db = Session | Connection

T = TypeVar("T")


def _pick(what: str, ref: str, matches: Sequence[T], describe: Callable[[T], str]) -> T | None:
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise Ambiguous(what, ref, [describe(m) for m in matches])
    return None


def _not_found(what: str, ref: str, names: list[str], hint: str) -> NotFound:
    from stm.parsing import did_you_mean

    suggestion = did_you_mean(ref, names)
    message = f"no {what} {ref!r}"
    if suggestion:
        message += f"; {suggestion}"
    return NotFound(f"{message} ({hint})")


def holds_words(words: Sequence[str], name: str) -> bool:
    """Each word (folded) starts a word of `name`: "haus 12" in "Begegnungszentrum Haus 12"."""
    name_words = fold_words(name).split()
    return bool(words) and all(any(n.startswith(w) for n in name_words) for w in words)


# ----------------------------------------------------------------------------- actors


def _describe_actor(row: Any) -> str:
    extra = f", {row.function}" if row.function else ""
    return f"#{row.id} {row.name} ({row.kind}{extra})"


def actor_id(db: Db, ref: str, what: str = "actor") -> int:
    """An actor's id by id, name or short name, else by the words of its name (see
    `stm.services.refs.actor`). Erased persons are not found by name."""
    from sqlalchemy import or_, select

    from stm.store.tables import ACTOR, ACTOR_ALIAS

    text = ref.strip()
    number = number_in(text)
    if number is not None:
        found = db.execute(select(ACTOR.c.id).where(ACTOR.c.id == number)).scalar()
        if found is not None:
            return int(found)
    actor = ACTOR.c
    shown = (actor.id, actor.name, actor.kind, actor.function)
    key = fold(text)
    aliased = select(ACTOR_ALIAS.c.actor_id).where(ACTOR_ALIAS.c.key == key)
    matches = db.execute(
        select(*shown)
        .where(or_(actor.key == key, actor.id.in_(aliased)), actor.erased_at.is_(None))
        .order_by(actor.id)
    ).all()
    picked = _pick(what, text, matches, _describe_actor) or _actor_by_words(db, text, what)
    if picked is not None:
        return int(picked.id)
    names = list(db.execute(select(actor.name).where(actor.erased_at.is_(None))).scalars())
    raise _not_found(what, text, names, "see 'stm actors list --search …'")


def _actor_by_words(db: Db, text: str, what: str) -> Any | None:
    from sqlalchemy import select

    from stm.store.tables import ACTOR, ACTOR_ALIAS

    words = fold_words(text).split()
    if not words:
        return None
    actor, alias = ACTOR.c, ACTOR_ALIAS.c
    shown = (actor.id, actor.name, actor.kind, actor.function)
    by_name = select(*shown).where(actor.erased_at.is_(None))
    by_alias = select(*shown, alias.name.label("alias")).join(
        ACTOR_ALIAS, alias.actor_id == actor.id
    )
    by_alias = by_alias.where(actor.erased_at.is_(None))
    for word in words:  # narrow in SQL: the folded key holds every word
        by_name = by_name.where(actor.key.contains(fold(word)))
        by_alias = by_alias.where(alias.key.contains(fold(word)))
    found: dict[int, Any] = {
        row.id: row for row in db.execute(by_name).all() if holds_words(words, row.name)
    }
    for aliased in db.execute(by_alias).all():
        if holds_words(words, aliased.alias):
            found[aliased.id] = aliased
    return _pick(what, text, [found[i] for i in sorted(found)], _describe_actor)


# ----------------------------------------------------------------------------- districts


def district_ids(db: Db, refs: Sequence[str], field: str = "district") -> list[int]:
    """The ids of the districts named (by id, slug, name or alias); unknown is exit 2."""
    from sqlalchemy.engine import Connection

    from stm.services.refs.district_match import district_ids_in

    connection = db if isinstance(db, Connection) else db.connection()
    return district_ids_in(connection, refs, field)


# ----------------------------------------------------------------------------- networks


def network_id(db: Db, ref: str) -> int:
    """A network's id by id, name or slug, a unique prefix of its slug, or the words of
    its name (see `stm.services.refs.network`)."""
    from sqlalchemy import or_, select

    from stm.store.tables import NETWORK

    table = NETWORK.c
    text = ref.strip()
    shown = (table.id, table.slug, table.key, table.name)
    number = number_in(text)
    if number is not None:
        found = db.execute(select(table.id).where(table.id == number)).scalar()
        if found is not None:
            return int(found)
    key = fold(text)

    def describe(row: Any) -> str:
        return f"#{row.id} {row.slug} ({row.name})"

    matches = db.execute(
        select(*shown).where(or_(table.key == key, table.slug == text.lower()))
    ).all()
    picked = _pick("network", text, matches, describe)
    if picked is None:
        rows = db.execute(select(*shown)).all()
        prefixed = [
            r for r in rows if key and (fold(r.slug).startswith(key) or r.key.startswith(key))
        ]
        picked = _pick("network", text, prefixed, describe)
        if picked is None:
            words = fold_words(text).split()
            worded = [r for r in rows if holds_words(words, r.name)]
            picked = _pick("network", text, worded, describe)
        if picked is None:
            raise _not_found("network", text, [r.slug for r in rows], "see 'stm networks list'")
    return int(picked.id)
