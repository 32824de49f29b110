"""The benchmarks are not run by the tests (they time things), but what they import from
stm must exist: a refactoring that moves a module breaks them silently otherwise."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

SCRIPTS = sorted((Path(__file__).parent.parent / "benchmarks").glob("*.py")) + sorted(
    (Path(__file__).parent.parent / "scripts").glob("*.py")
)


def stm_imports(path: Path) -> list[tuple[str, str | None]]:
    """Every `import stm…` and `from stm… import name` in one script, at any depth."""
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "stm" or node.module.startswith("stm."):
                found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, None) for a in node.names if a.name.split(".")[0] == "stm"]
    return found


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_what_a_benchmark_imports_from_stm_exists(script: Path) -> None:
    imports = stm_imports(script)
    missing = []
    for module, name in imports:
        try:
            loaded = importlib.import_module(module)
        except ImportError as error:
            missing.append(f"{module}: {error}")
            continue
        if name is not None and not hasattr(loaded, name):
            try:
                importlib.import_module(f"{module}.{name}")
            except ImportError:
                missing.append(f"{module}.{name}")
    assert not missing, missing
