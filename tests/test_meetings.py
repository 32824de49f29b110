"""`stm meeting`: numbered meetings of a network, pre-filled with the standard TOPs.

The clock is pinned to Friday, 20 November 2026, 10:00; the next Stadtteiltisch is on
Tuesday, 8 December 2026, 18:00.
"""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from stm.models import Activity, AgendaItem, District, Event, EventDistrict, Meeting

STANDARD_TOPS = [
    "Begrüßung und Regularien",
    "Protokollkontrolle",
    "Berichte aus dem Stadtteil",
    "Stand der offenen Aufgaben",
    "Verschiedenes",
    "Termine",
]


def _schmarl(cli):
    cli("networks", "add", "Stadtteiltisch Schmarl", "--kind", "stadtteiltisch", "-d", "schmarl")
    cli("actors", "add", "Anna Müller", "--kind", "person")
    cli("actors", "add", "Heike Sommerfeld", "--kind", "person")
    cli("networks", "join", "stadtteiltisch-schmarl", "Anna Müller", "--role", "chair")


def _new(cli, *args: str):
    result = cli("meeting", "new", "stadtteiltisch-schmarl", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_new_meeting_is_numbered_with_standard_tops(cli, register):
    _schmarl(cli)
    result = cli(
        "meeting",
        "new",
        "stadtteiltisch-schmarl",
        "--date",
        "8.12.2026",
        "--time",
        "18:00",
        "--location",
        "Begegnungszentrum Haus 12",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Added meeting #1 1. Stadtteiltisch Schmarl on 2026-12-08 18:00 with 6 TOPs\n"
    )
    with register.session() as session:
        titles = session.exec(select(AgendaItem.title).order_by(AgendaItem.position)).all()
    assert titles == STANDARD_TOPS
    second = _new(cli, "--date", "12.1.2027")
    assert (second["number"], second["title"]) == (2, "2. Stadtteiltisch Schmarl")


def test_number_can_continue_an_existing_series(cli, register):
    _schmarl(cli)
    twelfth = _new(cli, "--date", "8.12.2026", "--time", "18 Uhr", "--number", "12")
    assert twelfth["title"] == "12. Stadtteiltisch Schmarl"
    assert _new(cli, "--date", "2027-01-12")["number"] == 13


def test_json_record_has_the_stable_keys(cli, register):
    _schmarl(cli)
    record = _new(
        cli,
        "--date",
        "8.12.2026",
        "--time",
        "18:00",
        "--location",
        "Haus 12",
        "--minutes-by",
        "Heike Sommerfeld",
    )
    assert {"id", "network", "number", "start", "location", "state", "agenda", "tasks"} <= set(
        record
    )
    assert record["network"] == "stadtteiltisch-schmarl"
    assert record["start"] == "2026-12-08T18:00"
    assert record["end"] == "2026-12-08T19:05"  # the standard TOPs last 65 minutes
    assert record["state"] == "scheduled"
    assert record["chair"] == "Anna Müller"  # the network's chair
    assert record["minutes_by"] == "Heike Sommerfeld"
    assert record["tasks"] == []
    first = record["agenda"][0]
    assert {"position", "title", "presenter", "minutes"} <= set(first)
    assert (first["position"], first["title"], first["minutes"]) == (1, STANDARD_TOPS[0], 5)
    assert [item["start"] for item in record["agenda"][:3]] == [
        "2026-12-08T18:00",
        "2026-12-08T18:05",
        "2026-12-08T18:10",
    ]


def test_a_meeting_is_an_event_in_the_networks_district(cli, register):
    _schmarl(cli)
    record = _new(
        cli, "--date", "8.12.2026", "--time", "18:00", "--number", "12", "--location", "Haus 12"
    )
    with register.session() as session:
        event = session.exec(select(Event)).one()
        district = session.exec(
            select(District.slug).join(EventDistrict, EventDistrict.district_id == District.id)
        ).one()
        meeting = session.get(Meeting, record["id"])
    assert meeting.event_id == event.id == record["event"]
    assert (event.kind, event.title, event.location) == (
        "meeting",
        "12. Stadtteiltisch Schmarl",
        "Haus 12",
    )
    assert event.uid.startswith("meeting-") and event.uid.endswith("@stm")
    assert str(event.start) == "2026-12-08 18:00:00" and str(event.end) == "2026-12-08 19:05:00"
    assert district == "schmarl"


def test_meeting_shows_in_the_event_list_when_events_exist(cli, register):
    if cli("event", "--help").exit_code != 0:
        pytest.skip("the events capability (stm event) is not built yet")
    _schmarl(cli)
    _new(cli, "--date", "8.12.2026", "--time", "18:00")
    listed = cli("event", "list", "--json", "--district", "schmarl")
    assert "1. Stadtteiltisch Schmarl" in listed.stdout


def test_time_location_and_chair_default_to_the_previous_meeting(cli, register):
    _schmarl(cli)
    _new(
        cli,
        "--date",
        "3.11.2026",
        "--time",
        "17:30",
        "--location",
        "Haus 12",
        "--chair",
        "Heike Sommerfeld",
    )
    second = _new(cli, "--date", "8.12.2026")
    assert second["start"] == "2026-12-08T17:30"
    assert second["location"] == "Haus 12"
    assert second["chair"] == "Anna Müller"  # the chair defaults to the network's chair


def test_empty_agenda(cli, register):
    _schmarl(cli)
    assert _new(cli, "--date", "8.12.2026", "--time", "18:00", "--empty")["agenda"] == []


def test_list_filters_and_table(cli, register):
    _schmarl(cli)
    cli(
        "networks",
        "add",
        "Stadtteiltisch Groß Klein",
        "--kind",
        "stadtteiltisch",
        "-d",
        "gross-klein",
    )
    _new(cli, "--date", "3.11.2026", "--time", "18:00")
    _new(cli, "--date", "8.12.2026")
    cli("meeting", "new", "stadtteiltisch-gross-klein", "--date", "9.12.2026", "--time", "17:00")

    def titles(*args: str) -> list[str]:
        result = cli("meeting", "list", *args, "--json")
        assert result.exit_code == 0, result.output
        return [m["title"] for m in json.loads(result.stdout)]

    assert titles() == [
        "1. Stadtteiltisch Schmarl",
        "2. Stadtteiltisch Schmarl",
        "1. Stadtteiltisch Groß Klein",
    ]
    assert titles("--upcoming") == ["2. Stadtteiltisch Schmarl", "1. Stadtteiltisch Groß Klein"]
    assert titles("--past") == ["1. Stadtteiltisch Schmarl"]
    assert titles("--district", "Groß Klein") == ["1. Stadtteiltisch Groß Klein"]
    assert titles("--network", "stadtteiltisch-schmarl", "--state", "scheduled") == [
        "1. Stadtteiltisch Schmarl",
        "2. Stadtteiltisch Schmarl",
    ]
    table = cli("meeting", "list").stdout
    assert "2. Stadtteiltisch Schmarl" in table and "2026-12-08 18:00" in table


def test_next_and_last(cli, register):
    _schmarl(cli)
    cli("networks", "add", "Ortsbeirat Schmarl", "--kind", "ortsbeirat", "-d", "schmarl")
    _new(cli, "--date", "3.11.2026", "--time", "18:00")
    _new(cli, "--date", "8.12.2026")
    cli("meeting", "new", "ortsbeirat-schmarl", "--date", "1.12.2026", "--time", "18:30")

    def shown(*args: str) -> str:
        result = cli("meeting", "show", *args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["title"]

    assert shown("next") == "1. Sitzung des Ortsbeirats Schmarl"
    assert shown("next", "--network", "stadtteiltisch-schmarl") == "2. Stadtteiltisch Schmarl"
    assert shown("last") == "1. Stadtteiltisch Schmarl"
    assert shown("#2") == "2. Stadtteiltisch Schmarl"


def test_next_is_the_running_meeting_during_it(cli, register, monkeypatch):
    _schmarl(cli)
    _new(cli, "--date", "20.11.2026", "--time", "09:30")  # 09:30-10:35, now is 10:00
    _new(cli, "--date", "8.12.2026")
    record = json.loads(cli("meeting", "show", "next", "--json").stdout)
    assert record["number"] == 1
    monkeypatch.setenv("STM_NOW", "2026-11-20T10:40")
    assert json.loads(cli("meeting", "show", "next", "--json").stdout)["number"] == 2


def test_show_prints_agenda_with_times(cli, register):
    _schmarl(cli)
    _new(cli, "--date", "8.12.2026", "--time", "18:00", "--location", "Haus 12")
    shown = cli("meeting", "show", "next").stdout
    assert "1. Stadtteiltisch Schmarl" in shown
    assert shown.index("18:05") < shown.index("Protokollkontrolle") < shown.index("Termine")


def test_edit_reschedules_and_marks_invited(cli, register):
    _schmarl(cli)
    _new(cli, "--date", "8.12.2026", "--time", "18:00", "--location", "Haus 12")
    result = cli(
        "meeting",
        "edit",
        "next",
        "--date",
        "15.12.2026",
        "--location",
        "Börse",
        "--invited",
        "--json",
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert (record["start"], record["end"]) == ("2026-12-15T18:00", "2026-12-15T19:05")
    assert (record["location"], record["state"]) == ("Börse", "invited")
    cli("meeting", "edit", "1", "--chair", "")
    assert json.loads(cli("meeting", "show", "1", "--json").stdout)["chair"] is None


def test_new_meeting_is_logged(cli, register):
    _schmarl(cli)
    _new(cli, "--date", "8.12.2026", "--time", "18:00")
    with register.session() as session:
        entry = session.exec(select(Activity).where(Activity.action == "meeting.new")).one()
    assert entry.summary == "1. Stadtteiltisch Schmarl"


def test_demo_has_meetings_with_minutes_and_next_agenda(cli, demo):
    meetings = json.loads(cli("meeting", "list", "--json").stdout)
    schmarl = [m for m in meetings if m["network"] == "stadtteiltisch-schmarl"]
    assert [m["number"] for m in schmarl] == [10, 11, 12]
    assert [m["state"] for m in schmarl] == ["approved", "held", "invited"]
    assert schmarl[2]["start"] == "2026-12-08T18:00"
    assert {m["network"] for m in meetings} >= {
        "stadtteiltisch-gross-klein",
        "lenkungsgruppe-sozialraum",
    }
    agenda = cli("agenda", "render", "next", "--network", "stadtteiltisch-schmarl").stdout
    assert "Dienstag, 8. Dezember 2026, 18:00 Uhr" in agenda
    assert "Mögliche Standorte für den Stadtteilflohmarkt erkunden" in agenda  # open, from #11
    assert "Aushang zur Hausaufgabenhilfe" not in agenda  # done already
    minutes = cli("minutes", "render", "last", "--network", "stadtteiltisch-schmarl").stdout
    assert "6 Ja-Stimmen, 0 Gegenstimmen, 1 Enthaltung" in minutes


def test_demo_writes_agenda_and_minutes(cli, tmp_path):
    from pypdf import PdfReader

    folder = tmp_path / "demo"
    result = cli("demo", "--dir", str(folder))
    assert result.exit_code == 0, result.output
    for name in ("tagesordnung-12-stadtteiltisch-schmarl", "protokoll-11-stadtteiltisch-schmarl"):
        for suffix in ("md", "html", "pdf"):
            path = folder / f"{name}.{suffix}"
            assert f"Document: {path}" in result.stdout
    text = "".join(
        p.extract_text()
        for p in PdfReader(folder / "tagesordnung-12-stadtteiltisch-schmarl.pdf").pages
    )
    assert "12. Stadtteiltisch Schmarl" in text and "Stadtteilflohmarkt 2027" in text
    assert "Stadtteilmanagement Groß Klein und Schmarl" in text  # the demo's letterhead
    minutes = (folder / "protokoll-11-stadtteiltisch-schmarl.md").read_text(encoding="utf-8")
    assert "Gerda Beispiel (Anwohnerin)" in minutes


# --------------------------------------------------------------------------- bad input


def _nothing_written(register) -> None:
    assert register.count(Meeting) == 0
    assert register.count(Event) == 0
    assert register.count(AgendaItem) == 0


def test_missing_date_is_exit_2(cli, register):
    _schmarl(cli)
    result = cli("meeting", "new", "stadtteiltisch-schmarl", "--time", "18:00")
    assert result.exit_code == 2
    assert result.stderr == "Error: --date: is required\n"
    _nothing_written(register)


def test_malformed_date_and_time_are_exit_2(cli, register):
    _schmarl(cli)
    result = cli(
        "meeting", "new", "stadtteiltisch-schmarl", "--date", "32.12.2026", "--time", "18:00"
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --date: '32.12.2026' is not a calendar date; use")
    result = cli(
        "meeting", "new", "stadtteiltisch-schmarl", "--date", "8.12.2026", "--time", "25:00"
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --time: '25:00' is not a time of day")
    _nothing_written(register)


def test_first_meeting_needs_a_time(cli, register):
    _schmarl(cli)
    result = cli("meeting", "new", "stadtteiltisch-schmarl", "--date", "8.12.2026")
    assert result.exit_code == 2
    assert "--time: is required for a network's first meeting" in result.stderr
    _nothing_written(register)


def test_unknown_network_and_chair_are_exit_1(cli, register):
    _schmarl(cli)
    result = cli(
        "meeting", "new", "stadtteiltisch-schmarll", "--date", "8.12.2026", "--time", "18:00"
    )
    assert result.exit_code == 1
    assert (
        "no network 'stadtteiltisch-schmarll'; did you mean 'stadtteiltisch-schmarl'?"
        in result.stderr
    )
    result = cli(
        "meeting",
        "new",
        "stadtteiltisch-schmarl",
        "--date",
        "8.12.2026",
        "--time",
        "18:00",
        "--chair",
        "Niemand",
    )
    assert result.exit_code == 1
    assert "no chair 'Niemand'" in result.stderr
    _nothing_written(register)


def test_duplicate_number_and_start_are_refused(cli, register):
    _schmarl(cli)
    _new(cli, "--date", "8.12.2026", "--time", "18:00", "--number", "12")
    result = cli(
        "meeting", "new", "stadtteiltisch-schmarl", "--date", "9.12.2026", "--number", "12"
    )
    assert result.exit_code == 1
    assert "12. Stadtteiltisch Schmarl exists already (meeting #1)" in result.stderr
    result = cli("meeting", "new", "stadtteiltisch-schmarl", "--date", "8.12.2026")
    assert result.exit_code == 1
    assert "is already at 08.12.2026 18:00" in result.stderr
    assert register.count(Meeting) == 1 and register.count(Event) == 1


def test_bad_meeting_references(cli, register):
    _schmarl(cli)
    result = cli("meeting", "show", "next")
    assert result.exit_code == 1
    assert "no upcoming meeting; plan one with 'stm meeting new" in result.stderr
    result = cli("meeting", "show", "nächstes")
    assert result.exit_code == 2
    assert "Error: meeting: 'nächstes' is not a meeting; use its id" in result.stderr
    assert (
        cli("meeting", "show", "7").stderr
        == "Error: no meeting with id 7; see 'stm meeting list'\n"
    )
    _new(cli, "--date", "8.12.2026", "--time", "18:00")
    cli("networks", "add", "Ortsbeirat Schmarl", "--kind", "ortsbeirat", "-d", "schmarl")
    result = cli("meeting", "show", "1", "--network", "ortsbeirat-schmarl")
    assert result.exit_code == 1
    assert "meeting #1 is not a meeting of ortsbeirat-schmarl" in result.stderr


def test_sitting_titles_follow_the_kind_of_body(cli, register):
    """From data/sittings.toml: an Ortsbeirat and a Lenkungsgruppe hold a Sitzung."""
    cli("networks", "add", "Ortsbeirat Schmarl", "--kind", "ortsbeirat", "-d", "schmarl")
    cli("networks", "add", "Lenkungsgruppe Groß Klein/Schmarl", "--kind", "lenkungsgruppe",
        "-d", "gross-klein", "-d", "schmarl")  # fmt: skip
    cli("networks", "add", "Stadtteiltisch Schmarl", "--kind", "stadtteiltisch", "-d", "schmarl")
    for network, number in (
        ("ortsbeirat-schmarl", "12"),
        ("lenkungsgruppe-gross-klein-schmarl", "3"),
        ("stadtteiltisch-schmarl", "12"),
    ):
        made = cli("meeting", "new", network, "--date", "8.12.2026", "--time", "18:00",
                   "--number", number)  # fmt: skip
        assert made.exit_code == 0, made.output
    titles = [m["title"] for m in json.loads(cli("meeting", "list", "--json").stdout)]
    assert sorted(titles) == [
        "12. Sitzung des Ortsbeirats Schmarl",
        "12. Stadtteiltisch Schmarl",
        "3. Sitzung der Lenkungsgruppe Groß Klein/Schmarl",
    ]
    events = [e["title"] for e in json.loads(cli("event", "list", "--json").stdout)]
    assert "12. Sitzung des Ortsbeirats Schmarl" in events
    found = json.loads(cli("search", "lenkungsgruppe", "--json").stdout)
    assert found[0]["title"] == "3. Sitzung der Lenkungsgruppe Groß Klein/Schmarl"
    agenda = cli("agenda", "render", "next", "--network", "ortsbeirat-schmarl").stdout
    assert "# Einladung und Tagesordnung: 12. Sitzung des Ortsbeirats Schmarl" in agenda
