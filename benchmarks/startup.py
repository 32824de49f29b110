"""Startup speed: `stm --help` and a filtered actor list on a 5,000-actor register.

    python benchmarks/startup.py [REGISTER]

(REGISTER: a register built by `build_register` before, to time without building one.)

Prints each command's median time next to its baseline's (the two run in turns), as a
ratio:
- `stm --help` against `python -c "import typer"` (goal: within 1.5x)
- `stm actors list --district schmarl --json` on 5,000 actors against
  `python -c "import sqlmodel, typer"` (goal: within 1.0x: a read imports neither)
- the same list against `sqlite-utils query REGISTER SQL` answering the same question
  (the same rows, districts, sectors and organisation) from the same file (goal: 2.0x)
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import STM, paired_time, python, report

DISTRICTS = ["am-stern", "drewitz", "gross-klein", "schmarl"]
SECTORS = ["soziales", "bildung", "kultur", "wirtschaft", "gesundheit", "jugend"]
KINDS = ["organisation", "association", "initiative", "school", "person", "business"]


def build_register(path: Path, count: int) -> None:
    from stm.services import actors
    from stm.services.districts import seed_districts
    from stm.store import Location, open_register

    register = open_register(Location(path=path, source="benchmark"), create=True)
    rng = random.Random(5000)
    with register.session() as session:
        seed_districts(session)
        for number in range(count):
            kind = rng.choice(KINDS)
            actors.add_actor(
                session,
                actors.ActorFields(
                    name=f"Akteur {number} Straßenfest",
                    kind=kind,
                    districts=rng.sample(DISTRICTS, rng.randint(1, 2)),
                    sectors=rng.sample(SECTORS, rng.randint(1, 3)),
                    email=f"kontakt{number}@verein.example",
                    phone=f"0381 {number:06d}",
                ),
            )
    register.close()


#: What `stm actors list --district schmarl --json` answers, as one query.
LIST_SQL = """
SELECT a.id, a.kind, a.name,
  (SELECT json_group_array(slug) FROM (SELECT d.slug FROM actor_district ad
     JOIN district d ON d.id = ad.district_id WHERE ad.actor_id = a.id ORDER BY d.slug))
     AS districts,
  (SELECT json_group_array(sector) FROM (SELECT sector FROM actor_sector
     WHERE actor_id = a.id ORDER BY sector)) AS sectors,
  a.email, a.phone, o.name AS organisation, a.function, a.website,
  a.street, a.postcode, a.city, a.archived_at IS NOT NULL AS archived
FROM actor a LEFT JOIN actor o ON o.id = a.organisation_id
WHERE a.erased_at IS NULL AND a.archived_at IS NULL AND a.id IN (
  SELECT ad.actor_id FROM actor_district ad JOIN district d ON d.id = ad.district_id
  WHERE d.slug = 'schmarl')
ORDER BY a.key, a.id
"""


def main() -> None:
    sqlite_utils = str(Path(sys.executable).with_name("sqlite-utils"))
    listing = ["actors", "list", "--district", "schmarl", "--json"]
    with tempfile.TemporaryDirectory() as folder:
        if len(sys.argv) > 1:
            path = Path(sys.argv[1]).absolute()
        else:
            path = Path(folder) / "register.sqlite"
            print("building a register with 5,000 actors …", flush=True)
            build_register(path, 5000)
        env = {"STM_DB": str(path), "STM_CONFIG": str(Path(folder) / "config.toml")}
        commands = [
            (["--help"], "import typer", python("import typer"), 1.5),
            (listing, "import sqlmodel, typer", python("import sqlmodel, typer"), 1.0),
            (listing, "sqlite-utils query", [sqlite_utils, "query", str(path), LIST_SQL], 2.0),
        ]
        rows = []
        for argv, baseline, baseline_argv, goal in commands:
            seconds, floor = paired_time([STM, *argv], baseline_argv, env)
            rows.append((f"stm {' '.join(argv)}", seconds, baseline, floor, goal))
    report(rows)


if __name__ == "__main__":
    main()
