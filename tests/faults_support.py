"""Running stm as a separate process, as a fault test must (it kills the process)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

SRC = str(Path(__file__).resolve().parents[1] / "src")


def stm_env(**extra: str) -> dict[str, str]:
    """This process's environment (the test's STM_DB, STM_CONFIG, STM_NOW) plus `extra`."""
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("STM_DEBUG", None)
    env.update(extra)
    return env


def stm(*args: str, timeout: float = 60, **extra: str) -> subprocess.CompletedProcess[str]:
    """`python -m stm ARGS` in a child process; `extra` is added to its environment."""
    return subprocess.run(
        [sys.executable, "-m", "stm", *args],
        env=stm_env(**extra),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def spawn(*args: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "stm", *args],
        env=stm_env(**extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def killed(result: subprocess.CompletedProcess[str]) -> bool:
    return result.returncode == -9


def names(path: Path) -> list[str]:
    """The actors' names in a SQLite register, read without stm."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM actor ORDER BY id")]
    finally:
        connection.close()


def revision(path: Path) -> Any:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()


def integrity(path: Path) -> list[str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute("PRAGMA integrity_check")]
    finally:
        connection.close()
