"""The actor map at scale: 2,000 actors, 100 bodies, 200 projects.

    python benchmarks/map.py [FOLDER]

With FOLDER, the register is kept there (and reused when it exists), for profiling.
Builds a SQLite register with bulk inserts: 2,000 actors (a fifth of them persons of an
organisation, half of those with consent), each in one to four of 100 bodies, 200
projects with a lead and partners, and 5,000 events with 500 meetings so that the
monthly report has a month to tell. Then prints, side by side in one run (turns taken
in alternation), the median time of
- `stm map -o FILE.svg` against `stm report monthly --format json` on the same register
  (goal: under 2x), and `stm map --format graphml`;
- `stm map --stats --json` (betweenness over the whole graph) against the same report,
  for information (no goal in the issue).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _common import STM, paired_time, report

ACTORS = 2_000
BODIES = 100
PROJECTS = 200
EVENTS = 5_000
MEETINGS = 500
NOW = "2026-11-20T10:00"
SECTORS = ("soziales", "bildung", "kultur", "wirtschaft", "gesundheit", "jugend", "kinder",
           "familie", "senioren", "integration", "wohnen", "umwelt", "sport")  # fmt: skip
KINDS = ("association", "social", "school", "kita", "administration", "initiative", "business")


def _insert(connection: Any, table: str, rows: list[dict[str, Any]]) -> None:
    from sqlalchemy import MetaData, Table, insert

    target = Table(table, MetaData(), autoload_with=connection)
    for start in range(0, len(rows), 5000):
        connection.execute(insert(target), rows[start : start + 5000])


def _actors(rng: random.Random, now: datetime) -> list[dict[str, Any]]:
    rows = []
    organisations = int(ACTORS * 0.8)
    for n in range(ACTORS):
        person = n >= organisations
        rows.append({
            "kind": "person" if person else rng.choice(KINDS),
            "name": f"Person {n}" if person else f"Akteur {n} {rng.choice(SECTORS).title()}",
            "key": f"akteur{n}", "organisation_id": rng.randint(1, organisations) if person
            else None, "consent_share": person and n % 2 == 0,
            "consent_given_on": date(2026, 1, 1) if person and n % 2 == 0 else None,
            "created_at": now - timedelta(days=400), "updated_at": now,
        })  # fmt: skip
    return rows


def build_register(path: Path) -> None:
    from stm.services.districts import seed_districts
    from stm.store import Location, open_register

    rng = random.Random(2026)
    register = open_register(Location(path=path, source="benchmark"), create=True)
    with register.session() as session:
        seed_districts(session)
    now = datetime.fromisoformat(NOW)
    since = (now - timedelta(days=300)).date()
    with register.engine.begin() as connection:
        _insert(connection, "actor", _actors(rng, now))
        _insert(
            connection,
            "actor_district",
            [{"actor_id": n + 1, "district_id": rng.randint(1, 4)} for n in range(ACTORS)],
        )
        _insert(
            connection,
            "actor_sector",
            [{"actor_id": n + 1, "sector": rng.choice(SECTORS)} for n in range(ACTORS)],
        )
        _insert(connection, "network", [
            {"slug": f"netz-{n}", "key": f"netz{n}", "name": f"Arbeitskreis {n}",
             "kind": "arbeitskreis", "level": "district", "district_id": n % 4 + 1,
             "created_at": now}
            for n in range(BODIES)
        ])  # fmt: skip
        memberships = set()
        for actor in range(1, ACTORS + 1):
            for _ in range(rng.randint(0, 4)):
                memberships.add((rng.randint(1, BODIES), actor))
        _insert(connection, "membership", [
            {"network_id": network, "actor_id": actor, "role": "member", "voting": True,
             "since": since, "created_at": now}
            for network, actor in sorted(memberships)
        ])  # fmt: skip
        _insert(connection, "project", [
            {"slug": f"p{n}", "key": f"p{n}", "title": f"Projekt {n}", "status": "running",
             "lead_id": rng.randint(1, ACTORS), "goals": [], "start": since,
             "created_at": now, "updated_at": now}
            for n in range(PROJECTS)
        ])  # fmt: skip
        partners = {(rng.randint(1, PROJECTS), rng.randint(1, ACTORS)) for _ in range(PROJECTS * 4)}
        _insert(
            connection,
            "project_partner",
            [{"project_id": p, "actor_id": a, "role": "Partner"} for p, a in sorted(partners)],
        )
        events = []
        for n in range(EVENTS):
            start = now - timedelta(days=rng.randrange(700), hours=rng.choice((0, 4, 8)))
            events.append({
                "uid": f"e{n}@bench", "title": f"Veranstaltung {n}",
                "kind": "meeting" if n < MEETINGS else "fest", "start": start,
                "end": start + timedelta(hours=2), "all_day": False,
                "location": f"Haus {rng.randint(1, 40)}", "status": "held",
                "attendance": rng.randint(5, 300), "created_at": now, "updated_at": now,
            })  # fmt: skip
        _insert(connection, "event", events)
        _insert(
            connection,
            "event_district",
            [{"event_id": n + 1, "district_id": rng.randint(1, 4)} for n in range(EVENTS)],
        )
        _insert(connection, "meeting", [
            {"network_id": n % BODIES + 1, "event_id": n + 1, "number": n // BODIES + 1,
             "state": "approved", "created_at": now}
            for n in range(MEETINGS)
        ])  # fmt: skip
    register.close()


def main() -> None:
    keep = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory() as scratch:
        folder = keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "register.sqlite"
        if not path.exists():
            print(f"building a register with {ACTORS:,} actors, {BODIES} bodies, "
                  f"{PROJECTS} projects …", flush=True)  # fmt: skip
            started = time.perf_counter()
            build_register(path)
            print(f"built in {time.perf_counter() - started:.1f} s", flush=True)
        env = {"STM_DB": str(path), "STM_CONFIG": str(folder / "config.toml"), "STM_NOW": NOW}
        monthly = [STM, "report", "monthly", "--format", "json"]
        baseline = "stm report monthly --format json"
        commands = [
            (["map", "-o", str(folder / "karte.svg")], 2.0),
            (["map", "--format", "graphml", "-o", str(folder / "netz.graphml")], 2.0),
            (["map", "--stats", "--json"], float("inf")),
        ]
        rows = []
        for argv, goal in commands:
            turns = 2 if "--stats" in argv else 5  # betweenness takes a while
            seconds, floor = paired_time([STM, *argv], monthly, env, repeat=turns)
            rows.append((f"stm {' '.join(argv[:3])}", seconds, baseline, floor, goal))
    report(rows)


if __name__ == "__main__":
    main()
