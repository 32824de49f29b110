"""`stm districts`."""

from __future__ import annotations

import json

from stm.models import District


def test_list_shows_the_seed_districts(cli, register):
    result = cli("districts", "list")
    for name in ("Am Stern", "Drewitz", "Groß Klein", "Schmarl"):
        assert name in result.stdout


def test_add_and_find_by_any_spelling(cli, register):
    result = cli("districts", "add", "Lütten Klein", "--city", "Rostock", "--state", "mv", "--json")
    record = json.loads(result.stdout)
    assert (record["slug"], record["state"]) == ("luetten-klein", "MV")
    cli("actors", "add", "Kita", "--district", "lütten klein")
    listed = json.loads(cli("actors", "list", "-d", "LUETTEN-KLEIN", "--json").stdout)
    assert [a["name"] for a in listed] == ["Kita"]


def test_alias_names_a_district(cli, register):
    cli("actors", "add", "Heimatverein", "--district", "Dorf Schmarl")
    assert json.loads(cli("actors", "show", "Heimatverein", "--json").stdout)["districts"] == [
        "schmarl"
    ]


def test_add_existing_is_a_conflict(cli, register):
    result = cli("districts", "add", "Gross Klein")
    assert result.exit_code == 1
    assert "exists already" in result.stderr
    assert register.count(District) == 4


def test_add_with_unknown_state(cli, register):
    result = cli("districts", "add", "Neustadt", "--state", "XY")
    assert result.exit_code == 2
    assert "--state: unknown federal state code 'XY'" in result.stderr
    assert register.count(District) == 4
