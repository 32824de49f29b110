"""Events at scale: a month of `stm event list` on 50,000 events, and ICS export speed.

    python benchmarks/events.py

Builds, in a temporary folder, a register with 50,000 events (500 of them repeating
series: weekly, fortnightly, monthly; open-ended or not) spread over 2019-2030, with
districts, organisers and changed dates, by bulk inserts. Then prints:
- `stm event list --from 2026-11-01 --to 2026-11-30 --json` against
  `python -c "import sqlmodel, typer"` (goal: within 1.5x), median of several runs;
- `stm event export` of a 10,000-event register, in events per second.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import STM, paired_time, python, report, run_time

SERIES_RULES = [
    "FREQ=WEEKLY;BYDAY=TU",
    "FREQ=WEEKLY;BYDAY=MO,TH",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
    "FREQ=MONTHLY;BYDAY=2TU",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=MONTHLY;BYMONTHDAY=15",
    "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR",
]
TITLES = ["Stadtteilfest", "Sprechstunde", "Flohmarkt", "Workshop", "Frühjahrsputz"]
KINDS = ["fest", "markt", "aktion", "workshop", "sprechstunde", "meeting", "kurs", "kultur"]
PLACES = ["Haus 12", "Börse", "Bürgerhaus Stern*Zeichen", "Begegnungszentrum oskar.", "Kita"]
FIRST = datetime(2019, 1, 1)
SPAN_DAYS = 12 * 365


def build_register(path: Path, events: int, series: int, seed: int = 50_000) -> None:
    """A register with `events` events, `series` of them repeating (bulk inserts)."""
    from sqlalchemy import insert

    from stm import recurrence
    from stm.models import Actor, Event, EventDistrict, EventOccurrence, EventOrganiser, load_all
    from stm.services.districts import seed_districts
    from stm.store import Location, open_register

    load_all()
    rng = random.Random(seed)
    register = open_register(Location(path=path, source="benchmark"), create=True)
    with register.session() as session:
        district_ids = [d.id for d in seed_districts(session)]
    now = datetime(2026, 11, 20, 10, 0)
    actor_rows = [
        {"id": n, "kind": "organisation", "name": f"Verein {n}", "key": f"verein{n}",
         "created_at": now, "updated_at": now}
        for n in range(1, 201)
    ]  # fmt: skip
    event_rows, district_rows, organiser_rows, change_rows = [], [], [], []
    for number in range(1, events + 1):
        start = FIRST + timedelta(
            days=rng.randrange(SPAN_DAYS), hours=rng.choice([9, 10, 14, 16, 18])
        )
        end = start + timedelta(hours=rng.choice([1, 2, 3, 4]))
        rule = until = None
        if number <= series:
            rule = rng.choice(SERIES_RULES)
            start = FIRST + timedelta(days=rng.randrange(8 * 365), hours=rng.choice([10, 14, 16]))
            end = start + timedelta(hours=2)
            ending = rng.random()
            if ending < 0.2:
                rule += f";COUNT={rng.randrange(5, 200)}"
            elif ending < 0.4:
                rule += f";UNTIL={start + timedelta(days=rng.randrange(60, 2000)):%Y%m%dT235959}"
            rule = recurrence.check_rule(rule, start)
            start = recurrence.first_start(rule, start) or start
            end = start + timedelta(hours=2)
            until = recurrence.last_start(rule, start)
            for moved in recurrence.starts_between(
                rule, start, until, start, start + timedelta(days=200)
            )[:4]:
                change_rows.append(
                    {"event_id": number, "recurrence_id": moved, "status": "cancelled"}
                )
        event_rows.append(
            {
                "id": number,
                "uid": f"bench-{number}@stm",
                "title": f"{rng.choice(TITLES)} {number}",
                "kind": rng.choice(KINDS),
                "start": start,
                "end": end,
                "all_day": False,
                "rrule": rule,
                "until": until,
                "location": rng.choice(PLACES),
                "status": "held" if start < now else "planned",
                "expected": rng.randrange(5, 500),
                "created_at": now,
                "updated_at": now,
            }
        )
        for district_id in rng.sample(district_ids, rng.randint(1, 2)):
            district_rows.append({"event_id": number, "district_id": district_id})
        organiser_rows.append({"event_id": number, "actor_id": rng.randint(1, 200)})
    with register.engine.begin() as connection:
        connection.execute(insert(Actor.__table__), actor_rows)
        connection.execute(insert(Event.__table__), event_rows)
        connection.execute(insert(EventDistrict.__table__), district_rows)
        connection.execute(insert(EventOrganiser.__table__), organiser_rows)
        if change_rows:
            connection.execute(insert(EventOccurrence.__table__), change_rows)
    register.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "events-50k.sqlite"
        print("building a register with 50,000 events (500 series) …", flush=True)
        started = time.perf_counter()
        build_register(big, 50_000, 500)
        print(f"  built in {time.perf_counter() - started:.1f} s")
        env = {"STM_DB": str(big), "STM_CONFIG": str(Path(folder) / "config.toml")}
        month = ["--from", "2026-11-01", "--to", "2026-11-30"]
        listing = [STM, "event", "list", *month, "--json"]
        import json
        import os
        import subprocess

        output = subprocess.run(
            listing, env={**os.environ, **env}, capture_output=True, check=True, text=True
        ).stdout
        print(f"  one month lists {len(json.loads(output))} occurrences")
        listed, baseline = paired_time(listing, python("import sqlmodel, typer"), env)
        report(
            [("stm event list (one month) --json", listed, "import sqlmodel, typer", baseline, 1.5)]
        )

        small = Path(folder) / "events-10k.sqlite"
        build_register(small, 10_000, 100, seed=10_000)
        target = Path(folder) / "events.ics"
        export_env = {"STM_DB": str(small), "STM_CONFIG": str(Path(folder) / "config.toml")}
        seconds = run_time([STM, "event", "export", "-o", str(target)], export_env, repeat=3)
        size = target.stat().st_size / 1024 / 1024
        print(
            f"stm event export, 10,000 events: {seconds:.2f} s "
            f"= {10_000 / seconds:,.0f} events/s ({size:.1f} MB .ics, startup included)"
        )


if __name__ == "__main__":
    main()
