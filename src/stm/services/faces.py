"""Lazy faces: a service package's `__init__` names everything it offers, but imports the
modules that need the ORM only when one of their names is first used, so that the read
commands (Core over `stm.store.tables`) never build the models.

    __getattr__ = lazy_names(__name__, {"add_concern": "lifecycle", ...})
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_names(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: each name in `homes` is loaded from the
    module `package.<home>` when it is first asked for."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{home}"), name)

    return __getattr__


def all_in(home: str, names: Iterable[str]) -> dict[str, str]:
    """`homes` for names that all live in one module."""
    return dict.fromkeys(names, home)
