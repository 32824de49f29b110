"""Actors as CSV, the way German Excel (and everyone else) writes it.

Reading:
- the separator is sniffed from the header line: `;` (German Excel), `,` or a tab; an
  Excel `sep=;` first line is honoured;
- the encoding is found line by line: UTF-8 with or without a BOM, else Windows-1252
  (Excel's "CSV (Trennzeichen-getrennt)"); a file that mixes the two is refused, naming
  the line, instead of importing garbled umlauts;
- quoted fields may hold line breaks and separators;
- German or English headers (`Name`, `Art`, `Stadtteil`, `E-Mail`, `Telefon`, `Straße`,
  `PLZ`, `Ort`, `Organisation`, `Funktion`, …) are mapped to actor fields; the values of
  an unknown column are kept in the notes, so nothing is lost.

Rows are streamed (a line at a time): memory does not grow with the file.

Writing (`stm.formats.csv_columns`): through `stm.formats.people_csv`, the one writer of
CSV for people: `;`-separated UTF-8 with a BOM and CRLF line ends, so that Excel opens
umlauts correctly with a double-click; headers in the document language; formula-safe
cells (a leading apostrophe before `=`, `+`, `-`, `@`), which reading removes again.
The file itself is opened and decoded by `stm.formats.actor_source`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from stm.errors import Invalid
from stm.formats.actor_source import ActorSource, DecodedLines, SourceRecord, open_input
from stm.formats.csv_columns import IGNORED, column_header, header_fields
from stm.formats.people_csv import file_bytes, rows_text, unguard_cell
from stm.names import fold

DELIMITERS = (";", ",", "\t")
_QUOTED = re.compile(r'"[^"]*"')


# ----------------------------------------------------------------------------- reading


def _sniff_delimiter(line: str) -> str | None:
    unquoted = _QUOTED.sub("", line)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else None


class CsvActors(ActorSource):
    """An actor list in CSV: the header is read on opening, the rows when iterated."""

    format = "csv"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        try:
            self._iterator = iter(self._lines)
            self._read_header()
        except BaseException:
            self._handle.close()
            raise

    @property
    def encoding(self) -> str:
        return self._lines.encoding

    def _read_header(self) -> None:
        first = next((line for line in self._iterator if line.strip()), None)
        if first is None:
            raise Invalid(self.name, "holds no header line and no rows; there is nothing to import")
        explicit = re.match(r"^\s*sep=(.)\s*$", first, re.IGNORECASE)
        if explicit:
            self.delimiter = explicit.group(1)
            first = next((line for line in self._iterator if line.strip()), "")
        else:
            self.delimiter = _sniff_delimiter(first) or ";"
        self._header_line = self._lines.line
        first = self._skip_title_rows(first, explicit is not None)
        self._reader = csv.reader(
            _chain(first, self._iterator), delimiter=self.delimiter, strict=True
        )
        try:
            self.header = [unguard_cell(cell.strip()) for cell in next(self._reader, [])]
        except csv.Error:
            raise self._malformed(self._header_line) from None
        self._map_columns(first)

    def _skip_title_rows(self, first: str, explicit: bool) -> str:
        """Excel lists often carry a title ("Partnerliste Schmarl, Stand 3/2026") and a
        blank row above the header: a first line naming no known column is skipped if one
        of the next few does; else it stays the header (and its error names it)."""
        if _names_a_person_or_name(first, self.delimiter):
            return first
        looked: list[str] = []
        for line in self._iterator:
            looked.append(line)
            if not line.strip():
                continue
            delimiter = self.delimiter if explicit else _sniff_delimiter(line) or ";"
            if _names_a_person_or_name(line, delimiter):
                self.delimiter = delimiter
                self.notes.append(
                    f"{self.name}: line(s) above the header skipped ({first.strip()[:60]!r})"
                )
                self._header_line = self._lines.line
                return line
            if len(looked) >= _TITLE_ROWS:
                break
        self._iterator = _chain_all(looked, self._iterator)
        return first

    def _map_columns(self, first_line: str) -> None:
        index = header_fields()
        self.fields: list[str | None] = []
        self.extra: list[tuple[int, str]] = []
        self._columns: dict[str, str] = {}
        ignored, unknown = [], []
        self.combined: tuple[int, str] | None = None
        for position, header in enumerate(self.header):
            key = fold(header)
            if key in COMBINED_NAMES and self.combined is None and "name" not in self._columns:
                self.combined = (position, COMBINED_NAMES[key])
                self._columns["name"] = header
                self.fields.append(None)
                continue
            field_name = index.get(key)
            if field_name and field_name not in self._columns:
                self._columns[field_name] = header
                self.fields.append(field_name)
                continue
            self.fields.append(None)
            if key in IGNORED:
                ignored.append(header)
            elif header or position < len(self.header) - 1:
                label = header or f"Spalte {position + 1}"
                self.extra.append((position, label))
                unknown.append(label)
        where = f"line {self._header_line}"
        if "name" not in self._columns and not {"given_name", "family_name"} & set(self._columns):
            if len(self.header) <= 1:
                raise Invalid(
                    self.name,
                    f"{where}: the header {first_line.strip()[:60]!r} is a single column; "
                    "separate the columns with ';' or ',' (as Excel writes CSV)",
                )
            found = ", ".join(repr(h) for h in self.header[:8])
            raise Invalid(
                self.name,
                f"{where}: no 'Name' column (found {found}); name one column 'Name', "
                "or two 'Vorname' and 'Nachname'",
            )
        if unknown:
            listed = ", ".join(repr(u) for u in unknown)
            self.notes.append(
                f"{self.name}: unknown column(s) {listed}: their values are kept in the notes"
            )
        if ignored:
            listed = ", ".join(repr(i) for i in ignored)
            self.notes.append(
                f"{self.name}: column(s) {listed} not imported (ids are the register's own)"
            )

    def column(self, field_name: str) -> str:
        return self._columns.get(field_name, column_header(field_name))

    def records(self) -> Iterator[SourceRecord]:
        width = len(self.header)
        mapped = [(position, f) for position, f in enumerate(self.fields) if f]
        extra = self.extra
        lines = self._lines
        start = lines.line + 1
        number = 0
        # The record being read begins at `start` as it is when the reader fails.
        for cells in self._strict_rows(lambda: start):  # noqa: B023
            line, start = start, lines.line + 1
            if not "".join(cells).strip():
                continue
            number += 1
            if "'" in "".join(c[:1] for c in cells):  # a formula-safe cell of stm's export
                cells = [unguard_cell(c) for c in cells]
            if len(cells) != width:
                cells = self._fit(cells, width, line)
            values = {f: cells[position] for position, f in mapped if cells[position]}
            if self.combined is not None and cells[self.combined[0]].strip():
                given, family = split_combined(cells[self.combined[0]], self.combined[1])
                values.setdefault("given_name", given)
                values.setdefault("family_name", family)
                values.setdefault("name", " ".join(p for p in (given, family) if p))
            if extra:
                _keep_extra(values, cells, extra)
            yield SourceRecord(number, line, f"line {line}", values, cells)

    def _strict_rows(self, start: Callable[[], int]) -> Iterator[list[str]]:
        """The reader's rows; a quote never closed or an over-long cell is an error
        naming the line where its record (and the cell) began."""
        reader = self._reader
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise self._malformed(start()) from None
            yield cells

    def _malformed(self, line: int) -> Invalid:
        """What is wrong with the record that starts at `line` (read again from the file:
        the normal path keeps no copy of the lines it has read)."""
        text = _record_text(self.path, self.name, line)
        kind, column, offset = diagnose_record(text, self.delimiter, csv.field_size_limit())
        where = f"line {line + text.count(chr(10), 0, offset)}"
        label = self.header[column] if column < len(getattr(self, "header", [])) else ""
        named = f"column {column + 1}" + (f" ({label!r})" if label else "")
        if kind == "long":
            quoted = text[offset : offset + 1] == '"'
            hint = "; is its closing quote missing?" if quoted else ""
            return Invalid(
                self.name,
                f"{where}, {named}: a cell longer than {CELL_LIMIT_TEXT}, the most stm "
                f"reads in one cell{hint}",
            )
        if kind == "after-quote":
            return Invalid(
                self.name,
                f"{where}, {named}: text after the closing quote; put the whole value in "
                'quotes and double every quote inside it ("")',
            )
        return Invalid(
            self.name,
            f"{where}, {named}: the quote that opens this cell is never closed, so every "
            "later line would be read into it; close the quote or remove it",
        )

    def _fit(self, cells: list[str], width: int, line: int) -> list[str]:
        if len(cells) < width:
            others = [d for d in DELIMITERS if d != self.delimiter and d in cells[0]]
            if len(cells) == 1 and others:
                raise Invalid(
                    self.name,
                    f"line {line}: one field where the header has {width} columns; the line "
                    f"is separated by {others[0]!r}, the header by {self.delimiter!r}",
                )
            return cells + [""] * (width - len(cells))
        if any(cell.strip() for cell in cells[width:]):
            raise Invalid(
                self.name,
                f"line {line}: {len(cells)} fields, but the header has {width} columns; "
                f"is a value with {self.delimiter!r} not in quotes?",
            )
        return cells[:width]

    def write_rejects(self, rejects: Sequence[tuple[SourceRecord, str]], target: Path) -> None:
        """The rejected rows as they were, with a column that says why (a CSV for people)."""
        from stm.private_files import write_private

        rows = ([*record.raw, f"{record.where}: {reason}"] for record, reason in rejects)
        write_private(target, file_bytes(rows_text([*self.header, "Fehler (error)"], rows)))


CELL_LIMIT_TEXT = "128 KiB (131,072 characters)"


def _record_text(path: Path, name: str, line: int) -> str:
    """The text from `line` on, as far as one record with over-long cells can reach."""
    budget = csv.field_size_limit() * 2 + 4096
    parts: list[str] = []
    with open_input(path) as handle:
        lines = DecodedLines(handle, name)
        for text in lines:
            if lines.line < line:
                continue
            parts.append(text)
            budget -= len(text)
            if budget < 0:
                break
    return "".join(parts)


def diagnose_record(text: str, delimiter: str, limit: int) -> tuple[str, int, int]:
    """Why a CSV record does not parse: ("long" | "after-quote" | "unclosed", the cell's
    column (0-based), the offset in `text` where that cell begins)."""
    column, cell_start, length, quoted, closed = 0, 0, 0, False, False
    position, end = 0, len(text)
    while position < end:
        char = text[position]
        if quoted:
            if char == '"':
                if text[position + 1 : position + 2] == '"':
                    position += 1
                    length += 1
                else:
                    quoted, closed = False, True
            else:
                length += 1
        elif char == delimiter:
            column, cell_start, length, closed = column + 1, position + 1, 0, False
        elif char in "\r\n":
            if text[cell_start:position].strip() or column:
                break  # the record ends here, every cell in it closed
        elif closed:
            return "after-quote", column, cell_start
        elif char == '"' and length == 0:
            quoted = True
        else:
            length += 1
        if length > limit:
            return "long", column, cell_start
        position += 1
    if quoted:
        return "unclosed", column, cell_start
    return "long", column, cell_start


_TITLE_ROWS = 5  # lines looked at, after the first, for the header
#: One column holding both names: "Müller, Anna" (family first) or "Anna Müller".
COMBINED_NAMES = {
    "namevorname": "family_first", "nachnamevorname": "family_first",
    "vornamenachname": "given_first", "vorundnachname": "given_first",
    "vorundzuname": "given_first", "firstnamelastname": "given_first",
    "lastnamefirstname": "family_first",
}  # fmt: skip


def _names_a_person_or_name(line: str, delimiter: str) -> bool:
    cells = next(csv.reader([line], delimiter=delimiter), [])
    index = header_fields()
    found = {index.get(fold(cell)) for cell in cells} | {
        "name" for cell in cells if fold(cell) in COMBINED_NAMES
    }
    return bool(found & {"name", "given_name", "family_name"})


def _chain_all(lines: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from lines
    yield from rest


def split_combined(value: str, order: str) -> tuple[str, str]:
    """(given, family) of "Müller, Anna" (family first) or "Anna Müller"."""
    from stm.names import split_person_name

    text = " ".join(value.split())
    if "," in text:
        family, _, given = text.partition(",")
        return given.strip(), family.strip()
    if order == "family_first" and " " in text:
        family, _, given = text.partition(" ")
        return given, family
    first, last = split_person_name(text)
    return first or "", last or ""


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _keep_extra(values: dict[str, str], cells: list[str], extra: list[tuple[int, str]]) -> None:
    kept = [
        f"{label}: {cells[p].strip()}" for p, label in extra if p < len(cells) and cells[p].strip()
    ]
    if kept:
        notes = values.get("notes", "").strip()
        values["notes"] = "\n".join([notes, *kept] if notes else kept)
