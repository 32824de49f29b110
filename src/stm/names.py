"""Name folding: how a typed reference matches a stored name.

`Groß Klein`, `gross-klein`, `GROSSKLEIN` and `grossklein` all fold to the same key, so
that users can name records the way they speak of them (SPEC §4).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_GERMAN = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("ẞ", "ss"))
# Latin letters that Unicode does not decompose into a base letter and a mark (after
# lower-casing): Turkish dotless ı, Scandinavian ø and æ, Polish ł, French œ,
# Croatian/Vietnamese đ, Icelandic þ and ð, and a few more an office meets in names.
_LETTERS = str.maketrans(
    {"ı": "i", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "đ": "d", "þ": "th", "ð": "d",
     "ħ": "h", "ŀ": "l", "ŋ": "n", "ŧ": "t", "ſ": "s", "ĸ": "k", "ƒ": "f"}
)  # fmt: skip
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _without_combining(match: re.Match[str]) -> str:
    return _drop_combining(match.group())


@lru_cache(maxsize=4096)
def _drop_combining(run: str) -> str:
    return "".join(c for c in run if not unicodedata.combining(c))


def _ascii(text: str) -> str:
    text = text.lower()
    if text.isascii():  # most names: nothing to spell out, decompose or drop
        return text
    for umlaut, letters in _GERMAN:  # str.replace: several times faster than translate
        text = text.replace(umlaut, letters)
    # İ lower-cases to i + combining dot, which decomposition then drops
    decomposed = unicodedata.normalize("NFKD", text).translate(_LETTERS)
    if decomposed.isascii():
        return decomposed
    # combining marks are only ever non-ASCII: look at those runs alone
    return _NON_ASCII_RUN.sub(_without_combining, decomposed)


def fold(text: str) -> str:
    """The matching key of a name: lower case, umlauts spelled out, no spaces or dashes."""
    return _NON_ALNUM.sub("", _ascii(text))


def slugify(text: str) -> str:
    """A readable, URL- and filename-safe slug: `Groß Klein` → `gross-klein`."""
    return _NON_ALNUM.sub("-", _ascii(text)).strip("-")


def fold_words(text: str) -> str:
    """Folded text that keeps word boundaries, for full-text matching."""
    return " ".join(_NON_ALNUM.sub(" ", _ascii(text)).split())


def split_person_name(name: str) -> tuple[str | None, str | None]:
    """Given and family name of a person's full name: the family name is the last word."""
    given, _, family = name.rpartition(" ")
    return (given or None, family or name)
