"""Where an actor import reads from: a file of records, streamed as decoded lines.

`ActorSource` is what the importer iterates (CSV and vCard sources are kinds of it);
`open_input` refuses what cannot be an actor list (a folder, an empty file, a workbook,
UTF-16); `DecodedLines` finds the encoding line by line: UTF-8 with or without a BOM,
else Windows-1252, and refuses a file that mixes the two, naming the lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from stm.errors import Invalid
from stm.formats.people_csv import BOM

SNIFF_BYTES = 8192

# In a Windows-1252 file these byte pairs are UTF-8 umlauts, quotes and dashes ("Ã¼" for
# "ü"): the sign of a file that was pasted together from two encodings.
_UTF8_IN_WINDOWS = re.compile(
    rb"[\xc2\xc3\xc5][\x80-\xbf]|\xe2\x80[\x93\x94\x98\x99\x9a\x9c\x9d\x9e\xa6]"
)
_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive or an Excel workbook (.xlsx)",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls)",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}
SAVE_AS = "in Excel use 'Save as' → 'CSV UTF-8 (durch Trennzeichen getrennt)'"


# ----------------------------------------------------------------------------- records


@dataclass
class SourceRecord:
    """One actor as read from a file: where it is, and its text values by field name."""

    number: int  # the n-th record of the file (data rows or cards), from 1
    line: int  # where it starts
    where: str  # "line 7" or "card 2 (line 14)", for messages
    values: dict[str, str]
    raw: Any  # what a rejects file repeats: the row's cells, or the card's text
    problem: str | None = None  # the record could not be read at all (a broken card)


class ActorSource:
    """What the importer reads from: a file of actor records, streamed line by line."""

    format: str

    def __init__(self, path: Path) -> None:
        """Open the file (refusing what cannot be an actor list) for decoded lines."""
        self.path = path
        self.name = path.name
        self.notes: list[str] = []  # counted per kind, shown after every import
        self.details: list[str] = []  # each thing not imported, shown with --verbose
        self._handle = open_input(path)
        self.total_bytes = path.stat().st_size
        self._lines = DecodedLines(self._handle, self.name)

    @property
    def bytes_read(self) -> int:
        return self._lines.bytes_read

    def records(self) -> Iterator[SourceRecord]:
        raise NotImplementedError

    def column(self, field_name: str) -> str:
        """How the file names a field, for error messages (`E-Mail`, `EMAIL`)."""
        return field_name

    def where(self, number: int, line: int) -> str:
        """How messages name a record: `line 7`."""
        return f"line {line}"

    def write_rejects(self, rejects: Sequence[tuple[SourceRecord, str]], target: Path) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self._handle.close()


# ----------------------------------------------------------------------------- text input


def open_input(path: Path) -> BinaryIO:
    """The file, opened for reading, after refusing what cannot be an actor list."""
    name = path.name
    if not path.exists():
        raise Invalid("FILE", f"{path} does not exist")
    if path.is_dir():
        raise Invalid("FILE", f"{path} is a folder; give a .csv or .vcf file")
    handle = path.open("rb")
    head = handle.read(SNIFF_BYTES)
    handle.seek(0)
    if not head:
        handle.close()
        raise Invalid(name, "is empty (0 bytes); there is nothing to import")
    problem = _binary_kind(head)
    if problem:
        handle.close()
        raise Invalid(name, problem)
    return handle


def _binary_kind(head: bytes) -> str | None:
    for signature, what in _SIGNATURES.items():
        if head.startswith(signature):
            return f"is {what}, not a text file; {SAVE_AS}, or export vCards"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"is UTF-16 text ('Unicode-Text' in Excel); {SAVE_AS}"
    if b"\x00" in head:
        return "is a binary file, not CSV or vCard text"
    return None


class DecodedLines:
    """The lines of a text file as str: UTF-8 (with or without BOM), else Windows-1252.

    Lines are decoded one at a time. A file whose first non-ASCII line is not UTF-8 is read
    as Windows-1252 (its ASCII lines before read the same either way); a file that mixes
    both encodings is refused with the two lines named.
    """

    def __init__(self, handle: BinaryIO, name: str) -> None:
        self.handle = handle
        self.name = name
        self.encoding = "utf-8"
        self.line = 0
        self.bytes_read = 0
        self._first_non_ascii = 0

    def __iter__(self) -> Iterator[str]:
        utf8 = True
        for raw in self.handle:
            self.line += 1
            self.bytes_read += len(raw)
            if self.line == 1 and raw.startswith(BOM):
                raw = raw[len(BOM) :]
                self.encoding = "utf-8-sig"
            if utf8:
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as error:
                    self._switch_to_windows(raw, error)
                    utf8 = False
                else:
                    if not self._first_non_ascii and not raw.isascii():
                        self._first_non_ascii = self.line
                    yield text
                    continue
            yield self._windows(raw)

    def _switch_to_windows(self, raw: bytes, error: UnicodeDecodeError) -> None:
        byte = raw[error.start]
        if self._first_non_ascii or self.encoding == "utf-8-sig":
            first = self._first_non_ascii
            earlier = f"line {first} is" if first else "the file starts as"
            raise Invalid(
                self.name,
                f"line {self.line} is not UTF-8 (byte 0x{byte:02x}), but {earlier} UTF-8: "
                f"the file mixes encodings; {SAVE_AS} and import that",
            )
        self.encoding = "cp1252"
        self._first_non_ascii = self.line

    def _windows(self, raw: bytes) -> str:
        if _UTF8_IN_WINDOWS.search(raw):
            raise Invalid(
                self.name,
                f"line {self.line} holds UTF-8 text, but line {self._first_non_ascii} is "
                f"Windows-1252: the file mixes encodings; {SAVE_AS} and import that",
            )
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError as error:
            raise Invalid(
                self.name,
                f"line {self.line}: byte 0x{raw[error.start]:02x} is neither UTF-8 nor "
                "Windows-1252 text",
            ) from None
