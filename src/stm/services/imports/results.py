"""What an import tells: its options, each record's outcome, the summary; and the
bookkeeping of which record of the file wrote which actor."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from stm.formats.actor_source import ActorSource, SourceRecord


@dataclass
class ImportOptions:
    format: str | None = None  # csv or vcf; default: from the file name, then its content
    dry_run: bool = False
    on_duplicate: str = "skip"
    skip_invalid: bool = False
    progress: Callable[[int, int], None] | None = None  # (bytes read, bytes in all)


@dataclass
class Outcome:
    """What happened (or, in a dry run, would happen) to one record."""

    where: str
    action: str  # add, update, skip, reject
    name: str
    actor_id: int | None = None
    detail: str = ""


class ImportSummary(TypedDict):
    """`stm actors import --json`."""

    file: str
    format: str
    dry_run: bool
    added: int
    updated: int
    skipped: int
    rejected: int
    created_organisations: list[str]


@dataclass
class ImportResult:
    source: ActorSource
    dry_run: bool
    added: int = 0
    updated: int = 0
    skipped: int = 0
    created_organisations: list[str] = field(default_factory=list)
    rejected: list[tuple[SourceRecord, str]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)  # a dry run lists every record

    @property
    def notes(self) -> list[str]:
        return self.source.notes

    @property
    def details(self) -> list[str]:
        return self.source.details

    def summary(self) -> ImportSummary:
        return {
            "file": self.source.name,
            "format": self.source.format,
            "dry_run": self.dry_run,
            "added": self.added,
            "updated": self.updated,
            "skipped": self.skipped,
            "rejected": len(self.rejected),
            "created_organisations": self.created_organisations,
        }


def rejects_path(path: Path) -> Path:
    """Where `--skip-invalid` puts the rejected records: next to the input."""
    return path.with_name(f"{path.stem}.rejected{path.suffix or '.csv'}")


def write_rejects(result: ImportResult, target: Path) -> None:
    result.source.write_rejects(sorted(result.rejected, key=lambda r: r[0].number), target)


class Written:
    """Which record of this import wrote each actor: ids ascend, so arrays and bisect
    (16 bytes per actor, for naming the first line of a duplicate)."""

    def __init__(self) -> None:
        self._ids = array("q")
        self._numbers = array("I")  # 4 bytes: a file has fewer than 4 billion records
        self._lines = array("I")
        self.matched: dict[int, tuple[int, int]] = {}  # register actor → (number, line)

    def first_record(self, actor_id: int) -> tuple[int, int] | None:
        """(number, line) of the record of this import that wrote this actor, if one did."""
        if actor_id in self.matched:
            return self.matched[actor_id]
        position = bisect_left(self._ids, actor_id)
        if position < len(self._ids) and self._ids[position] == actor_id:
            return self._numbers[position], self._lines[position]
        return None

    def remember(self, actor_id: int, number: int, line: int, *, replace: bool = False) -> None:
        if replace:
            position = bisect_left(self._ids, actor_id)
            self._numbers[position], self._lines[position] = number, line
        else:
            self._ids.append(actor_id)
            self._numbers.append(number)
            self._lines.append(line)
