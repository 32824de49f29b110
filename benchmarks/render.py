"""Documents at scale: a meeting with 40 TOPs and 200 attendees, as agenda and minutes.

    python benchmarks/render.py

Builds a SQLite register with one Stadtteiltisch of 200 members, an earlier meeting with
40 open tasks (they come back on the agenda) and the meeting itself: 40 TOPs with
presenters, notes, 20 decisions, 40 tasks and all 200 members present. Then it prints
how long each step takes (median of several runs, in this process): reading the
document data from the register, Markdown, HTML and PDF (WeasyPrint) for the agenda and
the minutes; and end to end, `stm agenda render … --format pdf -o FILE` and
`stm minutes render … --format pdf -o FILE` as a user runs them.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _common import STM, run_time

TOPS = 40
ATTENDEES = 200
NOW = "2026-11-20T10:00"
REPEAT = 5


def build_register(path: Path) -> tuple[int, int]:
    """The register; returns the ids of the meeting and of its predecessor."""
    from stm.services import actors, meetings, networks
    from stm.services.districts import seed_districts
    from stm.services.meetings import minutes, tasks
    from stm.store import Location, open_register

    register = open_register(Location(path=path, source="benchmark"), create=True)
    with register.session() as session:
        seed_districts(session)
        networks.add_network(
            session,
            networks.NetworkFields("Stadtteiltisch Schmarl", "stadtteiltisch", district="schmarl"),
        )
        names = []
        for number in range(ATTENDEES):
            kind = "person" if number % 3 else "association"
            name = (
                f"Akteurin {number} Müller-Weißenfels"
                if kind == "person"
                else f"Verein {number} e.V."
            )
            actors.add_actor(session, actors.ActorFields(name=name, kind=kind))
            names.append(name)
        networks.join(session, "stadtteiltisch-schmarl", names)
        earlier = meetings.new_meeting(
            session,
            meetings.MeetingFields(
                network="stadtteiltisch-schmarl", day=date(2026, 10, 6),
                start_time=_time("18:00"), location="Begegnungszentrum Haus 12",
            ),
        )  # fmt: skip
        for number in range(TOPS):
            minutes.add_minutes_task(
                session, earlier, 3,
                tasks.TaskFields(f"Aufgabe {number} aus der letzten Sitzung", names[number],
                                 date(2026, 12, 1)),
            )  # fmt: skip
        meeting = meetings.new_meeting(
            session,
            meetings.MeetingFields(
                network="stadtteiltisch-schmarl", day=date(2026, 11, 3), start_time=_time("17:00"),
                minutes_by=names[1], standard_agenda=False,
            ),
        )  # fmt: skip
        for number in range(TOPS):
            meetings.add_item(
                session, meeting,
                meetings.AgendaFields(
                    title=f"TOP {number + 1}: Straßenfest, Spielplatz & Sitzbänke | Teil {number}",
                    presenter=names[number % ATTENDEES], minutes=5, kind="decision",
                ),
            )  # fmt: skip
        minutes.attend(session, meeting, [], members=True)
        for top in range(1, TOPS + 1):
            minutes.note(session, meeting, top, "Bericht: " + "Die Nachbarschaft wünscht sich " * 8)
            if top % 2:
                minutes.decide(
                    session, meeting, top, f"Beschluss {top}: Der Stadtteiltisch unterstützt das.",
                    minutes.Votes(150, 20, 30),
                )  # fmt: skip
            minutes.add_minutes_task(
                session, meeting, top,
                tasks.TaskFields(f"Aufgabe zu TOP {top}", names[top], date(2026, 12, 15)),
            )  # fmt: skip
        ids = (meeting.id or 0, earlier.id or 0)
    register.close()
    return ids


def _time(text: str) -> Any:
    from stm.parsing import parse_time

    return parse_time(text)


def median(action: Callable[[], Any], repeat: int = REPEAT) -> tuple[float, Any]:
    action()  # warm-up: imports, compiled templates, fonts
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def pages(pdf: bytes) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:
        return 0
    return len(PdfReader(io.BytesIO(pdf)).pages)


def main() -> None:
    os.environ["STM_NOW"] = NOW
    from stm.render import RenderOptions, render_document
    from stm.services import meetings
    from stm.store import Location, open_register

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.sqlite"
        print(f"building a register: {TOPS} TOPs, {ATTENDEES} attendees …", flush=True)
        started = time.perf_counter()
        meeting_id, _earlier = build_register(path)
        print(f"built in {time.perf_counter() - started:.1f} s\n")
        register = open_register(Location(path=path, source="benchmark"))
        options = RenderOptions(lang="de", letterhead={"name": "Stadtteilmanagement Schmarl"})
        rows: list[tuple[str, float, str]] = []

        def document(builder: Callable[..., dict[str, Any]]) -> dict[str, Any]:
            with register.session() as session:
                return builder(session, meetings.resolve(session, str(meeting_id)))

        for name, builder in (("agenda", meetings.agenda_document),
                              ("minutes", meetings.minutes_document)):  # fmt: skip
            seconds, data = median(lambda b=builder: document(b))
            rows.append((f"{name}: data from the register", seconds, ""))
            for kind in ("md", "html", "pdf"):
                seconds, output = median(
                    lambda k=kind, n=name, d=data: render_document(n, d, k, options)
                )
                size = f"{len(output) / 1024:.0f} KiB"
                extra = f"{size}, {pages(output)} pages" if kind == "pdf" else size
                rows.append((f"{name}: {kind}", seconds, extra))
        register.close()

        env = {"STM_DB": str(path), "STM_CONFIG": str(Path(folder) / "config.toml"), "STM_NOW": NOW}
        for group in ("agenda", "minutes"):
            target = Path(folder) / f"{group}.pdf"
            argv = [STM, group, "render", str(meeting_id), "--format", "pdf", "-o", str(target)]
            rows.append((f"stm {group} render … --format pdf -o FILE", run_time(argv, env, 3),
                         "end to end, a new process"))  # fmt: skip

    width = max(len(r[0]) for r in rows)
    for label, seconds, extra in rows:
        print(f"{label.ljust(width)}  {seconds * 1000:8.1f} ms  {extra}")


if __name__ == "__main__":
    main()
