"""Fit a table to the terminal without breaking what must be read whole.

Rich shrinks every column when a table is too wide and folds words in the middle
("Organisa/tion", "14:00–16:0/0"). Here each column gets at least the width of its longest
word of up to 12 letters and of its times, dates, phone numbers and e-mail addresses, whole;
when those minimums do not fit, the least important columns (the rightmost) are left out
before any such word would break. The space left over goes to the columns that want more.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: Words up to this many letters are never broken; longer ones may fold at this width.
LONGEST_WHOLE_WORD = 12

#: Values read whole: times and time ranges, dates and datetimes, phone numbers, e-mails.
WHOLE = re.compile(
    r"\d{1,2}:\d{2}(?:\s*[–-]\s*\d{1,2}:\d{2})?(?: Uhr)?"
    r"|\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2})?"
    r"|\d{1,2}\.\d{1,2}\.\d{2,4}(?:,? \d{1,2}:\d{2})?"
    r"|\+?\(?\d[\d ()/-]{5,}\d"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)

#: A table's frame per column (a space either side and a border) and the closing border.
PER_COLUMN, FRAME = 3, 1


@dataclass
class Fit:
    kept: list[int]  # indexes of the columns shown, in order
    widths: list[int]  # their widths


def cell_len(text: str) -> int:
    from rich.cells import cell_len as rich_len

    return rich_len(text)


def least_width(text: str) -> int:
    """The narrowest a cell can be without breaking a short word or a whole value."""
    widest = 0
    for line in text.splitlines() or [""]:
        for match in WHOLE.finditer(line):
            widest = max(widest, cell_len(match.group(0)))
        for word in WHOLE.sub(" ", line).split():
            widest = max(widest, _least_for_word(word))
    return widest


def _least_for_word(word: str) -> int:
    """A compound with hyphens may wrap after a hyphen; each part of up to 12 letters
    stays whole (`Smartphone-` / `Sprechstunde`)."""
    if cell_len(word) <= LONGEST_WHOLE_WORD:
        return cell_len(word)
    parts = word.split("-")
    pieces = [cell_len(p) + (i < len(parts) - 1) for i, p in enumerate(parts)]
    last = len(pieces) - 1
    return max(min(piece, LONGEST_WHOLE_WORD + (i < last)) for i, piece in enumerate(pieces))


def break_after_hyphens(text: str, width: int) -> str:
    """Words wider than the column wrap after their hyphens, not inside a part."""

    def wrap(word: str) -> str:
        if cell_len(word) <= width or "-" not in word.strip("-"):
            return word
        lines, current = [], ""
        for part in re.findall(r"[^-]+-*|-+", word):
            if current and cell_len(current + part) > width:
                lines.append(current)
                current = part
            else:
                current += part
        return "\n".join([*lines, current])

    return "\n".join(" ".join(wrap(w) for w in line.split(" ")) for line in text.split("\n"))


def widest_line(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines() or [""]), default=0)


def fit_columns(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> Fit:
    """Which columns to show and how wide, for a terminal `width` columns wide."""
    count = len(headers)
    least = [least_width(h) for h in headers]
    most = [widest_line(h) for h in headers]
    for row in rows:
        for index, cell in enumerate(row):
            least[index] = max(least[index], least_width(cell))
            most[index] = max(most[index], widest_line(cell))
    kept = list(range(count))

    def needed(columns: list[int]) -> int:
        return sum(least[i] for i in columns) + PER_COLUMN * len(columns) + FRAME

    while len(kept) > 1 and needed(kept) > width:
        kept.pop()  # the rightmost column is the least important
    room = width - needed(kept)
    widths = [least[i] for i in kept]
    wants = [most[i] - least[i] for i in kept]
    while room > 0 and any(wants):
        total = sum(wants)
        given = 0
        for position, want in enumerate(wants):
            share = min(want, max(1, room * want // total)) if want else 0
            share = min(share, room - given)
            widths[position] += share
            wants[position] -= share
            given += share
        room -= given
        if not given:
            break
    return Fit(kept=kept, widths=widths)
