"""Actors (Akteure): organisations, initiatives, administration, politics, persons.

Persons are natural persons: their own phone and e-mail are personal data, shared on
contact sheets only with consent (`consent_share`).

The face of the package; behind it:
- `validate`: the one check of an actor's fields (add, edit and every imported record);
- `records`: the JSON records of SPEC §7 (TypedDicts) and the list and `show` reads,
  Core only;
- `lookup`: naming actors, districts and networks on a Core connection;
- `editing`: add, edit, archive, short names;
- `export`: `stm actors export`;
- `duplicates`: finding and merging duplicates.
"""

from __future__ import annotations

from stm.services.actors.editing import (
    add_actor,
    archive_actor,
    edit_actor,
    list_actors,
    namesakes,
)
from stm.services.actors.lookup import actor_id
from stm.services.actors.records import (
    ActorDetail,
    ActorFilter,
    ActorRecord,
    actor_detail,
    actor_records,
    aliases_of,
    format_address,
    list_actor_records,
)
from stm.services.actors.validate import (
    ActorFields,
    CheckedFields,
    actor_field_names,
    validate_fields,
    validated,
)

__all__ = [
    "ActorDetail",
    "ActorFields",
    "ActorFilter",
    "ActorRecord",
    "CheckedFields",
    "actor_detail",
    "actor_field_names",
    "actor_id",
    "actor_records",
    "add_actor",
    "aliases_of",
    "archive_actor",
    "edit_actor",
    "format_address",
    "list_actor_records",
    "list_actors",
    "namesakes",
    "validate_fields",
    "validated",
]
