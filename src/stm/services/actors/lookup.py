"""Naming actors, districts and networks for `stm actors list/show`, on a Core
connection or a session's: the rules and messages are `stm.services.refs`' (SPEC §4;
`actor_match`, `district_match`, `slug_match`), so that a read builds no ORM classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    Db = Session | Connection


def _connection(db: Db) -> Connection:
    from sqlalchemy.engine import Connection

    if isinstance(db, Connection):
        return db
    db.flush()  # what the session holds is found, as a query on it would autoflush
    return db.connection()


def actor_id(db: Db, ref: str, what: str = "actor") -> int:
    """An actor's id by id, name or short name, else by the words of its name."""
    from stm.services.refs.actor_match import actor_id as matched

    return matched(_connection(db), ref, what)


def district_ids(db: Db, refs: Sequence[str], field: str = "district") -> list[int]:
    """The ids of the districts named (by id, slug, name or alias); unknown is exit 2."""
    from stm.services.refs.district_match import district_ids_in

    return district_ids_in(_connection(db), refs, field)


def network_id(db: Db, ref: str) -> int:
    """A network's id by id, name or slug, a unique prefix of its slug, or its words."""
    from stm.services.refs.slug_match import network_row

    return int(network_row(_connection(db), ref).id)
