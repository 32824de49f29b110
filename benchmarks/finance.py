"""Project finances at scale: `stm finance show` and `report` on 10,000 bookings.

    python benchmarks/finance.py

Builds a SQLite register with one running project, a financing plan of eight positions
and 10,000 bookings over three years (a few hundred of them reversed), then prints each
command's median time next to its baseline's (the two run in turns), as a ratio; the
baseline is the read floor of benchmarks/report.py and startup.py (importing what any
read of the register needs):
- `stm finance show P --json` and `stm finance show P` against
  `python -c "import sqlmodel, typer"` (goal: within 1.5x)
- `stm finance report P --format md|html -o FILE` (the Verwendungsnachweis with all 10,000
  receipts) against `python -c "import sqlmodel, typer, jinja2"` (goal: within 1.5x)
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import STM, paired_time, python, report

BOOKINGS = 10_000
NOW = "2026-11-20T10:00"
COSTS = ["Personal", "Honorare", "Sachkosten", "Öffentlichkeitsarbeit", "Miete", "Reisekosten"]
INCOME = ["ESF", "Eigenmittel"]


def build_register(path: Path) -> None:
    from sqlalchemy import insert

    from stm.models.finance import Booking
    from stm.services import finance, projects
    from stm.services.districts import seed_districts
    from stm.store import Location, open_register

    register = open_register(Location(path=path, source="benchmark"), create=True)
    rng = random.Random(10_000)
    with register.session() as session:
        seed_districts(session)
        project = projects.add_project(session, projects.ProjectFields(
            title="Digitale Teilhabe", status="running", start="2024-01-01", end="2026-12-31",
            districts=["gross-klein"]))  # fmt: skip
        finance.set_plan(session, project.slug, finance.PlanChange(
            costs=[f"{name}=200.000" for name in COSTS],
            income=[f"{name}=700.000" for name in INCOME]))  # fmt: skip
        positions = {p.name: p.id for p in finance.plan.positions(session, project.id)}
        rows = []
        for number in range(BOOKINGS):
            name = rng.choice(COSTS) if number % 20 else rng.choice(INCOME)
            cents = rng.randint(100, 500_000)
            rows.append({
                "project_id": project.id, "position_id": positions[name],
                "day": date(2024, 1, 1) + timedelta(days=rng.randint(0, 1064)),
                "amount": Decimal(cents) / 100, "payee": f"Empfänger {number % 300}",
                "receipt": f"R-{number:05d}", "note": None, "reverses_id": None, "late": False,
                "created_at": datetime(2026, 11, 1),
            })  # fmt: skip
        session.execute(insert(Booking), rows)
        for booking_id in rng.sample(range(1, BOOKINGS + 1), 200):
            finance.reverse(session, str(booking_id), "2026-12-31")
    register.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.sqlite"
        print(f"building a register with {BOOKINGS:,} bookings …", flush=True)
        build_register(path)
        env = {"STM_DB": str(path), "STM_CONFIG": str(Path(folder) / "config.toml"),
               "STM_NOW": NOW}  # fmt: skip
        out = str(Path(folder) / "nachweis")
        commands = [
            (["finance", "show", "digitale-teilhabe", "--json"], "import sqlmodel, typer", 1.5),
            (["finance", "show", "digitale-teilhabe"], "import sqlmodel, typer", 1.5),
            (["finance", "report", "digitale-teilhabe", "--format", "md", "-o", f"{out}.md"],
             "import sqlmodel, typer, jinja2", 1.5),
            (["finance", "report", "digitale-teilhabe", "--format", "html", "-o", f"{out}.html"],
             "import sqlmodel, typer, jinja2", 1.5),
        ]  # fmt: skip
        rows = []
        for argv, baseline, goal in commands:
            seconds, floor = paired_time([STM, *argv], python(baseline), env, repeat=9)
            rows.append((f"stm {' '.join(argv[:3])} {' '.join(argv[3:5])}", seconds, baseline,
                         floor, goal))  # fmt: skip
    report(rows)


if __name__ == "__main__":
    main()
