"""The one rule for records with a slug (networks, projects), on any rows: model objects
from a session, or rows of a Core connection for the read commands (no models).

A record is named by its id (`12`, `#12`), its name or slug folded, a unique prefix of its
slug (`stadtteiltisch-sch` names the Schmarl one), or the words of its name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from stm.errors import Ambiguous, NotFound
from stm.names import fold, fold_words
from stm.services.refs.district_match import number_in

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

T = TypeVar("T")


class Slugged(Protocol):
    """What the rule reads of a record: a model object or a Core row."""

    @property
    def id(self) -> int | None: ...
    @property
    def slug(self) -> str: ...
    @property
    def key(self) -> str: ...


S = TypeVar("S", bound=Slugged)


def pick(what: str, ref: str, matches: Sequence[T], describe: Callable[[T], str]) -> T | None:
    """The one match; None for none; `Ambiguous` (with the candidates) for several."""
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise Ambiguous(what, ref, [describe(m) for m in matches])
    return None


def not_found(what: str, ref: str, names: list[str], hint: str = "") -> NotFound:
    from stm.parsing import did_you_mean

    suggestion = did_you_mean(ref, names)
    message = f"no {what} {ref!r}"
    if suggestion:
        message += f"; {suggestion}"
    if hint:
        message += f" ({hint})"
    return NotFound(message)


def holds_words(words: Sequence[str], name: str) -> bool:
    """Each word (folded) starts a word of `name`: "haus 12" in "Begegnungszentrum Haus 12"."""
    name_words = fold_words(name).split()
    return bool(words) and all(any(n.startswith(w) for n in name_words) for w in words)


def match_slug(records: Sequence[S], ref: str, what: str, label: str) -> S:
    """The record of `records` (all of one kind) that `ref` names, by the rule above."""
    text = ref.strip()
    number = number_in(text)
    if number is not None:
        for record in records:
            if record.id == number:
                return record

    def describe(record: Any) -> str:
        return f"#{record.id} {record.slug} ({getattr(record, label)})"

    key = fold(text)
    exact = [r for r in records if r.key == key or r.slug == text.lower()]
    picked = pick(what, text, exact, describe)
    if picked is not None:
        return picked
    prefixed = [
        r for r in records if key and (fold(r.slug).startswith(key) or r.key.startswith(key))
    ]
    picked = pick(what, text, prefixed, describe)
    if picked is not None:
        return picked
    words = fold_words(text).split()
    picked = pick(what, text, [r for r in records if holds_words(words, getattr(r, label))],
                  describe)  # fmt: skip
    if picked is not None:
        return picked
    # Networks are spoken of by slug, projects by title.
    names = [r.slug if what == "network" else getattr(r, label) for r in records]
    raise not_found(what, text, names, f"see 'stm {what}s list'")


def project_row(connection: Connection, ref: str) -> Any:
    """The project's row (columns as attributes, as the model has them) for a read."""
    from sqlalchemy import select

    from stm.store.tables import PROJECT

    rows = connection.execute(select(PROJECT).order_by(PROJECT.c.id)).all()
    return match_slug(rows, ref, "project", "title")


def network_row(connection: Connection, ref: str) -> Any:
    """The network's row (columns as attributes, as the model has them) for a read."""
    from sqlalchemy import select

    from stm.store.tables import NETWORK

    rows = connection.execute(select(NETWORK).order_by(NETWORK.c.id)).all()
    return match_slug(rows, ref, "network", "name")
