"""What stm writes comes back whole: actors through vCard and CSV, events through ICS,
exported, imported into a fresh register, and exported again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def _fresh(cli, tmp_path: Path, name: str) -> list[str]:
    """`--db` of a new register with the seed districts."""
    path = tmp_path / f"{name}.sqlite"
    result = cli("--db", str(path), "init", "--district", "schmarl", "--district", "am-stern")
    assert result.exit_code == 0, result.output
    return ["--db", str(path)]


def _actors(cli, db: list[str] = ()) -> None:
    run = lambda *a: cli(*db, *a)  # noqa: E731
    run(
        "actors", "add", "Haus 12 e.V.", "--kind", "social", "--email", "info@haus12.de",
        "--phone", "0381 123456", "--street", "Straße der Jugend 12", "--postcode", "18109",
        "--city", "Rostock", "-d", "schmarl", "--sector", "soziales", "--sector", "jugend",
        "--website", "https://haus12.example", "--notes", "Offener Treff; \"Café\",\nab 14 Uhr",
    )  # fmt: skip
    run(
        "actors", "add", "Jürgen Müller", "--kind", "person", "--organisation", "Haus 12 e.V.",
        "--function", "Leitung", "--email", "j.mueller@haus12.de", "--phone", "+49 381 7654321",
        "--consent", "--consent-purpose", "Kontaktliste Stadtteiltisch", "-d", "schmarl",
    )  # fmt: skip
    run("actors", "add", "Kita Sternschnuppe", "--kind", "kita", "-d", "am-stern")


def _records(cli, db: list[str]) -> list[dict]:
    records = json.loads(cli(*db, "actors", "export", "--format", "json", "--all").stdout)
    for record in records:
        record.pop("id")
    return sorted(records, key=lambda r: r["name"])


@pytest.mark.parametrize("suffix", ["vcf", "csv"])
def test_actors_come_back_whole(cli, register, tmp_path, suffix):
    _actors(cli)
    first = tmp_path / f"eins.{suffix}"
    assert cli("actors", "export", "-o", str(first)).exit_code == 0
    other = _fresh(cli, tmp_path, "zwei")
    result = cli(*other, "actors", "import", str(first))
    assert result.exit_code == 0, result.output
    second = tmp_path / f"zwei.{suffix}"
    assert cli(*other, "actors", "export", "-o", str(second)).exit_code == 0
    assert second.read_bytes() == first.read_bytes()
    mine, theirs = _records(cli, []), _records(cli, other)
    for record in (*mine, *theirs):  # the person's organisation is named, its id differs
        record.pop("created", None), record.pop("updated", None)
    assert theirs == mine
    assert all(r["uid"] for r in theirs)


def _events(cli, db: list[str] = ()) -> None:
    run = lambda *a: cli(*db, *a)  # noqa: E731
    run("actors", "add", "Heimatverein Dorf Schmarl e.V.", "--kind", "association")
    run("projects", "add", "FuN – Familie und Nachbarschaft", "--status", "running")


def _stm_events(cli) -> None:
    cli(
        "event", "add", "750 Jahre Dorf Schmarl", "--date", "18.06.2022", "--time", "14:00",
        "--end", "22:00", "-d", "schmarl", "--kind", "fest", "--organiser",
        "Heimatverein Dorf Schmarl e.V.", "--project", "fun", "--expected", "500",
    )  # fmt: skip
    cli("event", "attendance", "750 Jahre", "620")
    cli("event", "edit", "750 Jahre", "--status", "held")
    cli(
        "event", "add", "Familiencafé", "--date", "4.11.2026", "--time", "15:00", "--end",
        "17:00", "--repeat", "FREQ=WEEKLY;COUNT=6", "--project", "fun", "--organiser",
        "Heimatverein Dorf Schmarl e.V.", "--expected", "20", "--location", "Haus 12",
    )  # fmt: skip
    cli("event", "attendance", "Familiencafé", "17", "--on", "11.11.2026")
    cli("event", "cancel", "Familiencafé", "--on", "25.11.2026")
    cli("event", "edit", "Familiencafé", "--on", "2.12.2026", "--time", "16:00")


def _without_stamps(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines()
            if not line.startswith("DTSTAMP")]  # fmt: skip


def _listed(cli, db: list[str]) -> list[dict]:
    out = cli(*db, "event", "list", "--from", "1.1.2022", "--to", "31.12.2027", "--json")
    records = json.loads(out.stdout)
    for record in records:
        record.pop("id")
    return records


def test_events_come_back_whole(cli, register, tmp_path):
    _events(cli)
    _stm_events(cli)
    first = tmp_path / "eins.ics"
    assert cli("event", "export", "-o", str(first)).exit_code == 0
    other = _fresh(cli, tmp_path, "zwei")
    _events(cli, other)
    result = cli(*other, "event", "import", str(first))
    assert result.exit_code == 0, result.output
    assert "Noted" not in result.stderr
    second = tmp_path / "zwei.ics"
    assert cli(*other, "event", "export", "-o", str(second)).exit_code == 0
    assert _without_stamps(second) == _without_stamps(first)
    mine, theirs = _listed(cli, []), _listed(cli, other)
    for a, b in zip(mine, theirs, strict=True):
        assert {k: v for k, v in b.items() if v != a[k]} == {}, a
    fest = next(e for e in theirs if e["title"] == "750 Jahre Dorf Schmarl")
    assert (fest["status"], fest["attendance"], fest["expected"]) == ("held", 620, 500)
    assert fest["organisers"] == ["Heimatverein Dorf Schmarl e.V."]
    assert fest["project"] == "FuN – Familie und Nachbarschaft"
    cafe = {e["start"]: e for e in theirs if e["title"] == "Familiencafé"}
    assert cafe["2026-11-11T15:00"]["attendance"] == 17
    assert cafe["2026-11-25T15:00"]["status"] == "cancelled"
    assert "2026-12-02T16:00" in cafe


def test_organisers_given_as_organizer_are_read_back(cli, register, tmp_path):
    _events(cli)
    path = tmp_path / "einladung.ics"
    path.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//\r\nBEGIN:VEVENT\r\nUID:o@example\r\n"
        b"DTSTART;TZID=Europe/Berlin:20270105T180000\r\nSUMMARY:Vorstand\r\n"
        b"ORGANIZER;CN=Heimatverein Dorf Schmarl e.V.:mailto:info@heimatverein.example\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert cli("event", "import", str(path)).exit_code == 0
    (event,) = _listed(cli, [])
    assert event["organisers"] == ["Heimatverein Dorf Schmarl e.V."]
