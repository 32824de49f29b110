"""`stm demo`: a demo register built from data/, apart from the user's own."""

from __future__ import annotations

import json

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
