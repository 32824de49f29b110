"""Titles of meetings by the kind of body, from data/sittings.toml.

A Stadtteiltisch is itself the meeting ("12. Stadtteiltisch Schmarl"); an Ortsbeirat or a
Lenkungsgruppe holds a Sitzung ("12. Sitzung des Ortsbeirats Schmarl", "3. Sitzung der
Lenkungsgruppe Groß Klein/Schmarl"). Light: plain strings in, a string out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    from stm.resources import load_data_toml

    return load_data_toml("sittings.toml")


def sitting_title(number: int | None, name: str, kind: str | None) -> str:
    """The title of a network's `number`th meeting."""
    pattern = _patterns().get(kind or "", {})
    title = str(pattern.get("title", "{number}. {name}"))
    for nominative, genitive in pattern.get("genitive", []):
        inflected, found = re.subn(rf"\b{re.escape(nominative)}\b", genitive, name, count=1)
        if found:
            name = inflected
            break
    return title.format(number=number, name=name)
