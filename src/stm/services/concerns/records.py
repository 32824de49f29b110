"""The JSON records of concerns (SPEC §7), and the statuses that decide a concern's state."""

from __future__ import annotations

from typing import TypedDict

from stm.vocab import ConcernStatus

OPEN_STATUSES = (ConcernStatus.new.value, ConcernStatus.forwarded.value,
                 ConcernStatus.in_progress.value)  # fmt: skip
CLOSED_STATUSES = (ConcernStatus.resolved.value, ConcernStatus.rejected.value)
#: Statuses whose follow-up date can be overdue: the administration holds the concern.
WAITING_STATUSES = (ConcernStatus.forwarded.value, ConcernStatus.in_progress.value)


class ConcernRecord(TypedDict):
    """A concern as `stm concerns list --json` shows it; dates as ISO text."""

    id: int
    title: str
    district: str | None
    status: str
    forwarded_to: str | None
    reported_on: str
    due: str | None
    category: str | None
    forwarded_on: str | None
    closed_on: str | None
    overdue: bool


class HistoryEntry(TypedDict):
    at: str
    status: str
    note: str | None


class ConcernDetail(ConcernRecord):
    """`stm concerns show --json`: the record, who reported it, the answer, the history."""

    description: str | None
    reported_by: str | None
    anonymous: bool
    answer: str | None
    history: list[HistoryEntry]
