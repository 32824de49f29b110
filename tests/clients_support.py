"""Real readers of what stm writes (khal, khard, vobject) and the shared real files.

The shared fixtures live in `shared/` beside the repository (a worktree, /work/main, or a
CI clone with a copy of shared/ next to it); /work/shared is the fallback.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def shared_dir() -> Path | None:
    for candidate in (Path(__file__).resolve().parents[2] / "shared", Path("/work/shared")):
        if candidate.is_dir():
            return candidate
    return None


def external(kind: str) -> list[Path]:
    """The real files of one kind (`ics`, `vcard`), or an empty list."""
    shared = shared_dir()
    folder = shared / "fixtures" / "external" / kind if shared else None
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".ics", ".vcf"))


def needs_external(kind: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not external(kind),
        reason=f"shared/fixtures/external/{kind} not found beside the repository "
        "nor at /work/shared",
    )


def client(name: str) -> str:
    """The path of a client program (a test extra), or skip saying why."""
    # Beside this Python too: `.venv/bin/pytest` run without activating the venv.
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]' brings it)")
    return found


def run_client(*args: str) -> str:
    """A client's standard output; it must exit 0 (stdin closed: it never asks)."""
    done = subprocess.run(
        list(args), capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60
    )
    assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
    return done.stdout


def vdir(text: str, folder: Path, suffix: str, end: str) -> Path:
    """The objects of an export, one file each, as khal and khard keep them."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, part in enumerate(text.split(end)[:-1]):
        (folder / f"{number}{suffix}").write_text(part.lstrip() + end, encoding="utf-8", newline="")
    return folder
