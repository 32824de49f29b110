"""Residents' concerns (Anliegen/Bedarfe) and their path through the administration.

A concern is reported (by an actor or anonymously), forwarded to the administration with
a follow-up date, worked on, and closed with an answer (resolved or rejected). Every
step is a `ConcernHistory` row, so `show` tells the whole story.

Behind this face: `records` (the JSON records, the statuses), `listing` (the list, over
SQLAlchemy Core: no models), `lifecycle` (report, forward, update, close, show; over a
session and the models). The face loads `lifecycle`, and with it the models, only when
one of its names is first used, so that `stm concerns list` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stm.services.concerns.listing import ConcernFilter, concern_list, is_overdue, records_of
from stm.services.concerns.records import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    WAITING_STATUSES,
    ConcernDetail,
    ConcernRecord,
    HistoryEntry,
)
from stm.services.faces import all_in, lazy_names

if TYPE_CHECKING:
    from stm.services.concerns.lifecycle import (
        ConcernChange,
        ConcernFields,
        Forwarded,
        add_concern,
        close_concern,
        concern,
        concern_detail,
        forward_concern,
        past_follow_up,
        update_concern,
    )

__getattr__ = lazy_names(
    __name__,
    all_in(
        "lifecycle",
        {"ConcernChange", "ConcernFields", "Forwarded", "add_concern", "close_concern", "concern",
         "concern_detail", "forward_concern", "past_follow_up", "update_concern"},
    ),
)  # fmt: skip


__all__ = [
    "CLOSED_STATUSES",
    "OPEN_STATUSES",
    "WAITING_STATUSES",
    "ConcernChange",
    "ConcernDetail",
    "ConcernFields",
    "ConcernFilter",
    "ConcernRecord",
    "Forwarded",
    "HistoryEntry",
    "add_concern",
    "close_concern",
    "concern",
    "concern_detail",
    "concern_list",
    "forward_concern",
    "is_overdue",
    "past_follow_up",
    "records_of",
    "update_concern",
]
