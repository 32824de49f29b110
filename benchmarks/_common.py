"""Helpers for the benchmark scripts: timing subprocesses, side by side, as ratios."""

from __future__ import annotations

import compileall
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import stm
from stm.services.search import index_after_flush
from stm.store import add_flush_listener

# Registers the benchmarks build keep the search index in step, as the CLI's do.
add_flush_listener(index_after_flush)

STM = shutil.which("stm") or str(Path(sys.executable).with_name("stm"))

# `pip install stm` writes stm's bytecode, as it does for every dependency. In this
# editable development install, with PYTHONDONTWRITEBYTECODE set, each `stm` run would
# instead compile stm's own modules from source again: a cost users never pay.
compileall.compile_dir(Path(stm.__file__).parent, quiet=1)


def run_time(argv: Sequence[str], env: dict[str, str] | None = None, repeat: int = 15) -> float:
    """Median wall time of a command in seconds, after one warm-up run."""
    environment = {**os.environ, **(env or {})}
    subprocess.run(argv, env=environment, check=True, capture_output=True)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, env=environment, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_time(
    argv: Sequence[str],
    baseline: Sequence[str],
    env: dict[str, str] | None = None,
    repeat: int = 15,
) -> tuple[float, float]:
    """Median wall times of a command and of its baseline, run in turns (A, B, A, B, …)
    after one warm-up turn, so that other load on a shared machine weighs on both alike.
    `env` is added to the environment of both."""
    environment = {**os.environ, **(env or {})}
    times: tuple[list[float], list[float]] = ([], [])
    for turn in range(repeat + 1):
        for which, command in enumerate((argv, baseline)):
            started = time.perf_counter()
            subprocess.run(command, env=environment, check=True, capture_output=True)
            if turn:  # the first turn warms the file cache
                times[which].append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def report(rows: list[tuple[str, float, str, float, float]]) -> None:
    """Print `command | time | baseline | time | ratio (goal)`."""
    width = max(len(r[0]) for r in rows)
    for name, seconds, baseline, base_seconds, goal in rows:
        ratio = seconds / base_seconds
        verdict = "ok" if ratio <= goal else "SLOWER THAN GOAL"
        print(
            f"{name.ljust(width)}  {seconds * 1000:7.1f} ms  vs {baseline}: "
            f"{base_seconds * 1000:7.1f} ms  ratio {ratio:4.2f} (goal <= {goal}) {verdict}"
        )
