"""Where the shipped `templates/` and `data/` folders are.

In a wheel they sit inside the package (`stm/templates`, `stm/data`); in a source
checkout (editable install) they are the repository's top-level folders.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).parent


@cache
def resource_dir(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"stm is installed without its {name}/ folder")


def data_file(*parts: str) -> Path:
    return resource_dir("data").joinpath(*parts)


def load_data_toml(*parts: str) -> dict[str, Any]:
    with data_file(*parts).open("rb") as handle:
        return tomllib.load(handle)
