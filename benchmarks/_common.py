"""Helpers for the benchmark scripts: timing subprocesses, side by side, as ratios."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

STM = shutil.which("stm") or str(Path(sys.executable).with_name("stm"))


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
