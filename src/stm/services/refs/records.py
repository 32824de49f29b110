"""Records (model objects) by what users type: districts, actors, networks, projects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select as select_columns
from sqlmodel import Session, SQLModel, select

from stm.errors import Invalid, NotFound
from stm.models import Actor, District
from stm.services.refs.actor_match import actor_id
from stm.services.refs.district_match import MAX_ID, match_district
from stm.services.refs.district_match import number_in as _number
from stm.services.refs.slug_match import match_slug

if TYPE_CHECKING:
    from stm.models import Network, Project

T = TypeVar("T", bound=SQLModel)


def _by_id(session: Session, model: type[T], ref: str) -> T | None:
    number = _number(ref)
    return session.get(model, number) if number is not None else None


def district(session: Session, ref: str, field: str = "district") -> District:
    """A district by id, slug, name or alias; unknown is input error (exit 2)."""
    found = session.get(District, match_district(_district_rows(session), ref, field))
    assert found is not None
    return found


def districts(session: Session, refs: Sequence[str], field: str = "district") -> list[District]:
    resolved: dict[int, District] = {}
    for ref in refs:
        found = district(session, ref, field)
        assert found.id is not None
        resolved[found.id] = found
    return list(resolved.values())


def district_ids(session: Session, refs: Sequence[str], field: str = "district") -> list[int]:
    """The ids of `districts`, read as plain rows: filters need no model objects."""
    rows = _district_rows(session)
    return list(dict.fromkeys(match_district(rows, ref, field) for ref in refs))


def _district_rows(session: Session) -> Sequence[Any]:
    table: Any = District.__table__  # type: ignore[attr-defined]
    columns = (table.c.id, table.c.slug, table.c.key, table.c.name, table.c.aliases)
    return session.execute(select_columns(*columns).order_by(table.c.id)).all()


def actor(session: Session, ref: str, what: str = "actor", *, kinds: Any = None) -> Actor:
    """An actor by the one rule of `actor_match` (id, name, alias, words), as a model."""
    from stm.store import connection_of

    found = session.get(Actor, actor_id(connection_of(session), ref, what, kinds))
    assert found is not None, "the id was just read"
    return found


def actors(session: Session, refs: Sequence[str], what: str = "actor") -> list[Actor]:
    resolved: dict[int, Actor] = {}
    for ref in refs:
        found = actor(session, ref, what)
        assert found.id is not None
        resolved[found.id] = found
    return list(resolved.values())


def by_slug(session: Session, model: Any, ref: str, what: str, label: str) -> Any:
    """A record with `slug`, `key` and a `label` attribute, by the rule of `slug_match`."""
    return match_slug(session.exec(select(model).order_by(model.id)).all(), ref, what, label)


def network(session: Session, ref: str) -> Network:
    from stm.models import Network

    found: Network = by_slug(session, Network, ref, "network", "name")
    return found


def project(session: Session, ref: str) -> Project:
    from stm.models import Project

    found: Project = by_slug(session, Project, ref, "project", "title")
    return found


def by_id(session: Session, model: type[T], ref: str, what: str) -> T:
    """A record that is named by its id only (meetings, tasks, concerns, …)."""
    text = ref.strip().lstrip("#")
    if not text.isdigit():
        raise Invalid(what, f"{ref!r} is not an id; use the number shown by 'list'")
    if len(text) > 10 or int(text) > MAX_ID:
        raise NotFound(f"no {what} with id {text}")
    found = session.get(model, int(text))
    if found is None:
        raise NotFound(f"no {what} with id {text}")
    return found
