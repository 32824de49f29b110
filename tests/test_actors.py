"""Actors: add, list, show, edit, archive, and the errors users meet."""

from __future__ import annotations

import json

from sqlmodel import select

from stm.models import Activity, Actor


def test_add_prints_id_and_stores_the_actor(cli, register):
    result = cli(
        "actors",
        "add",
        "Kita Sonnenschein",
        "--kind",
        "kita",
        "--district",
        "schmarl",
        "--sector",
        "bildung",
        "--email",
        "kita@example.org",
    )
    assert result.exit_code == 0, result.output
    assert "Added actor #1 Kita Sonnenschein (kita)" in result.stdout
    with register.session() as session:
        actor = session.exec(select(Actor)).one()
        assert (actor.name, actor.kind, actor.email) == (
            "Kita Sonnenschein",
            "kita",
            "kita@example.org",
        )


def test_add_json_prints_the_whole_record(cli, register):
    result = cli("actors", "add", "Anna Müller", "--kind", "person", "-d", "Groß Klein", "--json")
    record = json.loads(result.stdout)
    assert record["id"] == 1
    assert record["name"] == "Anna Müller"
    assert record["districts"] == ["gross-klein"]
    assert set(record) >= {
        "id",
        "kind",
        "name",
        "districts",
        "sectors",
        "email",
        "phone",
        "organisation",
        "archived",
    }


def test_list_filters_by_district_spelled_any_way(cli, register):
    cli("actors", "add", "Haus 12", "--district", "schmarl")
    cli("actors", "add", "Börse", "--district", "gross-klein")
    for spelling in ("schmarl", "Schmarl", "SCHMARL"):
        names = [
            a["name"] for a in json.loads(cli("actors", "list", "-d", spelling, "--json").stdout)
        ]
        assert names == ["Haus 12"]
    for spelling in ("Groß Klein", "gross-klein", "grossklein", "GROSS KLEIN"):
        names = [
            a["name"] for a in json.loads(cli("actors", "list", "-d", spelling, "--json").stdout)
        ]
        assert names == ["Börse"]


def test_list_filters_by_district_id_and_unknown_district_is_exit_2(cli, register):
    cli("actors", "add", "Haus 12", "--district", "schmarl")
    district_id = next(
        d["id"] for d in json.loads(cli("districts", "list", "--json").stdout)
        if d["slug"] == "schmarl"
    )  # fmt: skip
    for ref in (str(district_id), f"#{district_id}"):
        listed = json.loads(cli("actors", "list", "-d", ref, "--json").stdout)
        assert [a["name"] for a in listed] == ["Haus 12"]
    result = cli("actors", "list", "-d", "schmal", "--json")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --district: unknown district 'schmal'; did you mean")


def test_list_table_shows_names(cli, register):
    cli("actors", "add", "Heimatverein Dorf Schmarl", "--kind", "association", "-d", "schmarl")
    result = cli("actors", "list", "--district", "schmarl")
    assert result.exit_code == 0
    assert "Heimatverein" in result.stdout and "association" in result.stdout


def test_list_csv_and_ndjson(cli, register):
    cli("actors", "add", "Kita Ostseekinder", "--kind", "kita", "-d", "schmarl", "-s", "kinder")
    csv_out = cli("actors", "list", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("id,kind,name,districts,sectors,email,phone,organisation")
    assert "Kita Ostseekinder" in csv_out[1]
    lines = cli("actors", "list", "--format", "ndjson").stdout.splitlines()
    assert json.loads(lines[0])["name"] == "Kita Ostseekinder"


def test_list_filters_by_sector_kind_search_and_archive(cli, register):
    cli("actors", "add", "Grundschule", "--kind", "school", "-s", "bildung")
    cli(
        "actors", "add", "Sportverein", "--kind", "association", "-s", "sport", "--notes", "Fußball"
    )
    cli("actors", "archive", "Sportverein")

    def names(*args: str) -> list[str]:
        return [a["name"] for a in json.loads(cli("actors", "list", *args, "--json").stdout)]

    assert names("--sector", "bildung") == ["Grundschule"]
    assert names("--kind", "school") == ["Grundschule"]
    assert names() == ["Grundschule"]
    assert names("--archived") == ["Sportverein"]
    assert names("--all") == ["Grundschule", "Sportverein"]
    assert names("--all", "--search", "fußball") == ["Sportverein"]


def test_person_belongs_to_an_organisation(cli, register):
    cli("actors", "add", "Haus 12", "--kind", "social")
    result = cli(
        "actors",
        "add",
        "Mehmet Yılmaz",
        "--kind",
        "person",
        "--org",
        "haus 12",
        "--function",
        "Jugendarbeit",
        "--json",
    )
    record = json.loads(result.stdout)
    assert record["organisation"] == "Haus 12"
    assert record["given_name"] == "Mehmet" and record["family_name"] == "Yılmaz"
    shown = cli("actors", "show", "Haus 12").stdout
    assert "Mehmet Yılmaz" in shown


def test_edit_changes_only_given_fields(cli, register):
    cli("actors", "add", "Kita", "--email", "a@example.org", "--phone", "0381 1")
    cli("actors", "edit", "Kita", "--phone", "0381 222", "--district", "schmarl")
    record = json.loads(cli("actors", "show", "Kita", "--json").stdout)
    assert record["email"] == "a@example.org"
    assert record["phone"] == "0381 222"
    assert record["districts"] == ["schmarl"]


def test_consent_flag_is_stored(cli, register):
    cli("actors", "add", "Eva Beispiel", "--kind", "person", "--consent")
    record = json.loads(cli("actors", "show", "Eva Beispiel", "--json").stdout)
    assert record["consent"] == {
        "given_on": "2026-11-20",
        "purpose": "Kontaktliste des Stadtteilmanagements",
        "share": True,
    }


def test_changes_are_logged_without_person_names(cli, register):
    cli("actors", "add", "Eva Beispiel", "--kind", "person")
    with register.session() as session:
        entry = session.exec(select(Activity).where(Activity.action == "actor.add")).one()
    assert "Eva" not in entry.summary and entry.actor_id == 1


# --------------------------------------------------------------------------- bad input


def _nothing_written(register) -> None:
    assert register.count(Actor) == 0


def test_malformed_email_is_exit_2(cli, register):
    result = cli("actors", "add", "Kita", "--email", "kita@@example")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --email:") and len(result.stderr.splitlines()) == 1
    _nothing_written(register)


def test_unknown_district_suggests(cli, register):
    result = cli("actors", "add", "Kita", "--district", "schmal")
    assert result.exit_code == 2
    assert "did you mean 'schmarl'?" in result.stderr
    _nothing_written(register)


def test_unknown_sector_suggests(cli, register):
    result = cli("actors", "add", "Kita", "--sector", "bildnug")
    assert result.exit_code == 2
    assert "did you mean 'bildung'?" in result.stderr
    _nothing_written(register)


def test_unknown_kind_suggests(cli, register):
    result = cli("actors", "add", "Kita", "--kind", "schoole")
    assert result.exit_code == 2
    assert "--kind" in result.stderr and "did you mean 'school'?" in result.stderr
    _nothing_written(register)


def test_empty_name_is_exit_2(cli, register):
    result = cli("actors", "add", "   ")
    assert result.exit_code == 2
    assert "Error: name: must not be empty" in result.stderr
    _nothing_written(register)


def test_missing_name_in_a_script_is_exit_2(cli, register):
    result = cli("actors", "add", "--kind", "kita")
    assert result.exit_code == 2
    assert "name: is required" in result.stderr
    _nothing_written(register)


def test_ten_thousand_character_name_is_exit_2(cli, register):
    result = cli("actors", "add", "A" * 10_000)
    assert result.exit_code == 2
    assert "10000 characters" in result.stderr
    _nothing_written(register)


def test_ambiguous_name_lists_both(cli, register):
    cli("actors", "add", "Anna Müller", "--kind", "person", "--function", "Kita")
    cli("actors", "add", "Anna Müller", "--kind", "person", "--function", "Schule")
    result = cli("actors", "show", "anna müller")
    assert result.exit_code == 1
    assert "#1 Anna Müller (person, Kita)" in result.stderr
    assert "#2 Anna Müller (person, Schule)" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_unknown_actor_is_exit_1_with_suggestion(cli, register):
    cli("actors", "add", "Heimatverein")
    result = cli("actors", "show", "Heimatverien")
    assert result.exit_code == 1
    assert "no actor 'Heimatverien'; did you mean 'Heimatverein'?" in result.stderr


def test_bad_phone_and_website(cli, register):
    assert cli("actors", "add", "X", "--phone", "call me").exit_code == 2
    assert cli("actors", "add", "X", "--website", "not a site").exit_code == 2
    _nothing_written(register)


def test_organisation_must_exist(cli, register):
    result = cli("actors", "add", "Eva", "--kind", "person", "--org", "Nirgendwo")
    assert result.exit_code == 1
    assert "no organisation 'Nirgendwo'" in result.stderr
    _nothing_written(register)


# ------------------------------------------------------------------ names spelled any way


def _names(cli) -> None:
    for name, kind in (
        ("Begegnungszentrum Haus 12", "social"),
        ("WIRO Wohnen in Rostock GmbH", "housing"),
        ("Börse Schmarl e.V.", "association"),
    ):
        assert cli("actors", "add", name, "--kind", kind).exit_code == 0
    assert cli("actors", "add", "Mehmet Yılmaz", "--kind", "person").exit_code == 0


def test_a_name_is_found_however_it_is_typed(cli, register):
    _names(cli)
    for typed in ("mehmet yilmaz", "MEHMET YILMAZ", "Mehmet Yılmaz", "yilmaz"):
        shown = cli("actors", "show", typed, "--json")
        assert json.loads(shown.stdout)["name"] == "Mehmet Yılmaz", typed


def test_a_reference_by_its_words_names_the_one_record(cli, register):
    """ "Haus 12", "WIRO", "Börse": each word starts a word of exactly one name."""
    _names(cli)
    result = cli("actors", "add", "Anna Müller", "--kind", "person", "--org", "Haus 12", "--json")
    assert json.loads(result.stdout)["organisation"] == "Begegnungszentrum Haus 12"
    cli("event", "add", "Mieterfest", "--date", "5.12.2026", "--organiser", "WIRO")
    cli("event", "edit", "Mieterfest", "--organiser", "WIRO", "--organiser", "Börse")
    events = json.loads(cli("event", "list", "--json").stdout)
    assert events[0]["organisers"] == ["Börse Schmarl e.V.", "WIRO Wohnen in Rostock GmbH"]


def test_several_records_by_their_words_are_ambiguous(cli, register):
    _names(cli)
    cli("actors", "add", "Haus 12 Förderverein", "--kind", "association")
    result = cli("actors", "show", "Haus 12")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: actor 'Haus 12' is ambiguous: #1 Begegnungszentrum Haus 12 (social); "
        "#5 Haus 12 Förderverein (association). Use the id.\n"
    )
    assert cli("actors", "show", "aus 12").exit_code == 1  # inside a word: not a word start


def test_short_names_count_as_names(cli, register):
    result = cli("actors", "add", "Wohnungsgenossenschaft Schiffahrt-Hafen Rostock eG",
                 "--kind", "housing", "--alias", "WG Schiffahrt", "--alias", "Schiffahrt-Hafen",
                 "--json")  # fmt: skip
    assert json.loads(result.stdout)["aliases"] == ["Schiffahrt-Hafen", "WG Schiffahrt"]
    assert json.loads(cli("actors", "show", "wg schiffahrt", "--json").stdout)["id"] == 1
    found = json.loads(cli("search", "schiffahrt-hafen", "--json").stdout)
    assert [(r["kind"], r["id"]) for r in found][:1] == [("actor", 1)]
    edited = cli("actors", "edit", "1", "--remove-alias", "WG Schiffahrt", "--alias", "WGSH",
                 "--json")  # fmt: skip
    assert json.loads(edited.stdout)["aliases"] == ["Schiffahrt-Hafen", "WGSH"]
    missing = cli("actors", "edit", "1", "--remove-alias", "Nix")
    assert missing.exit_code == 2 and missing.stderr.startswith("Error: --remove-alias: ")
    assert cli("actors", "show", "WG Schiffahrt").exit_code == 1


def test_adding_a_name_that_exists_warns_with_the_id(cli, register):
    _names(cli)
    result = cli("actors", "add", "Begegnungszentrum HAUS 12", "--kind", "social")
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: 'Begegnungszentrum HAUS 12' exists already: #1 Begegnungszentrum Haus 12\n"
    )
    assert result.stdout.startswith("Added actor #5")
    assert cli("actors", "add", "Kita Ostseekinder").stderr == ""


def test_phones_as_germans_write_them(cli, register):
    result = cli("actors", "add", "Haus 12", "--phone", "(0381) 123456", "--json")
    assert json.loads(result.stdout)["phone"] == "(0381) 123456"
    result = cli("actors", "edit", "Haus 12", "--phone", "tel:+49-381-123456;ext=12", "--json")
    assert json.loads(result.stdout)["phone"] == "+49-381-123456;ext=12"
    bad = cli("actors", "edit", "Haus 12", "--phone", "(0381 123456")
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: --phone: '(0381 123456' is not")
