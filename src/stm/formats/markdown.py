"""Markdown from user text: every value typed by a user goes through these filters, so a
document stays valid CommonMark whatever was typed (`*`, `|`, `#`, `<`, …).

- `md_escape` where a value may start a block (a line, a list item),
- `md_inline` inside a line (after text, in a heading or a table cell),
- `md_block` for multi-line text (paragraphs, lines kept as hard breaks).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def md_escape(value: Any) -> str:
    """One line of user text, safe inside Markdown (incl. table cells)."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(r"\\&", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), text)


def md_inline(value: Any) -> str:
    """One line of user text inside a line: after other text, in a heading or a table cell,
    where nothing can start a block; so `11. Stadtteiltisch` stays as typed."""
    if value is None:
        return ""
    return _md_inline_text(str(value))


@lru_cache(maxsize=4096)
def _md_inline_text(value: str) -> str:
    # Cached: long lists repeat their names (a payee, a position on every receipt).
    text = " ".join(value.split())
    text = _MD_ENTITY.sub(r"\\&", _MD_INLINE.sub(r"\\\1", text))
    return text[:-1] + "\\#" if text.endswith("#") else text  # not a heading's closing #s


def paragraphs(value: Any) -> list[list[str]]:
    """Multi-line text as paragraphs (split at blank lines) of non-empty lines."""
    if value is None:
        return []
    result: list[list[str]] = []
    current: list[str] = []
    for line in str(value).splitlines():
        text = " ".join(line.split())
        if text:
            current.append(text)
        elif current:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def md_block(value: Any) -> str:
    """Multi-line user text (notes) as Markdown: paragraphs, lines kept as hard breaks."""
    return "\n\n".join(
        "  \n".join(md_escape(line) for line in lines) for lines in paragraphs(value)
    )


def _escape_marker(marker: str) -> str:
    if marker[-1] in ".)":
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker
