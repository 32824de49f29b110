"""Import speed and memory: `stm actors import` next to `sqlite-utils insert`, same file.

    python benchmarks/import.py                    # 10,000 and 100,000 rows
    python benchmarks/import.py --rows 20000 --repeat 5

For each size, one CSV of actors is generated: German headers, UTF-8, comma-separated
(so that `sqlite-utils insert --csv` reads it as well), quoted fields with commas and
with line breaks, 2% organisations and persons who name them. Then, each command in a
fresh subprocess and into a fresh database:

- `stm actors import FILE` into a fresh register (made by `stm init`, not timed): checks
  every row (name, kind, e-mail, phone, website, districts, sectors, duplicates) and
  writes actors, their districts and sectors, and the search index;
- `sqlite-utils insert db.sqlite actors FILE --csv`: loads the rows as text, unchecked.

Printed: the median wall time of each, their ratio (goal: stm <= 1.0x sqlite-utils at
100,000 rows) and the child's peak memory (ru_maxrss) for every size (goal: flat as the
file grows). stm checks a file of 1 MB or more in a second process (two cores).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import STM

SQLITE_UTILS = shutil.which("sqlite-utils") or str(Path(sys.executable).with_name("sqlite-utils"))
HEADER = ["Name", "Art", "Stadtteil", "E-Mail", "Telefon", "Straße", "PLZ", "Ort",
          "Organisation", "Funktion", "Bereich", "Notizen"]  # fmt: skip
GIVEN = ["Anna", "Jürgen", "Mehmet", "Olga", "Sören", "Lea", "Paul", "Zoë", "Katarzyna", "Ümit"]
FAMILY = ["Müller", "Schröder", "Yılmaz", "Weiß", "Nowak", "Schulz", "Krüger", "Öztürk", "Lange"]
DISTRICTS = ["am-stern", "drewitz", "gross-klein", "schmarl"]
SECTORS = ["Soziales", "Bildung", "Kultur", "Jugend", "Senioren", "Wohnen"]
FUNCTIONS = ["Leitung", "Mitglied", "Vorstand", "Sozialarbeit", "Ehrenamt"]
GOAL_ROWS = 100_000  # the time goal (<= 1.0x) is for a file of this size


def generate(path: Path, rows: int) -> None:
    """An actor list: organisations first (2%), then persons who belong to them."""
    rng = random.Random(rows)
    organisations = max(1, rows // 50)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        for n in range(rows):
            district = rng.choice(DISTRICTS)
            if n < organisations:
                writer.writerow([
                    f"Nachbarschaftsverein Nr. {n} e.V.", "Verein", district,
                    f"info@verein{n}.example", f"0381 {100000 + n}", f"Straße der Jugend {n}",
                    "18109", "Rostock", "", "", ", ".join(rng.sample(SECTORS, 2)),
                    "Treffen dienstags,\r\nab 18 Uhr" if n % 7 == 0 else "",
                ])  # fmt: skip
                continue
            org = rng.randrange(organisations)
            writer.writerow([
                f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}-{n}", "Person", district,
                f"person{n}@verein{org}.example", f"0170 {1000000 + n}", "", "", "",
                f"Nachbarschaftsverein Nr. {org} e.V.", rng.choice(FUNCTIONS), "",
                "Spricht Polnisch, Englisch\r\nkommt oft" if n % 50 == 0 else "",
            ])  # fmt: skip


@dataclass
class Run:
    seconds: float  # wall time
    cpu: float  # user + system time of the child
    peak_kb: int


def measured(argv: list[str], env: dict[str, str], folder: Path) -> Run:
    """Wall time and the child's own peak memory (ru_maxrss, via wait4)."""
    with (folder / "out.txt").open("wb") as out, (folder / "err.txt").open("wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{(folder / 'err.txt').read_text()}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def count(database: Path, table: str) -> int:
    connection = sqlite3.connect(database)
    try:
        return int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        connection.close()


def stm_import(csv_path: Path, scratch: Path) -> tuple[Run, int]:
    folder = Path(tempfile.mkdtemp(dir=scratch))
    env = {**os.environ, "STM_DB": str(folder / "register.sqlite"),
           "STM_CONFIG": str(folder / "config.toml")}  # fmt: skip
    env.pop("STM_DATABASE_URL", None)
    subprocess.run([STM, "init"], env=env, check=True, capture_output=True)
    run = measured([STM, "actors", "import", str(csv_path)], env, folder)
    return run, count(folder / "register.sqlite", "actor")


def sqlite_utils_insert(csv_path: Path, scratch: Path) -> tuple[Run, int]:
    folder = Path(tempfile.mkdtemp(dir=scratch))
    database = folder / "db.sqlite"
    argv = [SQLITE_UTILS, "insert", str(database), "actors", str(csv_path), "--csv"]
    run = measured(argv, dict(os.environ), folder)
    return run, count(database, "actors")


def median_run(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.peak_kb for r in runs),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = []
    # stm checks a large file in a second process: it needs two free cores
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, load average {load:.2f} (another busy process slows stm more)")
    with tempfile.TemporaryDirectory(prefix="stm-import-bench-") as scratch_name:
        scratch = Path(scratch_name)
        for rows in args.rows:
            path = scratch / f"akteure-{rows}.csv"
            generate(path, rows)
            size = path.stat().st_size / 1e6
            print(f"{rows:,} rows ({size:.1f} MB): ", end="", flush=True)
            stm_runs, utils_runs = [], []
            for _ in range(args.repeat):  # interleaved, so that both see the same machine
                run, imported = stm_import(path, scratch)
                stm_runs.append(run)
                run, inserted = sqlite_utils_insert(path, scratch)
                utils_runs.append(run)
                print(".", end="", flush=True)
            print()
            if imported != rows or inserted != rows:
                raise SystemExit(f"row counts differ: stm {imported}, sqlite-utils {inserted}")
            results.append((rows, median_run(stm_runs), median_run(utils_runs)))
    print()
    print(f"{'rows':>9}  {'stm':>7}  {'sqlite-utils':>12}  {'ratio':>5}  {'cpu stm':>8}  "
          f"{'cpu s-u':>8}  {'cpu ratio':>9}  {'peak stm':>8}  {'peak s-u':>8}")  # fmt: skip
    for rows, stm, utils in results:
        ratio = stm.seconds / utils.seconds
        if rows < GOAL_ROWS:  # start-up (about 0.4 s against 0.1 s) weighs more than rows
            verdict = f"(the goal is for {GOAL_ROWS:,} rows)"
        else:
            verdict = "ok" if ratio <= 1.0 else "SLOWER THAN GOAL (<= 1.0)"
        stm_peak, utils_peak = stm.peak_kb / 1024, utils.peak_kb / 1024
        print(f"{rows:>9,}  {stm.seconds:>6.2f}s  {utils.seconds:>11.2f}s  {ratio:>5.2f}  "
              f"{stm.cpu:>7.2f}s  {utils.cpu:>7.2f}s  {stm.cpu / utils.cpu:>9.2f}  "
              f"{stm_peak:>6.1f}MB  {utils_peak:>6.1f}MB  {verdict}")  # fmt: skip
    print("ratio: wall time (goal <= 1.0); cpu: user + system time of each child process.")
    print("sqlite-utils commits every 100 rows, so its wall time includes many disk syncs;")
    print("stm writes the whole import as one transaction.")
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth = (large[1].peak_kb - small[1].peak_kb) / 1024
        print(f"stm peak memory grows by {growth:.1f} MB from {small[0]:,} to {large[0]:,} rows")


if __name__ == "__main__":
    main()
