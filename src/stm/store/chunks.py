"""Lists of ids split for `IN (…)`: SQLite allows at most 999 bound values per statement
in older builds, and PostgreSQL plans long lists badly."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

#: Values per `IN (…)` list.
CHUNK = 500


def in_chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`values` in consecutive slices of at most `size` (none for an empty sequence)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
