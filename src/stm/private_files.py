"""Files for their owner only (SPEC §2.7): every file stm writes that can hold personal
data is created 0600, every folder it creates 0700, whatever the umask.

One helper for every writer: documents and exports via `-o`, contact sheets, rejected
rows, Art. 15 answers, backups, the config file and the demo folder. A file that
exists already is made 0600 as it is overwritten; only `keep_mode` (the config file,
whose mode its owner may have chosen) keeps an existing file's mode.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(folder: Path) -> None:
    """Create `folder` and any missing parents as 0700; existing folders stay as they are."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue
        os.chmod(path, FOLDER_MODE)  # mkdir's mode is masked by the umask


def _open_descriptor(path: Path, keep_mode: bool) -> int:
    private_folder(path.parent)
    existed = path.exists()
    descriptor = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, FILE_MODE)
    if not (existed and keep_mode):
        os.fchmod(descriptor, FILE_MODE)
    return descriptor


def open_private(path: Path, *, keep_mode: bool = False) -> IO[str]:
    """A text handle (UTF-8, no newline translation) on a file only its owner can read."""
    return os.fdopen(_open_descriptor(path, keep_mode), "w", encoding="utf-8", newline="")


def write_private(path: Path, content: str | bytes, *, keep_mode: bool = False) -> None:
    """Write a whole file (text as UTF-8) that only its owner can read."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with os.fdopen(_open_descriptor(path, keep_mode), "wb") as handle:
        handle.write(data)


def make_private(path: Path) -> None:
    """Make a file that another library wrote readable by its owner only."""
    os.chmod(path, FILE_MODE)
