"""Networks (Gremien): Stadtteiltisch, Lenkungsgruppe, Ortsbeirat, Arbeitskreise, Bündnisse.

Behind this face: `records` (the JSON records), `listing` (the list, over SQLAlchemy
Core: no models), `lifecycle` (add, edit, join, leave, show; over a session and the
models). The face loads `lifecycle`, and with it the models, only when one of its names
is first used, so that `stm networks list` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stm.services.faces import all_in, lazy_names
from stm.services.networks.listing import NetworkFilter, district_ids_of, network_list, records_of
from stm.services.networks.records import MemberRecord, NetworkDetail, NetworkRecord

if TYPE_CHECKING:
    from stm.services.networks.lifecycle import (
        NetworkChanges,
        NetworkFields,
        add_network,
        districts_of,
        edit_network,
        join,
        leave,
        memberships,
        network_detail,
        network_records,
    )

__getattr__ = lazy_names(
    __name__,
    all_in(
        "lifecycle",
        {"NetworkChanges", "NetworkFields", "add_network", "districts_of", "edit_network", "join",
         "leave", "memberships", "network_detail", "network_records"},
    ),
)  # fmt: skip


__all__ = [
    "MemberRecord",
    "NetworkChanges",
    "NetworkDetail",
    "NetworkFields",
    "NetworkFilter",
    "NetworkRecord",
    "add_network",
    "district_ids_of",
    "districts_of",
    "edit_network",
    "join",
    "leave",
    "memberships",
    "network_detail",
    "network_list",
    "network_records",
    "records_of",
]
