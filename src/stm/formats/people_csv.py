"""CSV meant for people: one way of writing it, for every such file stm makes.

`actors export`, `contacts render --format csv` and the rejected rows of an import
(`FILE.rejected.csv`) are opened in Excel or LibreOffice by a double-click, so they are
written alike: `;`-separated, UTF-8 with a BOM (files only; a pipe gets none), CRLF line
ends, headers in the document language, and formula-safe.

Formula-safe is the OWASP rule against CSV injection: a cell that starts with `=`, `+`,
`-`, `@`, a tab or a carriage return gets a leading apostrophe, so that a spreadsheet
shows `=HYPERLINK(…)` or `+49 381 …` as text instead of running it. stm's own CSV import
removes that apostrophe again (`unguard_cell`), so export → import loses nothing.

`--format csv` of lists is not written here: it is for scripts and stays verbatim.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import IO

BOM = b"\xef\xbb\xbf"
DELIMITER = ";"
#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: `=1+1` becomes `'=1+1`.

    A value that already looks guarded (`'=1`) gets a second apostrophe, so that reading
    gives it back as it was.
    """
    if value.startswith(FORMULA_STARTS) or _looks_guarded(value):
        return f"'{value}"
    return value


def _looks_guarded(value: str) -> bool:
    return value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS)


def unguard_cell(value: str) -> str:
    """The cell as it was before `guard_cell` (what stm's import reads)."""
    if _looks_guarded(value):
        return value[1:]
    return value


def write_rows(header: Sequence[str], rows: Iterable[Sequence[str]], handle: IO[str]) -> None:
    """Header and rows, `;`-separated with CRLF, every cell formula-safe."""
    writer = csv.writer(handle, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([guard_cell(h) for h in header])
    for row in rows:
        writer.writerow([guard_cell(cell) for cell in row])


def rows_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    write_rows(header, rows, buffer)
    return buffer.getvalue()


def file_bytes(text: str) -> bytes:
    """The bytes of a file for a spreadsheet: a BOM, so that Excel reads UTF-8."""
    return BOM + text.encode("utf-8")
