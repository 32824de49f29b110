"""Resolving what users type into records (SPEC §4).

A record is named by its numeric id, or by its name/slug folded (case-, umlaut-, ß- and
space-insensitive). Several matches are `Ambiguous` (exit 1) with the candidates listed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, col, select

from stm.errors import Ambiguous, Invalid, NotFound
from stm.models import Actor, District
from stm.names import fold
from stm.parsing import did_you_mean

T = TypeVar("T", bound=SQLModel)


def _by_id(session: Session, model: type[T], ref: str) -> T | None:
    if ref.isdigit():
        return session.get(model, int(ref))
    if ref.startswith("#") and ref[1:].isdigit():
        return session.get(model, int(ref[1:]))
    return None


def _pick(
    what: str,
    ref: str,
    matches: Sequence[T],
    describe: Callable[[T], str],
) -> T | None:
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise Ambiguous(what, ref, [describe(m) for m in matches])
    return None


def _not_found(what: str, ref: str, names: list[str], hint: str = "") -> NotFound:
    suggestion = did_you_mean(ref, names)
    message = f"no {what} {ref!r}"
    if suggestion:
        message += f"; {suggestion}"
    if hint:
        message += f" ({hint})"
    return NotFound(message)


def district(session: Session, ref: str, field: str = "--district") -> District:
    """A district by id, slug, name or alias; unknown is input error (exit 2)."""
    text = ref.strip()
    found = _by_id(session, District, text)
    if found:
        return found
    key = fold(text)
    districts = session.exec(select(District)).all()
    for candidate in districts:
        keys = {candidate.key, fold(candidate.slug), *(fold(a) for a in candidate.aliases)}
        if key in keys:
            return candidate
    names = [d.name for d in districts] + [d.slug for d in districts]
    hint = did_you_mean(text, names)
    known = ", ".join(d.slug for d in districts) or "none yet"
    raise Invalid(
        field, f"unknown district {ref!r}; " + (f"{hint} " if hint else "") + f"Known: {known}"
    )


def districts(session: Session, refs: Sequence[str], field: str = "--district") -> list[District]:
    resolved: dict[int, District] = {}
    for ref in refs:
        found = district(session, ref, field)
        assert found.id is not None
        resolved[found.id] = found
    return list(resolved.values())


def _describe_actor(actor: Actor) -> str:
    extra = f", {actor.function}" if actor.function else ""
    return f"#{actor.id} {actor.name} ({actor.kind}{extra})"


def actor(session: Session, ref: str, what: str = "actor", *, kinds: Any = None) -> Actor:
    """An actor by id or name; erased persons are not found by name."""
    text = ref.strip()
    found = _by_id(session, Actor, text)
    if found:
        return found
    statement = select(Actor).where(Actor.key == fold(text), col(Actor.erased_at).is_(None))
    if kinds:
        statement = statement.where(col(Actor.kind).in_(kinds))
    matches = session.exec(statement.order_by(col(Actor.id))).all()
    picked = _pick(what, text, matches, _describe_actor)
    if picked:
        return picked
    names = list(session.exec(select(Actor.name).where(col(Actor.erased_at).is_(None))).all())
    raise _not_found(what, text, names, "see 'stm actors list --search …'")


def actors(session: Session, refs: Sequence[str], what: str = "actor") -> list[Actor]:
    resolved: dict[int, Actor] = {}
    for ref in refs:
        found = actor(session, ref, what)
        assert found.id is not None
        resolved[found.id] = found
    return list(resolved.values())


def _by_slug(session: Session, model: Any, ref: str, what: str, label: str) -> Any:
    """A record with `slug`, `key` and a `label` attribute: by id, name or slug, or a
    unique prefix of its slug (`stadtteiltisch-sch` names the Schmarl one)."""
    text = ref.strip()
    found = _by_id(session, model, text)
    if found:
        return found
    key = fold(text)

    def describe(record: Any) -> str:
        return f"#{record.id} {record.slug} ({getattr(record, label)})"

    matches = session.exec(select(model).where((model.key == key) | (model.slug == text.lower())))
    picked = _pick(what, text, matches.all(), describe)
    if picked:
        return picked
    records = session.exec(select(model)).all()
    prefixed = [
        r for r in records if key and (fold(r.slug).startswith(key) or r.key.startswith(key))
    ]
    picked = _pick(what, text, prefixed, describe)
    if picked:
        return picked
    # Networks are spoken of by slug, projects by title.
    names = [r.slug if what == "network" else getattr(r, label) for r in records]
    raise _not_found(what, text, names, f"see 'stm {what}s list'")


def network(session: Session, ref: str) -> Any:
    from stm.models import Network

    return _by_slug(session, Network, ref, "network", "name")


def project(session: Session, ref: str) -> Any:
    from stm.models import Project

    return _by_slug(session, Project, ref, "project", "title")


def by_id(session: Session, model: type[T], ref: str, what: str) -> T:
    """A record that is named by its id only (meetings, tasks, concerns, …)."""
    text = ref.strip().lstrip("#")
    if not text.isdigit():
        raise Invalid(what, f"{ref!r} is not an id; use the number shown by 'list'")
    found = session.get(model, int(text))
    if found is None:
        raise NotFound(f"no {what} with id {text}")
    return found
