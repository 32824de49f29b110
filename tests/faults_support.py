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


#: A writer process: runs each command of its list in turn (each opens the register
#: itself, as separate stm runs do) and prints [exit code, stderr, seconds] per command.
WORKER = """
import json, sys, time
from typer.testing import CliRunner
from stm.cli import app
results = []
for args in json.loads(sys.argv[1]):
    started = time.monotonic()
    result = CliRunner().invoke(app, args)
    error = result.stderr if result.exit_code else ""
    if result.exception and not isinstance(result.exception, SystemExit):
        import traceback
        error += "".join(traceback.format_exception(result.exception))
    results.append([result.exit_code, error, time.monotonic() - started])
print(json.dumps(results))
"""


def run_writers(per_process: list[list[list[str]]], **extra: str) -> list[list[Any]]:
    """Start one process per command list at once; every command's [exit, stderr, s]."""
    import json

    children = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, json.dumps(commands)],
            env=stm_env(**extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for commands in per_process
    ]
    results: list[list[Any]] = []
    for child in children:
        out, err = child.communicate(timeout=600)
        assert child.returncode == 0, err
        results.extend(json.loads(out.strip().splitlines()[-1]))
    return results
