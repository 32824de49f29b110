"""`stm demo`: a demo register built from data/, apart from the user's own."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from stm.models import Actor


def test_demo_builds_register_and_prints_next_steps(cli, tmp_path):
    folder = tmp_path / "demo"
    result = cli("demo", "--dir", str(folder))
    assert result.exit_code == 0, result.output
    assert f"Demo register: {folder / 'register.sqlite'}" in result.stdout
    assert "stm actors list --district schmarl" in result.stdout
    assert (folder / "config.toml").exists()
    assert not (tmp_path / "xdg-data").exists()  # the user's own register is untouched


def test_demo_actors_of_schmarl(cli, demo):
    actors = json.loads(cli("actors", "list", "--district", "schmarl", "--json").stdout)
    names = {a["name"] for a in actors}
    assert {"Begegnungszentrum Haus 12", "Heimatverein Dorf Schmarl e.V.", "Anna Müller"} <= names
    assert all("schmarl" in a["districts"] for a in actors)
    table = cli("actors", "list", "--district", "schmarl").stdout
    assert "Heimatverein Dorf Schmarl e.V." in table


def test_demo_has_about_thirty_actors_in_four_districts(cli, demo):
    actors = json.loads(cli("actors", "list", "--json").stdout)
    assert 28 <= len(actors) <= 45
    districts = {d for a in actors for d in a["districts"]}
    assert districts == {"am-stern", "drewitz", "gross-klein", "schmarl"}


def test_demo_persons_are_fictional(demo):
    from sqlmodel import select

    with demo.session() as session:
        persons = session.exec(select(Actor).where(Actor.kind.in_(["person", "resident"]))).all()
    assert persons
    assert all(p.email is None or p.email.endswith(".example") for p in persons)
    assert "Kathrin Feldmann" not in {p.name for p in persons}  # a real name from the seeds


def test_demo_networks_and_members(cli, demo):
    networks = {n["slug"]: n for n in json.loads(cli("networks", "list", "--json").stdout)}
    assert {
        "stadtteiltisch-schmarl",
        "stadtteiltisch-gross-klein",
        "lenkungsgruppe-sozialraum",
        "lokales-buendnis-fuer-familie",
    } <= set(networks)
    assert networks["stadtteiltisch-schmarl"]["members"] >= 8


def test_demo_again_replaces_the_demo(cli, tmp_path):
    folder = tmp_path / "demo"
    cli("demo", "--dir", str(folder))
    again = cli("demo", "--dir", str(folder))
    assert again.exit_code == 0, again.output


def test_demo_never_overwrites_a_real_register(cli, tmp_path):
    folder = tmp_path / "office"
    cli("--db", str(folder / "register.sqlite"), "init")
    result = cli("demo", "--dir", str(folder))
    assert result.exit_code == 1
    assert "is not a demo register" in result.stderr


# The demo is built on whatever day a user runs it: its dates must hold on every day.

LEAP_YEAR = [date(2028, 1, 1) + timedelta(days=n) for n in range(366)]


def _yearly_entries() -> list[dict[str, Any]]:
    from stm.resources import load_data_toml

    entries = load_data_toml("demo", "events.toml")["event"]
    return [e for e in entries if "month" in e]


def test_demo_places_every_yearly_event_on_every_day_of_a_leap_year():
    from stm.demo.events import place

    entries = _yearly_entries()
    assert entries
    for today in LEAP_YEAR:
        for entry in entries:
            day = place(entry, today)
            assert day.month == entry["month"], (today, entry["title"], day)
            assert abs((day - today).days) <= 186, (today, entry["title"], day)


def test_demo_places_yearly_events_on_the_nearest_year():
    from stm.demo.events import place

    kindertagsfest = next(e for e in _yearly_entries() if e["title"].startswith("Kindertagsfest"))
    # 1 December 2026: the first Monday of June is 183 days back (1.6.2026) or 188 days on.
    assert place(kindertagsfest, date(2026, 12, 1)) == date(2026, 6, 1)
    assert place(kindertagsfest, date(2026, 12, 7)) == date(2027, 6, 7)


@pytest.mark.parametrize(
    "day",
    [
        "2026-12-01",  # the first day the demo once failed on
        "2026-12-07",
        "2028-02-29",
        "2027-03-28",  # summer time begins
        "2027-10-31",  # summer time ends
        "2027-01-01",
        "2027-06-15",
    ],
)
def test_demo_builds_on_days_across_the_year(cli, tmp_path, monkeypatch, day):
    import stm.render

    # PDFs take most of the demo's time and do not depend on the day.
    monkeypatch.setattr(stm.render, "html_to_pdf", lambda *a, **k: b"%PDF-1.7 stub")
    monkeypatch.setenv("STM_NOW", f"{day}T10:00")
    folder = tmp_path / "demo"
    result = cli("demo", "--dir", str(folder))
    assert result.exit_code == 0, result.output
    assert "It holds:" in result.stdout
    monkeypatch.setenv("STM_DB", str(folder / "register.sqlite"))
    events = json.loads(cli("event", "list", "--json").stdout)
    assert events, day
    report = json.loads(cli("report", "monthly", "--format", "json").stdout)
    assert report["actors"]["total"] >= 28
