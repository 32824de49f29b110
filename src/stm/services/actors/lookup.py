"""Naming actors, districts and networks for `stm actors list/show`, on a Core
connection or a session's: the rules and messages are `stm.services.refs`' (SPEC §4;
`actor_match`, `district_match`, `slug_match`), so that a read builds no ORM classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from stm.store import connection_of

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    Db = Session | Connection


def actor_id(db: Db, ref: str, what: str = "actor") -> int:
    """An actor's id by id, name or short name, else by the words of its name."""
    from stm.services.refs.actor_match import actor_id as matched

    return matched(connection_of(db), ref, what)


def district_ids(db: Db, refs: Sequence[str], field: str = "district") -> list[int]:
    """The ids of the districts named (by id, slug, name or alias); unknown is exit 2."""
    from stm.services.refs.district_match import district_ids_in

    return district_ids_in(connection_of(db), refs, field)


def network_id(db: Db, ref: str) -> int:
    """A network's id by id, name or slug, a unique prefix of its slug, or its words."""
    from stm.services.refs.slug_match import network_row

    return int(network_row(connection_of(db), ref).id)
