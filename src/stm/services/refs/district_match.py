"""Districts by what users type (id, slug, name, alias), over a Core connection: filters
of the read commands resolve them without building model objects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from stm.errors import Invalid
from stm.names import fold

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

#: The largest id a record can have (PostgreSQL's integer; SQLite's ids stay below it).
MAX_ID = 2_147_483_647


def number_in(ref: str) -> int | None:
    """The id in `12` or `#12`; None for anything else."""
    digits = ref[1:] if ref.startswith("#") else ref
    if not digits.isdigit() or len(digits) > 10 or int(digits) > MAX_ID:
        return None  # no record has such an id (the backends' integers end there)
    return int(digits)


def district_rows(connection: Connection) -> Sequence[Any]:
    """Every district: id, slug, key, name, state, aliases."""
    from sqlalchemy import select

    from stm.store import tables

    d = tables.DISTRICT.c
    return connection.execute(
        select(d.id, d.slug, d.key, d.name, d.state, d.aliases).order_by(d.id)
    ).all()


def district_ids_in(
    connection: Connection, refs: Sequence[str], field: str = "district"
) -> list[int]:
    """The ids of the districts `refs` name, each once; unknown is input error (exit 2)."""
    rows = district_rows(connection)
    return list(dict.fromkeys(match_district(rows, ref, field) for ref in refs))


def match_district(rows: Sequence[Any], ref: str, field: str) -> int:
    """The id of the district `ref` names among `rows` (by id, folded slug, name or alias);
    unknown is an input error. The one rule: `refs.district` and the read paths use it."""
    text = ref.strip()
    number = number_in(text)
    if number is not None and any(row.id == number for row in rows):
        return number
    key = fold(text)
    for row in rows:
        if key in {row.key, fold(row.slug), *(fold(a) for a in row.aliases or [])}:
            return int(row.id)
    from stm.parsing import did_you_mean

    names = [row.name for row in rows] + [row.slug for row in rows]
    hint = did_you_mean(text, names)
    known = ", ".join(row.slug for row in rows) or "none yet"
    raise Invalid(
        field, f"unknown district {ref!r}; " + (f"{hint} " if hint else "") + f"Known: {known}"
    )
