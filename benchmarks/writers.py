"""Many writers at once (issue #10): 20 processes × 50 `actors add`, × 10 `event add`,
× 10 `networks join`, 20 concurrent imports of distinct files and 20 of the same file.

Prints, per kind of command and backend, how many succeeded, how many failed (and the
first failure), and the longest wait. Nothing may fail; the shared file lands once.

    python benchmarks/writers.py                      # SQLite
    python benchmarks/writers.py --postgresql URL     # and PostgreSQL (a scratch schema)
    python benchmarks/writers.py --processes 20 --actors 50
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from faults_support import run_writers  # noqa: E402


def _csv(path: Path, prefix: str, rows: int) -> Path:
    lines = ["name;email;kind"] + [
        f"{prefix} {n};{prefix.lower().replace(' ', '')}.{n}@example.org;verein"
        for n in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _counts(env: dict[str, str]) -> dict[str, int]:
    os.environ.update(env)
    from sqlalchemy import text

    from stm.store import locate, open_register

    register = open_register(locate())
    with register.engine.connect() as connection:
        counts = {
            table: int(connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() or 0)
            for table in ("actor", "event", "membership")
        }
        partners = connection.execute(
            text("SELECT COUNT(*) FROM actor WHERE name LIKE 'Partner %'")
        )
        counts["shared-file copies"] = int(partners.scalar() or 0)
    register.close()
    return counts


def run(backend: str, env: dict[str, str], args: argparse.Namespace, folder: Path) -> None:
    from faults_support import stm

    os.environ.update(env)
    initialised = stm("init")
    assert initialised.returncode == 0, initialised.stderr
    network = stm("networks", "add", "Stadtteiltisch Schmarl", "--kind", "stadtteiltisch")
    assert network.returncode == 0, network.stderr
    members = [["actors", "add", f"Mitglied {p}-{n}"] for p in range(args.processes)
               for n in range(args.joins)]  # fmt: skip
    run_writers([members])
    rows = 20
    shared = _csv(folder / "partner.csv", "Partner", rows)
    per_process = []
    for p in range(args.processes):
        own = _csv(folder / f"liste-{p}.csv", f"Quelle {p}", rows)
        commands = [["actors", "add", f"Verein {p}-{n}"] for n in range(args.actors)]
        commands += [["event", "add", f"Treffen {p}-{n}", "--date", "1.12.2026", "--time", "18:00"]
                     for n in range(args.events)]  # fmt: skip
        commands += [["networks", "join", "stadtteiltisch-schmarl", f"Mitglied {p}-{n}"]
                     for n in range(args.joins)]  # fmt: skip
        commands += [["actors", "import", str(own)], ["actors", "import", str(shared)]]
        per_process.append(commands)
    started = time.monotonic()
    results = run_writers(per_process)
    took = time.monotonic() - started
    kinds: dict[str, list[list[object]]] = defaultdict(list)
    flat = [command for commands in per_process for command in commands]
    for command, result in zip(flat, results, strict=True):
        kind = " ".join(command[:2])
        if command[:2] == ["actors", "import"]:
            kind += " (shared file)" if command[2] == str(shared) else " (own file)"
        kinds[kind].append(result)
    print(f"\n{backend}: {args.processes} processes, {len(flat)} commands in {took:.1f} s")
    for kind, outcomes in kinds.items():
        failed = [o for o in outcomes if o[0] != 0]
        longest = max(float(o[2]) for o in outcomes)  # type: ignore[arg-type]
        first = f"; first failure: {str(failed[0][1]).strip()[:120]}" if failed else ""
        print(f"  {kind:32} {len(outcomes) - len(failed):5} ok  {len(failed):3} failed  "
              f"longest {longest:5.1f} s{first}")  # fmt: skip
    counts = _counts(env)
    expected_actors = args.processes * (args.joins + args.actors + rows) + rows
    print(f"  register: {counts} (expected {expected_actors} actors, "
          f"{args.processes * args.events} events, {args.processes * args.joins} memberships, "
          f"1 copy of the shared file = {rows} rows)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=20)
    parser.add_argument("--actors", type=int, default=50)
    parser.add_argument("--events", type=int, default=10)
    parser.add_argument("--joins", type=int, default=10)
    parser.add_argument("--postgresql", metavar="URL", help="also run on this PostgreSQL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stm-writers-") as scratch:
        folder = Path(scratch)
        base = {"STM_CONFIG": str(folder / "config.toml"), "STM_NOW": "2026-11-20T10:00"}
        run("SQLite", {**base, "STM_DB": str(folder / "register.sqlite")}, args, folder)
        sqlite3.connect(folder / "register.sqlite").close()
        if args.postgresql:
            from sqlalchemy import create_engine, text

            from stm.store import Location, engine_url

            schema = f"stm_writers_{uuid.uuid4().hex[:8]}"
            admin = create_engine(engine_url(Location(url=args.postgresql)))
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            separator = "&" if "?" in args.postgresql else "?"
            url = f"{args.postgresql}{separator}options=-csearch_path%3D{schema}"
            os.environ.pop("STM_DB", None)
            try:
                env = {**base, "STM_DATABASE_URL": url, "STM_CONFIG": str(folder / "pg.toml")}
                os.environ.pop("STM_DB", None)
                run("PostgreSQL", env, args, folder)
            finally:
                with admin.begin() as connection:
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
