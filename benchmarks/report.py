"""Monthly report and search at scale: 50,000 events, 5,000 meetings, 20,000 concerns.

    python benchmarks/report.py [FOLDER]

With FOLDER, the register is kept there (and reused when it exists), for profiling.
Builds a SQLite register with bulk inserts (about 106,000 searchable records: events,
meetings with their TOPs, decisions and tasks, concerns, actors, projects, articles),
indexes it with `stm db check --fix`'s rebuild, then prints each command's median time
next to its baseline, as a ratio:
- `stm report monthly --format json` against `python -c "import sqlmodel, typer, jinja2"`
  (goal: within 2x)
- `stm search …` over the index, against the same baseline (goal: within 1.5x), also a
  word found only inside words (`putz` in Frühjahrsputz)
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

from _common import STM, paired_time, python, report

EVENTS = 50_000
MEETINGS = 5_000
CONCERNS = 20_000
ACTORS = 2_000
FIRST_DAY = date(2022, 1, 1)
DAYS = (date(2026, 12, 31) - FIRST_DAY).days
NOW = "2026-11-20T10:00"
WORDS = [
    "Straßenbeleuchtung", "Frühjahrsputz", "Spielplatz", "Adventsmarkt", "Stadtteilfest",
    "Flohmarkt", "Nachbarschaft", "Sprechstunde", "Müllsäcke", "Sitzbänke", "Hausaufgabenhilfe",
    "Seniorentreff", "Jugendclub", "Kita", "Schule", "Radweg", "Bushaltestelle", "Grünfläche",
    "Wohnumfeld", "Begegnung", "Kultur", "Bildung", "Gesundheit", "Beratung", "Ehrenamt", "Sport",
    "Musik", "Garten", "Bücherei", "Café", "Werkstatt",
]  # fmt: skip
KINDS = ("fest", "markt", "aktion", "workshop", "sprechstunde", "kurs", "kultur")


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _moment(rng: random.Random) -> datetime:
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    return datetime.combine(day, datetime.min.time()).replace(hour=rng.choice((10, 14, 18)))


def _insert(connection: Any, table: str, rows: list[dict[str, Any]]) -> None:
    from sqlalchemy import MetaData, Table, insert

    target = Table(table, MetaData(), autoload_with=connection)
    for start in range(0, len(rows), 5000):
        connection.execute(insert(target), rows[start : start + 5000])


def build_register(path: Path) -> None:
    from stm.services.districts import seed_districts
    from stm.store import Location, open_register

    rng = random.Random(2026)
    register = open_register(Location(path=path, source="benchmark"), create=True)
    with register.session() as session:
        seed_districts(session)
    now = datetime.fromisoformat(NOW)
    with register.engine.begin() as connection:
        _insert(connection, "actor", [
            {"kind": rng.choice(("association", "social", "school", "administration", "person")),
             "name": f"Akteur {n} {rng.choice(WORDS)}", "key": f"akteur{n}",
             "consent_share": False, "created_at": _moment(rng), "updated_at": now}
            for n in range(ACTORS)
        ])  # fmt: skip
        _insert(
            connection,
            "actor_district",
            [{"actor_id": n + 1, "district_id": rng.randint(1, 4)} for n in range(ACTORS)],
        )
        _insert(connection, "network", [
            {"slug": f"netz-{n}", "key": f"netz{n}", "name": f"Stadtteiltisch {n}",
             "kind": "stadtteiltisch", "level": "district", "district_id": n % 4 + 1,
             "created_at": now}
            for n in range(20)
        ])  # fmt: skip
        events = []
        for n in range(EVENTS + MEETINGS):
            start = _moment(rng)
            meeting = n >= EVENTS
            recurring = not meeting and n % 50 == 0
            events.append({
                "uid": f"e{n}@bench", "title": f"{_text(rng, 2)} {n}",
                "kind": "meeting" if meeting else rng.choice(KINDS), "start": start,
                "end": start + timedelta(hours=2), "all_day": False,
                "rrule": "FREQ=WEEKLY" if recurring else None,
                "until": start + timedelta(days=365) if recurring else None,
                "location": f"Haus {rng.randint(1, 40)}", "description": _text(rng, 8),
                "status": "held" if start < now else "planned",
                "attendance": rng.randint(5, 300) if start < now else None,
                "created_at": now, "updated_at": now,
            })  # fmt: skip
        _insert(connection, "event", events)
        _insert(
            connection,
            "event_district",
            [{"event_id": n + 1, "district_id": rng.randint(1, 4)} for n in range(EVENTS)],
        )
        _insert(connection, "meeting", [
            {"network_id": n % 20 + 1, "event_id": EVENTS + n + 1, "number": n // 20 + 1,
             "state": "approved", "created_at": now}
            for n in range(MEETINGS)
        ])  # fmt: skip
        _insert(connection, "agenda_item", [
            {"meeting_id": n // 3 + 1, "position": n % 3 + 1, "title": _text(rng, 3),
             "kind": "info", "notes": _text(rng, 12)}
            for n in range(MEETINGS * 3)
        ])  # fmt: skip
        _insert(connection, "decision", [
            {"meeting_id": n + 1, "text": _text(rng, 10), "votes_yes": 5, "votes_no": 0,
             "votes_abstain": 1, "result": "adopted"}
            for n in range(MEETINGS)
        ])  # fmt: skip
        _insert(connection, "task", [
            {"title": _text(rng, 4), "meeting_id": n // 2 + 1,
             "due": (events[EVENTS + n // 2]["start"] + timedelta(days=30)).date(),
             "status": rng.choice(("open", "done")), "created_at": now}
            for n in range(MEETINGS * 2)
        ])  # fmt: skip
        concerns = []
        for _n in range(CONCERNS):
            reported = _moment(rng).date()
            closed = reported + timedelta(days=rng.randint(3, 90)) if rng.random() < 0.7 else None
            concerns.append({
                "title": _text(rng, 4), "description": _text(rng, 15),
                "district_id": rng.randint(1, 4), "category": rng.choice(WORDS),
                "anonymous": True, "forwarded_to_id": rng.randint(1, ACTORS),
                "forwarded_on": reported + timedelta(days=1),
                "due": reported + timedelta(days=30),
                "status": rng.choice(("resolved", "rejected")) if closed else "forwarded",
                "reported_on": reported, "closed_on": closed,
                "answer": "Antwort" if closed else None,
                "created_at": now, "updated_at": now,
            })  # fmt: skip
        _insert(connection, "concern", concerns)
        _insert(connection, "project", [
            {"slug": f"p{n}", "key": f"p{n}", "title": f"Projekt {_text(rng, 2)} {n}",
             "status": "running", "goals": [], "start": _moment(rng).date(),
             "created_at": now, "updated_at": now}
            for n in range(200)
        ])  # fmt: skip
        _insert(connection, "publication", [{"slug": "wir2", "key": "wir2", "name": "WIR2"}])
        _insert(connection, "paper_issue", [
            {"publication_id": 1, "label": f"{n % 4 + 1}/{2022 + n // 4}",
             "deadline": FIRST_DAY + timedelta(days=90 * n),
             "publish_on": FIRST_DAY + timedelta(days=90 * n + 20)}
            for n in range(20)
        ])  # fmt: skip
        _insert(connection, "article", [
            {"issue_id": n % 20 + 1, "title": _text(rng, 4), "status": "accepted",
             "created_at": now, "updated_at": now}
            for n in range(500)
        ])  # fmt: skip
    from stm.services.search import rebuild_index

    started = time.perf_counter()
    with register.session() as session:
        indexed = rebuild_index(session)
    print(f"indexed {indexed:,} records in {time.perf_counter() - started:.1f} s", flush=True)
    register.close()


def main() -> None:
    keep = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory() as scratch:
        folder = keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "register.sqlite"
        if not path.exists():
            print("building a register with 50,000 events, 5,000 meetings, 20,000 concerns …",
                  flush=True)  # fmt: skip
            started = time.perf_counter()
            build_register(path)
            print(f"built in {time.perf_counter() - started:.1f} s", flush=True)
        env = {"STM_DB": str(path), "STM_CONFIG": str(folder / "config.toml"), "STM_NOW": NOW}
        baseline = "import sqlmodel, typer, jinja2"
        commands = [
            (["report", "monthly", "--format", "json"], 2.0),
            (["report", "monthly", "--month", "2024-05", "-d", "schmarl", "--format", "json"], 2.0),
            (["search", "strassenbeleuchtung", "--json"], 1.5),
            (["search", "fruehjahrsputz", "spielplatz", "--json"], 1.5),
            (["search", "putz", "--json"], 1.5),  # inside words: the trigram index
        ]
        rows = []
        for argv, goal in commands:
            seconds, floor = paired_time([STM, *argv], python(baseline), env)
            rows.append((f"stm {' '.join(argv)}", seconds, baseline, floor, goal))
    report(rows)


if __name__ == "__main__":
    main()
