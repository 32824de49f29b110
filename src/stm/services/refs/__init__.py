"""Resolving what users type into records (SPEC §4).

A record is named by its numeric id, or by its name/slug folded (case-, umlaut-, ß- and
space-insensitive). Several matches are `Ambiguous` (exit 1) with the candidates listed.

Behind this face: `district_match` (district ids over a Core connection, for the read
commands; no models) and `records` (model objects over a session). The face loads
`records`, and with it the models, only when one of its names is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stm.services.faces import all_in, lazy_names
from stm.services.refs.district_match import MAX_ID, district_ids_in
from stm.services.refs.slug_match import holds_words, project_row

if TYPE_CHECKING:
    from stm.services.refs.records import (
        actor,
        actors,
        by_id,
        by_slug,
        district,
        district_ids,
        districts,
        network,
        project,
    )

__getattr__ = lazy_names(
    __name__,
    all_in(
        "records",
        {"actor", "actors", "by_id", "by_slug", "district", "district_ids", "districts",
         "network", "project"},
    ),
)  # fmt: skip


__all__ = [
    "MAX_ID",
    "actor",
    "actors",
    "by_id",
    "by_slug",
    "district",
    "district_ids",
    "district_ids_in",
    "districts",
    "holds_words",
    "network",
    "project",
    "project_row",
]
