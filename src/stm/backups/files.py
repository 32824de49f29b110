"""Files that appear whole or not at all: a new private file beside where it belongs,
fsynced, moved into place with `os.replace`; leftovers of a killed stm swept away."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def fsync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_folder(folder: Path) -> None:
    """Make a rename durable: the folder's entry is written, not only the file."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:  # some file systems cannot sync a folder
        pass
    finally:
        os.close(descriptor)


def new_private_file(folder: Path, name: str) -> Path:
    """An empty new file (mode 0600) in `folder`, hidden, named after what it becomes.

    Such files left by a killed stm (their process is gone) are removed first.
    """
    from stm.private_files import private_folder

    private_folder(folder)  # a backup holds personal data: new folders are 0700
    sweep_leftovers(folder, name)
    while True:
        path = folder / f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            continue
        os.close(descriptor)
        return path


def sweep_leftovers(folder: Path, name: str) -> None:
    for leftover in folder.glob(f".{name}.*-*.tmp*"):
        pid = leftover.name[len(name) + 2 :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)  # with its -wal and -shm, if SQLite left them


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def move_into_place(staged: Path, target: Path) -> None:
    """fsync `staged`, then rename it over `target` atomically and durably."""
    fsync_file(staged)
    os.replace(staged, target)
    fsync_folder(target.parent)
