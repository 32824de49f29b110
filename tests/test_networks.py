"""`stm networks`: Gremien and memberships."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from helpers import ok
from stm.models import Membership, Network


@pytest.fixture
def schmarl_table(cli, register) -> None:
    """The Stadtteiltisch Schmarl, Haus 12 and Anna Müller, not yet members."""
    ok(
        cli(
            "networks", "add", "Stadtteiltisch Schmarl", "--kind", "stadtteiltisch", "-d", "schmarl"
        )
    )
    ok(cli("actors", "add", "Haus 12", "--kind", "social", "-d", "schmarl"))
    ok(cli("actors", "add", "Anna Müller", "--kind", "person"))


def test_add_and_list(cli, register):
    result = cli(
        "networks",
        "add",
        "Stadtteiltisch Schmarl",
        "--kind",
        "stadtteiltisch",
        "--district",
        "schmarl",
        "--json",
    )
    record = json.loads(result.stdout)
    assert record == {
        "id": 1,
        "slug": "stadtteiltisch-schmarl",
        "name": "Stadtteiltisch Schmarl",
        "kind": "stadtteiltisch",
        "level": "district",
        "districts": ["schmarl"],
        "members": 0,
    }
    cli("networks", "add", "Lokales Bündnis für Familie", "--kind", "buendnis", "--level", "city")
    listed = json.loads(cli("networks", "list", "--json").stdout)
    assert [n["slug"] for n in listed] == [
        "lokales-buendnis-fuer-familie",
        "stadtteiltisch-schmarl",
    ]
    only = json.loads(cli("networks", "list", "-d", "schmarl", "--json").stdout)
    assert [n["slug"] for n in only] == ["stadtteiltisch-schmarl"]


def test_join_with_role_voting_and_since(cli, register, schmarl_table):
    result = cli("networks", "join", "stadtteiltisch-schmarl", "Haus 12", "Anna Müller")
    assert result.exit_code == 0, result.output
    assert "2 member(s) joined" in result.stdout
    cli("networks", "leave", "stadtteiltisch-schmarl", "Anna Müller")
    cli(
        "networks",
        "join",
        "stadtteiltisch-schmarl",
        "anna mueller",
        "--role",
        "chair",
        "--since",
        "1.1.2025",
    )
    record = json.loads(cli("networks", "show", "stadtteiltisch-schmarl", "--json").stdout)
    members = {m["name"]: m for m in record["memberships"]}
    assert members["Anna Müller"]["role"] == "chair"
    assert members["Anna Müller"]["since"] == "2025-01-01"
    assert members["Haus 12"]["voting"] is True
    assert record["members"] == 2


def test_guest_without_vote_and_show_table(cli, register, schmarl_table):
    cli(
        "networks",
        "join",
        "Stadtteiltisch Schmarl",
        "Anna Müller",
        "--role",
        "guest",
        "--no-voting",
    )
    shown = cli("networks", "show", "stadtteiltisch-schmarl").stdout
    assert "Anna Müller" in shown and "guest" in shown


def test_leave_keeps_history(cli, register, schmarl_table):
    cli("networks", "join", "stadtteiltisch-schmarl", "Haus 12", "--since", "1.1.2024")
    result = cli("networks", "leave", "stadtteiltisch-schmarl", "Haus 12", "--until", "30.6.2026")
    assert result.exit_code == 0
    with register.session() as session:
        membership = session.exec(select(Membership)).one()
    assert membership.until.isoformat() == "2026-06-30"
    listed = json.loads(cli("networks", "list", "--json").stdout)
    assert listed[0]["members"] == 0


def test_filter_actors_by_network(cli, register, schmarl_table):
    cli("networks", "join", "stadtteiltisch-schmarl", "Haus 12")
    names = [
        a["name"]
        for a in json.loads(
            cli("actors", "list", "--network", "stadtteiltisch-schmarl", "--json").stdout
        )
    ]
    assert names == ["Haus 12"]


def test_duplicate_membership_is_exit_1(cli, register, schmarl_table):
    cli("networks", "join", "stadtteiltisch-schmarl", "Haus 12")
    result = cli("networks", "join", "stadtteiltisch-schmarl", "Anna Müller", "Haus 12")
    assert result.exit_code == 1
    assert "Haus 12 (#1) is already a member of stadtteiltisch-schmarl" in result.stderr
    assert register.count(Membership) == 1  # Anna was not added either: all or nothing


def test_unknown_kind_level_role(cli, register, schmarl_table):
    bad_kind = cli("networks", "add", "X", "--kind", "stadtteiltish")
    assert bad_kind.exit_code == 2 and "did you mean 'stadtteiltisch'?" in bad_kind.stderr
    bad_level = cli("networks", "add", "X", "--kind", "netzwerk", "--level", "planet")
    assert bad_level.exit_code == 2 and "--level" in bad_level.stderr
    bad_role = cli("networks", "join", "stadtteiltisch-schmarl", "Haus 12", "--role", "boss")
    assert bad_role.exit_code == 2 and "--role" in bad_role.stderr
    assert register.count(Network) == 1
    assert register.count(Membership) == 0


def test_duplicate_slug_is_a_conflict(cli, register, schmarl_table):
    result = cli("networks", "add", "Stadtteiltisch  Schmarl", "--kind", "stadtteiltisch")
    assert result.exit_code == 1 and "exists already" in result.stderr


def test_leave_when_not_a_member(cli, register, schmarl_table):
    result = cli("networks", "leave", "stadtteiltisch-schmarl", "Haus 12")
    assert result.exit_code == 1
    assert "is not a member" in result.stderr


def test_unknown_network_suggests(cli, register, schmarl_table):
    result = cli("networks", "show", "stadteiltisch-schmarl")
    assert result.exit_code == 1
    assert "did you mean 'stadtteiltisch-schmarl'?" in result.stderr


def test_bad_since_date(cli, register, schmarl_table):
    result = cli("networks", "join", "stadtteiltisch-schmarl", "Haus 12", "--since", "30.02.2026")
    assert result.exit_code == 2
    assert "--since: '30.02.2026' is not a calendar date" in result.stderr
    assert register.count(Membership) == 0


# ------------------------------------------------------------------ several districts, edit


def test_a_network_keeps_every_district(cli, register):
    """`-d gross-klein -d schmarl` keeps both; the meeting's invitation lists both's dates."""
    result = cli(
        "networks", "add", "Lenkungsgruppe", "-k", "lenkungsgruppe",
        "-d", "gross-klein", "-d", "schmarl", "--json",
    )  # fmt: skip
    assert json.loads(result.stdout)["districts"] == ["gross-klein", "schmarl"]
    for district in ("gross-klein", "schmarl"):
        listed = json.loads(cli("networks", "list", "-d", district, "--json").stdout)
        assert [n["slug"] for n in listed] == ["lenkungsgruppe"]
    cli("event", "add", "Frühjahrsputz Groß Klein", "--date", "12.12.2026", "-d", "gross-klein")
    cli("event", "add", "Adventsmarkt Schmarl", "--date", "13.12.2026", "-d", "schmarl")
    made = cli("meeting", "new", "lenkungsgruppe", "--date", "10.12.2026", "--time", "17:00")
    assert made.exit_code == 0, made.output
    agenda = cli("agenda", "render", "next").stdout
    assert "Frühjahrsputz Groß Klein" in agenda and "Adventsmarkt Schmarl" in agenda
    for district in ("gross-klein", "schmarl"):
        meetings = json.loads(cli("meeting", "list", "-d", district, "--json").stdout)
        assert len(meetings) == 1


def test_networks_edit(cli, register, schmarl_table):
    result = cli(
        "networks", "edit", "stadtteiltisch-schmarl", "--name", "Stadtteiltisch Groß Klein/Schmarl",
        "-d", "schmarl", "-d", "gross-klein", "--level", "city", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert (record["slug"], record["name"], record["districts"], record["level"]) == (
        "stadtteiltisch-schmarl",
        "Stadtteiltisch Groß Klein/Schmarl",
        ["schmarl", "gross-klein"],
        "city",
    )
    result = cli("networks", "edit", "stadtteiltisch-schmarl", "-d", "am-stern")
    assert result.stdout == "Changed network #1 Stadtteiltisch Groß Klein/Schmarl (am-stern)\n"
    result = cli("networks", "edit", "stadtteiltisch-schmarl", "-d", "schmal")
    assert result.exit_code == 2 and "did you mean 'schmarl'?" in result.stderr
    result = cli("networks", "edit", "stadtteiltisch-schmarl", "--kind", "stadtteiltish")
    assert result.exit_code == 2 and "did you mean 'stadtteiltisch'?" in result.stderr
    assert json.loads(cli("networks", "show", "1", "--json").stdout)["districts"] == ["am-stern"]


def test_the_report_counts_a_meeting_for_each_of_its_networks_districts(cli, register):
    cli("networks", "add", "Lenkungsgruppe", "-k", "lenkungsgruppe", "-d", "gross-klein",
        "-d", "schmarl")  # fmt: skip
    cli("meeting", "new", "lenkungsgruppe", "--date", "3.11.2026", "--time", "17:00")
    for district in ("gross-klein", "schmarl"):
        report = json.loads(
            cli("report", "monthly", "--month", "2026-11", "-d", district, "-f", "json").stdout
        )
        assert len(report["meetings"]) == 1, district
